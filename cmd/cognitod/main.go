// Command cognitod is a self-hosted authorization server that speaks
// Amazon Cognito's user pool API and OAuth 2.0 endpoints.
//
//	cognitod serve [flags]
//	cognitod keys create|list|delete|rotate|set-policy ...
//	cognitod signing-keys rotate --pool <id>   (also: keys rotate --pool <id>)
//	cognitod bench token [--url URL] [--concurrency N] [--duration D] [--clients N]
//	cognitod bench admin [--url URL] [--concurrency N] [--duration D]
//	cognitod export [--out FILE] / cognitod import --in FILE   (portable.go)
//
// Every flag has a COGNITOD_* environment twin (--data-dir and
// COGNITOD_DATA_DIR); a flag given on the command line wins.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/heapfloor"
	"github.com/cognitod/cognitod/internal/mail"
	"github.com/cognitod/cognitod/internal/ratelimit"
	"github.com/cognitod/cognitod/internal/server"
)

const usage = `cognitod: a self-hosted, Cognito-compatible authorization server.

Usage:
  cognitod serve [flags]              start the server (cognitod serve -h lists the flags)
  cognitod keys create --name NAME [--policy FILE]
                                      make an access key limited by an IAM-style policy
  cognitod keys list|delete ID|rotate ID|set-policy ID --policy FILE
                                      list and manage access keys (secrets are never listed)
  cognitod signing-keys rotate --pool <id>
                                      promote a pool's next signing key and make a new next key
                                      (also spelt: cognitod keys rotate --pool <id>)
  cognitod bench token [flags]        measure the token endpoint of a running server
  cognitod bench admin [flags]        measure signed DescribeResourceServer / ListResourceServers
  cognitod export [--out FILE]        write the whole deployment as one JSON document (sensitive)
  cognitod import --in FILE           load such a document into an empty deployment (same master key)
  cognitod migrate [--db DB]          bring the database's schema up to date and exit
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "serve":
		err = serve(os.Args[2:], os.Stdout, os.Stderr)
	case "migrate":
		err = migrateCmd(os.Args[2:], os.Stdout, os.Stderr)
	case "keys":
		err = keysCmd(os.Args[2:], os.Stdout, os.Stderr)
	case "signing-keys":
		err = signingKeysCmd(os.Args[2:], os.Stdout, os.Stderr)
	case "bench":
		err = benchCmd(os.Args[2:], os.Stdout, os.Stderr)
	case "export":
		err = exportCmd(os.Args[2:], os.Stdout, os.Stderr) // portable.go
	case "import":
		err = importCmd(os.Args[2:], os.Stdout, os.Stderr) // portable.go
	case "-h", "--help", "help":
		fmt.Print(usage)
		return
	default:
		fmt.Fprintf(os.Stderr, "cognitod: unknown command %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "cognitod: %v\n", err)
		os.Exit(1)
	}
}

type serveConfig struct {
	addr, dataDir, db, accountID, publicURL, domainSuffix, logLevel string
	limits                                                          cognito.Limits
	rootKeyID, rootSecret, masterKey                                string
	// smtpURL carries the SMTP password: it is never printed, and the
	// environment's value is not a flag default (-h would show it).
	smtpURL string
	mailer  *mail.Sender
	sms     smsFlags   // sms.go
	tls     tlsOptions // tls.go
	// quotaFlags and quotas: request-rate settings (quotas.go).
	quotaFlags *quotaFlags
	quotas     server.QuotaOptions
	observe    observeConfig // metrics.go
	signer     string        // --signer (signer.go)
	triggers   *triggerFlags // triggers.go
	// gcHeapFloorMiB is --gc-heap-floor: the smallest heap goal the
	// collector is given, in MiB (0: GOGC alone).
	gcHeapFloorMiB int
}

// parseServe reads flags, with COGNITOD_* environment variables as
// defaults, and validates them all at once.
func parseServe(args []string, stderr io.Writer) (*serveConfig, error) {
	c := &serveConfig{}
	fs := serveFlags(c)
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("serve: unexpected argument %q", fs.Arg(0))
	}
	if err := c.check(fs); err != nil {
		return nil, err
	}
	return c, nil
}

// serveFlags registers serve's flags, which fill c; each has its
// environment twin (env.go).
func serveFlags(c *serveConfig) *flag.FlagSet {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	d := cognito.DefaultLimits()
	fs.StringVar(&c.addr, "addr", "127.0.0.1:9229", "address to listen on (COGNITOD_ADDR)")
	fs.StringVar(&c.dataDir, "data-dir", "./cognitod-data", "directory for the database, master key and credentials (COGNITOD_DATA_DIR)")
	fs.StringVar(&c.db, "db", "", dbFlagHelp)
	fs.StringVar(&c.accountID, "account-id", "000000000000", "AWS account ID shown in ARNs (COGNITOD_ACCOUNT_ID)")
	fs.StringVar(&c.publicURL, "public-url", "http://localhost:9229", "URL clients use to reach the server; issuers derive from it (COGNITOD_PUBLIC_URL)")
	fs.StringVar(&c.domainSuffix, "domain-suffix", "localhost", "suffix of pool domains: <prefix>.auth.<region>.<suffix> (COGNITOD_DOMAIN_SUFFIX)")
	fs.StringVar(&c.logLevel, "log-level", "info", "debug, info, warn or error (COGNITOD_LOG_LEVEL)")
	fs.StringVar(&c.smtpURL, "smtp-url", "", "send users' codes and temporary passwords by SMTP: smtp://user:pass@host:port (STARTTLS when offered) or smtps://... (implicit TLS); default: write them to the log (COGNITOD_SMTP_URL)")
	fs.IntVar(&c.limits.UserPoolsPerRegion, "max-user-pools", d.UserPoolsPerRegion, "user pools per region (COGNITOD_MAX_USER_POOLS)")
	fs.IntVar(&c.limits.AppClientsPerPool, "max-app-clients", d.AppClientsPerPool, "app clients per user pool (COGNITOD_MAX_APP_CLIENTS)")
	fs.IntVar(&c.limits.ResourceServersPerPool, "max-resource-servers", d.ResourceServersPerPool, "resource servers per user pool (COGNITOD_MAX_RESOURCE_SERVERS)")
	fs.IntVar(&c.limits.ScopesPerResourceServer, "max-scopes", d.ScopesPerResourceServer, "custom scopes per resource server, at most 100 (COGNITOD_MAX_SCOPES)")
	fs.IntVar(&c.limits.GroupsPerPool, "max-groups", d.GroupsPerPool, "groups per user pool (COGNITOD_MAX_GROUPS)")
	fs.IntVar(&c.limits.GroupsPerUser, "max-groups-per-user", d.GroupsPerUser, "groups a user can belong to (COGNITOD_MAX_GROUPS_PER_USER)")
	fs.IntVar(&c.gcHeapFloorMiB, "gc-heap-floor", 64, "MiB of heap the garbage collector may fill before it runs, whatever the live heap (GOGC applies above it); 0: GOGC alone (COGNITOD_GC_HEAP_FLOOR)")
	addTLSFlags(fs, c)
	addQuotaFlags(fs, c)
	addMetricsFlags(fs, c)
	addSignerFlag(fs, c)
	addTriggerFlags(fs, c) // triggers.go
	addSMSFlags(fs, c)
	return fs
}

// check reads the environment's twins of the flags fs's command line did
// not set, and the variables that have no flag, and validates them all at
// once.
func (c *serveConfig) check(fs *flag.FlagSet) error {
	c.rootKeyID = os.Getenv("COGNITOD_ROOT_ACCESS_KEY_ID")
	c.rootSecret = os.Getenv("COGNITOD_ROOT_SECRET_ACCESS_KEY")
	c.masterKey = os.Getenv("COGNITOD_MASTER_KEY")
	problems := applyEnv(fs) // env.go
	problems = append(problems, checkTLSFlags(fs, c)...)
	problems = append(problems, checkSMSFlags(c)...)
	var quotaProblems []string
	c.quotas, quotaProblems = c.quotaOptions() // quotas.go
	problems = append(problems, quotaProblems...)
	if c.smtpURL != "" {
		m, err := mail.New(c.smtpURL)
		if err != nil {
			problems = append(problems, "--smtp-url: "+err.Error()) // mail's errors never quote the password
		}
		c.mailer = m
	}
	if _, _, err := net.SplitHostPort(c.addr); err != nil {
		problems = append(problems, fmt.Sprintf("--addr %q: %v", c.addr, err))
	}
	if u, err := url.Parse(c.publicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		problems = append(problems, fmt.Sprintf("--public-url %q: want an absolute http(s) URL", c.publicURL))
	}
	if len(c.accountID) != 12 || strings.Trim(c.accountID, "0123456789") != "" {
		problems = append(problems, fmt.Sprintf("--account-id %q: want 12 digits", c.accountID))
	}
	if (c.rootKeyID == "") != (c.rootSecret == "") {
		problems = append(problems, "COGNITOD_ROOT_ACCESS_KEY_ID and COGNITOD_ROOT_SECRET_ACCESS_KEY must be set together")
	}
	// AWS secret access keys are 40 characters of base64 (about 240
	// bits). A root secret is the whole of the API's authentication and
	// SigV4 lets anyone who has one signed request try guesses offline,
	// with no lockout to slow them: a short, memorable secret falls to a
	// dictionary. 32 characters still fits the hand-made keys CI systems
	// use while keeping well over 128 bits even from a small alphabet.
	if c.rootSecret != "" && len(c.rootSecret) < minRootSecret {
		problems = append(problems, fmt.Sprintf("COGNITOD_ROOT_SECRET_ACCESS_KEY is %d characters: use at least %d (AWS secret keys are 40), e.g. openssl rand -base64 30", len(c.rootSecret), minRootSecret))
	}
	if c.limits.ScopesPerResourceServer > 100 {
		problems = append(problems, "--max-scopes: the cognito-idp API carries at most 100 scopes per resource server")
	}
	if c.gcHeapFloorMiB < 0 || c.gcHeapFloorMiB > 1<<20 {
		problems = append(problems, fmt.Sprintf("--gc-heap-floor %d: want 0 to 1048576 MiB", c.gcHeapFloorMiB))
	}
	problems = append(problems, c.observe.problems()...)
	problems = append(problems, signerProblems(c)...)
	problems = append(problems, c.triggers.check()...) // triggers.go
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		problems = append(problems, fmt.Sprintf("--log-level %q: %v", c.logLevel, err))
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	if c.db == "" {
		c.db = filepath.Join(c.dataDir, "cognitod.db")
	}
	c.publicURL = strings.TrimRight(c.publicURL, "/")
	return nil
}

// minRootSecret is the shortest root secret access key serve accepts
// (see serveConfig.check).
const minRootSecret = 32

func serve(args []string, stdout, stderr io.Writer) error {
	cfg, err := parseServe(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	var level slog.Level
	level.UnmarshalText([]byte(cfg.logLevel))
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if err := os.MkdirAll(cfg.dataDir, 0o700); err != nil {
		return err
	}
	masterKey, createdKey, err := server.MasterKey(cfg.masterKey, cfg.dataDir)
	if err != nil {
		return err
	}
	if createdKey {
		logger.Info("generated a master key", "path", filepath.Join(cfg.dataDir, "master.key"))
	}
	sealer, err := cognito.NewSealer(masterKey)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, cfg.db) // store.go: SQLite or PostgreSQL
	if err != nil {
		return err
	}
	defer store.Close()
	observed := cfg.observe.newMetrics()
	var messages cognito.MessageSender = cognito.LogSender{Logger: logger}
	var texts = messages // SMS: the log, or the gateway's webhook (sms.go)
	if cfg.sms.sender != nil {
		cfg.sms.sender.Next = messages
		texts = cfg.sms.sender
	}
	var direct cognito.MessageSender // what sends over a network, if anything
	switch {
	case cfg.mailer != nil:
		cfg.mailer.SMS = texts
		direct = cfg.mailer
	case cfg.sms.sender != nil:
		direct = cfg.sms.sender // email still goes to the log (its Next)
	}
	if direct != nil {
		// Sent in the background, as Cognito does: see mail.Queue.
		queue := mail.NewQueue(direct, logger, 4, 1000)
		defer func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := queue.Close(ctx); err != nil {
				logger.Warn("stopped with messages to users still queued", "err", err)
			}
		}()
		messages = queue
	}
	emailTo, smsTo := "the log", "the log"
	if cfg.mailer != nil {
		emailTo = "SMTP " + cfg.mailer.String()
	}
	if cfg.sms.sender != nil {
		smsTo = "webhook " + cfg.sms.sender.String()
	}
	logger.Info("messages to users", "email", emailTo, "sms", smsTo)
	// Signing takes one core per token in flight; one more P than signers
	// leaves the Go scheduler a processor that is free to poll the
	// network, so requests are read as they arrive instead of when the
	// scheduler next preempts a signature (measured at concurrency 32 on 2
	// cores: p99 24 ms -> 20 ms, at 86% -> 80% of the raw signing rate).
	signers := runtime.GOMAXPROCS(0)
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(signers + 1)
	}
	// cognitod's live heap is a few MiB, and at GOGC's default the
	// collector ran some 30 times a second under load: see heapfloor.
	floor := heapfloor.Start(uint64(cfg.gcHeapFloorMiB) << 20)
	defer floor.Stop()
	gogc := os.Getenv("GOGC")
	if gogc == "" {
		gogc = "100 (default)"
	}
	logger.Info("garbage collector", "heap_floor_mib", cfg.gcHeapFloorMiB, "gogc", gogc)
	// The TLS certificate source asks whether a name is a pool's domain.
	// The Service is built after the listener (its token issuer needs the
	// public URL listen may default), and handshakes start only when
	// serveOn accepts connections, after svc is set.
	var svc *cognito.Service
	ln, tlsCfg, err := listen(cfg, func(name string) bool { return svc != nil && poolDomainExists(svc, name) }, logger, stdout) // tls.go; may set the public URL
	if err != nil {
		return err
	}
	startThrottleLog(ctx, &cfg.quotas, logger, time.Minute) // quotas.go
	// Refused requests go to the minute's log line and to
	// cognitod_throttled_requests_total.
	logThrottle := cfg.quotas.OnThrottle
	cfg.quotas.OnThrottle = func(name string) { logThrottle(name); observed.Throttled(name) }
	srv, err := server.New(server.Config{
		Cognito: cognito.Config{Store: observed.WrapStore(store), Sealer: sealer, AccountID: cfg.accountID, DomainSuffix: cfg.domainSuffix, Limits: cfg.limits, Logger: logger, Messages: messages,
			Triggers: cfg.triggers.serviceInvoker()},
		NewSigner: chooseSigner(cfg, logger), // signer.go
		Logger:    logger, PublicURL: cfg.publicURL, EagerKeys: true, Signers: signers, DomainHostsResolve: cfg.tls.domainHostsResolve,
		Limits:  ratelimit.New(server.RateLimits(cfg.quotas)),
		Metrics: observed, MetricsElsewhere: cfg.observe.elsewhere(), AccessLog: cfg.observe.accessLogOn()})
	if err != nil {
		ln.Close()
		return err
	}
	svc = srv.Service()
	go svc.RunSharedSweeper(ctx) // shared state: expired entries and caps (issue 12)
	credsPath := filepath.Join(cfg.dataDir, "credentials")
	if cfg.rootKeyID != "" {
		if err := svc.EnsureAccessKey(ctx, cfg.rootKeyID, cfg.rootSecret); err != nil {
			ln.Close()
			return fmt.Errorf("store the root access key: %w", err)
		}
	} else {
		id, secret, created, err := svc.CreateRootAccessKeyIfNone(ctx)
		if err != nil {
			ln.Close()
			return fmt.Errorf("create the root access key: %w", err)
		}
		if created {
			if _, err := server.WriteCredentialsFile(cfg.dataDir, "us-east-1", id, secret); err != nil {
				ln.Close()
				return fmt.Errorf("write the credentials file: %w", err)
			}
			fmt.Fprintf(stdout, "Created root access key %s; its secret is in %s (profile cognitod, mode 0600).\n", id, credsPath)
		}
	}
	watchStore(ctx, svc, store) // signal.go: other instances' writes
	httpSrv := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn), TLSConfig: tlsCfg}
	if err := cfg.observe.listen(ctx, observed, logger, stdout); err != nil {
		return err
	}
	printBanner(stdout, cfg, ln.Addr().String(), credsPath)
	err = srv.Serve(ctx, httpSrv, func() error { return serveOn(httpSrv, ln) })
	logger.Info("stopped")
	return err
}

func printBanner(w io.Writer, cfg *serveConfig, addr, credsPath string) {
	fmt.Fprintf(w, "cognitod listening on %s://%s (public URL %s)\n", listenScheme(cfg), addr, cfg.publicURL)
	fmt.Fprintf(w, "  database: %s\n", dbLabel(cfg.db))
	fmt.Fprintf(w, "  console:  %s/console (sign in with the access key)\n", cfg.publicURL)
	fmt.Fprintf(w, "Point the AWS CLI at it:\n")
	if cfg.rootKeyID != "" {
		fmt.Fprintf(w, "  export AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=<COGNITOD_ROOT_SECRET_ACCESS_KEY> AWS_DEFAULT_REGION=us-east-1\n", cfg.rootKeyID)
	} else {
		fmt.Fprintf(w, "  export AWS_SHARED_CREDENTIALS_FILE=%s AWS_PROFILE=cognitod AWS_DEFAULT_REGION=us-east-1\n", credsPath)
	}
	fmt.Fprintf(w, "  aws cognito-idp list-user-pools --max-results 10 --endpoint-url %s\n", cfg.publicURL)
}
