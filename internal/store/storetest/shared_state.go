package storetest

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

// sharedStateCases check cognito.SharedState: entries expire, the sweep
// and the cap delete what they should and only that, and concurrent
// increments of one counter, through several Stores on one database, are
// all counted.
func sharedStateCases() []testCase {
	at := t0.UTC().Truncate(time.Millisecond)
	return []testCase{
		{"shared/put-get-expire-delete", func(t *testing.T, e *env) {
			_, err := e.s.GetShared(e.ctx, "k", "a", at)
			wantNotFound(t, "GetShared before any", err)
			wantNoError(t, "PutShared", e.s.PutShared(e.ctx, "k", "a", []byte("v1"), at.Add(time.Minute)))
			got, err := e.s.GetShared(e.ctx, "k", "a", at)
			wantNoError(t, "GetShared", err)
			if !bytes.Equal(got, []byte("v1")) {
				t.Errorf("GetShared = %q, want v1", got)
			}
			// Another kind with the same key is another entry.
			_, err = e.s.GetShared(e.ctx, "other", "a", at)
			wantNotFound(t, "GetShared of another kind", err)
			// Expiry is honoured on read: at the expiry the entry is gone.
			_, err = e.s.GetShared(e.ctx, "k", "a", at.Add(time.Minute))
			wantNotFound(t, "GetShared at its expiry", err)
			// A second put replaces the first, and is seen by another Store.
			wantNoError(t, "PutShared again", e.s.PutShared(e.ctx, "k", "a", nil, at.Add(time.Hour)))
			got, err = e.open().GetShared(e.ctx, "k", "a", at.Add(time.Minute))
			wantNoError(t, "GetShared through another Store", err)
			if len(got) != 0 || got == nil {
				t.Errorf("GetShared of an empty value = %#v, want a non-nil empty slice", got)
			}
			wantNoError(t, "DeleteShared", e.s.DeleteShared(e.ctx, "k", "a"))
			_, err = e.s.GetShared(e.ctx, "k", "a", at)
			wantNotFound(t, "GetShared after delete", err)
			wantNoError(t, "DeleteShared of a missing entry", e.s.DeleteShared(e.ctx, "k", "a"))
		}},
		{"shared/bounds", func(t *testing.T, e *env) {
			long := strings.Repeat("x", 65)
			if err := e.s.PutShared(e.ctx, "k", long, nil, at.Add(time.Hour)); err == nil {
				t.Error("PutShared with a 65-byte key succeeded")
			}
			if err := e.s.PutShared(e.ctx, "k", "a", make([]byte, 4097), at.Add(time.Hour)); err == nil {
				t.Error("PutShared with a 4097-byte value succeeded")
			}
			if _, err := e.s.IncrShared(e.ctx, "", "a", at, at.Add(time.Hour)); err == nil {
				t.Error("IncrShared with an empty kind succeeded")
			}
		}},
		{"shared/incr-restarts-after-expiry", func(t *testing.T, e *env) {
			for want := int64(1); want <= 3; want++ {
				n, err := e.s.IncrShared(e.ctx, "c", "a", at, at.Add(time.Minute))
				wantNoError(t, "IncrShared", err)
				if n != want {
					t.Fatalf("IncrShared #%d = %d", want, n)
				}
			}
			// Each increment moves the expiry: still counting a minute later.
			n, err := e.s.IncrShared(e.ctx, "c", "a", at.Add(59*time.Second), at.Add(2*time.Minute))
			wantNoError(t, "IncrShared", err)
			if n != 4 {
				t.Errorf("IncrShared before the expiry = %d, want 4", n)
			}
			n, err = e.s.IncrShared(e.ctx, "c", "a", at.Add(2*time.Minute), at.Add(3*time.Minute))
			wantNoError(t, "IncrShared", err)
			if n != 1 {
				t.Errorf("IncrShared at the expiry = %d, want 1 (a fresh count)", n)
			}
			// A put resets the counter.
			wantNoError(t, "PutShared", e.s.PutShared(e.ctx, "c", "a", []byte("x"), at.Add(time.Hour)))
			n, err = e.s.IncrShared(e.ctx, "c", "a", at, at.Add(time.Hour))
			wantNoError(t, "IncrShared after put", err)
			if n != 1 {
				t.Errorf("IncrShared after put = %d, want 1", n)
			}
		}},
		{"shared/sweep-removes-only-expired", func(t *testing.T, e *env) {
			for i := range 10 {
				wantNoError(t, "PutShared", e.s.PutShared(e.ctx, "k", fmt.Sprint("old", i), nil, at.Add(time.Duration(i)*time.Second)))
				wantNoError(t, "PutShared", e.s.PutShared(e.ctx, "k", fmt.Sprint("new", i), nil, at.Add(time.Hour)))
			}
			now := at.Add(time.Minute)
			n, err := e.s.SweepShared(e.ctx, now, 4)
			wantNoError(t, "SweepShared", err)
			if n != 4 {
				t.Errorf("SweepShared with limit 4 = %d", n)
			}
			n, err = e.s.SweepShared(e.ctx, now, 100)
			wantNoError(t, "SweepShared", err)
			if n != 6 {
				t.Errorf("second SweepShared = %d, want the 6 left", n)
			}
			n, err = e.s.SweepShared(e.ctx, now, 100)
			wantNoError(t, "SweepShared", err)
			if n != 0 {
				t.Errorf("third SweepShared = %d, want 0", n)
			}
			for i := range 10 {
				_, err := e.s.GetShared(e.ctx, "k", fmt.Sprint("new", i), now)
				wantNoError(t, "GetShared of an unexpired entry after the sweep", err)
			}
		}},
		{"shared/trim-evicts-soonest-expiring", func(t *testing.T, e *env) {
			for i := range 10 {
				wantNoError(t, "PutShared", e.s.PutShared(e.ctx, "cap", fmt.Sprint(i), nil, at.Add(time.Duration(10-i)*time.Hour)))
			}
			wantNoError(t, "PutShared", e.s.PutShared(e.ctx, "other", "x", nil, at))
			n, err := e.s.TrimShared(e.ctx, "cap", 6, 100)
			wantNoError(t, "TrimShared", err)
			if n != 4 {
				t.Errorf("TrimShared to 6 of 10 = %d", n)
			}
			for i := range 10 {
				_, err := e.s.GetShared(e.ctx, "cap", fmt.Sprint(i), at)
				if i >= 6 {
					wantNotFound(t, "GetShared of an evicted entry", err)
				} else {
					wantNoError(t, "GetShared of a kept entry", err)
				}
			}
			_, err = e.s.GetShared(e.ctx, "other", "x", at.Add(-time.Second))
			wantNoError(t, "GetShared of another kind after the trim", err)
			n, err = e.s.TrimShared(e.ctx, "cap", 6, 100)
			wantNoError(t, "TrimShared", err)
			if n != 0 {
				t.Errorf("TrimShared at the cap = %d", n)
			}
		}},
		{"shared/concurrent-incr-not-lost", func(t *testing.T, e *env) {
			const stores, each = 4, 25
			errs := make(chan error, stores*each)
			opened := make([]cognito.Store, stores)
			for i := range opened {
				opened[i] = e.open()
			}
			withDeadline(t, func() {
				var wg sync.WaitGroup
				for _, s := range opened {
					wg.Go(func() {
						for range each {
							if _, err := s.IncrShared(e.ctx, "c", "hot", at, at.Add(time.Hour)); err != nil {
								errs <- err
							}
						}
					})
				}
				wg.Wait()
			})
			close(errs)
			for err := range errs {
				t.Fatalf("concurrent IncrShared: %v", err)
			}
			n, err := e.s.IncrShared(e.ctx, "c", "hot", at, at.Add(time.Hour))
			wantNoError(t, "IncrShared", err)
			if n != stores*each+1 {
				t.Errorf("after %d concurrent increments the next is %d, want %d", stores*each, n, stores*each+1)
			}
		}},
	}
}
