package console

import (
	"crypto/sha256"
	"net"
	"net/http"
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
// (length-bounded) inputs in a map of bounded size.

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
}

func newBackoff(now func() time.Time) *backoff {
	return &backoff{now: now, entries: map[[sha256.Size]byte]*backoffEntry{}}
}

// signInKeys are the map keys of a sign-in attempt: its key ID and its
// source address.
func signInKeys(r *http.Request, keyID string) (key, source [sha256.Size]byte) {
	if len(keyID) > maxKeyIDBytes {
		keyID = keyID[:maxKeyIDBytes]
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return sha256.Sum256([]byte("key\x00" + keyID)), sha256.Sum256([]byte("source\x00" + host))
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
		if len(b.entries) >= maxBackoffEntries {
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
		if len(b.entries) < maxBackoffEntries*9/10 {
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
