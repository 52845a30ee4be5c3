package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/postgres"
	"github.com/cognitod/cognitod/internal/store/sqlite"
)

// dbFlagHelp is the --db flag's help, shared by every command that opens
// the store.
const dbFlagHelp = "database: a SQLite file path (default <data-dir>/cognitod.db), or a postgres:// (postgresql://) URL (COGNITOD_DB)"

// openStore opens the store --db names: PostgreSQL for a postgres:// or
// postgresql:// URL, otherwise a SQLite file, created readable by us only
// (it holds sealed secrets; SQLite gives its -wal and -shm files the same
// mode). Errors name the database without its password.
func openStore(ctx context.Context, db string) (cognito.Store, error) {
	if postgres.IsDSN(db) {
		s, err := postgres.Open(ctx, db)
		if err != nil {
			return nil, fmt.Errorf("open database %s: %w", postgres.Redact(db), err)
		}
		return s, nil
	}
	if f, err := os.OpenFile(db, os.O_RDONLY|os.O_CREATE, 0o600); err == nil {
		f.Close()
	}
	s, err := sqlite.Open(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", db, err)
	}
	return s, nil
}

// openExistingStore opens the store of a deployment that must exist
// already (the keys and signing-keys commands): a missing SQLite file is
// an error rather than a new, empty database.
func openExistingStore(ctx context.Context, db string) (cognito.Store, error) {
	if !postgres.IsDSN(db) {
		if _, err := os.Stat(db); err != nil {
			return nil, err
		}
	}
	return openStore(ctx, db)
}

// dbLabel is how logs and the banner name the database.
func dbLabel(db string) string {
	if postgres.IsDSN(db) {
		return postgres.Redact(db)
	}
	return db
}

// migrateCmd is `cognitod migrate`: bring the database's schema up to
// date and exit, so that a deployment can migrate before it starts (or
// rolls) its instances. serve migrates at start too; both are safe to run
// from several machines at once.
func migrateCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir := fs.String("data-dir", envOr("DATA_DIR", "./cognitod-data"), "data directory (COGNITOD_DATA_DIR)")
	db := fs.String("db", envOr("DB", ""), dbFlagHelp)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("migrate: unexpected argument %q", fs.Arg(0))
	}
	if *db == "" {
		if err := os.MkdirAll(*dataDir, 0o700); err != nil {
			return err
		}
		*db = filepath.Join(*dataDir, "cognitod.db")
	}
	s, err := openStore(context.Background(), *db)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := s.Close(); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	fmt.Fprintf(stdout, "Migrated %s: the schema is up to date.\n", dbLabel(*db))
	return nil
}
