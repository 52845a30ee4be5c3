package ratelimit

import (
	"encoding/binary"
	"net/netip"
	"sync"
)

// Source is a client's network identity: an IPv4 address, or the /64 an
// IPv6 address is in (one subscriber's allocation: a host can take any of
// its 2^64 addresses, so counting per address would count nothing). It
// is a fixed-size value, so a table of them holds no caller-sized data.
type Source [16]byte

// SourceOf returns the source of an http.Request's RemoteAddr
// ("ip:port"). It never looks at X-Forwarded-For or similar headers,
// which any client can set.
func SourceOf(remoteAddr string) (Source, bool) {
	ap, err := netip.ParseAddrPort(remoteAddr)
	if err != nil {
		a, err2 := netip.ParseAddr(remoteAddr)
		if err2 != nil {
			return Source{}, false
		}
		ap = netip.AddrPortFrom(a, 0)
	}
	a := ap.Addr().Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		a = p.Addr()
	}
	return Source(a.As16()), true
}

// sourceShards splits a table so that concurrent requests rarely share a
// lock.
const sourceShards = 64

// Sources is a fixed-capacity table of token buckets by source. When a
// shard is full, a new source takes the place of the least recently seen
// of a few entries sampled from it: memory stays bounded whatever the
// number of distinct sources, and the sources a flood evicts first are
// the idle ones. An evicted source starts again with a full bucket, which
// is what forgetting an idle one would give anyway.
type Sources struct {
	rate     Rate
	clock    Clock
	perShard int
	shards   [sourceShards]sourceShard
}

type sourceShard struct {
	mu sync.Mutex
	m  map[Source]bucket
}

// DefaultSourceCapacity is the entries a Sources table holds by default:
// about 40 bytes each in the map, a few megabytes in all.
const DefaultSourceCapacity = 1 << 16

// NewSources returns a table of at most capacity sources (rounded up to a
// multiple of its shard count).
func NewSources(r Rate, capacity int, clock Clock) *Sources {
	if capacity <= 0 {
		capacity = DefaultSourceCapacity
	}
	s := &Sources{rate: r, clock: clock, perShard: (capacity + sourceShards - 1) / sourceShards}
	for i := range s.shards {
		s.shards[i].m = make(map[Source]bucket)
	}
	return s
}

func (s *Sources) shard(k Source) *sourceShard {
	h := binary.LittleEndian.Uint64(k[:8]) ^ binary.LittleEndian.Uint64(k[8:])*0x9e3779b97f4a7c15
	h ^= h >> 29
	h *= 0xbf58476d1ce4e5b9
	return &s.shards[h>>(64-6)]
}

// Take takes one token from k's bucket, reporting whether there was one.
func (s *Sources) Take(k Source) bool {
	if s.rate.Unlimited() {
		return true
	}
	now := s.clock()
	sh := s.shard(k)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	b, ok := sh.m[k]
	if !ok {
		s.makeRoom(sh, now)
		b = bucket{tokens: s.rate.Burst, last: now}
	}
	took := b.take(s.rate, now)
	sh.m[k] = b
	return took
}

// Empty reports whether k's bucket has no whole token, without taking
// one: a source that used up its failures is refused until one refills.
func (s *Sources) Empty(k Source) bool {
	if s.rate.Unlimited() {
		return false
	}
	now := s.clock()
	sh := s.shard(k)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	b, ok := sh.m[k]
	if !ok {
		return false
	}
	return !b.full(Rate{PerSecond: s.rate.PerSecond, Burst: 1}, now) // less than one token by now
}

// evictionSample is how many entries makeRoom looks at: enough that the
// one it evicts is nearly always idle, few enough to stay O(1).
const evictionSample = 8

// makeRoom evicts one entry from a full shard: the first sampled entry
// that has refilled (forgetting it changes nothing), else the least
// recently refilled of the sample.
func (s *Sources) makeRoom(sh *sourceShard, now int64) {
	if len(sh.m) < s.perShard {
		return
	}
	var victim Source
	oldest, n := int64(0), 0
	for k, b := range sh.m { // map iteration starts at a random entry
		if b.full(s.rate, now) {
			victim = k
			break
		}
		if n == 0 || b.last < oldest {
			victim, oldest = k, b.last
		}
		if n++; n == evictionSample {
			break
		}
	}
	delete(sh.m, victim)
}

// Len is the number of sources held.
func (s *Sources) Len() int {
	n := 0
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		n += len(sh.m)
		sh.mu.Unlock()
	}
	return n
}
