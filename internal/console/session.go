package console

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

const (
	sessionCookie = "cognitod_console"
	// preSessionCookie carries the CSRF token of the sign-in form, so that
	// another site cannot sign a browser in with its own key.
	preSessionCookie = "cognitod_console_signin"
	sessionLifetime  = 12 * time.Hour
	// MaxSessions is the number of console sessions kept (the sweep
	// evicts the soonest-expiring past it).
	MaxSessions = 10_000
)

// session is a signed-in browser.
type session struct {
	ID          string `json:"-"`
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

// sessions are kept in the store's shared state, so that every instance
// serving the database knows them: signing out ends a session everywhere.
// The cookie holds nothing but a random ID, and the store keys the
// session by the ID's SHA-256, never by the ID itself (a copy of the
// database does not sign anyone in). The sweep (cognito.SweepSharedState)
// deletes expired sessions and keeps at most maxSessions, evicting those
// that expire soonest.
type sessions struct {
	st  cognito.SharedState
	now func() time.Time
}

const sessionKind = cognito.SharedConsoleSession

func sessionKey(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (s *sessions) put(ctx context.Context, ss *session) error {
	cp := *ss
	cp.ID = "" // the key is its hash; the ID itself is not stored
	b, err := json.Marshal(&cp)
	if err != nil {
		return err
	}
	return s.st.PutShared(ctx, sessionKind, sessionKey(ss.ID), b, ss.Expires)
}

func (s *sessions) create(ctx context.Context, accessKeyID, region string, root bool) (*session, error) {
	ss := &session{ID: randomToken(), AccessKeyID: accessKeyID, Region: region, Root: root, CSRF: randomToken(), Expires: s.now().Add(sessionLifetime)}
	if err := s.put(ctx, ss); err != nil {
		return nil, err
	}
	return ss, nil
}

// load returns the session with the given ID, or nil when there is none,
// it has expired, or the store cannot say (fail closed: signed out).
func (s *sessions) load(ctx context.Context, id string) *session {
	if id == "" || len(id) > maxSessionIDBytes {
		return nil
	}
	b, err := s.st.GetShared(ctx, sessionKind, sessionKey(id), s.now())
	if err != nil {
		return nil
	}
	var ss session
	if json.Unmarshal(b, &ss) != nil || !s.now().Before(ss.Expires) {
		return nil
	}
	ss.ID = id
	return &ss
}

// maxSessionIDBytes bounds a cookie value before it is hashed: IDs are
// 43 characters.
const maxSessionIDBytes = 64

// get returns the request's session, or nil.
func (s *sessions) get(r *http.Request) *session {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil
	}
	return s.load(r.Context(), c.Value)
}

func (s *sessions) delete(ctx context.Context, id string) error {
	return s.st.DeleteShared(ctx, sessionKind, sessionKey(id))
}

// change stores a changed copy of a session. Two changes of one session
// at once keep the last (they are a region choice and a flash message).
func (s *sessions) change(ctx context.Context, id string, fn func(*session)) error {
	ss := s.load(ctx, id)
	if ss == nil {
		return nil
	}
	fn(ss)
	return s.put(ctx, ss)
}

// takeFlash returns and clears the session's pending message.
func (s *sessions) takeFlash(ctx context.Context, id string) string {
	ss := s.load(ctx, id)
	if ss == nil || ss.Flash == "" {
		return ""
	}
	msg := ss.Flash
	ss.Flash = ""
	if s.put(ctx, ss) != nil {
		return ""
	}
	return msg
}

// tokensEqual compares CSRF tokens in constant time.
func tokensEqual(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
