// Package pgtest gives tests a fresh PostgreSQL schema of their own on the
// test server: 127.0.0.1:5432, user postgres, database test, or the DSN in
// COGNITOD_TEST_POSTGRES. When COGNITOD_TEST_POSTGRES is unset and nothing
// answers at 127.0.0.1:5432, the schema is made on a throwaway cluster
// instead (cluster.go): one per test binary when the package's TestMain
// runs through Main, else one per test. It skips the test when neither is
// possible, except under CI=true, where PostgreSQL is part of the
// environment and its absence is a failure.
//
// Cluster gives a test a throwaway cluster of its own, which it may stop
// and start (fault tests); the shared server is never stopped or
// reconfigured.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultDSN is the test server when COGNITOD_TEST_POSTGRES is unset.
const DefaultDSN = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// AdminDSN is the DSN of the test server's database.
func AdminDSN() string {
	if v := os.Getenv("COGNITOD_TEST_POSTGRES"); v != "" {
		return v
	}
	return defaultDSN
}

// defaultDSN is DefaultDSN; the package's own tests point it at a closed
// port to exercise the fallback.
var defaultDSN = DefaultDSN

// Schema creates a schema named cognitod_test_<random>, drops it (CASCADE)
// when the test ends, and returns its name and a DSN whose search_path is
// that schema.
func Schema(t testing.TB) (name, dsn string) {
	t.Helper()
	admin := AdminDSN()
	u, err := url.Parse(admin)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("pgtest: COGNITOD_TEST_POSTGRES must be a postgres:// URL")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cfg, err := pgx.ParseConfig(admin)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	cfg.ConnectTimeout = 3 * time.Second
	c, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil && os.Getenv("COGNITOD_TEST_POSTGRES") == "" {
		// No shared server: a throwaway cluster instead.
		fb, ferr := fallbackAdmin(t)
		if ferr != nil {
			err = fmt.Errorf("%w; and %w", err, ferr)
		} else if cfg, err = pgx.ParseConfig(fb); err == nil {
			u, _ = url.Parse(fb)
			c, err = pgx.ConnectConfig(ctx, cfg)
		}
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("pgtest: PostgreSQL at %s:%d is unreachable, and CI=true requires it: %v", cfg.Host, cfg.Port, err)
		}
		t.Skipf("pgtest: skipping: no PostgreSQL at %s:%d and no throwaway cluster (set COGNITOD_TEST_POSTGRES to a postgres:// URL or install PostgreSQL's server binaries; CI=true makes this a failure): %v", cfg.Host, cfg.Port, err)
	}
	defer c.Close(context.Background())

	var b [8]byte
	_, _ = rand.Read(b[:])
	name = "cognitod_test_" + hex.EncodeToString(b[:])
	if _, err := c.Exec(ctx, "CREATE SCHEMA "+name); err != nil {
		t.Fatalf("pgtest: create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.ConnectConfig(ctx, cfg)
		if err != nil {
			t.Errorf("pgtest: drop schema %s: %v", name, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP SCHEMA "+name+" CASCADE"); err != nil {
			t.Errorf("pgtest: drop schema %s: %v", name, err)
		}
	})
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return name, u.String()
}

// fallback is the test binary's throwaway cluster, started by the first
// Schema that finds no shared server, when Main runs the binary's tests.
var fallback struct {
	main bool // Main is running the tests
	once sync.Once
	c    *ClusterHandle
	err  error
}

// Main runs the tests (m.Run) and then removes the throwaway cluster
// Schema may have started for them, returning m.Run's code. A package
// whose tests use Schema calls it from TestMain, so that a machine without
// the shared server starts one cluster for the package, not one per test:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
func Main(m *testing.M) int {
	fallback.main = true
	code := m.Run()
	if fallback.c != nil {
		if err := fallback.c.Remove(); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest: remove the throwaway cluster:", err)
		}
	}
	return code
}

// fallbackAdmin returns the DSN of a throwaway cluster for Schema: the
// binary's one under Main, else one for t alone.
func fallbackAdmin(t testing.TB) (string, error) {
	if !fallback.main {
		c, err := StartCluster()
		if err != nil {
			return "", err
		}
		t.Cleanup(func() { c.Remove() }) // after the schema's own cleanup, which was registered later
		return c.DSN(), nil
	}
	fallback.once.Do(func() { fallback.c, fallback.err = StartCluster() })
	if fallback.err != nil {
		return "", fallback.err
	}
	return fallback.c.DSN(), nil
}
