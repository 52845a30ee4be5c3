package server

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"golang.org/x/oauth2"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/verify"
)

const callback = "http://localhost:8081/callback"

// webPool is a pool with the Photo Server, a user and a public app client
// for the code and implicit flows.
type webPool struct {
	ts       *testServer
	c        *cip.Client
	poolID   string
	clientID string
	secretID string
	secret   string
}

func newWebPool(t *testing.T, configure func(*Config), prevent string) *webPool {
	t.Helper()
	ts := newTestServerWith(t, cognito.Limits{}, nil, configure)
	ctx := context.Background()
	c := ts.client("us-east-1")
	poolID := createPool(t, c, "web")
	if _, err := c.CreateResourceServer(ctx, photoServer(poolID)); err != nil {
		t.Fatal(err)
	}
	in := &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("webapp"),
		AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeCode, types.OAuthFlowTypeImplicit}, AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthScopes: []string{"openid", "email", "com.example.photos/read"}, CallbackURLs: []string{callback},
		LogoutURLs: []string{"http://localhost:8081/"}, PreventUserExistenceErrors: types.PreventUserExistenceErrorTypes(prevent)}
	pub, err := c.CreateUserPoolClient(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	in.ClientName, in.GenerateSecret = aws.String("backend"), true
	sec, err := c.CreateUserPoolClient(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	for name, status := range map[string]string{"alice": "permanent", "newbie": "temporary"} {
		if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(poolID), Username: aws.String(name),
			TemporaryPassword: aws.String("Temp-pass-1"), MessageAction: types.MessageActionTypeSuppress,
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(name + "@example.com")}}}); err != nil {
			t.Fatal(err)
		}
		if status == "permanent" {
			if _, err := c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(poolID), Username: aws.String(name),
				Password: aws.String("Alice-pass-1"), Permanent: true}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return &webPool{ts: ts, c: c, poolID: poolID, clientID: *pub.UserPoolClient.ClientId, secretID: *sec.UserPoolClient.ClientId, secret: *sec.UserPoolClient.ClientSecret}
}

func (p *webPool) issuer() string { return p.ts.URL + "/" + p.poolID }

// setCallback registers u as the web client's callback URL, and its
// parent as a sign-out URL.
func (p *webPool) setCallback(t *testing.T, u string) {
	t.Helper()
	_, err := p.c.UpdateUserPoolClient(context.Background(), &cip.UpdateUserPoolClientInput{UserPoolId: aws.String(p.poolID), ClientId: aws.String(p.clientID),
		AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeCode, types.OAuthFlowTypeImplicit}, AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthScopes: []string{"openid", "email", "com.example.photos/read"}, CallbackURLs: []string{u}, LogoutURLs: []string{"http://localhost:8081/", strings.TrimSuffix(u, "callback")}})
	if err != nil {
		t.Fatal(err)
	}
}

func (p *webPool) oauthConfig(clientID, secret string) *oauth2.Config {
	style := oauth2.AuthStyleInParams
	if secret != "" {
		style = oauth2.AuthStyleInHeader
	}
	return &oauth2.Config{ClientID: clientID, ClientSecret: secret, RedirectURL: callback,
		Scopes:   []string{"openid", "email", "com.example.photos/read"},
		Endpoint: oauth2.Endpoint{AuthURL: p.issuer() + "/oauth2/authorize", TokenURL: p.issuer() + "/oauth2/token", AuthStyle: style}}
}

// browserless is a client with cookies that does not follow redirects.
type browserless struct {
	t  *testing.T
	hc *http.Client
}

