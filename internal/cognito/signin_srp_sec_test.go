package cognito

import (
	"fmt"
	"testing"
	"time"
)

// The used-block set forgets a block once it has expired (its proof is
// refused by its expiry by then), at the next use, so that it holds only
// live blocks. It used to keep every block until it reached its bound of
// a million and then scan them all, under its lock, on every SRP sign-in.
func TestUsedSRPBlocksDropExpired(t *testing.T) {
	var u usedSRPBlocks
	t0 := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	for i := range 1000 {
		if !u.use(fmt.Sprint("old", i), t0.Add(3*time.Minute), t0) {
			t.Fatalf("block %d refused on first use", i)
		}
	}
	if !u.use("long", t0.Add(15*time.Minute), t0) {
		t.Fatal("a fresh block was refused")
	}
	if u.use("old7", t0.Add(3*time.Minute), t0.Add(time.Minute)) {
		t.Fatal("a block used before was accepted again before it expired")
	}
	later := t0.Add(4 * time.Minute)
	if !u.use("new", later.Add(3*time.Minute), later) {
		t.Fatal("a fresh block was refused")
	}
	if n := len(u.used); n != 2 {
		t.Fatalf("the set holds %d blocks after the first thousand expired, want 2 (long, new)", n)
	}
	if u.use("long", t0.Add(15*time.Minute), later) {
		t.Fatal("a live block was forgotten with the expired ones")
	}
}
