package ratelimit

import (
	"sync"
	"time"
)

// Clock returns the current time in nanoseconds on any monotonic scale.
// Tests inject one to count tokens exactly instead of sleeping.
type Clock func() int64

// SystemClock is the process's monotonic clock.
func SystemClock() Clock {
	start := time.Now()
	return func() int64 { return int64(time.Since(start)) }
}

// Rate is a token bucket's shape: PerSecond tokens are added each second,
// up to Burst. A zero PerSecond is no limit at all.
type Rate struct {
	PerSecond float64
	Burst     float64
}

// PerSecond is the rate Cognito's quotas name, "requests per second", as a
// bucket whose burst is one second's worth (at least one request).
//
// Why one second: Cognito states its quotas as requests per second and
// documents no burst allowance, so a client that keeps within N calls in
// any second must never be refused, and one that sends N+1 in a second
// must be: a burst of exactly N gives both. A larger burst would let code
// under test get away with bursts Cognito refuses.
func PerSecond(n float64) Rate { return Rate{PerSecond: n, Burst: max(n, 1)} }

// Unlimited reports whether r limits nothing.
func (r Rate) Unlimited() bool { return r.PerSecond <= 0 }

// bucket is one token bucket. Its fields are guarded by its owner's lock
// (Bucket's own mutex, or a Sources shard's).
type bucket struct {
	tokens float64
	last   int64 // clock reading of the last refill
}

// take refills the bucket to now and takes one token if there is one.
func (b *bucket) take(r Rate, now int64) bool {
	b.refill(r, now)
	if b.tokens >= 1 {
		b.tokens--
		return true
	}
	return false
}

// refill adds the tokens earned since the last refill.
func (b *bucket) refill(r Rate, now int64) {
	// A reading taken just before another caller's (the clock is read
	// outside the lock) is not a step back in time: it earns nothing.
	if elapsed := now - b.last; elapsed > 0 {
		b.tokens = min(r.Burst, b.tokens+float64(elapsed)*r.PerSecond/1e9)
		b.last = now
	}
}

// full reports whether the bucket has refilled to its burst by now, which
// is when forgetting it changes nothing.
func (b *bucket) full(r Rate, now int64) bool {
	return b.tokens+float64(now-b.last)*r.PerSecond/1e9 >= r.Burst
}

// Bucket is a token bucket safe for concurrent use. Its lock is held for
// a few arithmetic operations only: uncontended it costs tens of
// nanoseconds (see BenchmarkBucketTake), against the millisecond an RSA
// signature takes.
type Bucket struct {
	mu    sync.Mutex
	rate  Rate
	clock Clock
	b     bucket
}

// NewBucket returns a full bucket.
func NewBucket(r Rate, clock Clock) *Bucket {
	return &Bucket{rate: r, clock: clock, b: bucket{tokens: r.Burst, last: clock()}}
}

// Take takes one token, reporting whether there was one.
func (k *Bucket) Take() bool {
	if k.rate.Unlimited() {
		return true
	}
	now := k.clock()
	k.mu.Lock()
	ok := k.b.take(k.rate, now)
	k.mu.Unlock()
	return ok
}
