package postgres

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/postgres/pgtest"
)

func TestLoadMigrationsRefusesGaps(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"gap":       {"migrations/0001_a.sql": {}, "migrations/0003_c.sql": {}},
		"duplicate": {"migrations/0001_a.sql": {}, "migrations/0001_b.sql": {}},
		"not one":   {"migrations/0002_b.sql": {}},
		"bad name":  {"migrations/first.sql": {}},
	} {
		if _, err := loadMigrations(fsys); err == nil {
			t.Errorf("%s: loadMigrations accepted %v", name, fsys)
		}
	}
	ms, err := loadMigrations(migrationFiles)
	if err != nil || len(ms) == 0 {
		t.Fatalf("embedded migrations: %d, %v", len(ms), err)
	}
}

// Instances starting together on a fresh schema all succeed, and each
// migration is applied once.
func TestConcurrentOpenMigratesOnce(t *testing.T) {
	schema, dsn := pgtest.Schema(t)
	const n = 4
	var wg sync.WaitGroup
	errs := make([]error, n)
	stores := make([]*Store, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stores[i], errs[i] = Open(t.Context(), dsn)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Open %d: %v", i, err)
		}
		defer stores[i].Close()
	}
	ms, _ := loadMigrations(migrationFiles)
	var rows, maxV int
	err := stores[0].pool.QueryRow(t.Context(),
		`SELECT count(*), max(version) FROM `+schema+`.schema_migrations`).Scan(&rows, &maxV)
	if err != nil {
		t.Fatal(err)
	}
	if rows != len(ms) || maxV != len(ms) {
		t.Errorf("schema_migrations has %d rows up to version %d, want %d", rows, maxV, len(ms))
	}
	// Every store works on the migrated schema.
	for i, s := range stores {
		if _, err := s.CountAccessKeys(t.Context()); err != nil {
			t.Errorf("store %d: CountAccessKeys: %v", i, err)
		}
	}
}

func TestRefusesNewerSchema(t *testing.T) {
	_, dsn := pgtest.Schema(t)
	s, err := Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.pool.Exec(t.Context(), `INSERT INTO schema_migrations (version, applied_ms) VALUES (9999, 0)`); err != nil {
		t.Fatal(err)
	}
	_, err = Open(t.Context(), dsn)
	if err == nil || !strings.Contains(err.Error(), "newer than this build") {
		t.Fatalf("Open on a newer schema: %v, want a refusal", err)
	}
}

func TestMissingSchemaIsRefused(t *testing.T) {
	_, dsn := pgtest.Schema(t)
	dsn = strings.Replace(dsn, "search_path=cognitod_test_", "search_path=cognitod_absent_", 1)
	if _, err := Open(t.Context(), dsn); err == nil {
		t.Fatal("Open with a search_path naming no schema succeeded")
	}
}

func TestPasswordNeverInErrors(t *testing.T) {
	const secret = "hunter2-s3cret"
	for _, dsn := range []string{
		"postgres://postgres:" + secret + "@127.0.0.1:1/test?connect_timeout=2",
		"postgres://postgres:" + secret + "@127.0.0.1:5432/test?sslmode=bogus",
		"host=127.0.0.1 port=1 user=postgres password=" + secret + " connect_timeout=2",
	} {
		_, err := Open(context.Background(), dsn)
		if err == nil {
			t.Fatalf("Open(%q) succeeded", Redact(dsn))
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error shows the password: %v", err)
		}
	}
}

func TestPoolConfigBoundsTimeouts(t *testing.T) {
	cfg, err := poolConfig("postgres://u@127.0.0.1/db")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.ConnConfig.ConnectTimeout != DefaultConnectTimeout {
		t.Errorf("connect timeout %v", cfg.ConnConfig.ConnectTimeout)
	}
	if got := cfg.ConnConfig.RuntimeParams["statement_timeout"]; got != "10000" {
		t.Errorf("statement_timeout %q", got)
	}
	cfg, err = poolConfig("postgres://u@127.0.0.1/db?statement_timeout=2500&connect_timeout=1")
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.ConnConfig.RuntimeParams["statement_timeout"]; got != "2500" {
		t.Errorf("statement_timeout from the DSN: %q", got)
	}
}

// The statement timeout is in force: a statement running past it fails
// rather than holding the request. (Migrations, run under their own
// longer bound, are not cut short by it.)
func TestStatementTimeoutApplies(t *testing.T) {
	_, dsn := pgtest.Schema(t)
	s, err := Open(t.Context(), dsn+"&statement_timeout=50")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = s.pool.Exec(t.Context(), `SELECT pg_sleep(5)`)
	if pgCode(err) != "57014" { // query_canceled
		t.Fatalf("pg_sleep past statement_timeout: %v, want SQLSTATE 57014", err)
	}
}

// A serialization failure that fn swallowed still makes Update run fn
// again rather than commit.
func TestUpdateRetriesSerializationFailures(t *testing.T) {
	_, dsn := pgtest.Schema(t)
	s, err := Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	runs := 0
	err = s.Update(t.Context(), func(tx cognito.Tx) error {
		runs++
		if runs < 3 {
			return &pgconn.PgError{Code: "40001"}
		}
		return nil
	})
	if err != nil || runs != 3 {
		t.Fatalf("Update: %v after %d runs, want nil after 3", err, runs)
	}
	runs = 0
	err = s.Update(t.Context(), func(tx cognito.Tx) error { runs++; return &pgconn.PgError{Code: "40001"} })
	if err == nil || runs != updateAttempts {
		t.Fatalf("Update: %v after %d runs, want an error after %d", err, runs, updateAttempts)
	}
	if !errors.As(err, new(*pgconn.PgError)) {
		t.Errorf("Update's error %v is not fn's", err)
	}
}
