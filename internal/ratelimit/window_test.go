package ratelimit

import (
	"fmt"
	"testing"
	"time"
)

// A key's window opens at its first event and ends Window later; a full
// table drops ended windows, refuses new keys while none has ended, and
// scans for ended ones at most once a second.
func TestWindows(t *testing.T) {
	w := &Windows{Window: time.Hour, MaxKeys: 3}
	t0 := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	for i := range 2 {
		if !w.Allow("a", 2, t0.Add(time.Duration(i)*time.Minute)) {
			t.Fatalf("event %d of a refused", i+1)
		}
	}
	if w.Allow("a", 2, t0.Add(59*time.Minute)) {
		t.Fatal("a third event in a's hour went through")
	}
	if !w.Allow("a", 2, t0.Add(61*time.Minute)) {
		t.Fatal("a refused after its hour")
	}
	// a's window now opened at t0+61m; fill the table.
	w.Allow("b", 2, t0.Add(62*time.Minute))
	w.Allow("c", 2, t0.Add(63*time.Minute))
	if w.Allow("d", 2, t0.Add(64*time.Minute)) {
		t.Fatal("a fourth key went in while every window was open")
	}
	// Past a's window: the scan is due again after a second and frees it.
	later := t0.Add(61*time.Minute + time.Hour + time.Second)
	if !w.Allow("d", 2, later) {
		t.Fatal("a new key refused although a window had ended")
	}
	if w.Len() != 3 {
		t.Fatalf("%d keys, want 3", w.Len())
	}
}

// A flood of new keys against a full table costs no scan per key: the
// scan runs at most once a second.
func BenchmarkWindowsFullTable(b *testing.B) {
	w := &Windows{Window: time.Hour, MaxKeys: 100_000}
	t0 := time.Now()
	for i := range 100_000 {
		w.Allow(fmt.Sprint("k", i), 1, t0)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		w.Allow(fmt.Sprint("new", i), 1, t0)
	}
}
