package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/postgres"
	"github.com/cognitod/cognitod/internal/store/postgres/pgtest"
)

// TestStoreUnavailable: on a throwaway cluster that is stopped under an
// open Store, a read outside a transaction, an Update and a count all fail
// with an error that errors.Is cognito.ErrStoreUnavailable (the one test
// the protocol layers rely on), within the connect bound; a missing row
// while the server runs is ErrNotFound and not "unavailable". When the
// cluster is started again on the same port the same Store (its pool) and
// its listener recover by themselves.
func TestStoreUnavailable(t *testing.T) {
	c := pgtest.Cluster(t)
	ctx := t.Context()
	s, err := postgres.Open(ctx, c.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	wake := s.Notifications(lctx)
	waitWake := func(what string) {
		t.Helper()
		select {
		case <-wake:
		case <-time.After(30 * time.Second):
			t.Fatalf("no wake: %s", what)
		}
	}
	waitWake("listening started")

	_, err = s.GetUserPool(ctx, "us-east-1_missing00")
	if !errors.Is(err, cognito.ErrNotFound) || errors.Is(err, cognito.ErrStoreUnavailable) {
		t.Fatalf("a missing pool with the server up: %v", err)
	}
	bump := func() error {
		return s.Update(ctx, func(tx cognito.Tx) error { return tx.BumpGeneration(ctx) })
	}
	if err := bump(); err != nil {
		t.Fatal(err)
	}

	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	calls := map[string]func() error{
		"GetUserPool": func() error { _, err := s.GetUserPool(ctx, "us-east-1_missing00"); return err },
		"Generation":  func() error { _, err := s.Generation(ctx); return err },
		"CountAccessKeys": func() error {
			_, err := s.CountAccessKeys(ctx)
			return err
		},
		"ListUserPools": func() error {
			_, err := s.ListUserPools(ctx, "us-east-1", 0, 10)
			return err
		},
		"Update": bump,
	}
	for round := range 3 { // the pool's idle connections die on the first round
		for name, call := range calls {
			start := time.Now()
			err := call()
			took := time.Since(start)
			if !errors.Is(err, cognito.ErrStoreUnavailable) {
				t.Errorf("round %d, %s with the server stopped: %v, want ErrStoreUnavailable", round, name, err)
			}
			// A hang detector, not a speed check: refused connections
			// fail at once, and nothing may wait past the connect bound.
			if took > postgres.DefaultConnectTimeout+5*time.Second {
				t.Errorf("round %d, %s took %v", round, name, took)
			}
		}
	}

	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for {
		_, err := s.Generation(ctx)
		if err == nil {
			break
		}
		if time.Since(start) > 30*time.Second {
			t.Fatalf("the pool did not recover: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("the pool answered %v after the server was started again", time.Since(start))
	if err := bump(); err != nil {
		t.Fatalf("Update after recovery: %v", err)
	}
	// The listener reconnects (with a backoff of at most 5 s); once it is
	// listening again, a write's notification reaches it.
	admin, err := pgx.Connect(ctx, c.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	for {
		var n int
		if err := admin.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE application_name = 'cognitod-listen' AND query LIKE 'LISTEN%'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 1 {
			break
		}
		if time.Since(start) > 30*time.Second {
			t.Fatalf("the listener did not reconnect")
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("the listener listened again %v after the server was started again", time.Since(start))
	drain := time.After(100 * time.Millisecond)
	for loop := true; loop; {
		select {
		case <-wake:
		case <-drain:
			loop = false
		}
	}
	if err := bump(); err != nil {
		t.Fatal(err)
	}
	waitWake("a write after recovery")
}
