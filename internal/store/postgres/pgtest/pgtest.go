// Package pgtest gives tests a fresh PostgreSQL schema of their own on the
// test server: 127.0.0.1:5432, user postgres, database test, or the DSN in
// COGNITOD_TEST_POSTGRES. It skips the test when no server answers, except
// under CI=true, where the server is part of the environment and its
// absence is a failure.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
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
	return DefaultDSN
}

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
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("pgtest: PostgreSQL at %s:%d is unreachable, and CI=true requires it: %v", cfg.Host, cfg.Port, err)
		}
		t.Skipf("pgtest: skipping: no PostgreSQL at %s:%d (set COGNITOD_TEST_POSTGRES to a postgres:// URL; CI=true makes this a failure): %v", cfg.Host, cfg.Port, err)
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
