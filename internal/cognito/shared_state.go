package cognito

import (
	"context"
	"time"
)

// SharedState is the short-lived state that every instance serving one
// database must see alike (issue 12): console sessions, hosted-login
// sessions ended by /logout, and sign-in failure counters. Each entry is
// named by a kind (a constant of the caller's, at most MaxSharedKindLen
// bytes) and a key (a hash the caller computed, at most MaxSharedKeyLen
// bytes: never a raw cookie value or caller-chosen name, so every row has
// a fixed bound), and has an expiry past which reads no longer see it and
// SweepShared deletes it.
//
// These methods run outside Update: each is one statement, so a counter
// incremented from several instances at once loses no increment.
type SharedState interface {
	// PutShared stores value under (kind, key) until expires, replacing
	// any entry there (its counter starts again at zero).
	PutShared(ctx context.Context, kind, key string, value []byte, expires time.Time) error
	// GetShared returns the value of the entry, or ErrNotFound when there
	// is none or it has expired at now.
	GetShared(ctx context.Context, kind, key string, now time.Time) ([]byte, error)
	// DeleteShared deletes the entry; a missing one is not an error.
	DeleteShared(ctx context.Context, kind, key string) error
	// IncrShared adds one to the entry's counter and returns the new
	// count, as one atomic statement. A missing or expired entry (at now)
	// starts again at 1. The entry then expires at expires.
	IncrShared(ctx context.Context, kind, key string, now, expires time.Time) (int64, error)
	// SweepShared deletes up to limit entries expired at now and returns
	// how many it deleted; callers repeat it while it returns limit.
	SweepShared(ctx context.Context, now time.Time, limit int) (int, error)
	// TrimShared deletes, when kind has more than keep entries, the ones
	// that expire soonest, up to limit of them, and returns how many: the
	// cap on a kind that anonymous callers can fill.
	TrimShared(ctx context.Context, kind string, keep, limit int) (int, error)
}

// Bounds of a SharedState entry's name.
const (
	MaxSharedKindLen  = 32
	MaxSharedKeyLen   = 64
	MaxSharedValueLen = 4096
)
