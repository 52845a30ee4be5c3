package console

import (
	"crypto/sha256"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"
)

// Back-off on failed console sign-ins. Each failure (unknown key ID or
// wrong secret, counted alike so that the answer never tells which) is
// counted against the access key ID and against the source address.
// Past a number of free failures, every further one locks that key ID or
// source for twice as long as the last, up to maxLockout; while locked,
// even the right secret is refused, without being checked, with 429 and
// Retry-After. A key ID is cleared by a successful sign-in; a source only
// by time, so that an attacker holding one key cannot reset the count of
// its guesses at others. The counts are kept under SHA-256 hashes of the
// (length-bounded) inputs, key IDs and sources in two maps of bounded
// size each, so that a flood of new sources cannot push a locked key ID
// out of its map (nor the reverse). An IPv6 source counts by its /64
// prefix: one host is routinely given a whole /64, and counting each of
// its 2^64 addresses apart would give it as many free guesses.

const (
	// keyFreeFailures and sourceFreeFailures are the failures allowed
	// before the first lockout: a few typos per key, more per address
	// since one address may be a whole office behind NAT.
	keyFreeFailures    = 5
	sourceFreeFailures = 20
	firstLockout       = time.Second
	maxLockout         = 15 * time.Minute
	// forgetAfter is how long a count lives after its last failure once
	// any lockout has passed.
	forgetAfter = 30 * time.Minute
	// maxBackoffEntries bounds the map (about 100 bytes an entry).
	maxBackoffEntries = 100_000
	// maxKeyIDBytes bounds what of a typed key ID is hashed: AWS access
	// key IDs are at most 128 characters.
	maxKeyIDBytes = 128
)

type backoffEntry struct {
	failures int
	last     time.Time
	until    time.Time
}

type backoff struct {
	mu      sync.Mutex
	now     func() time.Time
	entries map[[sha256.Size]byte]*backoffEntry
	// capacity is maxBackoffEntries; tests lower it.
	capacity int
}

func newBackoff(now func() time.Time) *backoff {
	return &backoff{now: now, entries: map[[sha256.Size]byte]*backoffEntry{}, capacity: maxBackoffEntries}
}

// signInGuard is the console's sign-in back-off: one table for key IDs,
// one for sources.
type signInGuard struct {
	keys, sources *backoff
}

func newSignInGuard(now func() time.Time) *signInGuard {
	return &signInGuard{keys: newBackoff(now), sources: newBackoff(now)}
}

// wait returns how long a sign-in with keyID from r must still wait, 0 if
// it may be checked. It looks at nothing stored, so the answer is the
// same whether the key ID exists or not.
func (g *signInGuard) wait(r *http.Request, keyID string) time.Duration {
	return max(g.keys.locked(keyHash(keyID)), g.sources.locked(sourceHash(r)))
}

// failed counts a failed sign-in against its key ID and its source.
func (g *signInGuard) failed(r *http.Request, keyID string) {
	g.keys.fail(keyHash(keyID), keyFreeFailures)
	g.sources.fail(sourceHash(r), sourceFreeFailures)
}

// succeeded clears the key ID's count (not the source's).
func (g *signInGuard) succeeded(keyID string) {
	g.keys.succeed(keyHash(keyID))
}

func keyHash(keyID string) [sha256.Size]byte {
	if len(keyID) > maxKeyIDBytes {
		keyID = keyID[:maxKeyIDBytes]
	}
	return sha256.Sum256([]byte(keyID))
}

func sourceHash(r *http.Request) [sha256.Size]byte {
	return sha256.Sum256([]byte(sourceOf(r.RemoteAddr)))
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

// locked returns how long the attempt must still wait, 0 if it may go on.
func (b *backoff) locked(keys ...[sha256.Size]byte) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	var wait time.Duration
	for _, k := range keys {
		if e := b.entries[k]; e != nil && e.until.After(now) {
			wait = max(wait, e.until.Sub(now))
		}
	}
	return wait
}

// fail counts a failure against key (free failures allowed before the
// first lockout).
func (b *backoff) fail(k [sha256.Size]byte, free int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	e := b.entries[k]
	if e == nil {
		if len(b.entries) >= b.capacity {
			b.sweep(now)
		}
		e = &backoffEntry{}
		b.entries[k] = e
	}
	e.failures++
	e.last = now
	if over := e.failures - free; over > 0 {
		d := maxLockout
		if over <= 20 && firstLockout<<(over-1) < maxLockout {
			d = firstLockout << (over - 1)
		}
		e.until = now.Add(d)
	}
}

// sweep drops forgotten entries and, if the map is still nine-tenths
// full, arbitrary ones down to that mark: memory stays bounded under a
// flood of new key IDs or sources, and the O(n) sweep runs at most once
// per tenth of the map's size in new entries. Called with b.mu held.
func (b *backoff) sweep(now time.Time) {
	for k, e := range b.entries {
		if now.After(e.until) && now.Sub(e.last) > forgetAfter {
			delete(b.entries, k)
		}
	}
	for k := range b.entries {
		if len(b.entries) < b.capacity*9/10 {
			break
		}
		delete(b.entries, k)
	}
}

// succeed clears the count of key.
func (b *backoff) succeed(k [sha256.Size]byte) {
	b.mu.Lock()
	delete(b.entries, k)
	b.mu.Unlock()
}

func (b *backoff) size() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.entries)
}
