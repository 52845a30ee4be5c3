package server

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// loginForm opens the hosted sign-in form of poolID's client in a fresh
// browser and returns the form's action URL, the XSRF-TOKEN cookie (the
// browser's nonce) and the form's _csrf token.
func loginForm(t *testing.T, ts *testServer, poolID, clientID string) (action, cookie, csrf string) {
	t.Helper()
	b := newBrowserless(t)
	resp, _ := b.get(ts.URL + "/" + poolID + "/oauth2/authorize?" + url.Values{"response_type": {"code"}, "client_id": {clientID},
		"redirect_uri": {callback}, "scope": {"openid"}}.Encode())
	resp, page := b.get(ts.URL + resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("login page: %d %.300s", resp.StatusCode, page)
	}
	for _, c := range resp.Cookies() {
		if c.Name == "XSRF-TOKEN" {
			cookie = c.Value
		}
	}
	return ts.URL + html.UnescapeString(formAction.FindStringSubmatch(page)[1]), cookie, hidden("_csrf").FindStringSubmatch(page)[1]
}

// postLogin posts alice's right password with the given cookie, token and
// headers, as an attacker's page or script would, and returns the answer.
func postLogin(t *testing.T, action, cookie, csrf string, headers map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, action, strings.NewReader(url.Values{"username": {"alice"}, "password": {"Alice-pass-1"}, "_csrf": {csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "XSRF-TOKEN", Value: cookie})
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestHostedLoginCSRFBoundToServer: the hosted sign-in form's token is an
// HMAC the server minted for this pool, this browser's nonce cookie and a
// bounded lifetime, and the POST is refused when the browser says it
// comes from another site. Each case below was accepted by the plain
// double-submit cookie this replaced.
func TestHostedLoginCSRFBoundToServer(t *testing.T) {
	var skew atomic.Int64
	p := newWebPool(t, func(c *Config) {
		c.Now = func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	}, "")
	ctx := context.Background()
	poolB := createPool(t, p.c, "other")
	outB, err := p.c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolB), ClientName: aws.String("webapp"),
		AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeCode}, AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthScopes: []string{"openid"}, CallbackURLs: []string{callback}})
	if err != nil {
		t.Fatal(err)
	}
	const refusal = "The sign-in form expired or was not sent from this page."
	refused := func(name string, status int, page string) {
		t.Helper()
		if status != http.StatusForbidden || !strings.Contains(page, refusal) {
			t.Errorf("%s: %d %.200s, want 403 and the CSRF error page", name, status, page)
		}
	}

	action, cookie, csrf := loginForm(t, p.ts, p.poolID, p.clientID)
	if cookie == "" || csrf == cookie {
		t.Fatalf("form token %q equals the cookie %q: not bound to the server", csrf, cookie)
	}

	// A pair the server never issued: equal cookie and field.
	forged := strings.Repeat("A", 43)
	st, page := postLogin(t, action, forged, forged, nil)
	refused("forged equal pair", st, page)
	// The real token with another browser's nonce.
	st, page = postLogin(t, action, forged, csrf, nil)
	refused("token with another nonce", st, page)
	// A token minted for pool B, with the nonce it was minted for.
	_, cookieB, csrfB := loginForm(t, p.ts, poolB, *outB.UserPoolClient.ClientId)
	st, page = postLogin(t, action, cookieB, csrfB, nil)
	refused("token of another pool", st, page)
	// Cross-site requests, with the right cookie and token.
	for _, h := range []map[string]string{
		{"Origin": "https://evil.example"},
		{"Origin": "http://127.0.0.1:1"},
		{"Origin": "null"},
		{"Sec-Fetch-Site": "cross-site"},
		{"Sec-Fetch-Site": "same-site"},
		{"Sec-Fetch-Site": "cross-site", "Origin": p.ts.URL},
	} {
		st, page = postLogin(t, action, cookie, csrf, h)
		refused("headers "+fmtMap(h), st, page)
	}
	// The browser's own same-origin post works; so does a client sending
	// neither header.
	if st, page = postLogin(t, action, cookie, csrf, map[string]string{"Origin": p.ts.URL, "Sec-Fetch-Site": "same-origin"}); st != http.StatusFound {
		t.Errorf("same-origin post: %d %.200s", st, page)
	}
	if st, page = postLogin(t, action, cookie, csrf, map[string]string{"Origin": "null", "Sec-Fetch-Site": "same-origin"}); st != http.StatusFound {
		t.Errorf("same-origin post with an opaque origin: %d %.200s", st, page)
	}
	if st, page = postLogin(t, action, cookie, csrf, nil); st != http.StatusFound {
		t.Errorf("post without Origin or Sec-Fetch-Site: %d %.200s", st, page)
	}
	// Two hours on, the token has expired.
	skew.Store(int64(2 * time.Hour))
	st, page = postLogin(t, action, cookie, csrf, nil)
	refused("expired token", st, page)
}

func fmtMap(m map[string]string) string {
	var parts []string
	for k, v := range m {
		parts = append(parts, k+"="+v)
	}
	return strings.Join(parts, ",")
}
