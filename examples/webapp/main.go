// Command webapp is a small web application that signs users in through a
// user pool's hosted login page, with the OAuth 2.0 authorization code flow
// and PKCE from golang.org/x/oauth2. It checks the access and ID tokens it
// gets with the verify package and shows the user, the scopes of the access
// token, and whether the custom scope com.example.photos/read is among them.
//
// Start cognitod (go run ./cmd/cognitod serve), then create a user pool, the
// com.example.photos resource server, an app client for this app (public:
// no secret) and a user:
//
//	export AWS_SHARED_CREDENTIALS_FILE=$PWD/cognitod-data/credentials AWS_PROFILE=cognitod
//	export AWS_DEFAULT_REGION=us-east-1 AWS_ENDPOINT_URL=http://localhost:9229 AWS_PAGER=""
//	POOL_ID=$(aws cognito-idp create-user-pool --pool-name webapp --query UserPool.Id --output text)
//	aws cognito-idp create-resource-server --user-pool-id "$POOL_ID" \
//	  --identifier com.example.photos --name "Photo Server" \
//	  --scopes ScopeName=read,ScopeDescription="view your photos"
//	CLIENT_ID=$(aws cognito-idp create-user-pool-client --user-pool-id "$POOL_ID" \
//	  --client-name webapp --no-generate-secret \
//	  --allowed-o-auth-flows code --allowed-o-auth-flows-user-pool-client \
//	  --allowed-o-auth-scopes openid email com.example.photos/read \
//	  --callback-urls '["http://localhost:8081/callback"]' --logout-urls '["http://localhost:8081/"]' \
//	  --supported-identity-providers COGNITO \
//	  --query UserPoolClient.ClientId --output text)
//	aws cognito-idp admin-create-user --user-pool-id "$POOL_ID" --username alice \
//	  --user-attributes Name=email,Value=alice@example.com Name=email_verified,Value=true
//	aws cognito-idp admin-set-user-password --user-pool-id "$POOL_ID" --username alice \
//	  --password 'Photos-4-alice' --permanent
//
// (The URLs are JSON lists because AWS CLI v1 would otherwise try to fetch
// them.) Run the app and open http://localhost:8081/ in a browser:
//
//	go run ./examples/webapp --issuer http://localhost:9229/$POOL_ID --client-id $CLIENT_ID
//
// Use the host name of the callback URL (localhost, not 127.0.0.1): the
// cookie that carries the sign-in state belongs to one host. For a client
// with a secret (--generate-secret), pass --client-secret as well; the app
// then authenticates to the token and revocation endpoints with HTTP Basic.
//
// Routes:
//
//	GET  /          the signed-in user and the access token's scopes, or a sign-in link
//	GET  /login     redirect to <issuer>/oauth2/authorize
//	GET  /callback  the redirect back: code exchange and token verification
//	POST /refresh   new tokens from the refresh token
//	POST /logout    revoke the refresh token, end the session, then <issuer>/logout
//
// Sessions are kept in memory and are lost when the app stops. Every flag
// has a WEBAPP_* environment twin; a flag on the command line wins. Run
// with -h to list them.
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
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
	case err != nil:
		fmt.Fprintln(os.Stderr, "webapp:", err)
		os.Exit(1)
	}
}

type config struct {
	addr         string
	issuer       string // without a trailing slash, as in the iss claim
	clientID     string
	clientSecret string // empty for a public client
	redirectURL  string
	logoutURL    string
	scopes       []string
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
	var scopes string
	fs := flag.NewFlagSet("webapp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", env("WEBAPP_ADDR", "127.0.0.1:8081"), "address to listen on (WEBAPP_ADDR)")
	fs.StringVar(&c.issuer, "issuer", env("WEBAPP_ISSUER", ""), "the user pool's issuer, such as http://localhost:9229/us-east-1_abc123XYZ; required (WEBAPP_ISSUER)")
	fs.StringVar(&c.clientID, "client-id", env("WEBAPP_CLIENT_ID", ""), "app client ID; required (WEBAPP_CLIENT_ID)")
	fs.StringVar(&c.clientSecret, "client-secret", env("WEBAPP_CLIENT_SECRET", ""), "app client secret, if the client has one (WEBAPP_CLIENT_SECRET)")
	fs.StringVar(&c.redirectURL, "redirect-url", env("WEBAPP_REDIRECT_URL", "http://localhost:8081/callback"), "callback URL registered with the app client; it must reach this app's /callback (WEBAPP_REDIRECT_URL)")
	fs.StringVar(&scopes, "scopes", env("WEBAPP_SCOPES", "openid email com.example.photos/read"), "space-separated scopes to ask for; must include openid (WEBAPP_SCOPES)")
	fs.StringVar(&c.logoutURL, "logout-url", env("WEBAPP_LOGOUT_URL", "http://localhost:8081/"), "sign-out URL registered with the app client (WEBAPP_LOGOUT_URL)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	c.issuer = strings.TrimRight(c.issuer, "/")
	c.scopes = strings.Fields(scopes)
	switch {
	case c.issuer == "":
		return c, errors.New("--issuer (or WEBAPP_ISSUER) is required")
	case c.clientID == "":
		return c, errors.New("--client-id (or WEBAPP_CLIENT_ID) is required")
	case !slices.Contains(c.scopes, "openid"):
		return c, errors.New("--scopes must include openid: the user is read from the ID token")
	}
	for _, f := range []struct{ name, url string }{
		{"--issuer", c.issuer}, {"--redirect-url", c.redirectURL}, {"--logout-url", c.logoutURL},
	} {
		if !isHTTPURL(f.url) {
			return c, fmt.Errorf("%s %q is not an absolute http(s) URL", f.name, f.url)
		}
	}
	return c, nil
}

func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// run serves the app until ctx is done, then shuts down gracefully.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	a, err := newApp(cfg, logger)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           a.routes(),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	home, _ := url.Parse(cfg.redirectURL)
	fmt.Fprintf(stdout, "webapp listening on %s; open %s://%s/ to sign in with %s\n", ln.Addr(), home.Scheme, home.Host, cfg.issuer)

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
