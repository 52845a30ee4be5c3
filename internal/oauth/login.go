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
	for _, name := range []string{"login", "new_password", "error"} {
		out[name] = template.Must(template.ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html"))
	}
	return out
}()

const (
	// sessionCookie remembers a signed-in user for an hour, as the hosted
	// UI does, so that a second authorize is silent.
	sessionCookie   = "cognito"
	sessionLifetime = time.Hour
	// csrfCookie carries the browser's nonce that the login form's token
	// is bound to (csrf.go).
	csrfCookie = "XSRF-TOKEN"
)

// page is what the hosted pages render.
type page struct {
	Title, PoolName, Base, Action, CSRF, Error, Username, Session string
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
		h.serverError(w, r, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	// No form-action: the sign-in form's answer redirects to the app's
	// callback, another origin, which form-action 'self' would block.
	hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("X-Content-Type-Options", "nosniff")
	// same-origin, not no-referrer: under no-referrer browsers send
	// "Origin: null" with the form's POST, which the origin check
	// (sameSiteRequest) could not tell from a sandboxed attacker's frame.
	// Other origins still get no Referer.
	hd.Set("Referrer-Policy", "same-origin")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func (h *Handler) loginCSS(w http.ResponseWriter, r *http.Request, _ string) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(loginCSS)
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

// checkAuthorize runs the authorization rules and answers the request
// itself when they refuse it: an error page, or a redirect with the error.
func (h *Handler) checkAuthorize(w http.ResponseWriter, r *http.Request, poolID string) (*cognito.Authorization, bool) {
	req := authorizeRequest(r.URL.Query())
	a, err := h.svc.CheckAuthorize(r.Context(), poolID, req)
	if err == nil {
		return a, true
	}
	var ae *cognito.AuthorizeError
	if !errors.As(err, &ae) {
		h.serverError(w, r, err)
		return nil, false
	}
	if !ae.Redirect {
		h.render(w, r, "error", http.StatusBadRequest, page{Title: "Error", Base: base(r, poolID), Error: errorPageText(ae)})
		return nil, false
	}
	v := url.Values{"error": {ae.Code}}
	if ae.Description != "" {
		v.Set("error_description", ae.Description)
	}
	if req.State != "" {
		v.Set("state", req.State)
	}
	redirectTo(w, r, req.RedirectURI, req.ResponseType == "token", v)
	return nil, false
}

func errorPageText(ae *cognito.AuthorizeError) string {
	switch ae.Code {
	case "redirect_mismatch":
		return "redirect_mismatch: the redirect_uri is not registered for this app client."
	case "invalid_client":
		return "invalid_client: the app client does not exist in this user pool."
	}
	return ae.Code + ": " + ae.Description
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

// hostedSession is the sealed content of the session cookie.
type hostedSession struct {
	ID       string `json:"i"`
	Pool     string `json:"p"`
	Sub      string `json:"s"`
	AuthTime int64  `json:"a"`
	Expires  int64  `json:"e"`
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

// signedIn returns the user of a valid session cookie for the pool.
func (h *Handler) signedIn(r *http.Request, pool *cognito.UserPool) (*cognito.User, time.Time) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil, time.Time{}
	}
	var hs hostedSession
	if !h.openCookie("hosted-session:"+pool.ID, c.Value, &hs) || hs.Pool != pool.ID || time.Now().Unix() > hs.Expires || h.sessionEnded(r.Context(), hs.ID) {
		return nil, time.Time{}
	}
	u, err := h.svc.Store().GetUserBySub(r.Context(), pool.ID, hs.Sub)
	if err != nil || !u.Enabled || u.Status != cognito.StatusConfirmed || (!u.SignedOutAt.IsZero() && time.Unix(hs.AuthTime, 0).Before(u.SignedOutAt)) {
		return nil, time.Time{}
	}
	return u, time.Unix(hs.AuthTime, 0)
}

func (h *Handler) setSession(w http.ResponseWriter, r *http.Request, pool *cognito.UserPool, u *cognito.User, authTime time.Time) {
	v := h.sealedCookie("hosted-session:"+pool.ID, hostedSession{ID: randomToken(), Pool: pool.ID, Sub: u.Sub, AuthTime: authTime.Unix(), Expires: time.Now().Add(sessionLifetime).Unix()})
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: v, Path: h.cookiePath(r, pool.ID), HttpOnly: true, Secure: h.secure(),
		SameSite: http.SameSiteLaxMode, MaxAge: int(sessionLifetime.Seconds())})
}

// authorize serves GET /oauth2/authorize.
func (h *Handler) authorize(w http.ResponseWriter, r *http.Request, poolID string) {
	a, ok := h.checkAuthorize(w, r, poolID)
	if !ok {
		return
	}
	if u, authTime := h.signedIn(r, a.Pool); u != nil {
		h.complete(w, r, a, u, authTime)
		return
	}
	http.Redirect(w, r, base(r, poolID)+"/login?"+r.URL.RawQuery, http.StatusFound)
}

