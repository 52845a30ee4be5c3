// Command photos is the Photo API of Amazon Cognito's documentation on
// resource servers: a small in-memory photo service that accepts access
// tokens from cognitod (or a Cognito user pool) and checks them with the
// verify package. Reading photos needs the scope com.example.photos/read,
// changing them com.example.photos/write.
//
// Set up the user pool, the com.example.photos resource server and an app
// client as in the README's walk-through (give the client both scopes),
// start cognitod, then run:
//
//	go run ./examples/photos --issuer http://localhost:9229/$POOL_ID --client-id $CLIENT_ID
//
// Get an access token from the pool's token endpoint and call the API:
//
//	TOKEN=$(curl -s -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials \
//	  -d scope="com.example.photos/read com.example.photos/write" \
//	  http://localhost:9229/$POOL_ID/oauth2/token | jq -r .access_token)
//	curl -H "Authorization: Bearer $TOKEN" -d '{"title":"Dune","url":"https://example.com/dune.jpg"}' http://127.0.0.1:8080/photos
//	curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/photos?limit=10
//
// Routes (GET /photos pages with ?limit=, 1 to 100, default 20, and ?next=):
//
//	GET    /healthz      no token
//	GET    /photos       <resource-server>/read
//	GET    /photos/{id}  <resource-server>/read
//	POST   /photos       <resource-server>/write
//	PUT    /photos/{id}  <resource-server>/write
//	DELETE /photos/{id}  <resource-server>/write
//
// Every flag has a PHOTOS_* environment twin; a flag on the command line
// wins. Run with -h to list them.
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
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/cognitod/cognitod/verify"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
	case err != nil:
		fmt.Fprintln(os.Stderr, "photos:", err)
		os.Exit(1)
	}
}

type config struct {
	addr           string
	issuer         string
	jwksURL        string
	clientIDs      []string // empty: accept every app client of the issuer
	resourceServer string
}

// listFlag is a flag that may be repeated and takes comma-separated values.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(s string) error {
	*l = append(*l, splitList(s)...)
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// parseConfig reads the flags in args, with getenv supplying the defaults.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	var c config
	var clientIDs listFlag
	fs := flag.NewFlagSet("photos", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", env("PHOTOS_ADDR", "127.0.0.1:8080"), "address to listen on (PHOTOS_ADDR)")
	fs.StringVar(&c.issuer, "issuer", env("PHOTOS_ISSUER", ""), "issuer whose access tokens are accepted, such as http://localhost:9229/us-east-1_abc123XYZ; required (PHOTOS_ISSUER)")
	fs.StringVar(&c.jwksURL, "jwks-url", env("PHOTOS_JWKS_URL", ""), "URL of the issuer's JWKS (default <issuer>/.well-known/jwks.json) (PHOTOS_JWKS_URL)")
	fs.Var(&clientIDs, "client-id", "app client ID whose tokens are accepted; repeatable or comma-separated; none accepts every client of the issuer (PHOTOS_CLIENT_IDS)")
	fs.StringVar(&c.resourceServer, "resource-server", env("PHOTOS_RESOURCE_SERVER", "com.example.photos"), "resource server identifier; the scopes are <identifier>/read and <identifier>/write (PHOTOS_RESOURCE_SERVER)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	c.clientIDs = clientIDs
	if len(c.clientIDs) == 0 {
		c.clientIDs = splitList(getenv("PHOTOS_CLIENT_IDS"))
	}
	if c.issuer == "" {
		return c, errors.New("--issuer (or PHOTOS_ISSUER) is required")
	}
	// The identifier becomes part of scope names, which cannot hold spaces,
	// quotes or backslashes (RFC 6749 section 3.3).
	if c.resourceServer == "" || strings.ContainsFunc(c.resourceServer, func(r rune) bool {
		return r <= ' ' || r > '~' || r == '"' || r == '\\'
	}) {
		return c, fmt.Errorf("--resource-server %q is not a valid identifier", c.resourceServer)
	}
	return c, nil
}

// newVerifier returns a Verifier for the access tokens of c.issuer, checked
// with Validate so that a bad configuration stops the program at start.
func newVerifier(c config) (*verify.Verifier, error) {
	v := &verify.Verifier{
		Algorithm:   verify.RS256,
		Issuer:      c.issuer,
		JWKSURL:     c.jwksURL,
		TokenUse:    verify.AccessToken,
		ClientIDs:   c.clientIDs,
		AnyClientID: len(c.clientIDs) == 0,
		Leeway:      5 * time.Second,
		Realm:       c.resourceServer,
	}
	if err := v.Validate(); err != nil {
		return nil, err
	}
	return v, nil
}

// run serves the API until ctx is done, then shuts down gracefully.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	v, err := newVerifier(cfg)
	if err != nil {
		return err
	}
	if len(cfg.clientIDs) == 0 {
		logger.Warn("no --client-id given: accepting access tokens of every app client of the issuer")
	}

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           newHandler(v, cfg.resourceServer, newStore()),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(stdout, "photos API listening on http://%s, trusting access tokens issued by %s\n", ln.Addr(), cfg.issuer)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}
