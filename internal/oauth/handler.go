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

// Register mounts the per-pool endpoints under /{poolID}/ on mux.
func (h *Handler) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /{pool}/.well-known/jwks.json", h.withPool(h.jwks))
	mux.HandleFunc("GET /{pool}/.well-known/openid-configuration", h.withPool(h.discovery))
	mux.HandleFunc("POST /{pool}/oauth2/token", h.withPool(h.token))
	mux.HandleFunc("GET /{pool}/oauth2/authorize", h.withPool(h.authorize))
	mux.HandleFunc("GET /{pool}/login", h.withPool(h.login))
	mux.HandleFunc("POST /{pool}/login", h.withPool(h.loginSubmit))
	mux.HandleFunc("GET /{pool}/logout", h.withPool(h.logout))
	mux.HandleFunc("GET /{pool}/oauth2/userInfo", h.withPool(h.userInfo))
	mux.HandleFunc("POST /{pool}/oauth2/userInfo", h.withPool(h.userInfo))
	mux.HandleFunc("POST /{pool}/oauth2/revoke", h.withPool(h.revoke))
	mux.HandleFunc("GET /{pool}/_static/login.css", h.withPool(h.loginCSS))
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
	mux.HandleFunc("GET /.well-known/jwks.json", h.withDomain(h.jwks))
	mux.HandleFunc("GET /.well-known/openid-configuration", h.withDomain(h.discovery))
	mux.HandleFunc("POST /oauth2/token", h.withDomain(h.token))
	mux.HandleFunc("GET /oauth2/authorize", h.withDomain(h.authorize))
	mux.HandleFunc("GET /login", h.withDomain(h.login))
	mux.HandleFunc("POST /login", h.withDomain(h.loginSubmit))
	mux.HandleFunc("GET /logout", h.withDomain(h.logout))
	mux.HandleFunc("GET /oauth2/userInfo", h.withDomain(h.userInfo))
	mux.HandleFunc("POST /oauth2/userInfo", h.withDomain(h.userInfo))
	mux.HandleFunc("POST /oauth2/revoke", h.withDomain(h.revoke))
	mux.HandleFunc("GET /_static/login.css", h.withDomain(h.loginCSS))
	h.domainMux = mux
}

// withDomain resolves the request's host to the pool owning that domain.
func (h *Handler) withDomain(next poolHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		prefix, region, ok := h.parseDomainHost(r.Host)
		if !ok {
			writeNotFound(w)
			return
		}
		d, err := h.svc.LookupDomain(r.Context(), region, prefix)
		if err != nil && !errors.Is(err, cognito.ErrResourceNotFound) {
			h.serverError(w, r, err)
			return
		}
		if err != nil || cognito.RegionOfPoolID(d.UserPoolID) != region {
			writeNotFound(w)
			return
		}
		next(w, r, d.UserPoolID)
	}
}

// parseDomainHost splits <prefix>.auth.<region>.<suffix>[:port].
func (h *Handler) parseDomainHost(host string) (prefix, region string, ok bool) {
	return h.svc.ParseDomainHost(host)
}

type poolHandler func(w http.ResponseWriter, r *http.Request, poolID string)

// withPool resolves the {pool} path segment to an existing pool.
func (h *Handler) withPool(next poolHandler) http.HandlerFunc {
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
			h.serverError(w, r, err)
			return
		}
		next(w, r, poolID)
	}
}

func writeNotFound(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(http.StatusNotFound)
	w.Write([]byte(`{"message":"Not Found"}`))
}

func (h *Handler) serverError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, cognito.ErrStoreUnavailable) {
		h.logger.WarnContext(r.Context(), "oauth endpoint failed: storage unavailable", "path", r.URL.Path, "err", err)
		w.Header().Set("Retry-After", "1")
		if strings.Contains(r.Header.Get("Accept"), "text/html") {
			// A browser on a hosted page: the error page, as logout's.
			h.render(w, r, "error", http.StatusServiceUnavailable, page{Title: "Error", Base: base(r, r.PathValue("pool")),
				Error: codeTemporarilyUnavailable + ": please try again"})
			return
		}
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(`{"error":"` + codeTemporarilyUnavailable + `"}`))
		return
	}
	h.logger.ErrorContext(r.Context(), "oauth endpoint failed", "path", r.URL.Path, "err", err)
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(http.StatusInternalServerError)
	w.Write([]byte(`{"error":"server_error"}`))
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

func (h *Handler) jwks(w http.ResponseWriter, r *http.Request, poolID string) {
	doc, err := h.issuer.Keys().JWKS(r.Context(), poolID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(doc)
}

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
