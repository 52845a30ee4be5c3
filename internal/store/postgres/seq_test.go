package postgres

import (
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/postgres/pgtest"
)

// Keyset pagination needs seqs to become visible in order: while a
// transaction that took seq n is open, a second create in the same table
// must not commit seq n+1 (a reader would page past n and never see it).
// The second create waits on the counter row and commits after the first.
func TestSeqsBecomeVisibleInOrder(t *testing.T) {
	schema, dsn := pgtest.Schema(t)
	// The application name tells this test's sessions from those of
	// other tests on the same server.
	s, err := Open(t.Context(), dsn+"&application_name="+schema)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := t.Context()
	now := time.Now()
	pool := func(id string) *cognito.UserPool {
		return &cognito.UserPool{ID: id, Name: id, CreationDate: now, LastModifiedDate: now}
	}

	first, second := pool("us-east-1_first0001"), pool("us-east-1_second001")
	took, release, aDone := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		once := false
		aDone <- s.Update(ctx, func(tx cognito.Tx) error {
			if err := tx.CreateUserPool(ctx, first); err != nil {
				return err
			}
			if !once {
				once = true
				close(took)
				<-release
			}
			return nil
		})
	}()
	<-took
	bDone := make(chan error, 1)
	go func() { bDone <- s.Update(ctx, func(tx cognito.Tx) error { return tx.CreateUserPool(ctx, second) }) }()

	// Wait until the second create is blocked on a lock, failing if it
	// commits first.
	for blocked := false; !blocked; {
		select {
		case err := <-bDone:
			t.Fatalf("the second create finished (%v) while the first, with a lower seq, was open", err)
		default:
		}
		var waiting int
		if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
			WHERE NOT l.granted AND a.application_name = $1 AND a.datname = current_database()
			AND a.query LIKE 'UPDATE seq_counters%'`, schema).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		blocked = waiting > 0
		if !blocked {
			time.Sleep(5 * time.Millisecond)
		}
	}
	if got, err := s.ListUserPools(ctx, "us-east-1", 0, 10); err != nil || len(got) != 0 {
		t.Fatalf("while both are open, a reader sees %d pools (%v), want 0", len(got), err)
	}
	close(release)
	if err := <-aDone; err != nil {
		t.Fatal(err)
	}
	if err := <-bDone; err != nil {
		t.Fatal(err)
	}
	got, err := s.ListUserPools(ctx, "us-east-1", 0, 10)
	if err != nil || len(got) != 2 || got[0].ID != first.ID || got[1].ID != second.ID || got[0].Seq >= got[1].Seq {
		t.Fatalf("after both commits: %v, %v; want %s then %s", got, err, first.ID, second.ID)
	}
}
