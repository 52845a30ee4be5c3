package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/postgres"
	"github.com/cognitod/cognitod/internal/store/postgres/pgtest"
)

// TestNotifications: a configuration write committed through store A wakes
// store B's listener, also after B's listening connection was killed
// (pg_terminate_backend).
// Polling the generation (WatchStore) covers what is sent while the
// listener is down.
func TestNotifications(t *testing.T) {
	_, dsn := pgtest.Schema(t)
	ctx := t.Context()
	open := func() *postgres.Store {
		s, err := postgres.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	a, b := open(), open()
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	wake := b.Notifications(lctx)
	wait := func(what string) {
		t.Helper()
		select {
		case <-wake:
		case <-time.After(30 * time.Second):
			t.Fatalf("no wake: %s", what)
		}
	}
	bump := func() {
		t.Helper()
		if err := a.Update(ctx, func(tx cognito.Tx) error { return tx.BumpGeneration(ctx) }); err != nil {
			t.Fatal(err)
		}
	}
	wait("listening started") // the first connect wakes the caller
	bump()
	wait("a bump through A")

	// Kill every cognitod listener on the server (others' reconnect too;
	// that is what a dropped connection does to them anyway).
	var killed int
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	if err := admin.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'cognitod-listen'`).Scan(&killed); err != nil {
		t.Fatal(err)
	}
	if killed == 0 {
		t.Fatal("no listener connection to terminate")
	}
	wait("reconnected after the listener was terminated")
	// Drain wakes other tests' writes may have caused, then bump again.
	for len(wake) > 0 {
		<-wake
	}
	bump()
	wait("a bump through A after the reconnect")
}
