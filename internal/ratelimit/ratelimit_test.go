package ratelimit

import (
	"fmt"
	"net/netip"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct{ ns atomic.Int64 }

func (c *fakeClock) now() int64              { return c.ns.Load() }
func (c *fakeClock) advance(d time.Duration) { c.ns.Add(int64(d)) }

func takeN(b func() bool, n int) (ok int) {
	for range n {
		if b() {
			ok++
		}
	}
	return ok
}

func TestBucketBurstThenRefill(t *testing.T) {
	clk := &fakeClock{}
	b := NewBucket(PerSecond(5), clk.now)
	if got := takeN(b.Take, 10); got != 5 {
		t.Fatalf("a burst of 10 at 5/s: %d admitted, want 5", got)
	}
	clk.advance(199 * time.Millisecond)
	if b.Take() {
		t.Fatal("admitted before a whole token refilled")
	}
	clk.advance(time.Millisecond)
	if !b.Take() || b.Take() {
		t.Fatal("after 200ms at 5/s: want exactly one token")
	}
	clk.advance(time.Hour)
	if got := takeN(b.Take, 10); got != 5 {
		t.Fatalf("after an idle hour: %d admitted, want the burst of 5", got)
	}
}

func TestBucketClockStepBackEarnsNothing(t *testing.T) {
	clk := &fakeClock{}
	clk.advance(time.Second)
	b := NewBucket(PerSecond(1), clk.now)
	b.Take()
	clk.ns.Store(int64(500 * time.Millisecond)) // a reading older than the last refill
	if b.Take() {
		t.Fatal("a reading from before the last refill gave a token")
	}
	clk.ns.Store(int64(2 * time.Second))
	if !b.Take() {
		t.Fatal("one second after the last refill: want a token")
	}
}

func TestPerSecondBurstIsAtLeastOne(t *testing.T) {
	if r := PerSecond(0.5); r.Burst != 1 {
		t.Fatalf("PerSecond(0.5).Burst = %v, want 1", r.Burst)
	}
	if !(Rate{}).Unlimited() || PerSecond(1).Unlimited() {
		t.Fatal("Unlimited: only a zero rate")
	}
}

func TestQuotasPerRegionAndName(t *testing.T) {
	clk := &fakeClock{}
	q := NewQuotas(map[string]Rate{"A": PerSecond(2), "B": PerSecond(1)}, clk.now)
	if got := takeN(func() bool { return q.Allow("us-east-1", "A") }, 5); got != 2 {
		t.Fatalf("A in us-east-1: %d, want 2", got)
	}
	if got := takeN(func() bool { return q.Allow("eu-west-1", "A") }, 5); got != 2 {
		t.Fatalf("A in eu-west-1 (its own bucket): %d, want 2", got)
	}
	if !q.Allow("us-east-1", "B") {
		t.Fatal("B shares nothing with A")
	}
	if got := takeN(func() bool { return q.Allow("us-east-1", "unnamed") }, 100); got != 100 {
		t.Fatalf("a name without a rate: %d of 100 admitted", got)
	}
}

func TestQuotasOverflowToNextBucket(t *testing.T) {
	clk := &fakeClock{}
	q := NewQuotas(map[string]Rate{"first": PerSecond(3), "second": PerSecond(1)}, clk.now)
	if got := takeN(func() bool { return q.Allow("r", "first", "second") }, 10); got != 4 {
		t.Fatalf("3 + 1 tokens across two buckets: %d admitted, want 4", got)
	}
	if q.Allow("r", "second") {
		t.Fatal("the overflow did not draw from the second bucket")
	}
}

func TestLimitsThrottleCallback(t *testing.T) {
	clk := &fakeClock{}
	var names []string
	l := New(Config{Quotas: map[string]Rate{"Cat": PerSecond(1)}, SignIn: Rate{PerSecond: 1, Burst: 1},
		AuthFailures: Rate{PerSecond: 1, Burst: 2}, Clock: clk.now, OnThrottle: func(n string) { names = append(names, n) }})
	l.Quota("r", "Cat")
	if l.Quota("r", "Cat") {
		t.Fatal("second call in the same instant admitted")
	}
	l.SignInAttempt("192.0.2.1:1234")
	if l.SignInAttempt("192.0.2.1:4321") {
		t.Fatal("second sign-in attempt from one source admitted")
	}
	if !l.AuthAllowed("192.0.2.1:1") {
		t.Fatal("no failures yet, refused")
	}
	l.AuthFailed("192.0.2.1:1")
	l.AuthFailed("192.0.2.1:1")
	if l.AuthAllowed("192.0.2.1:1") {
		t.Fatal("after using up its failures, allowed")
	}
	if !l.AuthAllowed("192.0.2.2:1") {
		t.Fatal("another source refused for the first's failures")
	}
	clk.advance(time.Second)
	if !l.AuthAllowed("192.0.2.1:1") {
		t.Fatal("a failure refilled, still refused")
	}
	want := []string{"Cat", SourceSignIn, SourceAuthFailures}
	if fmt.Sprint(names) != fmt.Sprint(want) {
		t.Fatalf("throttled: %v, want %v", names, want)
	}
}

func TestNilAndOffLimitsLimitNothing(t *testing.T) {
	var l *Limits
	if !l.Quota("r", "x") || !l.SignInAttempt("192.0.2.1:1") || !l.AuthAllowed("192.0.2.1:1") || l.QuotasOn() {
		t.Fatal("nil Limits limited something")
	}
	off := New(Config{SignIn: Rate{PerSecond: 1, Burst: 1}})
	if off.QuotasOn() || !off.Quota("r", "x") || !off.Quota("r", "x") {
		t.Fatal("quotas off still counted")
	}
	off.SignInAttempt("192.0.2.1:1")
	if off.SignInAttempt("192.0.2.1:1") {
		t.Fatal("per-source sign-in limit off with the quotas")
	}
}

func TestSourceOf(t *testing.T) {
	cases := []struct {
		a, b string
		same bool
	}{
		{"127.0.0.1:1", "127.0.0.1:2", true},
		{"127.0.0.1:1", "127.0.0.2:1", false},
		{"[2001:db8:1:2::1]:443", "[2001:db8:1:2:ffff::9]:80", true}, // one /64
		{"[2001:db8:1:2::1]:443", "[2001:db8:1:3::1]:443", false},
		{"[::ffff:192.0.2.1]:1", "192.0.2.1:9", true}, // v4-mapped is the v4 address
	}
	for _, c := range cases {
		a, ok1 := SourceOf(c.a)
		b, ok2 := SourceOf(c.b)
		if !ok1 || !ok2 || (a == b) != c.same {
			t.Errorf("SourceOf(%s) vs SourceOf(%s): same=%v, want %v", c.a, c.b, a == b, c.same)
		}
	}
	if _, ok := SourceOf("pipe"); ok {
		t.Error("a non-IP address parsed")
	}
}

// TestSourcesBoundedUnderFlood floods a table from far more distinct
// sources than it holds, and checks that it holds at most its capacity
// and that the heap stays within a bound of that capacity.
func TestSourcesBoundedUnderFlood(t *testing.T) {
	clk := &fakeClock{}
	const capacity = 4096
	s := NewSources(Rate{PerSecond: 1, Burst: 5}, capacity, clk.now)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	const flood = 1_000_000
	for i := range flood {
		a := netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)})
		s.Take(Source(a.As16()))
		if i%64 == 0 {
			clk.advance(time.Microsecond)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if n := s.Len(); n > capacity || n < capacity/2 {
		t.Fatalf("after %d sources: %d entries, want at most %d (and most of it used)", flood, n, capacity)
	}
	// An entry is a 16-byte key and a 16-byte bucket in a Go map: about
	// 40 bytes with overhead, so the table is ~160 KB, and a map that has
	// churned keeps room for deleted slots: allow 4 MB. Unbounded, a
	// million sources would take over 40 MB.
	if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 4<<20 {
		t.Fatalf("heap grew %d bytes for a %d-entry table", grew, capacity)
	}
	t.Logf("%d sources: %d entries, heap %d -> %d bytes", flood, s.Len(), before.HeapAlloc, after.HeapAlloc)
}

