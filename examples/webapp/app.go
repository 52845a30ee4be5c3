package main

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cognitod/cognitod/verify"
	"golang.org/x/oauth2"
)

// photosRead is the custom scope the home page looks for.
const photosRead = "com.example.photos/read"

const (
	loginCookie   = "webapp_login"   // state, nonce and PKCE verifier of a sign-in in progress
	sessionCookie = "webapp_session" // the ID of a server-side session
	loginTTL      = 10 * time.Minute
)

type app struct {
	oauth      *oauth2.Config
	issuer     string
	logoutURL  string
	httpClient *http.Client // for the token and revocation endpoints
	accessV    *verify.Verifier
	idV        *verify.Verifier
	secure     bool // set the Secure attribute on cookies (https redirect URL)
	sessions   *sessionStore
	log        *slog.Logger
}

// newApp builds the OAuth 2.0 client and the token verifiers. It makes no
// network requests.
func newApp(cfg config, logger *slog.Logger) (*app, error) {
	accessV, err := newVerifier(cfg, verify.AccessToken)
	if err != nil {
		return nil, err
	}
	idV, err := newVerifier(cfg, verify.IDToken)
	if err != nil {
		return nil, err
	}
	return &app{
		oauth:      oauthConfig(cfg),
		issuer:     cfg.issuer,
		logoutURL:  cfg.logoutURL,
		httpClient: &http.Client{Timeout: 10 * time.Second},
		accessV:    accessV,
		idV:        idV,
		secure:     strings.HasPrefix(cfg.redirectURL, "https:"),
		sessions:   newSessionStore(),
		log:        logger,
	}, nil
}

// newVerifier returns a Verifier for this client's access or ID tokens.
// The JWKS is fetched on the first Verify, not here.
func newVerifier(cfg config, use verify.TokenUse) (*verify.Verifier, error) {
	v := &verify.Verifier{
		Algorithm: verify.RS256,
		Issuer:    cfg.issuer,
		TokenUse:  use,
		ClientIDs: []string{cfg.clientID},
		Leeway:    5 * time.Second,
	}
	if err := v.Validate(); err != nil {
		return nil, err
	}
	return v, nil
}

// oauthConfig returns the client configuration, with the endpoints derived
// from the issuer. A client with a secret authenticates with HTTP Basic; a
// public client sends only its client_id in the form.
func oauthConfig(cfg config) *oauth2.Config {
	style := oauth2.AuthStyleInParams
	if cfg.clientSecret != "" {
		style = oauth2.AuthStyleInHeader
	}
	return &oauth2.Config{
		ClientID:     cfg.clientID,
		ClientSecret: cfg.clientSecret,
		RedirectURL:  cfg.redirectURL,
		Scopes:       cfg.scopes,
		Endpoint: oauth2.Endpoint{
			AuthURL:   cfg.issuer + "/oauth2/authorize",
			TokenURL:  cfg.issuer + "/oauth2/token",
			AuthStyle: style,
		},
	}
}

func (a *app) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", a.home)
	mux.HandleFunc("GET /login", a.login)
	mux.HandleFunc("GET /callback", a.callback)
	mux.HandleFunc("POST /refresh", a.refresh)
	mux.HandleFunc("POST /logout", a.logout)
	return mux
}

// loginState is what /login remembers for /callback, in a cookie.
type loginState struct {
	state, nonce, verifier string
}

// The three values are base64url or base32 text, which has no dots.
func (l loginState) String() string { return l.state + "." + l.nonce + "." + l.verifier }

func parseLoginState(s string) (loginState, bool) {
	parts := strings.Split(s, ".")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return loginState{}, false
	}
	return loginState{state: parts[0], nonce: parts[1], verifier: parts[2]}, true
}

// authCodeURL is the hosted login URL for a sign-in with state l.
func (a *app) authCodeURL(l loginState) string {
	return a.oauth.AuthCodeURL(l.state, oauth2.S256ChallengeOption(l.verifier), oauth2.SetAuthURLParam("nonce", l.nonce))
}

// hostedLogoutURL is the pool's logout endpoint, which ends the hosted
// login session and sends the browser back to the logout URL.
func (a *app) hostedLogoutURL() string {
	q := url.Values{"client_id": {a.oauth.ClientID}, "logout_uri": {a.logoutURL}}
	return a.issuer + "/logout?" + q.Encode()
}

func (a *app) home(w http.ResponseWriter, r *http.Request) {
	_, s, ok := a.sessions.fromRequest(r)
	if !ok {
		render(w, http.StatusOK, "home", nil)
		return
	}
	render(w, http.StatusOK, "home", map[string]any{
		"Username":      s.id.Username,
		"Email":         s.id.Email,
		"Scopes":        s.access.Scope,
		"PhotosScope":   photosRead,
		"HasPhotosRead": s.access.HasScope(photosRead),
		"Expires":       s.access.ExpiresAt,
		"CSRF":          s.csrf,
	})
}

func (a *app) login(w http.ResponseWriter, r *http.Request) {
	l := loginState{state: rand.Text(), nonce: rand.Text(), verifier: oauth2.GenerateVerifier()}
	a.setCookie(w, loginCookie, l.String(), loginTTL)
	http.Redirect(w, r, a.authCodeURL(l), http.StatusFound)
}

