package console

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Handler serves the console under /console/. It is safe for concurrent
// use.
type Handler struct {
	svc       api
	logger    *slog.Logger
	publicURL string
	secure    bool
	sessions  *sessions
	pages     map[string]*template.Template
	mux       *http.ServeMux

	// signIns counts failed sign-ins (backoff.go).
	signIns *signInGuard
}

// Config configures the console.
type Config struct {
	Service   *cognito.Service
	Logger    *slog.Logger
	PublicURL string
	Now       func() time.Time
}

// Regions offered in the region menu; the API accepts any region name.
var regions = []string{"us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "eu-west-1", "eu-west-2", "eu-west-3",
	"eu-central-1", "eu-north-1", "ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-southeast-1", "ap-southeast-2", "sa-east-1"}

// New returns the console handler.
func New(cfg Config) (*Handler, error) {
	h := &Handler{svc: api{cfg.Service}, logger: cfg.Logger, publicURL: strings.TrimRight(cfg.PublicURL, "/"),
		secure: strings.HasPrefix(cfg.PublicURL, "https://")}
	if h.logger == nil {
		h.logger = slog.Default()
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	h.sessions = &sessions{st: h.svc.sharedState(), now: now}
	h.signIns = newSignInGuard(h.svc.sharedState(), now)
	if err := h.parseTemplates(); err != nil {
		return nil, err
	}
	h.routes()
	return h, nil
}

var funcs = template.FuncMap{
	"join":   strings.Join,
	"query":  url.QueryEscape,
	"inList": func(s string, list []string) bool { return slices.Contains(list, s) },
	"date":   func(t cognito.Timestamp) string { return time.Time(t).UTC().Format("2006-01-02 15:04 UTC") },
	"anyChecked": func(choices []scopeChoice) bool {
		for _, c := range choices {
			if c.Checked {
				return true
			}
		}
		return false
	},
}

func (h *Handler) parseTemplates() error {
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return err
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return err
	}
	h.pages = map[string]*template.Template{}
	for _, name := range names {
		base := path.Base(name)
		if base == "layout.html" {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(templateFS, name)
		if err != nil {
			return err
		}
		h.pages[strings.TrimSuffix(base, ".html")] = t
	}
	return nil
}

// ServeHTTP serves /console/...
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "same-origin")
	h.mux.ServeHTTP(w, r)
}

func (h *Handler) routes() {
	m := http.NewServeMux()
	static, _ := fs.Sub(staticFS, "static")
	m.Handle("GET /console/static/", http.StripPrefix("/console/static/", http.FileServerFS(static)))
	m.HandleFunc("GET /console/signin", h.signInPage)
	m.HandleFunc("POST /console/signin", h.signIn)
	m.HandleFunc("GET /console/{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/console/pools", http.StatusSeeOther)
	})
	m.HandleFunc("GET /console", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/console/pools", http.StatusSeeOther)
	})
	auth := func(pattern string, fn func(w http.ResponseWriter, r *http.Request, s *session)) {
		m.HandleFunc(pattern, h.requireSession(fn))
	}
	auth("POST /console/signout", h.signOut)
	auth("POST /console/region", h.setRegion)
	auth("GET /console/pools", h.poolsPage)
	auth("POST /console/pools", h.createPool)
	auth("GET /console/pools/{pool}", h.poolPage)
	auth("GET /console/pools/{pool}/delete", h.deletePoolPage)
	auth("POST /console/pools/{pool}/delete", h.deletePool)
	auth("GET /console/pools/{pool}/app-integration", h.appIntegrationPage)
	auth("GET /console/pools/{pool}/users", h.usersPage)
	auth("POST /console/pools/{pool}/users", h.createUser)
	auth("POST /console/pools/{pool}/users/delete", h.deleteUser)
	h.groupRoutes(auth)
	auth("POST /console/pools/{pool}/domain", h.createDomain)
	auth("POST /console/pools/{pool}/domain/delete", h.deleteDomain)
	auth("GET /console/pools/{pool}/resource-servers/new", h.newResourceServerPage)
	auth("POST /console/pools/{pool}/resource-servers", h.createResourceServer)
	auth("GET /console/pools/{pool}/resource-server", h.editResourceServerPage)
	auth("POST /console/pools/{pool}/resource-server", h.updateResourceServer)
	auth("POST /console/pools/{pool}/resource-server/delete", h.deleteResourceServer)
	auth("GET /console/pools/{pool}/clients/new", h.newClientPage)
	auth("POST /console/pools/{pool}/clients", h.createClient)
	auth("GET /console/pools/{pool}/clients/{client}", h.clientPage)
	auth("POST /console/pools/{pool}/clients/{client}/secret", h.showSecret)
	auth("GET /console/pools/{pool}/clients/{client}/edit", h.editClientPage)
	auth("POST /console/pools/{pool}/clients/{client}", h.updateClient)
	auth("POST /console/pools/{pool}/clients/{client}/delete", h.deleteClient)
	h.accessKeyRoutes(auth)
	h.mux = m
}

