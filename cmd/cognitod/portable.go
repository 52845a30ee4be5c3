package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/server"
	"github.com/cognitod/cognitod/internal/store/postgres"
)

// `cognitod export` and `cognitod import` move a whole deployment (see
// cognito.Deployment) between data directories and backends as one JSON
// document. Both work on the database directly, through cognito.Store.

const portableUsage = `usage:
  cognitod export [--data-dir DIR] [--db FILE] [--region R,...] [--out FILE|-]
  cognitod import [--data-dir DIR] [--db FILE] --in FILE|-
the document holds sealed secrets and password hashes: keep it as you keep master.key`

// portableSealer reads a data directory's master key. It never creates
// one: a new key could not open what a document holds, so import asks for
// the source's instead.
func portableSealer(dataDir string) (*cognito.Sealer, error) {
	env := os.Getenv("COGNITOD_MASTER_KEY")
	if env == "" {
		if _, err := os.Stat(filepath.Join(dataDir, "master.key")); err != nil {
			return nil, fmt.Errorf("no master key: set COGNITOD_MASTER_KEY or put the source deployment's master.key in %s (%v)", dataDir, err)
		}
	}
	key, _, err := server.MasterKey(env, dataDir)
	if err != nil {
		return nil, err
	}
	return cognito.NewSealer(key)
}

// portableOpen opens the database of a data directory (a SQLite file, or
// PostgreSQL when db is a postgres:// URL); import creates a SQLite file
// (readable by us only, as serve does), export wants it to exist.
func portableOpen(dataDir, db string, create bool) (cognito.Store, error) {
	if db == "" {
		db = filepath.Join(dataDir, "cognitod.db")
	}
	if !create {
		return openExistingStore(context.Background(), db)
	}
	if !postgres.IsDSN(db) {
		if err := os.MkdirAll(filepath.Dir(db), 0o700); err != nil {
			return nil, err
		}
	}
	return openStore(context.Background(), db)
}

func exportCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir := fs.String("data-dir", envOr("DATA_DIR", "./cognitod-data"), "data directory (COGNITOD_DATA_DIR)")
	db := fs.String("db", envOr("DB", ""), "database file (default <data-dir>/cognitod.db) (COGNITOD_DB)")
	out := fs.String("out", "-", "write the document to this file (mode 0600), or - for standard output")
	regions := fs.String("region", "", "more regions to export pools from, comma-separated (every AWS region is exported already)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return errors.New(portableUsage)
	}
	list := cognito.ExportRegions
	for _, r := range strings.Split(*regions, ",") {
		if r = strings.TrimSpace(r); r == "" {
			continue
		}
		if !cognito.ValidRegion(r) {
			return fmt.Errorf("export: %q is not a region name", r)
		}
		list = append(list, r)
	}
	sealer, err := portableSealer(*dataDir)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	st, err := portableOpen(*dataDir, *db, false)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer st.Close()
	// One read transaction, so the document is one consistent snapshot.
	var d *cognito.Deployment
	if err := st.Update(context.Background(), func(tx cognito.Tx) error {
		var err error
		d, err = cognito.ExportDeployment(context.Background(), tx, sealer, list, time.Now())
		return err
	}); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	w := stdout
	if *out != "-" {
		f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		defer f.Close()
		w = f
	}
	if err := cognito.EncodeDeployment(w, d); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if f, ok := w.(*os.File); ok && f != os.Stdout {
		if err := f.Sync(); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	}
	users := 0
	for _, p := range d.UserPools {
		users += len(p.Users)
	}
	fmt.Fprintf(stderr, "Exported %d user pools, %d users and %d access keys.\n", len(d.UserPools), users, len(d.AccessKeys))
	fmt.Fprintln(stderr, "The document is sensitive: it holds sealed secrets and password hashes, usable with this deployment's master key. Keep it as you keep master.key.")
	return nil
}

func importCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir := fs.String("data-dir", envOr("DATA_DIR", "./cognitod-data"), "data directory (COGNITOD_DATA_DIR)")
	db := fs.String("db", envOr("DB", ""), "database file (default <data-dir>/cognitod.db) (COGNITOD_DB)")
	in := fs.String("in", "", "the document to import, or - for standard input")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 || *in == "" {
		return errors.New(portableUsage)
	}
	r := io.Reader(os.Stdin)
	if *in != "-" {
		f, err := os.Open(*in)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		defer f.Close()
		r = f
	}
	d, err := cognito.DecodeDeployment(r)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	sealer, err := portableSealer(*dataDir)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	// Checked before the database is even created: a refused document
	// leaves nothing behind.
	if err := d.CheckKey(sealer); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	st, err := portableOpen(*dataDir, *db, true)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer st.Close()
	sum, err := cognito.ImportDeployment(context.Background(), st, sealer, d)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	fmt.Fprintf(stdout, "Imported %d access keys, %d user pools, %d app clients, %d resource servers, %d domains, %d groups (%d memberships), %d users, %d signing keys.\n",
		sum.AccessKeys, sum.UserPools, sum.AppClients, sum.ResourceServers, sum.Domains, sum.Groups, sum.Members, sum.Users, sum.SigningKeys)
	for _, id := range sum.SkippedRootKeys {
		fmt.Fprintf(stdout, "Root key %s was already here; the one here is kept.\n", id)
	}
	return nil
}
