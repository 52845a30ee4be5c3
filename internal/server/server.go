package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/cognitod/cognitod/internal/awsjson"
	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/console"
	"github.com/cognitod/cognitod/internal/metrics"
	"github.com/cognitod/cognitod/internal/oauth"
	"github.com/cognitod/cognitod/internal/ratelimit"
	"github.com/cognitod/cognitod/internal/token"
)

// Config is everything a Server needs.
type Config struct {
	// Cognito configures the server's Service. Its Store and Sealer are
	// required; New sets its Tokens and hooks (which it must leave
	// unset): the token issuer New makes over the same store, and the
	// hooks that keep the issuer's key cache and the metrics current.
	Cognito cognito.Config
	// NewSigner wraps each pool's active key for signing (nil:
	// token.GoSigner, crypto/rsa); cmd/cognitod passes OpenSSL's when it
	// is available (--signer).
	NewSigner token.NewSigner
	Logger    *slog.Logger
	// PublicURL is where clients reach the server (issuer URLs).
	PublicURL string
	// Signers is how many tokens are signed at once: the cores the process
	// may use (0: GOMAXPROCS).
	Signers int
	// EagerKeys makes each new pool's signing keys right after
	// CreateUserPool, in the background, instead of on the pool's first
	// token or JWKS request.
	EagerKeys bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// DomainHostsResolve: see oauth.Config.
	DomainHostsResolve bool
	// Limits are the request-rate quotas and per-source limits; nil means
	// ratelimit.New(RateLimits(QuotaOptions{})): Cognito's defaults.
	Limits *ratelimit.Limits
	// Metrics collects the server's metrics, served at GET /metrics unless
	// MetricsElsewhere; nil turns metrics off.
	Metrics *metrics.Metrics
	// MetricsElsewhere leaves /metrics off this handler (it is served on
	// a listener of its own, Metrics.Handler).
	MetricsElsewhere bool
	// AccessLog logs one line per request at info level (see
	// withObservation).
	AccessLog bool
}

// Server is cognitod's HTTP side.
type Server struct {
	cfg     Config
	svc     *cognito.Service
	issuer  *token.Issuer
	handler http.Handler
}

// New builds the token issuer, the Service wired to it, and the server's
// handler.
func New(cfg Config) (*Server, error) {
	if cfg.Cognito.Store == nil || cfg.Cognito.Sealer == nil {
		return nil, errors.New("server: Config.Cognito needs a Store and a Sealer")
	}
	sc := cfg.Cognito
	if sc.Tokens != nil || sc.OnPoolCreated != nil || sc.OnPoolDeleted != nil || sc.OnStoreChanged != nil || sc.OnSignInFailure != nil {
		return nil, errors.New("server: Config.Cognito's Tokens and hooks are the server's to set")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Limits == nil {
		cfg.Limits = ratelimit.New(RateLimits(QuotaOptions{}))
	}
	// The issuer's keys are read through the same (possibly observed)
	// store as the service's.
	keys := token.NewKeys(sc.Store, sc.Sealer, cfg.Now, cfg.NewSigner)
	ic := token.IssuerConfig{Keys: keys, PublicURL: cfg.PublicURL, Now: cfg.Now, Signers: cfg.Signers}
	if cfg.Metrics != nil {
		ic.OnSign = cfg.Metrics.Signed
		sc.OnSignInFailure = cfg.Metrics.SignInFailure
	}
	issuer := token.NewIssuer(ic)
	sc.Tokens = issuer
	sc.OnPoolDeleted = issuer.Forget
	sc.OnStoreChanged = keys.Invalidate // another instance's write (changes.go)
	if cfg.EagerKeys {
		logger := cfg.Logger
		sc.OnPoolCreated = func(poolID string) {
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				if err := keys.Ensure(ctx, poolID); err != nil {
					logger.Warn("could not create the signing keys of a new pool; they will be made on first use", "pool", poolID, "err", err)
				}
			}()
		}
	}
	svc, err := cognito.NewService(sc)
	if err != nil {
		return nil, err
	}
	oauthHandler, err := oauth.New(oauth.Config{Service: svc, Issuer: issuer, Logger: cfg.Logger, PublicURL: cfg.PublicURL, DomainHostsResolve: cfg.DomainHostsResolve, Limits: cfg.Limits, Now: cfg.Now,
		OnToken: cfg.Metrics.TokenRequest})
	if err != nil {
		return nil, err
	}
	consoleHandler, err := console.New(console.Config{Service: svc, Logger: cfg.Logger, PublicURL: cfg.PublicURL, Now: cfg.Now})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	oauthHandler.Register(mux)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/console/", http.StatusFound)
	})
	mux.Handle("POST /{$}", awsjson.New(awsjson.Config{Service: svc, Logger: cfg.Logger, Now: cfg.Now, Limits: cfg.Limits}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	if cfg.Metrics != nil && !cfg.MetricsElsewhere {
		mux.Handle("GET /metrics", cfg.Metrics.Handler())
	}
	mux.HandleFunc("GET /readyz", newReadiness(svc.Store(), cfg.Logger).serveHTTP) // readyz.go
	root := withCORS(oauthHandler.IsDomainHost, withDomainHosts(oauthHandler, withConsole(consoleHandler, mux)))
	return &Server{cfg: cfg, svc: svc, issuer: issuer, handler: withObservation(cfg.Logger, cfg.AccessLog, cfg.Metrics, withRecovery(cfg.Logger, root))}, nil
}

// Handler returns the root handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Service returns the server's Service, complete with its token issuer
// and hooks.
func (s *Server) Service() *cognito.Service { return s.svc }

// Issuer returns the server's token issuer.
func (s *Server) Issuer() *token.Issuer { return s.issuer }

// ListenAndServe serves on addr until ctx is done, then shuts down
// gracefully, giving in-flight requests up to 10 seconds.
func (s *Server) Serve(ctx context.Context, srv *http.Server, serve func() error) error {
	errc := make(chan error, 1)
	go func() { errc <- serve() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// withDomainHosts sends requests for a pool domain host
// (<prefix>.auth.<region>.<suffix>) to that pool's OAuth endpoints and
// everything else to mux.
func withDomainHosts(o *oauth.Handler, mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if o.IsDomainHost(r.Host) {
			o.DomainHandler().ServeHTTP(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// withConsole sends /console and everything under it to the console. It is
// a prefix match outside the mux because a pool ID segment
// (/{pool}/...) would otherwise overlap /console/....
func withConsole(console http.Handler, mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.URL.Path; p == "/console" || strings.HasPrefix(p, "/console/") {
			console.ServeHTTP(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
}