// complete ends a successful sign-in: a code, or the implicit flow's
// tokens, sent to the redirect URI with the state.
func (h *Handler) complete(w http.ResponseWriter, r *http.Request, a *cognito.Authorization, u *cognito.User, authTime time.Time) {
	v := url.Values{}
	if a.Req.ResponseType == "code" {
		code, err := h.svc.IssueAuthCode(r.Context(), a, u, authTime)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		v.Set("code", code)
	} else {
		res, err := h.svc.IssueImplicit(r.Context(), a, u, authTime)
		if err != nil {
			h.onToken("implicit", "server_error")
			h.serverError(w, r, err)
			return
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
}

func (h *Handler) loginPage(a *cognito.Authorization, r *http.Request, poolID, csrf string) page {
	return page{Title: "Sign in", PoolName: a.Pool.Name, Base: base(r, poolID), Action: base(r, poolID) + "/login?" + r.URL.RawQuery, CSRF: csrf}
}

// login serves GET /login: the sign-in form.
func (h *Handler) login(w http.ResponseWriter, r *http.Request, poolID string) {
	a, ok := h.checkAuthorize(w, r, poolID)
	if !ok {
		return
	}
	h.render(w, r, "login", http.StatusOK, h.loginPage(a, r, poolID, h.mintCSRF(poolID, h.browserNonce(w, r, poolID))))
}

// loginSubmit serves POST /login: username and password (and _csrf), as
// Cognito's classic hosted UI posts them, or the new password of a user
// answering NEW_PASSWORD_REQUIRED.
func (h *Handler) loginSubmit(w http.ResponseWriter, r *http.Request, poolID string) {
	a, ok := h.checkAuthorize(w, r, poolID)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	cookie, err := r.Cookie(csrfCookie)
	if err != nil || !h.sameSiteRequest(r) || r.ParseForm() != nil || !h.checkCSRF(poolID, cookie.Value, r.PostForm.Get("_csrf")) {
		h.render(w, r, "error", http.StatusForbidden, page{Title: "Error", PoolName: a.Pool.Name, Base: base(r, poolID),
			Error: "The sign-in form expired or was not sent from this page. Go back and try again."})
		return
	}
	p := h.loginPage(a, r, poolID, h.mintCSRF(poolID, cookie.Value))
	username := strings.TrimSpace(r.PostForm.Get("username"))
	p.Username = username
	if !h.admitHostedSignIn(r, poolID) { // limits.go
		p.Error = cognito.MsgRateExceeded
		h.render(w, r, "login", http.StatusTooManyRequests, p)
		return
	}
	var u *cognito.User
	if session := r.PostForm.Get("session"); session != "" {
		u, err = h.svc.CompleteNewPassword(r.Context(), a.Pool, a.Client, session, username, r.PostForm.Get("new_password"), nil)
		if err != nil {
			p.Title, p.Session, p.Error = "Change your password", session, h.userMessage(r, err)
			h.render(w, r, "new_password", http.StatusBadRequest, p)
			return
		}
	} else {
		u, err = h.svc.CheckUserPassword(r.Context(), a.Pool, a.Client, username, r.PostForm.Get("password"))
		if err != nil {
			p.Error = h.userMessage(r, err)
			h.render(w, r, "login", http.StatusBadRequest, p)
			return
		}
		if u.Status == cognito.StatusForceChangePassword {
			p.Title, p.Session = "Change your password", h.svc.NewPasswordChallenge(a.Pool, a.Client, u)
			h.render(w, r, "new_password", http.StatusOK, p)
			return
		}
	}
	// The hosted pages do not ask for a second factor yet: a sign-in that
	// needs one is refused here, never completed without it.
	if err := h.svc.RefuseUnservedMFA(r.Context(), a.Pool, u); err != nil {
		p.Error = h.userMessage(r, err)
		h.render(w, r, "login", http.StatusBadRequest, p)
		return
	}
	authTime := time.Now()
	h.setSession(w, r, a.Pool, u, authTime)
	h.complete(w, r, a, u, authTime)
}

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
	return "Something went wrong. Please try again."
}

// logout serves GET /logout: with client_id and a registered logout_uri
// it ends the session and goes there; with redirect_uri and
// response_type it ends the session and shows the sign-in form again.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request, poolID string) {
	q := r.URL.Query()
	// clear ends the session and reports whether its end was recorded:
	// when the store cannot record it, copies of the cookie would stay
	// valid at every instance, so the logout is refused instead.
	clear := func() bool {
		if c, err := r.Cookie(sessionCookie); err == nil {
			var hs hostedSession
			if h.openCookie("hosted-session:"+poolID, c.Value, &hs) {
				if err := h.endSession(r.Context(), hs.ID, time.Unix(hs.Expires, 0)); err != nil {
					h.logger.ErrorContext(r.Context(), "recording a hosted logout", "err", err)
					h.render(w, r, "error", http.StatusServiceUnavailable, page{Title: "Error", Base: base(r, poolID), Error: "temporarily_unavailable: please try again"})
					return false
				}
			}
		}
		http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: h.cookiePath(r, poolID), MaxAge: -1, HttpOnly: true, Secure: h.secure(), SameSite: http.SameSiteLaxMode})
		return true
	}
	client, err := h.svc.LookupClient(r.Context(), poolID, q.Get("client_id"))
	if err != nil {
		h.render(w, r, "error", http.StatusBadRequest, page{Title: "Error", Base: base(r, poolID), Error: "invalid_request: unknown client_id"})
		return
	}
	if lo := q.Get("logout_uri"); lo != "" && slices.Contains(client.Settings.LogoutURLs, lo) && cognito.RedirectURLAllowed(lo) {
		if clear() {
			http.Redirect(w, r, lo, http.StatusFound)
		}
		return
	}
	if q.Get("redirect_uri") != "" && q.Get("response_type") != "" && slices.Contains(client.Settings.CallbackURLs, q.Get("redirect_uri")) {
		if clear() {
			q.Del("logout_uri")
			http.Redirect(w, r, base(r, poolID)+"/login?"+q.Encode(), http.StatusFound)
		}
		return
	}
	// Cognito's hosted UI shows this for a missing or unregistered logout_uri.
	h.render(w, r, "error", http.StatusBadRequest, page{Title: "Error", Base: base(r, poolID), Error: "Required String parameter 'redirect_uri' is not present"})
}
