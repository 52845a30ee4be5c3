package oauth

import (
	"bytes"
	"embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/login.css
var loginCSS []byte

var pages = func() map[string]*template.Template {
	out := map[string]*template.Template{}
	for _, name := range []string{"login", "new_password", "error", "signup", "confirm", "forgot_password", "confirm_forgot_password", "notice",
		"mfa", "select_mfa", "mfa_setup"} {
		out[name] = template.Must(template.ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html"))
	}
	return out
}()

const (
	// sessionCookie remembers a signed-in user for an hour, as the hosted
	// UI does, so that a second authorize is silent.
	sessionCookie   = "cognito"
	sessionLifetime = cognito.HostedSessionLifetime
	// csrfCookie carries the browser's nonce that the login form's token
	// is bound to (csrf.go).
	csrfCookie = "XSRF-TOKEN"
)

// page is what the hosted pages render.
type page struct {
	Title, PoolName, Base, Action, CSRF, Error, Username, Session string
	// Message is a notice that is not an error (where a code was sent).
	Message string
	// Flow is the sealed state of a multi-step flow (flow.go).
	Flow string
	// The links to the other hosted pages; "" hides one the pool does
	// not allow (hosted_pages.go).
	LoginURL, SignUpURL, ForgotURL, ConfirmURL string
	// The sign-up form: the username's label and input type, the
	// attributes asked for, the password rules shown.
	UsernameLabel, UsernameType, UsernameAutocomplete string
	Attributes                                        []attrField
	PasswordRules                                     []string
	// CustomCSS and Logo are the client's branding (branding.go).
	CustomCSS, Logo string
	// The MFA pages (mfa.go): the challenge, the factors to choose from,
	// the new software token; inlineImage lets the page show its QR code
	// as a data: image.
	Challenge   string
	Choices     []mfaChoice
	TOTP        *totpSetup
	inlineImage bool
}

// base is the path the pool's endpoints hang from: /<pool> under the
// issuer, nothing on the pool's domain host.
func base(r *http.Request, poolID string) string {
	if strings.HasPrefix(r.URL.Path, "/"+poolID+"/") {
		return "/" + poolID
	}
	return ""
}

func (h *Handler) cookiePath(r *http.Request, poolID string) string {
	if b := base(r, poolID); b != "" {
		return b + "/"
	}
	return "/"
}

func (h *Handler) secure() bool { return h.publicURL.Scheme == "https" }

func (h *Handler) render(w http.ResponseWriter, r *http.Request, name string, status int, p page) {
	var buf bytes.Buffer
	if err := pages[name].ExecuteTemplate(&buf, "layout.html", p); err != nil {
		e := ErrServerError.WithCause(err)
		h.logError(r, e)
		jsonError(w, e)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	// No form-action: the sign-in form's answer redirects to the app's
	// callback, another origin, which form-action 'self' would block.
	// img-src 'self': the logo (branding.go); style-src 'self': the
	// stylesheet and the custom one, never inline.
	// The TOTP set-up page adds data: for its QR code, drawn by the
	// server: still no script, no other origin.
	imgSrc := "'self'"
	if p.inlineImage {
		imgSrc = "'self' data:"
	}
	hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src "+imgSrc+"; frame-ancestors 'none'; base-uri 'none'")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("X-Content-Type-Options", "nosniff")
	// same-origin, not no-referrer: under no-referrer browsers send
	// "Origin: null" with the form's POST, which the origin check
	// (sameSiteRequest) could not tell from a sandboxed attacker's frame.
	// Other origins still get no Referer.
	hd.Set("Referrer-Policy", "same-origin")
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		// A form shown again over the limit or with the database down:
		// when to send it again, as the JSON endpoints say it.
		hd.Set("Retry-After", "1")
	}
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func (h *Handler) loginCSS(w http.ResponseWriter, r *http.Request, _ string) error {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(loginCSS)
	return nil
}

// authorizeRequest parses the parameters of /oauth2/authorize and /login.
func authorizeRequest(q url.Values) cognito.AuthorizeRequest {
	req := cognito.AuthorizeRequest{ResponseType: q.Get("response_type"), ClientID: q.Get("client_id"), RedirectURI: q.Get("redirect_uri"),
		State: q.Get("state"), Nonce: q.Get("nonce"), CodeChallenge: q.Get("code_challenge"),
		CodeChallengeMethod: q.Get("code_challenge_method"), IdentityProvider: q.Get("identity_provider")}
	if v, ok := q["scope"]; ok {
		req.Scope = &v[0]
	}
	return req
}

// checkAuthorize runs the authorization rules. A refusal is the domain's
// AuthorizeError, which says whether the redirect URI was validated:
// writeError sends it there or shows it on a page.
func (h *Handler) checkAuthorize(r *http.Request, poolID string) (*cognito.Authorization, error) {
	return h.svc.CheckAuthorize(r.Context(), poolID, authorizeRequest(r.URL.Query()))
}

// redirectTo sends the browser to a registered redirect URI with
// parameters in the query, or in the fragment for the implicit flow
// (RFC 6749 section 4.2.2).
func redirectTo(w http.ResponseWriter, r *http.Request, target string, fragment bool, v url.Values) {
	u, _ := url.Parse(target)
	if fragment {
		u.Fragment, u.RawFragment = "", ""
		http.Redirect(w, r, u.String()+"#"+v.Encode(), http.StatusFound)
		return
	}
	q := u.Query()
	for k, vs := range v {
		q[k] = vs
	}
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

// hostedSession is the sealed content of the session cookie: a
// cognito.HostedSession, in Unix seconds.
type hostedSession struct {
	ID       string `json:"i"`
	Pool     string `json:"p"`
	Sub      string `json:"s"`
	AuthTime int64  `json:"a"`
	Expires  int64  `json:"e"`
}

func (hs hostedSession) domain() cognito.HostedSession {
	return cognito.HostedSession{ID: hs.ID, PoolID: hs.Pool, Sub: hs.Sub, AuthTime: time.Unix(hs.AuthTime, 0), Expires: time.Unix(hs.Expires, 0)}
}

// sessionOf opens the request's session cookie for the pool.
func (h *Handler) sessionOf(r *http.Request, poolID string) (cognito.HostedSession, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return cognito.HostedSession{}, false
	}
	var hs hostedSession
	if !h.openCookie("hosted-session:"+poolID, c.Value, &hs) {
		return cognito.HostedSession{}, false
	}
	return hs.domain(), true
}

func (h *Handler) sealedCookie(purpose string, v any) string {
	b, _ := json.Marshal(v)
	return base64.RawURLEncoding.EncodeToString(h.svc.Sealer().Seal(purpose, b))
}

func (h *Handler) openCookie(purpose, value string, v any) bool {
	raw, err := base64.RawURLEncoding.DecodeString(value)
	if err != nil {
		return false
	}
	b, err := h.svc.Sealer().Open(purpose, raw)
	return err == nil && json.Unmarshal(b, v) == nil
}

// signedIn returns the user of a session cookie that counts as signed in
// to the pool (the rule is cognito.HostedSessionUser's).
func (h *Handler) signedIn(r *http.Request, pool *cognito.UserPool) (*cognito.User, time.Time) {
	hs, ok := h.sessionOf(r, pool.ID)
	if !ok {
		return nil, time.Time{}
	}
	u := h.svc.HostedSessionUser(r.Context(), pool, hs, h.now())
	if u == nil {
		return nil, time.Time{}
	}
	return u, hs.AuthTime
}

func (h *Handler) setSession(w http.ResponseWriter, r *http.Request, pool *cognito.UserPool, u *cognito.User, authTime time.Time) {
	s := cognito.NewHostedSession(pool, u, authTime, h.now())
	v := h.sealedCookie("hosted-session:"+pool.ID, hostedSession{ID: s.ID, Pool: s.PoolID, Sub: s.Sub, AuthTime: s.AuthTime.Unix(), Expires: s.Expires.Unix()})
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: v, Path: h.cookiePath(r, pool.ID), HttpOnly: true, Secure: h.secure(),
		SameSite: http.SameSiteLaxMode, MaxAge: int(sessionLifetime.Seconds())})
}

// authorize serves GET /oauth2/authorize.
func (h *Handler) authorize(w http.ResponseWriter, r *http.Request, poolID string) error {
	a, err := h.checkAuthorize(r, poolID)
	if err != nil {
		return err
	}
	if u, authTime := h.signedIn(r, a.Pool); u != nil {
		return h.complete(w, r, a, u, authTime)
	}
	http.Redirect(w, r, base(r, poolID)+"/login?"+r.URL.RawQuery, http.StatusFound)
	return nil
}

// complete ends a successful sign-in: a code, or the implicit flow's
// tokens, sent to the redirect URI with the state.
func (h *Handler) complete(w http.ResponseWriter, r *http.Request, a *cognito.Authorization, u *cognito.User, authTime time.Time) error {
	v := url.Values{}
	if a.Req.ResponseType == "code" {
		code, err := h.svc.IssueAuthCode(r.Context(), a, u, authTime)
		if err != nil {
			return ErrServerError.WithReason("issuing a code").WithCause(err)
		}
		v.Set("code", code)
	} else {
		res, err := h.svc.IssueImplicit(r.Context(), a, u, authTime)
		if err != nil {
			h.onToken("implicit", ErrServerError.Code)
			return ErrServerError.WithReason("issuing implicit tokens").WithCause(err)
		}
		h.onToken("implicit", outcomeIssued)
		v.Set("access_token", res.AccessToken)
		if res.IdToken != "" {
			v.Set("id_token", res.IdToken)
		}
		v.Set("token_type", "Bearer")
		v.Set("expires_in", strconv.FormatInt(res.ExpiresIn, 10))
	}
	if a.Req.State != "" {
		v.Set("state", a.Req.State)
	}
	redirectTo(w, r, a.Req.RedirectURI, a.Req.ResponseType == "token", v)
	return nil
}

func (h *Handler) loginPage(a *cognito.Authorization, r *http.Request, poolID, csrf string) page {
	p := h.hostedPage(r, poolID, a, "Sign in")
	p.Action, p.CSRF = base(r, poolID)+"/login?"+r.URL.RawQuery, csrf
	return p
}

// login serves GET /login: the sign-in form.
func (h *Handler) login(w http.ResponseWriter, r *http.Request, poolID string) error {
	a, err := h.checkAuthorize(r, poolID)
	if err != nil {
		return err
	}
	h.render(w, r, "login", http.StatusOK, h.loginPage(a, r, poolID, h.mintCSRF(poolID, h.browserNonce(w, r, poolID))))
	return nil
}

// loginSubmit serves POST /login: username and password (and _csrf), as
// Cognito's classic hosted UI posts them, or the new password of a user
// answering NEW_PASSWORD_REQUIRED.
func (h *Handler) loginSubmit(w http.ResponseWriter, r *http.Request, poolID string) error {
	a, err := h.checkAuthorize(r, poolID)
	if err != nil {
		return err
	}
	nonce, err := h.postedForm(w, r, poolID, a)
	if err != nil {
		return err
	}
	p := h.loginPage(a, r, poolID, h.mintCSRF(poolID, nonce))
	username := strings.TrimSpace(r.PostForm.Get("username"))
	p.Username = username
	if !h.admitHostedSignIn(r, poolID) { // limits.go
		p.Error = cognito.MsgRateExceeded
		h.render(w, r, "login", http.StatusTooManyRequests, p)
		return nil
	}
	var u *cognito.User
	if session := r.PostForm.Get("session"); session != "" {
		// NEW_PASSWORD_REQUIRED, then the second factor, as
		// RespondToAuthChallenge does.
		u, err = h.svc.CompleteNewPassword(r.Context(), a.Pool, a.Client, session, username, r.PostForm.Get("new_password"), nil)
		if err != nil {
			p.Title, p.Session, p.Error = "Change your password", session, h.userMessage(r, err)
			h.render(w, r, "new_password", formStatus(err), p)
			return nil
		}
	} else {
		u, err = h.svc.CheckUserPassword(r.Context(), a.Pool, a.Client, username, r.PostForm.Get("password"))
		if err != nil {
			p.Error = h.userMessage(r, err)
			h.render(w, r, "login", formStatus(err), p)
			return nil
		}
		if u.Status == cognito.StatusForceChangePassword {
			p.Title, p.Session = "Change your password", h.svc.NewPasswordChallenge(a.Pool, a.Client, u)
			h.render(w, r, "new_password", http.StatusOK, p)
			return nil
		}
	}
	return h.secondFactor(w, r, a, nonce, u, p)
}

// errFormExpired refuses a sign-in form post whose CSRF token, cookie or
// origin does not hold.
var errFormExpired = ErrAccessDenied.withPage("The sign-in form expired or was not sent from this page. Go back and try again.")

// userMessage is what the hosted page says for a refusal: Cognito's own
// message for its exceptions.
func (h *Handler) userMessage(r *http.Request, err error) string {
	var ce *cognito.Error
	if errors.As(err, &ce) && ce.Type != cognito.ErrInternal.Type {
		if ce.Type == cognito.ErrUserNotFound.Type {
			return "User does not exist."
		}
		return ce.Message
	}
	h.logger.ErrorContext(r.Context(), "hosted sign-in failed", "err", err)
	if errors.Is(err, cognito.ErrStoreUnavailable) {
		return "The service is temporarily unavailable. Please try again."
	}
	return "Something went wrong. Please try again."
}

// formStatus is the status of a form shown again after err: 503 with
// when the database is down (the form is kept, so the user
// only has to send it again), 400 for a refusal.
func formStatus(err error) int {
	if errors.Is(err, cognito.ErrStoreUnavailable) {
		return http.StatusServiceUnavailable
	}
	return http.StatusBadRequest
}

// logout serves GET /logout: with client_id and a registered logout_uri
// it ends the session and goes there; with redirect_uri and
// response_type it ends the session and shows the sign-in form again.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request, poolID string) error {
	q := r.URL.Query()
	client, err := h.svc.LookupClient(r.Context(), poolID, q.Get("client_id"))
	if err != nil {
		return ErrInvalidRequest.WithDescription("unknown client_id").WithCause(err)
	}
	var to string
	switch lo := q.Get("logout_uri"); {
	case lo != "" && slices.Contains(client.Settings.LogoutURLs, lo) && cognito.RedirectURLAllowed(lo):
		to = lo
	case q.Get("redirect_uri") != "" && q.Get("response_type") != "" && slices.Contains(client.Settings.CallbackURLs, q.Get("redirect_uri")):
		q.Del("logout_uri")
		to = base(r, poolID) + "/login?" + q.Encode()
	default:
		// Cognito's hosted UI shows this for a missing or unregistered logout_uri.
		return ErrInvalidRequest.withPage("Required String parameter 'redirect_uri' is not present").WithReason("no registered logout_uri or redirect_uri")
	}
	// The session's end is recorded before the cookie goes: when the
	// store cannot record it, copies of the cookie would stay valid at
	// every instance, so the logout is refused instead.
	if hs, ok := h.sessionOf(r, poolID); ok {
		if err := h.svc.EndHostedSession(r.Context(), hs); err != nil {
			return ErrTemporarilyUnavailable.WithDescription("please try again").WithReason("recording a hosted logout").WithCause(err)
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: h.cookiePath(r, poolID), MaxAge: -1, HttpOnly: true, Secure: h.secure(), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, to, http.StatusFound)
	return nil
}