// requireSession sends a browser without a session to the sign-in page,
// and checks every POST for a same-origin request carrying the session's
// CSRF token.
func (h *Handler) requireSession(fn func(w http.ResponseWriter, r *http.Request, s *session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s := h.sessions.get(r)
		if s == nil {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/console/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			h.forbidden(w, r)
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, 256<<10)
			if !sameOrigin(r) || r.ParseForm() != nil || !tokensEqual(r.PostForm.Get("_csrf"), s.CSRF) {
				h.forbidden(w, r)
				return
			}
		}
		// The console acts with the signed-in key's policy, under the
		// same conditions (source address, TLS) as the JSON API.
		ip, tls := cognito.ConnInfo(r)
		ctx := cognito.WithCaller(r.Context(), cognito.Caller{AccessKeyID: s.AccessKeyID, Region: s.Region, SourceIP: ip, SecureTransport: tls})
		w.Header().Set("Cache-Control", "no-store")
		fn(w, r.WithContext(ctx), s)
	}
}

// sameOrigin refuses a request that says it comes from another origin
// (Origin header, or Sec-Fetch-Site from browsers that send it).
func sameOrigin(r *http.Request) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return false
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host == r.Host
}

func (h *Handler) forbidden(w http.ResponseWriter, r *http.Request) {
	h.logger.WarnContext(r.Context(), "console request refused: no session, wrong origin or missing CSRF token", "path", r.URL.Path)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusForbidden)
	w.Write([]byte("Forbidden: this form must be sent from the cognitod console itself.\n"))
}

// page is what every template gets.
type page struct {
	Title   string
	Session *session
	Regions []string
	Flash   string
	Error   string
	Data    any
}

func (h *Handler) render(w http.ResponseWriter, r *http.Request, name string, status int, p page) {
	t := h.pages[name]
	if t == nil {
		h.serverError(w, r, errors.New("console: no template "+name))
		return
	}
	p.Regions = regions
	if p.Flash == "" && p.Session != nil {
		p.Flash = h.sessions.takeFlash(r.Context(), p.Session.ID)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		h.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func (h *Handler) serverError(w http.ResponseWriter, r *http.Request, err error) {
	h.logger.ErrorContext(r.Context(), "console page failed", "path", r.URL.Path, "err", err)
	http.Error(w, "Something went wrong; the server log has the details.", http.StatusInternalServerError)
}

// message is what the console shows for an error: the API's own message
// for a Cognito exception, a generic one for anything else.
func (h *Handler) message(ctx context.Context, err error) string {
	var ce *cognito.Error
	if errors.As(err, &ce) && ce.Type != cognito.ErrInternal.Type {
		return ce.Type + ": " + ce.Message
	}
	h.logger.ErrorContext(ctx, "console action failed", "err", err)
	return "Internal error; the server log has the details."
}

// redirect answers a successful POST (post/redirect/get), leaving flash
// in the session for the next page: a message never travels in a URL,
// where a link could forge one.
func (h *Handler) redirect(w http.ResponseWriter, r *http.Request, s *session, to, flash string) {
	if flash != "" {
		if err := h.sessions.change(r.Context(), s.ID, func(ss *session) { ss.Flash = flash }); err != nil {
			h.logger.ErrorContext(r.Context(), "console: keeping a message for the next page", "err", err)
		}
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// joinMessages keeps the error of the action that failed and adds the
// error of a listing on the page it re-renders (both may be denied by the
// key's policy), instead of one hiding the other.
func joinMessages(first, second string) string {
	if first == "" || first == second {
		return second
	}
	return first + " " + second
}
