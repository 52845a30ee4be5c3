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
)

const benchUsage = "usage: cognitod bench token [--url URL] [--concurrency N] [--duration D] [--quotas lifted|on|compare] [--clients N --data-dir DIR [--db DB]]\n" +
	"                            [--triggers on|compare --pre-token-arn ARN [--trigger-claim NAME[=VALUE]]]\n" +
	"       cognitod bench admin [--url URL] [--concurrency N] [--duration D]"

// benchCmd runs `cognitod bench token` and `cognitod bench admin`.
func benchCmd(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "token" && args[0] != "admin") {
		return errors.New(benchUsage)
	}
	mode := args[0]
	fs := flag.NewFlagSet("bench "+mode, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := bench.Config{}
	fs.StringVar(&cfg.URL, "url", "http://127.0.0.1:9229", "URL of a running cognitod")
	fs.IntVar(&cfg.Concurrency, "concurrency", 32, "requests in flight")
	fs.DurationVar(&cfg.Duration, "duration", 10*time.Second, "how long to drive the endpoint (bench admin: each operation)")
	fs.StringVar(&cfg.Region, "region", "us-east-1", "region to create the benchmark pool in")
	fs.DurationVar(&cfg.SignDuration, "sign-duration", 3*time.Second, "token: how long to measure the raw RS256 signing rates (crypto/rsa, then openssl speed)")
	fs.StringVar(&cfg.Quotas, "quotas", bench.QuotasLifted, "token: the server's request-rate quotas for the benchmark pool: lifted (tag the pool cognitod:quotas=off), on (counted; start the server with limits above the load), or compare (one phase of each, and the difference)")
	fs.StringVar(&cfg.Triggers, "triggers", bench.TriggersOff, "token: the benchmark pool's pre token generation trigger: off, on (PreTokenGenerationConfig V3_0 with --pre-token-arn), or compare (one phase of each, and the difference); every token is checked for --trigger-claim")
	fs.StringVar(&cfg.PreTokenARN, "pre-token-arn", "", "token --triggers: the Lambda function ARN the server maps to the webhook with --trigger ARN=URL")
	fs.StringVar(&cfg.TriggerClaim, "trigger-claim", bench.DefaultTriggerClaim, "token --triggers: the claim the webhook adds, NAME or NAME=VALUE: every token with the trigger must carry it and every token without must not, or the run fails")
	openssl := fs.Bool("openssl", true, "token: also measure OpenSSL's RSA-2048 signing rate (openssl speed -multi <CPUs> rsa2048) and report the ratio to it")
	fs.IntVar(&cfg.Clients, "clients", 0, "token: seed this many app clients into the server's database (needs --data-dir/--db of the running server) and spread the requests over them at random")
	fs.StringVar(&cfg.MetricsURL, "metrics-url", "", "the server's /metrics: read for its resident memory (token --clients) and its CPU time per request (admin) (default <url>/metrics)")
	dataDir := fs.String("data-dir", envOr("DATA_DIR", "./cognitod-data"), "token --clients: the running server's data directory (its master key; COGNITOD_DATA_DIR)")
	db := fs.String("db", envOr("DB", ""), "token --clients: the running server's "+dbFlagHelp)
	creds := fs.String("credentials", "", "AWS credentials file with a [cognitod] profile (default <data-dir>/credentials)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if cfg.Clients < 0 || cfg.Clients > cognito.MaxSeedClients {
		return fmt.Errorf("bench: --clients %d: want 0 to %d", cfg.Clients, cognito.MaxSeedClients)
	}
	if *creds == "" {
		*creds = filepath.Join(*dataDir, "credentials")
	}
	cfg.NoOpenSSL = !*openssl
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
	ctx := context.Background()
	if mode == "admin" {
		fmt.Fprintf(stdout, "Driving signed DescribeResourceServer, then ListResourceServers, %d concurrent, %s each, at %s...\n", cfg.Concurrency, cfg.Duration, cfg.URL)
		rep, err := bench.RunAdmin(ctx, cfg)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, rep)
		return nil
	}
	if cfg.Clients > 0 {
		if *db == "" {
			*db = filepath.Join(*dataDir, "cognitod.db")
		}
		cfg.Seed = seeder(*dataDir, *db)
	}
	fmt.Fprintf(stdout, "Measuring raw RS256 signing for %s, then %d concurrent token requests to %s for %s...\n", cfg.SignDuration, cfg.Concurrency, cfg.URL, cfg.Duration)
	rep, err := bench.Run(ctx, cfg)
	if err != nil {
		return err
	}
	if on := rep.QuotasChecked; on != nil {
		fmt.Fprintln(stdout, on)
	}
	if with := rep.WithTrigger; with != nil {
		fmt.Fprintln(stdout, with)
	}
	fmt.Fprintln(stdout, rep)
	if c := rep.Comparison(); c != "" {
		fmt.Fprintln(stdout, c)
	}
	if c := rep.TriggerComparison(); c != "" {
		fmt.Fprintln(stdout, c)
	}
	return nil
}

// seeder writes a --clients run's clients into the running server's
// database, sealed with its master key, in a few large transactions
// (cognito.Service.SeedClientClones).
func seeder(dataDir, db string) func(ctx context.Context, poolID, template string, n int) ([]bench.Credential, error) {
	return func(ctx context.Context, poolID, template string, n int) ([]bench.Credential, error) {
		env := os.Getenv("COGNITOD_MASTER_KEY")
		if _, err := os.Stat(filepath.Join(dataDir, "master.key")); env == "" && err != nil {
			// Not made here: clients sealed with a new key would not
			// authenticate at the server.
			return nil, fmt.Errorf("the server's master key: %w (give --data-dir of the running server, or COGNITOD_MASTER_KEY)", err)
		}
		masterKey, _, err := server.MasterKey(env, dataDir)
		if err != nil {
			return nil, err
		}
		sealer, err := cognito.NewSealer(masterKey)
		if err != nil {
			return nil, err
		}
		store, err := openExistingStore(ctx, db)
		if err != nil {
			return nil, fmt.Errorf("the server's database: %w", err)
		}
		defer store.Close()
		svc, err := cognito.NewService(cognito.Config{Store: store, Sealer: sealer})
		if err != nil {
			return nil, err
		}
		seeded, err := svc.SeedClientClones(ctx, poolID, template, n)
		if err != nil {
			return nil, err
		}
		out := make([]bench.Credential, len(seeded))
		for i, c := range seeded {
			out[i] = bench.Credential{ID: c.ClientID, Secret: c.Secret}
		}
		return out, nil
	}
}
