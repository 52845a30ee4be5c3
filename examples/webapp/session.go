package main

import (
	"crypto/rand"
	"maps"
	"net/http"
	"sync"
	"time"

	"github.com/cognitod/cognitod/verify"
	"golang.org/x/oauth2"
)

// sessionTTL is how long a session lasts after sign-in, whatever the
// tokens' lifetimes.
const sessionTTL = 12 * time.Hour

// session is a signed-in user. Its fields are not changed once it is
// stored; a refresh stores a new session under the same ID.
type session struct {
	token   *oauth2.Token  // access and refresh tokens
	id      *verify.Claims // the verified ID token
	access  *verify.Claims // the verified access token
	csrf    string         // the token the POST forms must carry
	expires time.Time
}

// sessionStore keeps sessions in memory, keyed by a random ID that the
// browser holds in an HttpOnly cookie.
type sessionStore struct {
	mu sync.Mutex
	m  map[string]session
}

func newSessionStore() *sessionStore {
	return &sessionStore{m: make(map[string]session)}
}

// add stores s as a new session, with a new random ID, and drops the
// expired sessions.
func (st *sessionStore) add(s session) string {
	id, now := rand.Text(), time.Now()
	s.expires = now.Add(sessionTTL)
	st.mu.Lock()
	defer st.mu.Unlock()
	maps.DeleteFunc(st.m, func(_ string, s session) bool { return now.After(s.expires) })
	st.m[id] = s
	return id
}

// replace stores s under id, keeping the expiry, unless the session has
// ended meanwhile (signed out in another tab).
func (st *sessionStore) replace(id string, s session) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if old, ok := st.m[id]; ok {
		s.expires = old.expires
		st.m[id] = s
	}
}

func (st *sessionStore) delete(id string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	delete(st.m, id)
}

// fromRequest returns the unexpired session named by the request's cookie.
func (st *sessionStore) fromRequest(r *http.Request) (string, session, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return "", session{}, false
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	s, ok := st.m[c.Value]
	if !ok || time.Now().After(s.expires) {
		return "", session{}, false
	}
	return c.Value, s, true
}