func newBrowserless(t *testing.T) *browserless {
	jar, _ := cookiejar.New(nil)
	return &browserless{t: t, hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browserless) get(u string) (*http.Response, string) {
	b.t.Helper()
	resp, err := b.hc.Get(u)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func (b *browserless) post(u string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	resp, err := b.hc.PostForm(u, form)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

var formAction = regexp.MustCompile(`action="([^"]+)"`)
var hidden = func(name string) *regexp.Regexp { return regexp.MustCompile(`name="` + name + `" value="([^"]*)"`) }

// codeFlowTokens signs alice in through the hosted page with the
// authorization code flow and PKCE (as golang.org/x/oauth2 does it) and
// exchanges the code: the tokens an OAuth web app gets.
func codeFlowTokens(t *testing.T, cfg *oauth2.Config, username, password string) *oauth2.Token {
	t.Helper()
	verifier := oauth2.GenerateVerifier()
	final, page := newBrowserless(t).signInOverHTTP(cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier)), username, password)
	if final == nil {
		t.Fatalf("sign-in with %v did not redirect: %.300s", cfg.Scopes, page)
	}
	tok, err := cfg.Exchange(context.Background(), final.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// signInOverHTTP is what scripts written for Cognito's hosted UI do: open
// authorize, follow to /login, fetch the form, post username, password
// and _csrf. It returns the final redirect's URL.
func (b *browserless) signInOverHTTP(authURL, username, password string) (*url.URL, string) {
	b.t.Helper()
	resp, _ := b.get(authURL)
	if resp.StatusCode != http.StatusFound {
		b.t.Fatalf("authorize: %d", resp.StatusCode)
	}
	loginURL, _ := url.Parse(authURL)
	loginURL = loginURL.ResolveReference(&url.URL{Path: resp.Header.Get("Location")})
	loc, _ := url.Parse(resp.Header.Get("Location"))
	loginURL.RawQuery = loc.RawQuery
	loginURL.Path = loc.Path
	resp, page := b.get(loginURL.String())
	if resp.StatusCode != 200 {
		b.t.Fatalf("login page: %d %s", resp.StatusCode, page)
	}
	action := html.UnescapeString(formAction.FindStringSubmatch(page)[1])
	csrf := hidden("_csrf").FindStringSubmatch(page)[1]
	target := loginURL.ResolveReference(&url.URL{Path: strings.SplitN(action, "?", 2)[0], RawQuery: strings.SplitN(action+"?", "?", 3)[1]})
	resp, page = b.post(target.String(), url.Values{"username": {username}, "password": {password}, "_csrf": {csrf}, "signInSubmitButton": {"Sign in"}})
	if resp.StatusCode != http.StatusFound {
		return nil, page
	}
	final, _ := url.Parse(resp.Header.Get("Location"))
	return final, page
}

func pkce() (verifier, challenge string) {
	verifier = oauth2.GenerateVerifier()
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

// TestHostedLoginOverHTTP signs in with the code flow and PKCE the way
// scripts for Cognito's hosted UI do, exchanges the code with x/oauth2,
// and checks the tokens, refresh and revocation.
func TestHostedLoginOverHTTP(t *testing.T) {
	p := newWebPool(t, nil, "")
	ctx := context.Background()
	cfg := p.oauthConfig(p.clientID, "")
	verifier := oauth2.GenerateVerifier()
	authURL := cfg.AuthCodeURL("st<ate>", oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("nonce", "n-0S6_WzA2Mj"))
	b := newBrowserless(t)
	final, page := b.signInOverHTTP(authURL, "alice", "Alice-pass-1")
	if final == nil {
		t.Fatalf("sign-in did not redirect: %.500s", page)
	}
	if got := final.Scheme + "://" + final.Host + final.Path; got != callback || final.Query().Get("state") != "st<ate>" || final.Query().Get("code") == "" {
		t.Fatalf("redirect %s", final)
	}
	tok, err := cfg.Exchange(ctx, final.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	access := &verify.Verifier{Algorithm: verify.RS256, Issuer: p.issuer(), TokenUse: verify.AccessToken, ClientIDs: []string{p.clientID}}
	ac, err := access.Verify(ctx, tok.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if !ac.HasScope("com.example.photos/read") || !ac.HasScope("openid") || ac.Username != "alice" {
		t.Errorf("access token: scope %v username %q", ac.Scope, ac.Username)
	}
	idTok, _ := tok.Extra("id_token").(string)
	idv := &verify.Verifier{Algorithm: verify.RS256, Issuer: p.issuer(), TokenUse: verify.IDToken, ClientIDs: []string{p.clientID}}
	ic, err := idv.Verify(ctx, idTok)
	if err != nil {
		t.Fatal(err)
	}
	atHash, _ := ic.GetString("at_hash")
	sum := sha256.Sum256([]byte(tok.AccessToken))
	if ic.Nonce != "n-0S6_WzA2Mj" || ic.Email != "alice@example.com" || atHash != base64.RawURLEncoding.EncodeToString(sum[:16]) {
		t.Errorf("ID token: nonce %q email %q at_hash %q", ic.Nonce, ic.Email, atHash)
	}

	// userInfo
	req, _ := http.NewRequest(http.MethodGet, p.issuer()+"/oauth2/userInfo", nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var info map[string]any
	json.NewDecoder(resp.Body).Decode(&info)
	resp.Body.Close()
	if resp.StatusCode != 200 || info["email"] != "alice@example.com" || info["sub"] != ac.Subject {
		t.Errorf("userInfo: %d %v", resp.StatusCode, info)
	}

	// Refresh, then revoke, then refresh fails.
	refresh := func() (int, string) {
		status, body, _ := postForm(t, p.issuer()+"/oauth2/token", "application/x-www-form-urlencoded",
			url.Values{"grant_type": {"refresh_token"}, "client_id": {p.clientID}, "refresh_token": {tok.RefreshToken}}.Encode(), nil)
		return status, body
	}
	if status, body := refresh(); status != 200 || strings.Contains(body, "refresh_token") || !strings.Contains(body, "id_token") {
		t.Errorf("refresh: %d %s", status, body)
	}
	if status, body, _ := postForm(t, p.issuer()+"/oauth2/revoke", "application/x-www-form-urlencoded",
		url.Values{"token": {tok.RefreshToken}, "client_id": {p.clientID}}.Encode(), nil); status != 200 {
		t.Fatalf("revoke: %d %s", status, body)
	}
	if status, body := refresh(); status != 400 || body != `{"error":"invalid_grant"}` {
		t.Errorf("refresh after revoke: %d %s", status, body)
	}

	// A second authorize in the same browser is silent.
	resp2, _ := b.get(cfg.AuthCodeURL("again", oauth2.S256ChallengeOption(verifier)))
	loc, _ := url.Parse(resp2.Header.Get("Location"))
	if resp2.StatusCode != http.StatusFound || loc.Query().Get("code") == "" || !strings.HasPrefix(resp2.Header.Get("Location"), callback) {
		t.Errorf("second authorize: %d %s", resp2.StatusCode, resp2.Header.Get("Location"))
	}
	// Logout ends it.
	resp3, _ := b.get(p.issuer() + "/logout?client_id=" + p.clientID + "&logout_uri=" + url.QueryEscape("http://localhost:8081/"))
	if resp3.StatusCode != http.StatusFound || resp3.Header.Get("Location") != "http://localhost:8081/" {
		t.Errorf("logout: %d %s", resp3.StatusCode, resp3.Header.Get("Location"))
	}
	resp4, _ := b.get(cfg.AuthCodeURL("after-logout", oauth2.S256ChallengeOption(verifier)))
	if !strings.Contains(resp4.Header.Get("Location"), "/login?") {
		t.Errorf("authorize after logout went to %s, want the sign-in form", resp4.Header.Get("Location"))
	}
}

// TestCodeSecurity: single use, bound to client, redirect URI and PKCE
// challenge; a client with a secret must authenticate.
func TestCodeSecurity(t *testing.T) {
	p := newWebPool(t, nil, "")
	ctx := context.Background()
	newCode := func(clientID string, opts ...oauth2.AuthCodeOption) string {
		cfg := p.oauthConfig(clientID, "")
		final, page := newBrowserless(t).signInOverHTTP(cfg.AuthCodeURL("s", opts...), "alice", "Alice-pass-1")
		if final == nil {
			t.Fatalf("sign in: %.300s", page)
		}
		return final.Query().Get("code")
	}
	exchange := func(form url.Values, header map[string]string) (int, string) {
		status, body, _ := postForm(t, p.issuer()+"/oauth2/token", "application/x-www-form-urlencoded", form.Encode(), header)
		return status, body
	}
	verifier, _ := pkce()

	code := newCode(p.clientID, oauth2.S256ChallengeOption(verifier))
	for name, tc := range map[string]url.Values{
		"fail/no-verifier":     {"grant_type": {"authorization_code"}, "client_id": {p.clientID}, "code": {code}, "redirect_uri": {callback}},
		"fail/wrong-verifier":  {"grant_type": {"authorization_code"}, "client_id": {p.clientID}, "code": {code}, "redirect_uri": {callback}, "code_verifier": {oauth2.GenerateVerifier()}},
		"fail/other-redirect":  {"grant_type": {"authorization_code"}, "client_id": {p.clientID}, "code": {code}, "redirect_uri": {"http://localhost:8081/other"}, "code_verifier": {verifier}},
		"fail/no-redirect-uri": {"grant_type": {"authorization_code"}, "client_id": {p.clientID}, "code": {code}, "code_verifier": {verifier}},
	} {
		if status, body := exchange(tc, nil); status != 400 || body != `{"error":"invalid_grant"}` {
			t.Errorf("%s: %d %s", name, status, body)
		}
	}
	good := url.Values{"grant_type": {"authorization_code"}, "client_id": {p.clientID}, "code": {code}, "redirect_uri": {callback}, "code_verifier": {verifier}}
	status, body := exchange(good, nil)
	if status != 200 {
		t.Fatalf("exchange: %d %s", status, body)
	}
	var first struct {
		RefreshToken string `json:"refresh_token"`
	}
	json.Unmarshal([]byte(body), &first)
	if status, body := exchange(good, nil); status != 400 || body != `{"error":"invalid_grant"}` {
		t.Errorf("replayed code: %d %s", status, body)
	}
	// The replay revoked what the first exchange gave.
	if status, _ := exchange(url.Values{"grant_type": {"refresh_token"}, "client_id": {p.clientID}, "refresh_token": {first.RefreshToken}}, nil); status != 400 {
		t.Errorf("refresh token of a replayed code still works: %d", status)
	}

	// Bound to the client.
	code = newCode(p.clientID)
	if status, body := exchange(url.Values{"grant_type": {"authorization_code"}, "client_id": {p.secretID}, "client_secret": {p.secret}, "code": {code}, "redirect_uri": {callback}}, nil); status != 400 || body != `{"error":"invalid_grant"}` {
		t.Errorf("code of another client: %d %s", status, body)
	}
	// A client with a secret must authenticate.
	code = newCode(p.secretID)
	if status, body := exchange(url.Values{"grant_type": {"authorization_code"}, "client_id": {p.secretID}, "code": {code}, "redirect_uri": {callback}}, nil); status != 400 || body != `{"error":"invalid_client"}` {
		t.Errorf("secret client without its secret: %d %s", status, body)
	}
	if _, err := p.oauthConfig(p.secretID, p.secret).Exchange(ctx, code); err != nil {
		t.Errorf("secret client with its secret: %v", err)
	}
	// An unknown code.
	if status, body := exchange(url.Values{"grant_type": {"authorization_code"}, "client_id": {p.clientID}, "code": {"made-up"}, "redirect_uri": {callback}}, nil); status != 400 || body != `{"error":"invalid_grant"}` {
		t.Errorf("made-up code: %d %s", status, body)
	}
}

// TestAuthorizeErrors: an unregistered redirect URI gets a page, never a
// redirect; other errors go back to the client with the state.
func TestAuthorizeErrors(t *testing.T) {
	p := newWebPool(t, nil, "")
	b := newBrowserless(t)
	q := func(kv ...string) string {
		v := url.Values{"client_id": {p.clientID}, "redirect_uri": {callback}, "response_type": {"code"}, "state": {"xyz"}}
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == "" {
				v.Del(kv[i])
			} else {
				v.Set(kv[i], kv[i+1])
			}
		}
		return p.issuer() + "/oauth2/authorize?" + v.Encode()
	}
	for name, u := range map[string]string{
		"unregistered-redirect": q("redirect_uri", "https://evil.example/cb"),
		"redirect-prefix":       q("redirect_uri", callback+"/../x"),
		"no-redirect":           q("redirect_uri", ""),
		"unknown-client":        q("client_id", "nosuchclient"),
	} {
		resp, body := b.get(u)
		if resp.StatusCode != 400 || resp.Header.Get("Location") != "" || !strings.Contains(body, "error was encountered") {
			t.Errorf("%s: %d Location %q", name, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	for name, tc := range map[string]struct{ url, want string }{
		"bad-response-type": {q("response_type", "id_token"), "error=invalid_request"},
		"no-response-type":  {q("response_type", ""), "error=invalid_request"},
		"scope-not-allowed": {q("scope", "openid com.example.photos/write"), "error=invalid_request&error_description=invalid_scope&state=xyz"},
		"plain-pkce":        {q("code_challenge", strings.Repeat("a", 43), "code_challenge_method", "plain"), "error=invalid_request"},
		"other-idp":         {q("identity_provider", "Google"), "error=invalid_request"},
	} {
		resp, _ := b.get(tc.url)
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, callback+"?") || !strings.Contains(loc, tc.want) || !strings.Contains(loc, "state=xyz") {
			t.Errorf("%s: %d %s", name, resp.StatusCode, loc)
		}
	}
	// A client not allowed the flow.
	cc := newM2MFor(t, p)
	resp, _ := b.get(p.issuer() + "/oauth2/authorize?" + url.Values{"client_id": {cc}, "redirect_uri": {callback}, "response_type": {"code"}, "state": {"s"}}.Encode())
	if loc := resp.Header.Get("Location"); !strings.Contains(loc, "error=unauthorized_client") {
		t.Errorf("flow not allowed: %s", loc)
	}
}

// newM2MFor adds a code-capable client with OAuth turned off.
func newM2MFor(t *testing.T, p *webPool) string {
	out, err := p.c.CreateUserPoolClient(context.Background(), &cip.CreateUserPoolClientInput{UserPoolId: aws.String(p.poolID), ClientName: aws.String("off"),
		AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeCode}, AllowedOAuthScopes: []string{"openid"}, CallbackURLs: []string{callback}})
	if err != nil {
		t.Fatal(err)
	}
	return *out.UserPoolClient.ClientId
}

// TestHostedLoginDefences: CSRF, escaping, cookies, lockout, no user
// enumeration (same status and error for an unknown user and a wrong
// password) and the new-password step.
func TestHostedLoginDefences(t *testing.T) {
	p := newWebPool(t, func(c *Config) { c.PublicURL = strings.Replace(c.PublicURL, "http://", "https://", 1) }, "ENABLED")
	cfg := p.oauthConfig(p.clientID, "")
	authURL := strings.Replace(cfg.AuthCodeURL(`"><script>alert(1)</script>`), "https://", "http://", 1)
	b := newBrowserless(t)
	resp, _ := b.get(authURL)
	loginURL := p.ts.URL + resp.Header.Get("Location")
	resp, page := b.get(loginURL)
	if strings.Contains(page, "<script>alert") {
		t.Error("state reflected unescaped on the login page")
	}
	var xsrf *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "XSRF-TOKEN" {
			xsrf = c
		}
	}
	if xsrf == nil || !xsrf.HttpOnly || !xsrf.Secure || xsrf.SameSite != http.SameSiteLaxMode {
		t.Errorf("XSRF cookie %+v", xsrf)
	}
	action := p.ts.URL + html.UnescapeString(formAction.FindStringSubmatch(page)[1])
	csrf := hidden("_csrf").FindStringSubmatch(page)[1]

	// No token, or another one: refused.
	for _, bad := range []string{"", "x" + csrf} {
		resp, _ := b.post(action, url.Values{"username": {"alice"}, "password": {"Alice-pass-1"}, "_csrf": {bad}})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("login post with _csrf %q: %d", bad, resp.StatusCode)
		}
	}
	// A username full of markup comes back escaped; unknown users and
	// wrong passwords read the same.
	loginError := regexp.MustCompile(`<p class="error[^"]*"[^>]*>([^<]*)</p>`)
	resp, page = b.post(action, url.Values{"username": {`<img src=x onerror=alert(1)>`}, "password": {"x"}, "_csrf": {csrf}})
	unknownStatus, unknownError := resp.StatusCode, loginError.FindStringSubmatch(page)
	if strings.Contains(page, "<img src=x") || unknownError == nil || unknownError[1] != "Incorrect username or password." {
		t.Errorf("unknown user page: %.300s", page)
	}
	for i := range 5 {
		resp, page = b.post(action, url.Values{"username": {"alice"}, "password": {"wrong"}, "_csrf": {csrf}})
		if m := loginError.FindStringSubmatch(page); m == nil || unknownError == nil || m[1] != unknownError[1] || resp.StatusCode != unknownStatus {
			t.Errorf("wrong password %d: %d %q, want what an unknown user gets: %d %q", i+1, resp.StatusCode, m, unknownStatus, unknownError)
		}
	}
	_, page = b.post(action, url.Values{"username": {"alice"}, "password": {"Alice-pass-1"}, "_csrf": {csrf}})
	if !strings.Contains(page, "Password attempts exceeded") {
		t.Errorf("lockout not shown: %.300s", page)
	}

	// The new-password step, and the session cookie's attributes.
	resp, page = b.post(action, url.Values{"username": {"newbie"}, "password": {"Temp-pass-1"}, "_csrf": {csrf}})
	session := hidden("session").FindStringSubmatch(page)
	if resp.StatusCode != 200 || session == nil {
		t.Fatalf("new-password step: %d %.300s", resp.StatusCode, page)
	}
	resp, _ = b.post(action, url.Values{"username": {"newbie"}, "new_password": {"Newbie-pass-9"}, "session": {session[1]}, "_csrf": {csrf}})
	if resp.StatusCode != http.StatusFound || !strings.Contains(resp.Header.Get("Location"), "code=") {
		t.Fatalf("after the new password: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	var sess *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "cognito" {
			sess = c
		}
	}
	if sess == nil || !sess.HttpOnly || !sess.Secure || sess.SameSite != http.SameSiteLaxMode {
		t.Errorf("session cookie %+v", sess)
	}
}

// TestImplicitFlow: tokens in the fragment, never a refresh token; a
// custom scope deleted from its server is dropped silently.
func TestImplicitFlow(t *testing.T) {
	p := newWebPool(t, nil, "")
	ctx := context.Background()
	if _, err := p.c.UpdateResourceServer(ctx, &cip.UpdateResourceServerInput{UserPoolId: aws.String(p.poolID), Identifier: aws.String("com.example.photos"),
		Name: aws.String("Photo Server"), Scopes: []types.ResourceServerScopeType{{ScopeName: aws.String("write"), ScopeDescription: aws.String("w")}}}); err != nil {
		t.Fatal(err)
	}
	u := p.issuer() + "/oauth2/authorize?" + url.Values{"client_id": {p.clientID}, "redirect_uri": {callback}, "response_type": {"token"},
		"scope": {"openid email com.example.photos/read"}, "state": {"imp"}, "nonce": {"nn"}}.Encode()
	final, page := newBrowserless(t).signInOverHTTP(u, "alice", "Alice-pass-1")
	if final == nil {
		t.Fatalf("implicit: %.300s", page)
	}
	frag, _ := url.ParseQuery(final.Fragment)
	if final.RawQuery != "" || frag.Get("token_type") != "Bearer" || frag.Get("expires_in") != "3600" || frag.Get("state") != "imp" || frag.Has("refresh_token") || frag.Get("id_token") == "" {
		t.Fatalf("implicit redirect: %s", final)
	}
	ac := claims(t, frag.Get("access_token"))
	if got := scopeSet(ac["scope"]); !slices.Equal(got, []string{"email", "openid"}) {
		t.Errorf("implicit scope %v: the deleted custom scope should be dropped", got)
	}
	if claims(t, frag.Get("id_token"))["nonce"] != "nn" {
		t.Error("implicit ID token without the nonce")
	}
}

// TestHostedLoginOnDomainHost: the hosted pages answer on the pool's
// domain host too, with paths from the host's root.
func TestHostedLoginOnDomainHost(t *testing.T) {
	p := newWebPool(t, nil, "")
	if _, err := p.c.CreateUserPoolDomain(context.Background(), &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(p.poolID), Domain: aws.String("web-login")}); err != nil {
		t.Fatal(err)
	}
	_, port, _ := strings.Cut(strings.TrimPrefix(p.ts.URL, "http://"), ":")
	host := "web-login.auth.us-east-1.localhost:" + port
	get := func(path string) (*http.Response, string) {
		req, _ := http.NewRequest(http.MethodGet, p.ts.URL+path, nil)
		req.Host = host
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	q := url.Values{"client_id": {p.clientID}, "redirect_uri": {callback}, "response_type": {"code"}, "state": {"d"}}.Encode()
	resp, _ := get("/oauth2/authorize?" + q)
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/login?"+q {
		t.Fatalf("authorize on the domain host: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, page := get("/login?" + q)
	if resp.StatusCode != 200 || !strings.Contains(page, `action="/login?`) || !strings.Contains(page, `href="/_static/login.css"`) {
		t.Errorf("login page on the domain host: %d %.300s", resp.StatusCode, page)
	}
	if resp, _ := get("/_static/login.css"); resp.StatusCode != 200 {
		t.Errorf("stylesheet on the domain host: %d", resp.StatusCode)
	}
}
