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

// The kinds of shared state, and the caps of those an anonymous caller
// can fill.
const (
	SharedConsoleSession = "console-session"
	SharedHostedEnded    = "hosted-ended"
	// SharedPhantomFailures counts the failed sign-ins of an unknown name;
	// SharedPhantomLock holds its simulated lockout (lockout.go).
	SharedPhantomFailures = "phantom-failures"
	SharedPhantomLock     = "phantom-lock"
	// The codes pretended sent to unknown names (phantom_codes.go): the
	// start of a name's send window and its sends, a pending reset code
	// (its counter is the wrong guesses), and wrong sign-up codes with
	// their lockout.
	SharedPhantomSendWindow     = "phantom-send-window"
	SharedPhantomSends          = "phantom-sends"
	SharedPhantomResetCode      = "phantom-reset-code"
	SharedPhantomSignUpFailures = "phantom-signup-failures"
	SharedPhantomSignUpLock     = "phantom-signup-lock"
	// The console's sign-in back-off (internal/console/backoff.go):
	// failures and lockouts per access key ID and per source address,
	// kinds apart so that a flood of one cannot evict the other.
	SharedConsoleKeyFailures    = "console-key-failures"
	SharedConsoleKeyLock        = "console-key-lock"
	SharedConsoleSourceFailures = "console-source-failures"
	SharedConsoleSourceLock     = "console-source-lock"
	// SharedSRPUsed holds the SRP secret blocks that completed a sign-in
	// (srp_used.go).
	SharedSRPUsed = "srp-used"
)

// sharedCaps bound the kinds whose entries callers can create at will.
// Console sessions need a valid access key, and ended hosted sessions a
// signed-in session (each one expires with its cookie), but an evicted
// console session only signs its browser out. Phantom counters are made by
// anonymous callers naming unknown users: evicting the soonest-expiring
// ones past the cap loses only the simulated lockout or pretended codes of
// those names (real users' lockouts and codes live in their own rows), so
// a flood of distinct names bounds the database and never locks a real
// user out or in.
var sharedCaps = []struct {
	kind string
	keep int
}{
	{SharedConsoleSession, 10_000},
	{SharedPhantomFailures, maxPhantoms},
	{SharedPhantomLock, maxPhantoms},
	{SharedPhantomSendWindow, maxPhantoms},
	{SharedPhantomSends, maxPhantoms},
	{SharedPhantomResetCode, maxPhantoms},
	{SharedPhantomSignUpFailures, maxPhantoms},
	{SharedPhantomSignUpLock, maxPhantoms},
	{SharedConsoleKeyFailures, maxConsoleBackoff},
	{SharedConsoleKeyLock, maxConsoleBackoff},
	{SharedConsoleSourceFailures, maxConsoleBackoff},
	{SharedConsoleSourceLock, maxConsoleBackoff},
}

// maxConsoleBackoff caps each kind of the console's sign-in back-off.
// Anyone who can reach the console can create entries by failing to sign
// in; evicting the soonest-expiring (the counts idle longest, the
// lockouts nearest their end) past the cap keeps the table bounded and
// the newest lockouts, and key IDs and sources are capped apart.
const maxConsoleBackoff = 100_000

const (
	// SharedSweepEvery is how often serve sweeps shared state.
	SharedSweepEvery = time.Minute
	// sharedSweepBatch bounds one DELETE; sharedSweepBatches bounds the
	// statements of one sweep, so a sweep is bounded work too (what it
	// leaves, the next one takes).
	sharedSweepBatch   = 1000
	sharedSweepBatches = 100
)

// SweepSharedState deletes expired shared state and trims the capped
// kinds, in bounded batches, and returns how many entries it deleted.
func SweepSharedState(ctx context.Context, st SharedState, now time.Time) (int, error) {
	total := 0
	for range sharedSweepBatches {
		n, err := st.SweepShared(ctx, now, sharedSweepBatch)
		total += n
		if err != nil {
			return total, err
		}
		if n < sharedSweepBatch {
			break
		}
	}
	for _, c := range sharedCaps {
		for range sharedSweepBatches {
			n, err := st.TrimShared(ctx, c.kind, c.keep, sharedSweepBatch)
			total += n
			if err != nil {
				return total, err
			}
			if n < sharedSweepBatch {
				break
			}
		}
	}
	return total, nil
}

// RunSharedSweeper sweeps shared state every SharedSweepEvery until ctx
// ends, logging failures (the next sweep retries).
func (s *Service) RunSharedSweeper(ctx context.Context) {
	t := time.NewTicker(SharedSweepEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := SweepSharedState(ctx, s.store, s.now()); err != nil && ctx.Err() == nil {
				s.logger.Warn("sweeping expired shared state", "err", err)
			}
		}
	}
}
