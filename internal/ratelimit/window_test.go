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
	if !w.Allow("b", 2, t0.Add(62*time.Minute)) || !w.Allow("c", 2, t0.Add(63*time.Minute)) {
		t.Fatal("b or c refused while the table had room")
	}
	aEnds := t0.Add(61*time.Minute + time.Hour)
	// Refused while every window is open: this scan sets the next one a
	// second later.
	if w.Allow("d", 2, aEnds.Add(-time.Millisecond)) {
		t.Fatal("a fourth key went in while every window was open")
	}
	// a's window has ended, but the last scan was under a second ago:
	// no scan, still refused.
	if w.Allow("d", 2, aEnds.Add(500*time.Millisecond)) {
		t.Fatal("the table was scanned again within a second of the last scan")
	}
	// A second after that scan, the next one frees a's place.
	if !w.Allow("d", 2, aEnds.Add(time.Second)) {
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