// TestSourcesEvictIdleFirst: new sources arriving at a full shard must
// push out the idle sources there (whose buckets have refilled, so
// forgetting them changes nothing) before a source that is still being
// throttled: otherwise a few new addresses would reset an attacker's
// bucket.
func TestSourcesEvictIdleFirst(t *testing.T) {
	clk := &fakeClock{}
	const perShard = 4 // all of a shard's entries fit in one eviction sample
	s := NewSources(Rate{PerSecond: 1, Burst: 2}, perShard*sourceShards, clk.now)
	attacker := Source(netip.MustParseAddr("192.0.2.66").As16())
	// sameShard returns n sources other than the attacker in its shard.
	next := 0
	sameShard := func(n int) []Source {
		var out []Source
		for len(out) < n {
			next++
			k := Source(netip.AddrFrom4([4]byte{10, byte(next >> 16), byte(next >> 8), byte(next)}).As16())
			if s.shard(k) == s.shard(attacker) {
				out = append(out, k)
			}
		}
		return out
	}
	for _, k := range sameShard(perShard - 1) {
		s.Take(k) // seen once, then idle
	}
	clk.advance(10 * time.Second) // the idle ones refill
	for range 3 {
		s.Take(attacker)
	}
	if !s.Empty(attacker) {
		t.Fatal("attacker not throttled")
	}
	// The shard is full: each new source must evict one of the idle ones.
	for _, k := range sameShard(perShard - 1) {
		s.Take(k)
		if !s.Empty(attacker) {
			t.Fatal("a new source evicted the throttled attacker while idle sources were held")
		}
	}
	if n := len(s.shard(attacker).m); n != perShard {
		t.Fatalf("shard holds %d entries, want %d", n, perShard)
	}
	// With no idle entry left, the least recently refilled goes: the
	// attacker's table entry is not sacred, the bound is.
	clk.advance(time.Millisecond)
	s.Take(sameShard(1)[0])
	if n := len(s.shard(attacker).m); n != perShard {
		t.Fatalf("shard holds %d entries after eviction, want %d", n, perShard)
	}
}

func BenchmarkBucketTake(b *testing.B) {
	bk := NewBucket(PerSecond(1e12), SystemClock())
	b.ReportAllocs()
	for b.Loop() {
		bk.Take()
	}
}

// BenchmarkQuotaCheck is the token endpoint's check: the quota bucket of
// a region and category, found by name.
func BenchmarkQuotaCheck(b *testing.B) {
	l := New(Config{Quotas: map[string]Rate{"ClientAuthentication": PerSecond(1e12)}})
	names := []string{"ClientAuthentication"}
	b.ReportAllocs()
	for b.Loop() {
		l.Quota("us-east-1", names...)
	}
}

// BenchmarkTokenEndpointChecks is everything a client_credentials
// request is checked against: the per-source failure table and the
// quota.
func BenchmarkTokenEndpointChecks(b *testing.B) {
	l := New(Config{Quotas: map[string]Rate{"ClientAuthentication": PerSecond(1e12)}, AuthFailures: DefaultAuthFailures, SignIn: DefaultSignIn})
	names := []string{"ClientAuthentication"}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			l.AuthAllowed("127.0.0.1:54321")
			l.Quota("us-east-1", names...)
		}
	})
}
