package oauth

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/ratelimit"
	"github.com/cognitod/cognitod/internal/token"
)

// maxFormBytes bounds a token request body.
const maxFormBytes = 64 << 10

// Handler serves the OAuth endpoints. It is safe for concurrent use.
type Handler struct {
	svc       *cognito.Service
	issuer    *token.Issuer
	logger    *slog.Logger
	publicURL *url.URL
	domainMux *http.ServeMux
	// domainHostsResolve: discovery fetched on the issuer path may send
	// clients to pool domain hosts (see Config).
	domainHostsResolve bool
	limits             *ratelimit.Limits
	onToken            func(grant, outcome string)
	// csrfKey signs the hosted form's CSRF tokens (csrf.go).
	csrfKey []byte
	now     func() time.Time
	// cssCache holds the hosted pages' written custom CSS (branding.go).
	cssCache cssCache
}

// Config configures a Handler.
type Config struct {
	Service   *cognito.Service
	Issuer    *token.Issuer
	Logger    *slog.Logger
	PublicURL string
	// DomainHostsResolve says pool domain hosts
	// (<prefix>.auth.<region>.<suffix>) resolve to this server for every
	// client, as when the operator runs DNS for the suffix. Without it,
	// discovery on the issuer path advertises the issuer-path endpoints,
	// which any client that reached the issuer can reach: <x>.localhost
	// resolves in browsers but not in Go's, Node's or Python's resolvers
	// on Linux.
	DomainHostsResolve bool
	// Limits are the request-rate quotas and per-source limits (see
	// limits.go); nil limits nothing.
	Limits *ratelimit.Limits
	// OnToken, when set, is told the grant type and outcome of each token
	// request, and of each implicit grant ("implicit"); see grantLabel.
	OnToken func(grant, outcome string)
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// New returns the OAuth handler.
func New(cfg Config) (*Handler, error) {
	u, err := url.Parse(cfg.PublicURL)
	if err != nil {
		return nil, err
	}
	h := &Handler{svc: cfg.Service, issuer: cfg.Issuer, logger: cfg.Logger, publicURL: u, domainHostsResolve: cfg.DomainHostsResolve, limits: cfg.Limits, onToken: cfg.OnToken,
		csrfKey: cfg.Service.Sealer().MACKey(csrfKeyPurpose), now: cfg.Now}
	if h.now == nil {
		h.now = time.Now
	}
	if h.onToken == nil {
		h.onToken = func(string, string) {}
	}
	if h.logger == nil {
		h.logger = slog.Default()
	}
	h.buildDomainMux()
	return h, nil
}

// routes are the endpoints of a pool, as paths under its base, with how
// each answers errors.
func (h *Handler) routes() []struct {
	pattern string
	k       kind
	serve   poolHandler
} {
	return []struct {
		pattern string
		k       kind
		serve   poolHandler
	}{
		{"GET /.well-known/jwks.json", kindJSON, h.jwks},
		{"GET /.well-known/openid-configuration", kindJSON, h.discovery},
		{"POST /oauth2/token", kindClient, h.token},
		{"GET /oauth2/authorize", kindBrowser, h.authorize},
		{"GET /login", kindBrowser, h.login},
		{"POST /login", kindBrowser, h.loginSubmit},
		{"GET /logout", kindBrowser, h.logout},
		{"GET /oauth2/userInfo", kindBearer, h.userInfo},
		{"POST /oauth2/userInfo", kindBearer, h.userInfo},
		{"POST /oauth2/revoke", kindClient, h.revoke},
		{"GET /_static/login.css", kindJSON, h.loginCSS},
		{"GET /_static/custom.css", kindJSON, h.customCSS},
		{"GET /_static/logo", kindJSON, h.logo},
		{"GET /signup", kindBrowser, h.signUp},
		{"POST /signup", kindBrowser, h.signUpSubmit},
		{"GET /confirm", kindBrowser, h.confirm},
		{"POST /confirm", kindBrowser, h.confirmSubmit},
		{"GET /forgotPassword", kindBrowser, h.forgotPassword},
		{"POST /forgotPassword", kindBrowser, h.forgotPasswordSubmit},
		{"GET /confirmForgotPassword", kindBrowser, h.confirmForgotPassword},
		{"POST /confirmForgotPassword", kindBrowser, h.confirmForgotPasswordSubmit},
		{"GET /mfa", kindBrowser, h.mfaGet},
		{"POST /mfa", kindBrowser, h.mfaSubmit},
		{"GET /mfa_setup", kindBrowser, h.mfaGet},
		{"POST /mfa_setup", kindBrowser, h.mfaSetupSubmit},
	}
}

// Register mounts the per-pool endpoints under /{poolID}/ on mux.
func (h *Handler) Register(mux *http.ServeMux) {
	for _, rt := range h.routes() {
		method, path, _ := strings.Cut(rt.pattern, " ")
		mux.HandleFunc(method+" /{pool}"+path, h.withPool(rt.k, rt.serve))
	}
}

// IsDomainHost reports whether host (with or without a port) is shaped
// like a pool domain host, <prefix>.auth.<region>.<domain suffix>.
func (h *Handler) IsDomainHost(host string) bool {
	_, _, ok := h.parseDomainHost(host)
	return ok
}

// DomainHandler serves the OAuth endpoints of the pool whose domain host
// a request is addressed to.
func (h *Handler) DomainHandler() http.Handler { return h.domainMux }

func (h *Handler) buildDomainMux() {
	mux := http.NewServeMux()
	for _, rt := range h.routes() {
		mux.HandleFunc(rt.pattern, h.withDomain(rt.k, rt.serve))
	}
	h.domainMux = mux
}

// withDomain resolves the request's host to the pool owning that domain.
func (h *Handler) withDomain(k kind, next poolHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		prefix, region, ok := h.parseDomainHost(r.Host)
		if !ok {
			writeNotFound(w)
			return
		}
		d, err := h.svc.LookupDomain(r.Context(), region, prefix)
		if err != nil && !errors.Is(err, cognito.ErrResourceNotFound) {
			h.writeError(w, r, kindJSON, "", err)
			return
		}
		if err != nil || cognito.RegionOfPoolID(d.UserPoolID) != region {
			writeNotFound(w)
			return
		}
		if err := next(w, r, d.UserPoolID); err != nil {
			h.writeError(w, r, k, d.UserPoolID, err)
		}
	}
}

