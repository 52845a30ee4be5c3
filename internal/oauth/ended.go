package oauth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

// Hosted sessions ended by /logout are kept in the store (shared state)
// until their cookies would have expired anyway, so that a copy of a
// cookie does not outlive the logout at any instance serving the
// database. The key is the SHA-256 of the session ID: a fixed size per
// entry, and the ID itself is never stored. There is no cap that could
// fail open: every entry is one sign-in's logout, and expires with it.

const endedSessionKind = cognito.SharedHostedEnded

func endedSessionKey(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

// endSession records that the hosted session id has ended, until expires.
func (h *Handler) endSession(ctx context.Context, id string, expires time.Time) error {
	return h.svc.Store().PutShared(ctx, endedSessionKind, endedSessionKey(id), nil, expires)
}

// sessionEnded reports whether the session was ended by a logout. It
// fails closed: when the store cannot answer, the session is treated as
// ended (the user signs in again) rather than letting a logged-out cookie
// through.
func (h *Handler) sessionEnded(ctx context.Context, id string) bool {
	_, err := h.svc.Store().GetShared(ctx, endedSessionKind, endedSessionKey(id), h.now())
	return !errors.Is(err, cognito.ErrNotFound)
}
