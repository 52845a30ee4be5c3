package heapfloor

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

// These tests drive the real collector; they change the process's GC
// percent, so none runs in parallel, and each restores it.

func TestPercent(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct {
		floor, live, scan uint64
		base, want        int
	}{
		{64 * mib, 8 * mib, 8 * mib, 100, 700},      // goal 8 + 56 = 64 MiB
		{64 * mib, 4 * mib, 6 * mib, 100, 1000},     // stacks and globals count: 4 + 6×10 = 64
		{64 * mib, 32 * mib, 32 * mib, 100, 100},    // GOGC's own goal is the floor
		{64 * mib, 40 * mib, 41 * mib, 100, 100},    // and past it
		{64 * mib, 40 * mib, 40 * mib, 50, 60},      // 40 + 24 = 64 MiB
		{64 * mib, 5*mib + 1, 5*mib + 1, 100, 1180}, // rounded up: the goal is never under the floor
		{64 * mib, 0, 0, 100, 1600},                 // nothing live yet: the runtime's minimum goal is the floor
		{64 * mib, 100, 200, 100, 1600},             // a few hundred bytes: the same
		{64 * mib, 4 * mib, 4 * mib, -1, -1},        // off stays off
		{0, 4 * mib, 4 * mib, 100, 100},             // no floor
	} {
		if got := Percent(c.floor, c.live, c.scan, c.base); got != c.want {
			t.Errorf("Percent(%d, %d, %d, %d) = %d, want %d", c.floor, c.live, c.scan, c.base, got, c.want)
		}
	}
}

// TestFloorCutsCollections allocates the same garbage with and without a
// floor and counts the collections: without, the test binary's small live
// heap makes one every few MiB; with a 256 MiB floor, about one per
// 256 MiB. After Stop the percent is GOGC's again.
func TestFloorCutsCollections(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	const garbage = 1 << 30
	without := cycles(garbage)

	f := Start(256 << 20)
	runtime.GC() // a cycle, so the floor has seen a live heap
	waitPercentAbove(t, 100)
	// The goal is the floor, not past it: the floor costs no more memory
	// than it names.
	if g := heapGoal(); g < 256<<20 || g > 260<<20 {
		t.Errorf("heap goal %d with a 256 MiB floor", g)
	}
	with := cycles(garbage)
	f.Stop()

	t.Logf("collections for 1 GiB of garbage: %d at GOGC=100, %d with a 256 MiB floor", without, with)
	if without < 40 {
		t.Fatalf("%d collections without a floor: the test's live heap is too large to tell", without)
	}
	if with < 2 || with > 8 {
		// 1 GiB of garbage fills a 256 MiB goal about four times.
		t.Errorf("%d collections with a 256 MiB floor, want 2 to 8", with)
	}
	if p := gcPercent(); p != 100 {
		t.Errorf("GC percent after Stop: %d, want 100", p)
	}
	// A stopped floor leaves the percent alone at later cycles.
	runtime.GC()
	runtime.GC()
	time.Sleep(50 * time.Millisecond)
	if p := gcPercent(); p != 100 {
		t.Errorf("GC percent two cycles after Stop: %d, want 100", p)
	}
}

// TestFloorFollowsTheLiveHeap: when the live heap grows past what the
// floor needs, the percent returns to GOGC's at the next cycle, so the
// floor never adds memory on top of a large heap.
func TestFloorFollowsTheLiveHeap(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	f := Start(64 << 20)
	defer f.Stop()
	runtime.GC()
	waitPercentAbove(t, 100)

	live := make([][]byte, 0, 64)
	for range 48 { // 48 MiB live: GOGC=100's goal is 96 MiB, past the floor
		live = append(live, make([]byte, 1<<20))
	}
	runtime.GC()
	deadline := time.Now().Add(5 * time.Second)
	for gcPercent() != 100 {
		if time.Now().After(deadline) {
			t.Fatalf("GC percent %d with 48 MiB live, want 100", gcPercent())
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	runtime.KeepAlive(live)
}

func TestOffAndZeroDoNothing(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	Start(0).Stop()
	if p := gcPercent(); p != 100 {
		t.Errorf("floor 0: GC percent %d, want 100", p)
	}
	debug.SetGCPercent(-1)
	f := Start(64 << 20)
	runtime.GC()
	if p := gcPercent(); p != -1 {
		t.Errorf("GOGC=off: GC percent %d, want off", p)
	}
	f.Stop()
	if p := gcPercent(); p != -1 {
		t.Errorf("GOGC=off after Stop: GC percent %d, want off", p)
	}
}

// cycles allocates n bytes of short-lived garbage and returns how many
// collections ran meanwhile.
func cycles(n int) uint64 {
	before := gcCycles()
	var keep []byte
	for i := 0; i < n; i += 64 << 10 {
		keep = make([]byte, 64<<10)
		keep[0] = byte(i)
	}
	runtime.KeepAlive(keep)
	return gcCycles() - before
}

func heapGoal() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/goal:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func gcCycles() uint64 {
	s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// waitPercentAbove waits for the floor's finalizer to have run after a
// cycle (finalizers run on their own goroutine, after the cycle ends).
func waitPercentAbove(t *testing.T, p int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for gcPercent() <= p {
		if time.Now().After(deadline) {
			t.Fatalf("GC percent still %d", gcPercent())
		}
		time.Sleep(5 * time.Millisecond)
	}
}
