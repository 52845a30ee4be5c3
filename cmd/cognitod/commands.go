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
	"github.com/cognitod/cognitod/internal/server"
	"github.com/cognitod/cognitod/internal/token"
)

// envOr returns the COGNITOD_<name> environment variable, or def.
func envOr(name, def string) string {
	if v, ok := os.LookupEnv("COGNITOD_" + name); ok {
		return v
	}
	return def
}

// signingKeysCmd runs `cognitod signing-keys rotate --pool <id>` (also
// spelt `cognitod keys rotate --pool <id>`, its older name).
func signingKeysCmd(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "rotate" {
		return errors.New("usage: cognitod signing-keys rotate --pool <user pool ID> [--data-dir DIR] [--db FILE]")
	}
	fs := flag.NewFlagSet("signing-keys rotate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	pool := fs.String("pool", "", "user pool ID whose signing keys to rotate")
	dataDir := fs.String("data-dir", envOr("DATA_DIR", "./cognitod-data"), "data directory (COGNITOD_DATA_DIR)")
	db := fs.String("db", envOr("DB", ""), dbFlagHelp)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *pool == "" {
		return errors.New("keys rotate: --pool is required")
	}
	if *db == "" {
		*db = filepath.Join(*dataDir, "cognitod.db")
	}
	ctx := context.Background()
	masterKey, _, err := server.MasterKey(os.Getenv("COGNITOD_MASTER_KEY"), *dataDir)
	if err != nil {
		return err
	}
	sealer, err := cognito.NewSealer(masterKey)
	if err != nil {
		return err
	}
	store, err := openExistingStore(ctx, *db)
	if err != nil {
		return fmt.Errorf("keys rotate: %w", err)
	}
	defer store.Close()
	if _, err := store.GetUserPool(ctx, *pool); err != nil {
		return fmt.Errorf("keys rotate: user pool %s: %w", *pool, err)
	}
	kid, err := token.NewKeys(store, sealer, nil, nil).Rotate(ctx, *pool)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Rotated the signing keys of %s: %s signs now; the previous key stays in the JWKS for %s.\n", *pool, kid, token.MaxTokenLifetime)
	return nil
}
