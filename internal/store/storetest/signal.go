package storetest

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

// signalCases check the change signal across two Stores opened on one
// database, as two instances of cognitod would.
func signalCases() []testCase {
	return []testCase{
		{"ChangeSignal/BumpThroughAIsSeenByB", func(t *testing.T, e *env) {
			b := e.open()
			before := generation(t, e.ctx, b)
			if err := e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.BumpGeneration(e.ctx) }); err != nil {
				t.Fatal(err)
			}
			// A commit is visible to the other store's next read: no waiting.
			if after := generation(t, e.ctx, b); after <= before {
				t.Fatalf("generation on B after a bump through A: %d, was %d", after, before)
			}
			if a, bb := generation(t, e.ctx, e.s), generation(t, e.ctx, b); a != bb {
				t.Fatalf("A and B disagree on the generation: %d and %d", a, bb)
			}
		}},
		{"ChangeSignal/RolledBackBumpIsNotSeen", func(t *testing.T, e *env) {
			b := e.open()
			before := generation(t, e.ctx, b)
			boom := errors.New("boom")
			err := e.s.Update(e.ctx, func(tx cognito.Tx) error {
				if err := tx.BumpGeneration(e.ctx); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("Update: %v, want boom", err)
			}
			if after := generation(t, e.ctx, b); after != before {
				t.Fatalf("a rolled-back bump moved the generation from %d to %d", before, after)
			}
		}},
		{"ChangeSignal/EveryBumpAdvances", func(t *testing.T, e *env) {
			last := generation(t, e.ctx, e.s)
			for range 3 {
				if err := e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.BumpGeneration(e.ctx) }); err != nil {
					t.Fatal(err)
				}
				g := generation(t, e.ctx, e.s)
				if g <= last {
					t.Fatalf("generation went from %d to %d", last, g)
				}
				last = g
			}
		}},
		{"ChangeSignal/WriteThroughAReachesCacheOnB", watcherCase},
	}
}

// watcherCase: a Service on store B, watching it, drops its caches after a
// configuration write through a Service on store A. The generation is
// visible at B at once (checked above); how long the watcher takes is its
// poll interval, which a noisy machine may stretch, so the wait here is
// generous (but shorter than the fallback expiry, which would also fire
// the hook) and the measured time is logged.
func watcherCase(t *testing.T, e *env) {
	sealer, err := cognito.NewSealer(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	b := e.open()
	svcA, err := cognito.NewService(cognito.Config{Store: e.s, Sealer: sealer})
	if err != nil {
		t.Fatal(err)
	}
	changed := make(chan struct{}, 1)
	svcB, err := cognito.NewService(cognito.Config{Store: b, Sealer: sealer, OnStoreChanged: func() {
		select {
		case changed <- struct{}{}:
		default:
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(e.ctx)
	done := svcB.WatchStore(ctx, 50*time.Millisecond, nil)
	defer func() { cancel(); <-done }()
	start := time.Now()
	if _, err := svcA.CreateUserPool(cognito.WithCaller(e.ctx, cognito.Caller{Region: "us-east-1"}), &cognito.CreateUserPoolInput{PoolName: "signal"}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-changed:
		t.Logf("store B's watcher saw store A's write after %v", time.Since(start))
	case <-time.After(5 * time.Second): // under the watcher's fallback expiry (120 polls = 6 s here)
		t.Fatal("store B's watcher never saw a configuration write through store A")
	}
}

func generation(t *testing.T, ctx context.Context, s cognito.Store) uint64 {
	t.Helper()
	g, err := s.Generation(ctx)
	if err != nil {
		t.Fatalf("Generation: %v", err)
	}
	return g
}
