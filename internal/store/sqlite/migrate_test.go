package sqlite

import (
	"database/sql"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

type appliedRow struct {
	Version   int
	AppliedMS int64
}

func applied(t *testing.T, db *sql.DB) []appliedRow {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), `SELECT version, applied_ms FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatalf("read schema_migrations: %v", err)
	}
	defer rows.Close()
	var out []appliedRow
	for rows.Next() {
		var r appliedRow
		if err := rows.Scan(&r.Version, &r.AppliedMS); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func openRaw(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path+"?"+writerParams)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

func mustOpen(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatalf("Open(%q): got error %v, want nil", path, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestMigrationsWellFormed(t *testing.T) {
	ms, err := loadMigrations()
	if err != nil {
		t.Fatalf("loadMigrations: %v", err)
	}
	if len(ms) == 0 {
		t.Fatal("no migrations embedded")
	}
	for i, m := range ms {
		if m.version != i+1 || strings.TrimSpace(m.sql) == "" {
			t.Errorf("migration %d: got version %d (%s, %d bytes), want version %d with SQL", i, m.version, m.name, len(m.sql), i+1)
		}
	}
}

func TestMigrateFreshAndReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db.sqlite")
	s := mustOpen(t, path)
	first := applied(t, s.w)
	if len(first) != latestVersion() || first[len(first)-1].Version != latestVersion() {
		t.Fatalf("schema_migrations on a fresh file: got %v, want versions 1..%d", first, latestVersion())
	}
	var tables []string
	rows, err := s.r.QueryContext(t.Context(), `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	want := []string{"access_keys", "app_clients", "auth_codes", "domains", "generation", "group_members", "refresh_tokens", "resource_servers", "schema_migrations", "shared_state", "signing_keys", "ui_customizations", "user_codes", "user_groups", "user_mfa", "user_pools", "users"}
	if !reflect.DeepEqual(tables, want) {
		t.Errorf("tables: got %v, want %v", tables, want)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	for range 2 {
		s := mustOpen(t, path)
		if got := applied(t, s.w); !reflect.DeepEqual(got, first) {
			t.Errorf("schema_migrations after reopen: got %v, want %v unchanged", got, first)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestMigrateRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db.sqlite")
	s := mustOpen(t, path)
	s.Close()
	db := openRaw(t, path)
	if _, err := db.ExecContext(t.Context(), `INSERT INTO schema_migrations (version, applied_ms) VALUES (?, 0)`, latestVersion()+1); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s2, err := Open(t.Context(), path)
	if err == nil {
		s2.Close()
		t.Fatalf("Open of a file with schema version %d: got nil error, want one", latestVersion()+1)
	}
	if !strings.Contains(err.Error(), "newer") {
		t.Errorf("Open: got error %q, want one saying the schema is newer", err)
	}
}

func TestMigrateIsAtomic(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db.sqlite")
	db := openRaw(t, path)
	ms := []migration{
		{version: 1, name: "0001_a.sql", sql: `CREATE TABLE a (x INTEGER) STRICT;`},
		{version: 2, name: "0002_b.sql", sql: `CREATE TABLE b (x INTEGER) STRICT; INSERT INTO nope VALUES (1);`},
	}
	if err := applyMigrations(t.Context(), db, ms); err == nil {
		t.Fatal("applyMigrations with a failing migration: got nil error, want one")
	}
	var n int
	if err := db.QueryRowContext(t.Context(), `SELECT count(*) FROM sqlite_schema WHERE type = 'table'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("tables after a failed migration run: got %d, want 0 (all or nothing)", n)
	}

	// Applied one at a time: version 1 now, version 2 later.
	if err := applyMigrations(t.Context(), db, ms[:1]); err != nil {
		t.Fatalf("applyMigrations(v1): %v", err)
	}
	ms[1].sql = `CREATE TABLE b (x INTEGER) STRICT;`
	if err := applyMigrations(t.Context(), db, ms); err != nil {
		t.Fatalf("applyMigrations(v1, v2): %v", err)
	}
	if got := applied(t, db); len(got) != 2 || got[0].Version != 1 || got[1].Version != 2 {
		t.Errorf("schema_migrations: got %v, want versions 1 and 2", got)
	}
}

func TestPragmas(t *testing.T) {
	s := mustOpen(t, filepath.Join(t.TempDir(), "db.sqlite"))
	ctx := t.Context()
	for _, c := range []struct {
		db     *sql.DB
		name   string
		pragma string
		want   string
	}{
		{s.w, "writer", "journal_mode", "wal"},
		{s.w, "writer", "synchronous", "2"},
		{s.w, "writer", "foreign_keys", "1"},
		{s.w, "writer", "busy_timeout", "5000"},
		{s.r, "reader", "query_only", "1"},
		{s.r, "reader", "busy_timeout", "5000"},
	} {
		var got string
		if err := c.db.QueryRowContext(ctx, "PRAGMA "+c.pragma).Scan(&got); err != nil {
			t.Fatalf("%s PRAGMA %s: %v", c.name, c.pragma, err)
		}
		if got != c.want {
			t.Errorf("%s PRAGMA %s: got %q, want %q", c.name, c.pragma, got, c.want)
		}
	}
	if _, err := s.r.ExecContext(ctx, `DELETE FROM access_keys`); err == nil {
		t.Errorf("write through the read pool: got nil error, want query_only to refuse it")
	}
}
