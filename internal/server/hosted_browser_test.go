package server

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"golang.org/x/oauth2"

	"github.com/cognitod/cognitod/verify"
)

// callbackServer is the app's side of the redirect: it records the URL
// the browser was sent to. It listens on localhost:8081's path but a free
// port, so the registered callback is rewritten to it.
type callbackServer struct {
	url  string
	hits chan *url.URL
}

func newCallbackServer(t *testing.T) *callbackServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cs := &callbackServer{url: "http://" + ln.Addr().String() + "/callback", hits: make(chan *url.URL, 4)}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := *r.URL
		select {
		case cs.hits <- &u:
		default:
		}
		w.Header().Set("Content-Type", "text/html")
		// The implicit flow's tokens are in the fragment, which never
		// reaches a server: the page shows it.
		w.Write([]byte(`<!doctype html><title>callback</title><p id="done">signed in</p>`))
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return cs
}

// TestHostedLoginInBrowser: Chromium opens /oauth2/authorize with PKCE,
// signs in on the hosted page, follows the redirect to a local callback
// server; the code is exchanged with x/oauth2, the access token checked
// with verify (custom scope in it), the ID token's nonce checked; then
// refresh, revoke, and a refresh that fails.
func TestHostedLoginInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium")
	}
	ctx := browser(t)
	p := newWebPool(t, nil, "")
	cs := newCallbackServer(t)
	p.setCallback(t, cs.url)
	cfg := p.oauthConfig(p.clientID, "")
	cfg.RedirectURL = cs.url
	verifier := oauth2.GenerateVerifier()
	authURL := cfg.AuthCodeURL("browser-state", oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("nonce", "browser-nonce"))

	run(t, ctx, "open authorize", chromedp.Navigate(authURL), chromedp.WaitVisible(css(`input[name=username]`)))
	screenshot(t, ctx, "hosted-login.png")
	run(t, ctx, "sign in",
		chromedp.SendKeys(css(`input[name=username]`), "alice"),
		chromedp.SendKeys(css(`input[name=password]`), "Alice-pass-1"),
		chromedp.Click(css(`button[name=signInSubmitButton]`)),
		chromedp.WaitVisible(css(`#done`)),
	)
	hit := <-cs.hits
	if hit.Query().Get("state") != "browser-state" || hit.Query().Get("code") == "" {
		t.Fatalf("callback %s", hit)
	}
	bctx := context.Background()
	tok, err := cfg.Exchange(bctx, hit.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	v := &verify.Verifier{Algorithm: verify.RS256, Issuer: p.issuer(), TokenUse: verify.AccessToken, ClientIDs: []string{p.clientID}}
	ac, err := v.Verify(bctx, tok.AccessToken)
	if err != nil || !ac.HasScope("com.example.photos/read") {
		t.Fatalf("access token: %v %v", ac, err)
	}
	idv := &verify.Verifier{Algorithm: verify.RS256, Issuer: p.issuer(), TokenUse: verify.IDToken, ClientIDs: []string{p.clientID}}
	idTok, _ := tok.Extra("id_token").(string)
	ic, err := idv.Verify(bctx, idTok)
	if err != nil || ic.Nonce != "browser-nonce" {
		t.Fatalf("ID token: %v %v", ic, err)
	}
	refreshed, err := cfg.TokenSource(bctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	if err != nil || refreshed.AccessToken == "" {
		t.Fatalf("refresh: %v", err)
	}
	if status, body, _ := postForm(t, p.issuer()+"/oauth2/revoke", "application/x-www-form-urlencoded",
		url.Values{"token": {tok.RefreshToken}, "client_id": {p.clientID}}.Encode(), nil); status != 200 {
		t.Fatalf("revoke: %d %s", status, body)
	}
	if _, err := cfg.TokenSource(bctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token(); err == nil {
		t.Error("refresh succeeded after revoke")
	}
	// userInfo refuses an access token whose refresh token was revoked.
	req, _ := http.NewRequest(http.MethodGet, p.issuer()+"/oauth2/userInfo", nil)
	req.Header.Set("Authorization", "Bearer "+refreshed.AccessToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 || !strings.Contains(resp.Header.Get("WWW-Authenticate"), "invalid_token") {
		t.Errorf("userInfo with a revoked token: %d %s", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
}

// TestNewPasswordAndImplicitInBrowser: a user with a temporary password
// chooses a new one on the hosted page; the implicit flow returns tokens
// in the fragment.
func TestNewPasswordAndImplicitInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium")
	}
	ctx := browser(t)
	p := newWebPool(t, nil, "")
	cs := newCallbackServer(t)
	p.setCallback(t, cs.url)
	u := p.issuer() + "/oauth2/authorize?" + url.Values{"client_id": {p.clientID}, "redirect_uri": {cs.url}, "response_type": {"token"},
		"scope": {"openid email com.example.photos/read"}, "state": {"imp"}, "nonce": {"n1"}}.Encode()
	run(t, ctx, "sign in with the temporary password",
		chromedp.Navigate(u),
		chromedp.WaitVisible(css(`input[name=username]`)),
		chromedp.SendKeys(css(`input[name=username]`), "newbie"),
		chromedp.SendKeys(css(`input[name=password]`), "Temp-pass-1"),
		chromedp.Click(css(`button[name=signInSubmitButton]`)),
		chromedp.WaitVisible(css(`input[name=new_password]`)),
		chromedp.SendKeys(css(`input[name=new_password]`), "Newbie-pass-9"),
		chromedp.Submit(css(`input[name=new_password]`)),
		chromedp.WaitVisible(css(`#done`)),
	)
	<-cs.hits
	loc := value(t, ctx, "location", chromedp.Location())
	frag, _ := url.ParseQuery(strings.SplitN(loc, "#", 2)[1])
	if frag.Get("access_token") == "" || frag.Get("id_token") == "" || frag.Get("token_type") != "Bearer" || frag.Get("state") != "imp" || frag.Has("refresh_token") {
		t.Fatalf("implicit fragment: %v", frag)
	}
	if claims(t, frag.Get("id_token"))["nonce"] != "n1" {
		t.Error("no nonce in the implicit ID token")
	}
}

// freeLoopbackPort returns a loopback port that was free a moment ago.
func freeLoopbackPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}
