package console

import (
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"testing"
	"time"
)

// TestBackoffDoublesAndForgets: past the free failures each failure
// doubles the lockout up to maxLockout, and a count is forgotten once it
// has been idle long enough, all on an injected clock.
func TestBackoffDoublesAndForgets(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	b := newBackoff(func() time.Time { return now })
	k := sha256.Sum256([]byte("k"))
	for range 3 {
		b.fail(k, 3)
	}
	if w := b.locked(k); w != 0 {
		t.Fatalf("locked %v after the free failures, want 0", w)
	}
	want := firstLockout
	for i := range 15 {
		b.fail(k, 3)
		if w := b.locked(k); w != want {
			t.Fatalf("lockout after %d extra failures: %v, want %v", i+1, w, want)
		}
		want = min(2*want, maxLockout)
	}
	now = now.Add(maxLockout + forgetAfter + time.Second)
	b.mu.Lock()
	b.sweep(now)
	b.mu.Unlock()
	if n := b.size(); n != 0 {
		t.Errorf("%d entries after the count went idle, want 0", n)
	}
}

// TestBackoffBounded: a flood of distinct key IDs keeps the map at its
// bound.
func TestBackoffBounded(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	b := newBackoff(func() time.Time { return now })
	for i := range maxBackoffEntries + 5000 {
		b.fail(sha256.Sum256([]byte(strconv.Itoa(i))), keyFreeFailures)
	}
	if n := b.size(); n > maxBackoffEntries {
		t.Errorf("%d entries, want at most %d", n, maxBackoffEntries)
	}
}

// TestSignInGuardCountsIPv6ByPrefix: the addresses of one IPv6 /64 share
// one count (keyed by the whole address, each of them had its own twenty
// free guesses); another /64 has its own; an IPv4-mapped address counts
// as the IPv4 address.
func TestSignInGuardCountsIPv6ByPrefix(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	g := newSignInGuard(func() time.Time { return now })
	r := httptest.NewRequest(http.MethodPost, "/console/signin", nil)
	for i := range sourceFreeFailures + 1 {
		r.RemoteAddr = fmt.Sprintf("[2001:db8:1:2::%x]:4000", i+1)
		g.failed(r, fmt.Sprintf("AKIDGUESS%d", i))
	}
	r.RemoteAddr = "[2001:db8:1:2:ffff:ffff:ffff:ffff]:5000"
	if w := g.wait(r, "AKIDOTHER"); w <= 0 {
		t.Errorf("another address of the same /64: wait %v, want a lockout", w)
	}
	r.RemoteAddr = "[2001:db8:1:3::1]:4000"
	if w := g.wait(r, "AKIDOTHER"); w != 0 {
		t.Errorf("another /64: wait %v, want 0", w)
	}

	for i := range sourceFreeFailures + 1 {
		r.RemoteAddr = "[::ffff:192.0.2.7]:4000"
		g.failed(r, fmt.Sprintf("AKIDMAPPED%d", i))
	}
	r.RemoteAddr = "192.0.2.7:4000"
	if w := g.wait(r, "AKIDOTHER"); w <= 0 {
		t.Errorf("IPv4 address after failures from its IPv4-mapped form: wait %v, want a lockout", w)
	}
	r.RemoteAddr = "192.0.2.8:4000"
	if w := g.wait(r, "AKIDOTHER"); w != 0 {
		t.Errorf("another IPv4 address: wait %v, want 0", w)
	}
}

// TestSignInGuardSourceFloodKeepsKeyLock: failures from more new sources
// than a table holds do not push a locked key ID's count out (with one
// table for both, the flood evicted it and the key could be guessed at
// again at once).
func TestSignInGuardSourceFloodKeepsKeyLock(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	g := newSignInGuard(func() time.Time { return now })
	// A small table, so that the flood passes through it many times: each
	// sweep drops a tenth of a full table at random, and a victim that
	// shared the table would survive all of them with odds under 1e-9.
	const capacity = 100
	g.keys.capacity, g.sources.capacity = capacity, capacity
	r := httptest.NewRequest(http.MethodPost, "/console/signin", nil)
	r.RemoteAddr = "198.51.100.1:4000"
	for range keyFreeFailures + 1 {
		g.failed(r, "AKIDVICTIM")
	}
	if w := g.wait(r, "AKIDVICTIM"); w <= 0 {
		t.Fatalf("victim key not locked: wait %v", w)
	}
	for i := range 200 * capacity {
		r.RemoteAddr = netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}).String() + ":4000"
		g.failed(r, "AKIDJUNK")
	}
	r.RemoteAddr = "203.0.113.9:4000"
	if w := g.wait(r, "AKIDVICTIM"); w <= 0 {
		t.Errorf("victim key after a flood of sources: wait %v, want still locked", w)
	}
	if n := g.sources.size(); n > capacity {
		t.Errorf("%d source entries, want at most %d", n, capacity)
	}
}
