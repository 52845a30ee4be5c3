package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// migrationFiles holds the schema, one file per version: NNNN_name.sql,
// numbered from 0001 without gaps. A released file is never edited; a
// change is a new file. These versions are PostgreSQL's own, unrelated to
// the SQLite backend's.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations returns the migrations of fsys (migrations/*.sql) in
// version order, refusing gaps and duplicates.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, name := range names {
		base := path.Base(name)
		num, _, ok := strings.Cut(base, "_")
		if !ok {
			return nil, fmt.Errorf("migration %s: name is not NNNN_name.sql", base)
		}
		v, err := strconv.Atoi(num)
		if err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: bad version %q", base, num)
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: version %d, want %d (versions must run 1, 2, ... without gaps)", m.name, m.version, i+1)
		}
	}
	return ms, nil
}

func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	ms, err := loadMigrations(migrationFiles)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return applyMigrations(ctx, pool, ms)
}

// Migrate opens the database dsn names, brings its schema up to date and
// closes it: `cognitod migrate`.
func Migrate(ctx context.Context, dsn string) error {
	s, err := Open(ctx, dsn)
	if err != nil {
		return err
	}
	return s.Close()
}

// applyMigrations applies the migrations of ms that the schema lacks, in
// one transaction that first takes an advisory lock scoped to the schema:
// instances starting at once wait for each other, and the later ones find
// the work done. It refuses a schema newer than this build.
func applyMigrations(ctx context.Context, pool *pgxpool.Pool, ms []migration) error {
	st, err := pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted})
	if err != nil {
		return fmt.Errorf("migrate: begin: %w", err)
	}
	defer st.Rollback(context.WithoutCancel(ctx))

	// A migration may rewrite large tables, and the lock may be held by
	// another instance doing so: the bounds of ordinary statements do not
	// apply, generous ones do.
	if _, err := st.Exec(ctx, `SET LOCAL statement_timeout = '15min'`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := st.Exec(ctx, `SET LOCAL lock_timeout = '15min'`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var schema *string
	if err := st.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return fmt.Errorf("migrate: read schema: %w", err)
	}
	if schema == nil {
		return fmt.Errorf("migrate: no schema of search_path exists; create it first")
	}
	// Read committed: each statement after the lock sees what the
	// previous holder committed.
	if _, err := st.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('cognitod migrate ' || $1::text))`, *schema); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	if _, err := st.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER NOT NULL PRIMARY KEY,
	applied_ms BIGINT  NOT NULL
)`); err != nil {
		return fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	var current int
	if err := st.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return fmt.Errorf("migrate: read version: %w", err)
	}
	if current > len(ms) {
		return fmt.Errorf("migrate: database schema version %d is newer than this build's %d; run a newer cognitod", current, len(ms))
	}
	if current == len(ms) {
		return nil
	}
	now := time.Now().UnixMilli()
	for _, m := range ms[current:] {
		if _, err := st.Exec(ctx, m.sql); err != nil {
			return fmt.Errorf("migrate: apply %s: %w", m.name, err)
		}
		if _, err := st.Exec(ctx, `INSERT INTO schema_migrations (version, applied_ms) VALUES ($1, $2)`, m.version, now); err != nil {
			return fmt.Errorf("migrate: record %s: %w", m.name, err)
		}
	}
	if err := st.Commit(ctx); err != nil {
		return fmt.Errorf("migrate: commit: %w", err)
	}
	return nil
}