func (a *app) callback(w http.ResponseWriter, r *http.Request) {
	var l loginState
	c, err := r.Cookie(loginCookie)
	if err == nil {
		l, _ = parseLoginState(c.Value)
	}
	a.setCookie(w, loginCookie, "", -1) // a sign-in state is used once
	q := r.URL.Query()
	if l.state == "" || subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(l.state)) != 1 {
		fail(w, http.StatusBadRequest, "Sign-in failed", "This response does not belong to a sign-in started in this browser. Please sign in again.")
		return
	}
	if e := q.Get("error"); e != "" {
		fail(w, http.StatusBadRequest, "Sign-in failed: "+e, q.Get("error_description"))
		return
	}
	ctx := a.ctx(r)
	tok, err := a.oauth.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(l.verifier))
	if err != nil {
		a.log.Warn("code exchange", "err", err)
		fail(w, http.StatusBadGateway, "Sign-in failed", err.Error())
		return
	}
	access, idToken, err := a.verifyTokens(ctx, tok, l.nonce, nil)
	if err != nil {
		a.log.Warn("token verification", "err", err)
		fail(w, http.StatusBadGateway, "Sign-in failed", "The tokens did not verify: "+err.Error())
		return
	}
	if old, err := r.Cookie(sessionCookie); err == nil {
		a.sessions.delete(old.Value)
	}
	// A new session ID on every sign-in, so that an ID planted before
	// sign-in is worthless.
	id := a.sessions.add(session{token: tok, access: access, id: idToken, csrf: rand.Text()})
	a.setCookie(w, sessionCookie, id, 0)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (a *app) refresh(w http.ResponseWriter, r *http.Request) {
	id, s, ok := a.postSession(w, r)
	if !ok {
		return
	}
	// A token with no access token counts as expired, so the token source
	// refreshes it at once (grant_type=refresh_token).
	ctx := a.ctx(r)
	tok, err := a.oauth.TokenSource(ctx, &oauth2.Token{RefreshToken: s.token.RefreshToken}).Token()
	if err != nil {
		a.log.Warn("refresh", "err", err)
		fail(w, http.StatusBadGateway, "Refresh failed", err.Error())
		return
	}
	access, idToken, err := a.verifyTokens(ctx, tok, "", s.id)
	if err != nil {
		a.log.Warn("token verification", "err", err)
		fail(w, http.StatusBadGateway, "Refresh failed", "The tokens did not verify: "+err.Error())
		return
	}
	a.sessions.replace(id, session{token: tok, access: access, id: idToken, csrf: s.csrf})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (a *app) logout(w http.ResponseWriter, r *http.Request) {
	id, s, ok := a.postSession(w, r)
	if !ok {
		return
	}
	a.sessions.delete(id)
	a.setCookie(w, sessionCookie, "", -1)
	if err := a.revoke(a.ctx(r), s.token.RefreshToken); err != nil {
		a.log.Warn("revoking the refresh token", "err", err) // sign out anyway
	}
	http.Redirect(w, r, a.hostedLogoutURL(), http.StatusSeeOther)
}

// postSession returns the session of a form POST whose CSRF token matches,
// or answers the request itself and reports false.
func (a *app) postSession(w http.ResponseWriter, r *http.Request) (string, session, bool) {
	id, s, ok := a.sessions.fromRequest(r)
	if !ok {
		http.Redirect(w, r, "/", http.StatusSeeOther) // signed out already
		return "", s, false
	}
	if subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf")), []byte(s.csrf)) != 1 {
		fail(w, http.StatusForbidden, "Forbidden", "The form's CSRF token is missing or wrong. Reload the page and try again.")
		return "", s, false
	}
	return id, s, true
}

// verifyTokens checks the access and ID tokens of a token response. For a
// sign-in, nonce is the one sent to the authorize endpoint. For a refresh,
// prev is the session's ID token: a new one must be about the same user,
// and if the response has none, prev is returned.
func (a *app) verifyTokens(ctx context.Context, tok *oauth2.Token, nonce string, prev *verify.Claims) (access, id *verify.Claims, err error) {
	if access, err = a.accessV.Verify(ctx, tok.AccessToken); err != nil {
		return nil, nil, fmt.Errorf("access token: %w", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	switch {
	case raw == "" && prev != nil:
		return access, prev, nil
	case raw == "":
		return nil, nil, errors.New("no ID token in the token response")
	}
	if id, err = a.idV.Verify(ctx, raw); err != nil {
		return nil, nil, fmt.Errorf("ID token: %w", err)
	}
	if nonce != "" && id.Nonce != nonce {
		return nil, nil, errors.New("ID token: nonce does not match")
	}
	if prev != nil && id.Subject != prev.Subject {
		return nil, nil, errors.New("ID token: a different user")
	}
	return access, id, nil
}

// revoke revokes a refresh token (RFC 7009), and the access tokens issued
// with it, at the pool's revocation endpoint.
func (a *app) revoke(ctx context.Context, refreshToken string) error {
	form := url.Values{"token": {refreshToken}, "client_id": {a.oauth.ClientID}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.issuer+"/oauth2/revoke", strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if a.oauth.ClientSecret != "" {
		// Encoded as golang.org/x/oauth2 does for the token endpoint.
		req.SetBasicAuth(url.QueryEscape(a.oauth.ClientID), url.QueryEscape(a.oauth.ClientSecret))
	}
	resp, err := a.httpClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("revocation endpoint answered %s: %s", resp.Status, body)
	}
	return nil
}

// ctx makes golang.org/x/oauth2 use the app's HTTP client, which has a
// timeout.
func (a *app) ctx(r *http.Request) context.Context {
	return context.WithValue(r.Context(), oauth2.HTTPClient, a.httpClient)
}

// setCookie sets an HttpOnly, SameSite=Lax cookie for the whole app. A
// zero ttl makes a browser-session cookie; a negative one deletes it.
func (a *app) setCookie(w http.ResponseWriter, name, value string, ttl time.Duration) {
	c := &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteLaxMode}
	switch {
	case ttl < 0:
		c.MaxAge = -1
	case ttl > 0:
		c.MaxAge = int(ttl.Seconds())
	}
	http.SetCookie(w, c)
}
