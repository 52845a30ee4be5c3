package postgres

import (
	"errors"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/postgres/pgtest"
)

// TestBoundedWhenServerHangs: a server that stops answering (every
// process SIGSTOPped) with connections open in the pool: a read and an
// Update fail with ErrStoreUnavailable once the client's own deadline
// passes, instead of waiting for TCP; after the server resumes, the same
// Store answers again. The bounds are shortened for the test (their real
// values are above the server's 10 s statement and lock timeouts).
func TestBoundedWhenServerHangs(t *testing.T) {
	c := pgtest.Cluster(t)
	oldRead, oldUpdate := readBound, updateBound
	readBound, updateBound = 2*time.Second, 3*time.Second
	t.Cleanup(func() { readBound, updateBound = oldRead, oldUpdate })
	ctx := t.Context()
	s, err := Open(ctx, c.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	bump := func() error { return s.Update(ctx, func(tx cognito.Tx) error { return tx.BumpGeneration(ctx) }) }
	if err := bump(); err != nil {
		t.Fatal(err)
	}
	if err := c.Freeze(); err != nil {
		t.Fatal(err)
	}
	thawed := false
	defer func() {
		if !thawed {
			c.Thaw()
		}
	}()
	for name, call := range map[string]func() error{
		"Generation": func() error { _, err := s.Generation(ctx); return err },
		"Update":     bump,
	} {
		start := time.Now()
		err := call()
		took := time.Since(start)
		if !errors.Is(err, cognito.ErrStoreUnavailable) {
			t.Errorf("%s on a hung server: %v, want ErrStoreUnavailable", name, err)
		}
		// A hang detector: without the client's deadline this waits
		// for TCP, many minutes.
		if took > 20*time.Second {
			t.Errorf("%s on a hung server took %v", name, took)
		}
		t.Logf("%s on a hung server failed after %v", name, took.Round(time.Millisecond))
	}
	if err := c.Thaw(); err != nil {
		t.Fatal(err)
	}
	thawed = true
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, err := s.Generation(ctx)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no recovery after the server resumed: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := bump(); err != nil {
		t.Fatalf("Update after the server resumed: %v", err)
	}
}
