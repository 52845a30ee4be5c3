package console

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"sync"
	"time"
)

const (
	sessionCookie = "cognitod_console"
	// preSessionCookie carries the CSRF token of the sign-in form, so that
	// another site cannot sign a browser in with its own key.
	preSessionCookie = "cognitod_console_signin"
	sessionLifetime  = 12 * time.Hour
	maxSessions      = 10_000
)

// session is a signed-in browser.
type session struct {
	ID          string
	AccessKeyID string
	Region      string
	// Root is whether the key was a root key at sign-in, for the menu
	// only: the Access keys pages check the key again on each request.
	Root    bool
	CSRF    string
	Expires time.Time
	// Flash is a message for the next page shown (post/redirect/get).
	Flash string
}

// sessions are kept in memory: signing out or restarting the server ends
// them, and the cookie holds nothing but a random ID.
type sessions struct {
	mu  sync.Mutex
	all map[string]*session
	now func() time.Time
}

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (s *sessions) create(accessKeyID, region string, root bool) *session {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if len(s.all) >= maxSessions {
		for id, ss := range s.all {
			if now.After(ss.Expires) {
				delete(s.all, id)
			}
		}
		if len(s.all) >= maxSessions { // still full: drop an arbitrary one
			for id := range s.all {
				delete(s.all, id)
				break
			}
		}
	}
	ss := &session{ID: randomToken(), AccessKeyID: accessKeyID, Region: region, Root: root, CSRF: randomToken(), Expires: now.Add(sessionLifetime)}
	s.all[ss.ID] = ss
	return ss
}

// get returns a copy of the request's session: sessions change by
// replacement under the lock, never in place, so readers need no lock.
func (s *sessions) get(r *http.Request) *session {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.all[c.Value]
	if ss == nil {
		return nil
	}
	if s.now().After(ss.Expires) {
		delete(s.all, c.Value)
		return nil
	}
	cp := *ss
	return &cp
}

func (s *sessions) delete(id string) {
	s.mu.Lock()
	delete(s.all, id)
	s.mu.Unlock()
}

// change replaces a session with a changed copy.
func (s *sessions) change(id string, fn func(*session)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ss := s.all[id]; ss != nil {
		cp := *ss
		fn(&cp)
		s.all[id] = &cp
	}
}

// takeFlash returns and clears the session's pending message.
func (s *sessions) takeFlash(id string) string {
	var msg string
	s.change(id, func(ss *session) { msg, ss.Flash = ss.Flash, "" })
	return msg
}

// tokensEqual compares CSRF tokens in constant time.
func tokensEqual(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
