package ratelimit

import (
	"sync"
	"sync/atomic"
)

// Quotas holds one bucket per (region, name): Cognito's quotas are "a
// maximum volume of requests in one AWS Region in one AWS account", and a
// cognitod instance is one account, so the region and the bucket's name
// (a quota category) are the whole key. Each instance counts for itself.
type Quotas struct {
	rates map[string]Rate // read-only after NewQuotas
	clock Clock

	// buckets is replaced, never changed, under mu: the hot path reads
	// it with one atomic load and no lock, so concurrent requests share no
	// written cache line until they reach their bucket.
	mu      sync.Mutex
	buckets atomic.Pointer[map[quotaKey]*Bucket]
}

type quotaKey struct{ region, name string }

// maxQuotaBuckets bounds the bucket map. Regions come from verified
// signatures and existing pools, so a few dozen regions times a few dozen
// categories is the real size; past the bound, new keys share one bucket
// per name instead of growing the map.
const maxQuotaBuckets = 4096

// NewQuotas returns quotas with the given rates by bucket name; a name
// not in rates is not limited.
func NewQuotas(rates map[string]Rate, clock Clock) *Quotas {
	r := make(map[string]Rate, len(rates))
	for k, v := range rates {
		if !v.Unlimited() {
			r[k] = v
		}
	}
	q := &Quotas{rates: r, clock: clock}
	q.buckets.Store(&map[quotaKey]*Bucket{})
	return q
}

// Rate returns the rate of a bucket name.
func (q *Quotas) Rate(name string) (Rate, bool) {
	r, ok := q.rates[name]
	return r, ok
}

// Allow takes one token from region's bucket of each name in turn until
// one has a token, and reports whether one had. A name without a rate
// admits at once.
func (q *Quotas) Allow(region string, names ...string) bool {
	for _, name := range names {
		if q.bucket(region, name).Take() {
			return true
		}
	}
	return false
}

var unlimited = &Bucket{}

func (q *Quotas) bucket(region, name string) *Bucket {
	rate, ok := q.rates[name]
	if !ok {
		return unlimited
	}
	k := quotaKey{region, name}
	if b := (*q.buckets.Load())[k]; b != nil {
		return b
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	m := *q.buckets.Load()
	if b := m[k]; b != nil {
		return b
	}
	if len(m) >= maxQuotaBuckets {
		k.region = "*"
		if b := m[k]; b != nil {
			return b
		}
	}
	b := NewBucket(rate, q.clock)
	next := make(map[quotaKey]*Bucket, len(m)+1)
	for key, v := range m {
		next[key] = v
	}
	next[k] = b
	q.buckets.Store(&next)
	return b
}
