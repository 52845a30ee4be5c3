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

	"github.com/cognitod/cognitod/internal/bench"
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

// benchCmd runs `cognitod bench token`.
func benchCmd(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "token" {
		return errors.New("usage: cognitod bench token [--url URL] [--concurrency N] [--duration D] [--quotas lifted|on|compare]")
	}
	fs := flag.NewFlagSet("bench token", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := bench.Config{}
	fs.StringVar(&cfg.URL, "url", "http://127.0.0.1:9229", "URL of a running cognitod")
	fs.IntVar(&cfg.Concurrency, "concurrency", 32, "requests in flight")
	fs.DurationVar(&cfg.Duration, "duration", 10*time.Second, "how long to drive the token endpoint")
	fs.DurationVar(&cfg.SignDuration, "sign-duration", 3*time.Second, "how long to measure the raw RS256 signing rate")
	fs.StringVar(&cfg.Region, "region", "us-east-1", "region to create the benchmark pool in")
	fs.StringVar(&cfg.Quotas, "quotas", bench.QuotasLifted, "the server's request-rate quotas for the benchmark pool: lifted (tag the pool cognitod:quotas=off), on (counted; start the server with limits above the load), or compare (one phase of each, and the difference)")
	creds := fs.String("credentials", filepath.Join(envOr("DATA_DIR", "./cognitod-data"), "credentials"), "AWS credentials file with a [cognitod] profile")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	cfg.AccessKeyID, cfg.Secret = os.Getenv("COGNITOD_ROOT_ACCESS_KEY_ID"), os.Getenv("COGNITOD_ROOT_SECRET_ACCESS_KEY")
	if cfg.AccessKeyID == "" {
		var err error
		if cfg.AccessKeyID, cfg.Secret, err = bench.ReadCredentials(*creds); err != nil {
			return fmt.Errorf("bench: %w (set COGNITOD_ROOT_ACCESS_KEY_ID and COGNITOD_ROOT_SECRET_ACCESS_KEY, or --credentials)", err)
		}
	}
	if cfg.Duration > 10*time.Minute {
		return errors.New("bench: --duration is capped at 10m")
	}
	if !strings.HasPrefix(cfg.URL, "http://") && !strings.HasPrefix(cfg.URL, "https://") {
		return fmt.Errorf("bench: --url %q is not an http(s) URL", cfg.URL)
	}
	fmt.Fprintf(stdout, "Measuring raw RS256 signing for %s, then %d concurrent token requests to %s for %s...\n", cfg.SignDuration, cfg.Concurrency, cfg.URL, cfg.Duration)
	rep, err := bench.Run(context.Background(), cfg)
	if err != nil {
		return err
	}
	if on := rep.QuotasChecked; on != nil {
		fmt.Fprintln(stdout, on)
	}
	fmt.Fprintln(stdout, rep)
	if c := rep.Comparison(); c != "" {
		fmt.Fprintln(stdout, c)
	}
	return nil
}
