package console

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

// Back-off on failed console sign-ins. Each failure (unknown key ID or
// wrong secret, counted alike so that the answer never tells which) is
// counted against the access key ID and against the source address.
// Past a number of free failures, every further one locks that key ID or
// source for twice as long as the last, up to maxLockout; while locked,
// even the right secret is refused, without being checked, with 429 and
// Retry-After. A key ID is cleared by a successful sign-in; a source only
// by time, so that an attacker holding one key cannot reset the count of
// its guesses at others. An IPv6 source counts by its /64 prefix: one
// host is routinely given a whole /64, and counting each of its 2^64
// addresses apart would give it as many free guesses.
//
// The counts live in the store's shared state (cognito.SharedState), so
// that every instance serving the database counts one key ID's guesses
// together: kept per process, N instances behind a load balancer gave N
// times the free guesses and N lockouts to wait out in parallel. Entries
// are keyed by SHA-256 hashes of the (length-bounded) inputs, so each row
// has a fixed size whatever was typed, and a typed secret pasted into the
// key ID field is never stored. Key IDs and sources are kinds apart,
// each capped by the sweep (cognito.SweepSharedState evicts the
// soonest-expiring past the cap), so that a flood of new sources cannot
// push a locked key ID out (nor the reverse). The store is consulted only
// on console sign-in: two reads, and on a failure two counter increments
// (plus a write per lockout).

const (
	// keyFreeFailures and sourceFreeFailures are the failures allowed
	// before the first lockout: a few typos per key, more per address
	// since one address may be a whole office behind NAT.
	keyFreeFailures    = 5
	sourceFreeFailures = 20
	firstLockout       = time.Second
	maxLockout         = 15 * time.Minute
	// forgetAfter is how long a count outlives the longest lockout its
	// last failure can have set: a count is forgotten maxLockout +
	// forgetAfter after its last failure.
	forgetAfter = 30 * time.Minute
	// maxKeyIDBytes bounds what of a typed key ID is hashed: AWS access
	// key IDs are at most 128 characters.
	maxKeyIDBytes = 128
)

// backoff is one table of counts (key IDs or sources): a counter kind and
// a lock kind of shared state.
type backoff struct {
	st       cognito.SharedState
	now      func() time.Time
	failures string // counter kind
	locks    string // lock kind: the value is the lock's end
	free     int
}

// signInGuard is the console's sign-in back-off: one table for key IDs,
// one for sources.
type signInGuard struct {
	keys, sources *backoff
}

func newSignInGuard(st cognito.SharedState, now func() time.Time) *signInGuard {
	return &signInGuard{
		keys:    &backoff{st: st, now: now, failures: cognito.SharedConsoleKeyFailures, locks: cognito.SharedConsoleKeyLock, free: keyFreeFailures},
		sources: &backoff{st: st, now: now, failures: cognito.SharedConsoleSourceFailures, locks: cognito.SharedConsoleSourceLock, free: sourceFreeFailures},
	}
}

// wait returns how long a sign-in with keyID from r must still wait, 0 if
// it may be checked. It looks at nothing about the key itself, so the
// answer is the same whether the key ID exists or not. A store error is
// returned: the caller refuses the sign-in (fail closed).
func (g *signInGuard) wait(ctx context.Context, r *http.Request, keyID string) (time.Duration, error) {
	k, err := g.keys.locked(ctx, keyHash(keyID))
	if err != nil {
		return 0, err
	}
	s, err := g.sources.locked(ctx, sourceHash(r))
	return max(k, s), err
}

// failed counts a failed sign-in against its key ID and its source.
func (g *signInGuard) failed(ctx context.Context, r *http.Request, keyID string) error {
	if err := g.keys.fail(ctx, keyHash(keyID)); err != nil {
		return err
	}
	return g.sources.fail(ctx, sourceHash(r))
}

// succeeded clears the key ID's count (not the source's).
func (g *signInGuard) succeeded(ctx context.Context, keyID string) error {
	return g.keys.succeed(ctx, keyHash(keyID))
}

func keyHash(keyID string) string {
	if len(keyID) > maxKeyIDBytes {
		keyID = keyID[:maxKeyIDBytes]
	}
	sum := sha256.Sum256([]byte("console-key-id\x00" + keyID))
	return hex.EncodeToString(sum[:])
}

func sourceHash(r *http.Request) string {
	sum := sha256.Sum256([]byte("console-source\x00" + sourceOf(r.RemoteAddr)))
	return hex.EncodeToString(sum[:])
}

// sourceOf is the address a failure is counted against: the IPv4
// address, or the /64 of an IPv6 one.
func sourceOf(remoteAddr string) string {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		// Not an address (a test's or a unix socket's RemoteAddr): the
		// string itself, cut to a bound.
		if len(host) > 64 {
			host = host[:64]
		}
		return host
	}
	ip = ip.Unmap().WithZone("")
	if ip.Is6() {
		return netip.PrefixFrom(ip, 64).Masked().String()
	}
	return ip.String()
}

// locked returns how long an attempt under key must still wait, 0 if it
// may go on.
func (b *backoff) locked(ctx context.Context, key string) (time.Duration, error) {
	now := b.now()
	v, err := b.st.GetShared(ctx, b.locks, key, now)
	if errors.Is(err, cognito.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	if len(v) != 8 {
		return 0, nil // not written by lock: no lockout
	}
	until := time.Unix(0, int64(binary.BigEndian.Uint64(v)))
	return max(until.Sub(now), 0), nil
}

// fail counts a failure against key (b.free failures are allowed before
// the first lockout). The count is one atomic increment, so failures at
// several instances at once are all counted.
func (b *backoff) fail(ctx context.Context, key string) error {
	now := b.now()
	n, err := b.st.IncrShared(ctx, b.failures, key, now, now.Add(maxLockout+forgetAfter))
	if err != nil {
		return err
	}
	over := n - int64(b.free)
	if over <= 0 {
		return nil
	}
	d := maxLockout
	if over <= 20 && firstLockout<<(over-1) < maxLockout {
		d = firstLockout << (over - 1)
	}
	until := now.Add(d)
	var v [8]byte
	binary.BigEndian.PutUint64(v[:], uint64(until.UnixNano()))
	return b.st.PutShared(ctx, b.locks, key, v[:], until)
}

// succeed clears the count of key.
func (b *backoff) succeed(ctx context.Context, key string) error {
	if err := b.st.DeleteShared(ctx, b.failures, key); err != nil {
		return err
	}
	return b.st.DeleteShared(ctx, b.locks, key)
}
