package server

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestReadinessCachedSingleFlight: many concurrent /readyz requests make
// one storage check, later ones within readyFor none, and a check after
// readyFor sees the new state (down: 503, then up again: 200). The clock
// is the readiness's own, moved by hand.
func TestReadinessCachedSingleFlight(t *testing.T) {
	var checks atomic.Int32
	var down atomic.Bool
	release := make(chan struct{})
	var mu sync.Mutex
	now := time.Unix(1_700_000_000, 0)
	rd := &readiness{logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		now: func() time.Time { mu.Lock(); defer mu.Unlock(); return now },
		check: func(ctx context.Context) error {
			checks.Add(1)
			<-release
			if down.Load() {
				return errors.New("down")
			}
			return nil
		}}
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	status := func() int {
		rec := httptest.NewRecorder()
		rd.serveHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
		return rec.Code
	}

	const n = 50
	codes := make(chan int, n)
	for range n {
		go func() { codes <- status() }()
	}
	time.Sleep(50 * time.Millisecond) // let them all queue behind the one check
	close(release)
	for range n {
		if c := <-codes; c != http.StatusOK {
			t.Fatalf("status %d while up", c)
		}
	}
	if c := checks.Load(); c != 1 {
		t.Fatalf("%d concurrent requests made %d checks, want 1", n, c)
	}
	down.Store(true)
	advance(readyFor / 2)
	if c := status(); c != http.StatusOK || checks.Load() != 1 {
		t.Fatalf("within readyFor: status %d, %d checks; want the cached 200 and no check", c, checks.Load())
	}
	advance(readyFor)
	if c := status(); c != http.StatusServiceUnavailable || checks.Load() != 2 {
		t.Fatalf("after readyFor, storage down: status %d, %d checks", c, checks.Load())
	}
	down.Store(false)
	advance(readyFor)
	if c := status(); c != http.StatusOK || checks.Load() != 3 {
		t.Fatalf("after readyFor, storage up: status %d, %d checks", c, checks.Load())
	}
}

// TestReadinessTimeout: a check that does not answer within readyTimeout
// counts as down; the deadline is the check's own, so a caller that hangs
// up does not cut it short for the others.
func TestReadinessTimeout(t *testing.T) {
	rd := &readiness{logger: slog.New(slog.NewTextHandler(io.Discard, nil)), now: time.Now,
		check: func(ctx context.Context) error {
			d, ok := ctx.Deadline()
			if !ok || time.Until(d) > readyTimeout {
				return errors.New("no bound on the check")
			}
			<-ctx.Done()
			return ctx.Err()
		}}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the caller already gone
	if err := rd.state(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("state: %v, want the check's own deadline", err)
	}
}

// BenchmarkReadyzCached: the cost of a /readyz answered from the cache,
// what an anonymous caller can make each request cost.
func BenchmarkReadyzCached(b *testing.B) {
	rd := &readiness{logger: slog.New(slog.NewTextHandler(io.Discard, nil)), now: time.Now,
		check: func(context.Context) error { return nil }}
	req := httptest.NewRequest("GET", "/readyz", nil)
	b.ReportAllocs()
	for b.Loop() {
		rd.serveHTTP(httptest.NewRecorder(), req)
	}
}
