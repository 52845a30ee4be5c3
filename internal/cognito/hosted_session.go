package cognito

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"time"
)

// HostedSession is a sign-in at the hosted UI, as its cookie carries it
// (sealed, by internal/oauth). While it counts as signed in
// (HostedSessionUser), a second authorize request is answered without the
// sign-in form, as Cognito's hosted UI does for its session cookie.
type HostedSession struct {
	ID       string
	PoolID   string
	Sub      string
	AuthTime time.Time
	Expires  time.Time
}

// HostedSessionLifetime is how long a hosted sign-in is remembered: an
// hour, as the hosted UI's session cookie lasts.
const HostedSessionLifetime = time.Hour

// NewHostedSession starts the session of u, who signed in to pool at
// authTime, for HostedSessionLifetime from now.
func NewHostedSession(pool *UserPool, u *User, authTime, now time.Time) HostedSession {
	b := make([]byte, 32)
	rand.Read(b)
	return HostedSession{ID: base64.RawURLEncoding.EncodeToString(b), PoolID: pool.ID, Sub: u.Sub, AuthTime: authTime,
		Expires: now.Add(HostedSessionLifetime)}
}

// HostedSessionUser returns the user a hosted session signs in to pool at
// now, or nil when it does not count: it was made for another pool, it
// has expired, it was ended by a logout (failing closed when the store
// cannot say), or its user is gone, disabled, not confirmed, or was
// signed out everywhere (GlobalSignOut, AdminUserGlobalSignOut) after the
// sign-in.
func (s *Service) HostedSessionUser(ctx context.Context, pool *UserPool, hs HostedSession, now time.Time) *User {
	if hs.PoolID != pool.ID || hs.ID == "" || now.After(hs.Expires) || s.hostedSessionEnded(ctx, hs.ID, now) {
		return nil
	}
	u, err := s.store.GetUserBySub(ctx, pool.ID, hs.Sub)
	if err != nil || !u.Enabled || u.Status != StatusConfirmed || (!u.SignedOutAt.IsZero() && hs.AuthTime.Before(u.SignedOutAt)) {
		return nil
	}
	return u
}

// Hosted sessions ended by /logout are kept in the store (shared state)
// until their cookies would have expired anyway, so that a copy of a
// cookie does not outlive the logout at any instance serving the
// database. The key is the SHA-256 of the session ID: a fixed size per
// entry, and the ID itself is never stored. There is no cap that could
// fail open: every entry is one sign-in's logout, and expires with it.

func hostedEndedKey(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

// EndHostedSession records that hs has ended, until it would have
// expired. An error means the end was not recorded: copies of the cookie
// would stay valid, so the caller refuses the logout.
func (s *Service) EndHostedSession(ctx context.Context, hs HostedSession) error {
	return s.store.PutShared(ctx, SharedHostedEnded, hostedEndedKey(hs.ID), nil, hs.Expires)
}

// hostedSessionEnded reports whether the session was ended by a logout.
// It fails closed: when the store cannot answer, the session is treated
// as ended (the user signs in again) rather than letting a logged-out
// cookie through.
func (s *Service) hostedSessionEnded(ctx context.Context, id string, now time.Time) bool {
	_, err := s.store.GetShared(ctx, SharedHostedEnded, hostedEndedKey(id), now)
	return !errors.Is(err, ErrNotFound)
}
