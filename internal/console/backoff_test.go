package console

import (
	"crypto/sha256"
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
