// Package heapfloor keeps the Go garbage collector's heap goal at or
// above a floor.
//
// The collector starts a cycle when the heap has grown by GOGC percent
// over what the last cycle found live. cognitod's live heap is small (a
// few MiB: the caches of clients and keys, the templates), so at the
// default GOGC=100 a server answering 20,000 signed reads a second, each
// leaving about 5 KiB of garbage, ran some 30 collections a second, and
// the collector took close to a fifth of its CPU. A floor of a few tens of
// MiB makes those collections rare while the live heap is small, and
// changes nothing once the live heap is large enough for GOGC's own goal
// to pass the floor: memory stays bounded by max(floor, GOGC's goal).
//
// The floor is applied after every cycle, by setting the GC percent so
// that the next goal is the floor (runtime/debug.SetGCPercent does not
// stop the world). GOMEMLIMIT, when set, still bounds the heap: the
// runtime collects early when the limit is near, whatever the percent.
package heapfloor

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// heapMinimum is the runtime's smallest heap goal at GOGC=100, which it
// scales with the percent (runtime.defaultHeapMinimum): at percent p no
// goal is under heapMinimum×p/100, so a percent above floor×100/heapMinimum
// would put the goal past the floor.
const heapMinimum = 4 << 20

// Floor is a running floor; Stop ends it.
type Floor struct {
	floor uint64
	base  int // the GC percent at Start (GOGC), restored by Stop

	mu      sync.Mutex
	stopped bool
}

// Start keeps the heap goal at least floor bytes until Stop, on top of
// the GC percent in force (GOGC, or 100). It does nothing, and returns a
// Floor whose Stop does nothing, when floor is 0 or the collector is off
// (GOGC=off): a user who turned the collector off has chosen their own
// bound.
func Start(floor uint64) *Floor {
	base := gcPercent()
	f := &Floor{floor: floor, base: base}
	if floor == 0 || base < 0 {
		f.stopped = true
		return f
	}
	f.apply()
	f.arm()
	return f
}

// Stop ends the floor and restores the GC percent that was in force at
// Start.
func (f *Floor) Stop() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.stopped {
		return
	}
	f.stopped = true
	debug.SetGCPercent(f.base)
}

// sentinel is allocated once per cycle so that its finalizer runs after
// the cycle that finds it unreachable. It is larger than 16 bytes: the
// runtime packs smaller pointer-free objects together, and their
// finalizers need not run.
type sentinel struct{ _ [32]byte }

// arm sets a finalizer that applies the floor after the next collection
// and arms the one after it.
func (f *Floor) arm() {
	runtime.SetFinalizer(&sentinel{}, func(*sentinel) {
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.stopped {
			return
		}
		f.applyLocked()
		f.arm()
	})
}

func (f *Floor) apply() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.applyLocked()
}

// applyLocked sets the GC percent for what the last cycle found.
func (f *Floor) applyLocked() {
	live, scan := lastCycle()
	debug.SetGCPercent(Percent(f.floor, live, scan, f.base))
}

// Percent is the GC percent that makes the goal after a cycle the floor,
// or base when base's own goal reaches it. The runtime's goal is the
// larger of live + scan×percent/100, where live is the heap the cycle
// marked and scan is that heap plus the goroutine stacks and globals it
// scanned, and heapMinimum×percent/100.
func Percent(floor, live, scan uint64, base int) int {
	scan = max(scan, live, 1)
	if base < 0 || live+scan*uint64(base)/100 >= floor {
		return base
	}
	p := math.Ceil(float64(floor-live) * 100 / float64(scan))
	return int(min(p, float64(floor)*100/heapMinimum, math.MaxInt32))
}

// lastCycle is the heap the last cycle marked live and that heap plus the
// stacks and globals it scanned, in bytes.
func lastCycle() (live, scan uint64) {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/scan/stack:bytes"}, {Name: "/gc/scan/globals:bytes"}}
	metrics.Read(s)
	for i, v := range s {
		if v.Value.Kind() != metrics.KindUint64 {
			continue
		}
		if i == 0 {
			live = v.Value.Uint64()
		}
		scan += v.Value.Uint64()
	}
	return live, scan
}

// gcPercent is the GC percent in force (-1: off).
func gcPercent() int {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 100
	}
	if v := s[0].Value.Uint64(); v <= math.MaxInt32 {
		return int(v)
	}
	return -1
}