// parseDomainHost splits <prefix>.auth.<region>.<suffix>[:port].
func (h *Handler) parseDomainHost(host string) (prefix, region string, ok bool) {
	return h.svc.ParseDomainHost(host)
}

// withPool resolves the {pool} path segment to an existing pool.
func (h *Handler) withPool(k kind, next poolHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		poolID := r.PathValue("pool")
		if cognito.RegionOfPoolID(poolID) == "" {
			writeNotFound(w)
			return
		}
		if _, err := h.svc.LookupPool(r.Context(), poolID); err != nil {
			if errors.Is(err, cognito.ErrResourceNotFound) {
				writeNotFound(w)
				return
			}
			// The route's own kind: a hosted page shows the error page
			// (503 when the database is down), an API endpoint JSON.
			h.writeError(w, r, k, poolID, err)
			return
		}
		if err := next(w, r, poolID); err != nil {
			h.writeError(w, r, k, poolID, err)
		}
	}
}

// endpointBase is where discovery sends clients for a pool's OAuth
// endpoints. Asked on the pool's domain host, it is that host: the client
// evidently resolves it. Asked on the issuer path, it is the issuer URL,
// unless the operator said domain hosts resolve and the pool has one
// (with the public URL's scheme and port).
func (h *Handler) endpointBase(r *http.Request, poolID string) (string, error) {
	issuer := h.issuer.IssuerURL(poolID)
	onIssuerPath := base(r, poolID) != ""
	if onIssuerPath && !h.domainHostsResolve {
		return issuer, nil
	}
	d, err := h.svc.PoolDomain(r.Context(), poolID)
	if err != nil {
		return "", err
	}
	if d == nil {
		return issuer, nil
	}
	host := h.svc.DomainHost(d)
	if port := h.publicURL.Port(); port != "" {
		host = net.JoinHostPort(host, port)
	}
	return h.publicURL.Scheme + "://" + host, nil
}

func (h *Handler) jwks(w http.ResponseWriter, r *http.Request, poolID string) error {
	doc, err := h.issuer.Keys().JWKS(r.Context(), poolID)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(doc)
	return nil
}

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
