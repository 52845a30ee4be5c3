package server

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/verify"
)

// m2m is a pool with the seed's Photo Server and a client credentials app
// client allowed both of its scopes.
type m2m struct {
	ts       *testServer
	c        *cip.Client
	poolID   string
	clientID string
	secret   string
}

func newM2M(t *testing.T, allowed ...string) *m2m { return newM2MBench(t, allowed...) }

func newM2MBench(t testing.TB, allowed ...string) *m2m {
	t.Helper()
	return newM2MBenchWith(t, nil, allowed...)
}

// newM2MBenchWith is newM2MBench with configure changing the server's
// Config (its signer); configure may be nil.
func newM2MBenchWith(t testing.TB, configure func(*Config), allowed ...string) *m2m {
	t.Helper()
	ts := newTestServerWith(t, cognito.Limits{}, nil, configure)
	c := ts.client("us-east-1")
	poolID := createPool(t, c, "m2m")
	if _, err := c.CreateResourceServer(context.Background(), photoServer(poolID)); err != nil {
		t.Fatal(err)
	}
	if len(allowed) == 0 {
		allowed = []string{"com.example.photos/read", "com.example.photos/write"}
	}
	out, err := c.CreateUserPoolClient(context.Background(), &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(poolID), ClientName: aws.String("machine"), GenerateSecret: true,
		AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials}, AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthScopes: allowed, AccessTokenValidity: aws.Int32(30), TokenValidityUnits: &types.TokenValidityUnitsType{AccessToken: types.TimeUnitsTypeMinutes},
	})
	if err != nil {
		t.Fatal(err)
	}
	return &m2m{ts: ts, c: c, poolID: poolID, clientID: *out.UserPoolClient.ClientId, secret: *out.UserPoolClient.ClientSecret}
}

func (m *m2m) tokenURL() string { return m.ts.URL + "/" + m.poolID + "/oauth2/token" }

func (m *m2m) config(style oauth2.AuthStyle, scopes ...string) *clientcredentials.Config {
	return &clientcredentials.Config{ClientID: m.clientID, ClientSecret: m.secret, TokenURL: m.tokenURL(), Scopes: scopes, AuthStyle: style}
}

// claims decodes a token's payload without checking it (checks are
// verify's job, tested below).
func claims(t *testing.T, tok string) map[string]any {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts", len(parts))
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func scopeSet(s any) []string {
	str, _ := s.(string)
	f := strings.Fields(str)
	slices.Sort(f)
	return f
}

func wantOAuthError(t *testing.T, err error, code string) {
	t.Helper()
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		t.Fatalf("got %v, want oauth2 error %s", err, code)
	}
	if re.ErrorCode != code || re.Response.StatusCode != 400 {
		t.Fatalf("got %d %q (%s), want 400 %s", re.Response.StatusCode, re.ErrorCode, re.Body, code)
	}
	if string(re.Body) != `{"error":"`+code+`"}` {
		t.Errorf("body %s, want only the code", re.Body)
	}
}

func TestClientCredentialsScopes(t *testing.T) {
	m := newM2M(t, "com.example.photos/read")
	ctx := context.Background()
	for _, style := range []oauth2.AuthStyle{oauth2.AuthStyleInHeader, oauth2.AuthStyleInParams} {
		tok, err := m.config(style, "com.example.photos/read").Token(ctx)
		if err != nil {
			t.Fatalf("auth style %v: %v", style, err)
		}
		if tok.TokenType != "Bearer" || time.Until(tok.Expiry) > 30*time.Minute || time.Until(tok.Expiry) < 29*time.Minute {
			t.Errorf("token type %q, expiry in %v; want Bearer, 30m", tok.TokenType, time.Until(tok.Expiry))
		}
		if got := scopeSet(claims(t, tok.AccessToken)["scope"]); !slices.Equal(got, []string{"com.example.photos/read"}) {
			t.Errorf("scope = %v", got)
		}
	}
	// A scope the client is not allowed: an error, and no token.
	_, err := m.config(oauth2.AuthStyleInHeader, "com.example.photos/write").Token(ctx)
	wantOAuthError(t, err, "invalid_scope")
	_, err = m.config(oauth2.AuthStyleInHeader, "com.example.photos/read", "openid").Token(ctx)
	wantOAuthError(t, err, "invalid_scope")
}

// TestDeletedScopeRules is the seed's rule, exactly: a scope deleted from
// its resource server is ignored (not in the token, no error); re-added,
// it appears again with no change to the client.
func TestDeletedScopeRules(t *testing.T) {
	m := newM2M(t)
	ctx := context.Background()
	both := []string{"com.example.photos/read", "com.example.photos/write"}
	token := func(scopes ...string) (map[string]any, error) {
		tok, err := m.config(oauth2.AuthStyleInHeader, scopes...).Token(ctx)
		if err != nil {
			return nil, err
		}
		return claims(t, tok.AccessToken), nil
	}
	cl, err := token()
	if err != nil {
		t.Fatal(err)
	}
	if got := scopeSet(cl["scope"]); !slices.Equal(got, both) {
		t.Errorf("no scope parameter: scope = %v, want %v", got, both)
	}
	setScopes := func(names ...string) {
		in := &cip.UpdateResourceServerInput{UserPoolId: aws.String(m.poolID), Identifier: aws.String("com.example.photos"), Name: aws.String("Photo Server")}
		for _, n := range names {
			in.Scopes = append(in.Scopes, types.ResourceServerScopeType{ScopeName: aws.String(n), ScopeDescription: aws.String(n + " photos")})
		}
		if _, err := m.c.UpdateResourceServer(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	setScopes("read") // delete write
	for _, req := range [][]string{nil, both} {
		cl, err := token(req...)
		if err != nil {
			t.Fatalf("request %v after deleting write: %v", req, err)
		}
		if got := scopeSet(cl["scope"]); !slices.Equal(got, []string{"com.example.photos/read"}) {
			t.Errorf("request %v after deleting write: scope = %v, want only read", req, got)
		}
	}
	_, err = token("com.example.photos/write")
	wantOAuthError(t, err, "invalid_scope") // nothing active remains

	setScopes("read", "write") // re-add
	cl, err = token("com.example.photos/write")
	if err != nil {
		t.Fatal(err)
	}
	if got := scopeSet(cl["scope"]); !slices.Equal(got, []string{"com.example.photos/write"}) {
		t.Errorf("after re-adding write: scope = %v", got)
	}

	// Deleting the whole resource server: every scope inactive.
	if _, err := m.c.DeleteResourceServer(ctx, &cip.DeleteResourceServerInput{UserPoolId: aws.String(m.poolID), Identifier: aws.String("com.example.photos")}); err != nil {
		t.Fatal(err)
	}
	_, err = token()
	wantOAuthError(t, err, "invalid_scope")
	if _, err := m.c.CreateResourceServer(ctx, photoServer(m.poolID)); err != nil {
		t.Fatal(err)
	}
	cl, err = token()
	if err != nil {
		t.Fatal(err)
	}
	if got := scopeSet(cl["scope"]); !slices.Equal(got, both) {
		t.Errorf("after re-creating the server: scope = %v, want %v", got, both)
	}
}

// postForm sends a raw token request.
func postForm(t *testing.T, url, contentType, body string, header map[string]string) (int, string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func TestTokenEndpointErrors(t *testing.T) {
	m := newM2M(t)
	ctx := context.Background()
	form := "application/x-www-form-urlencoded"
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(m.clientID+":"+m.secret))
	public, err := m.c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(m.poolID), ClientName: aws.String("public")})
	if err != nil {
		t.Fatal(err)
	}
	codeClient, err := m.c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(m.poolID), ClientName: aws.String("web"), GenerateSecret: true,
		AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeCode}, AllowedOAuthScopes: []string{"openid"}, AllowedOAuthFlowsUserPoolClient: true, CallbackURLs: []string{"https://example.com/cb"}})
	if err != nil {
		t.Fatal(err)
	}
	oauthOff, err := m.c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(m.poolID), ClientName: aws.String("off"), GenerateSecret: true,
		AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials}, AllowedOAuthScopes: []string{"com.example.photos/read"}})
	if err != nil {
		t.Fatal(err)
	}
	secretOf := func(o *cip.CreateUserPoolClientOutput) string { return aws.ToString(o.UserPoolClient.ClientSecret) }
	body := func(id, secret string) string {
		return url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}.Encode()
	}
	tests := []struct {
		name, contentType, body string
		header                  map[string]string
		want                    string
	}{
		{"fail/unknown-client", form, body("nosuchclient", "x"), nil, "invalid_client"},
		{"fail/wrong-secret", form, body(m.clientID, m.secret+"x"), nil, "invalid_client"},
		{"fail/no-credentials", form, "grant_type=client_credentials", nil, "invalid_client"},
		{"fail/public-client", form, body(*public.UserPoolClient.ClientId, ""), nil, "invalid_client"},
		{"fail/flow-not-allowed", form, body(*codeClient.UserPoolClient.ClientId, secretOf(codeClient)), nil, "unauthorized_client"},
		{"fail/oauth-off", form, body(*oauthOff.UserPoolClient.ClientId, secretOf(oauthOff)), nil, "invalid_grant"},
		{"fail/unsupported-grant", form, "grant_type=password", map[string]string{"Authorization": basic}, "unsupported_grant_type"},
		{"fail/no-grant-type", form, "scope=x", map[string]string{"Authorization": basic}, "invalid_request"},
		{"fail/json-body", "application/json", `{"grant_type":"client_credentials"}`, map[string]string{"Authorization": basic}, "invalid_request"},
		{"fail/form-type-prefix", "application/x-www-form-urlencodedx", "grant_type=client_credentials", map[string]string{"Authorization": basic}, "invalid_request"},
		{"fail/no-content-type", "", "grant_type=client_credentials", map[string]string{"Authorization": basic}, "invalid_request"},
		{"fail/repeated-parameter", form, "grant_type=client_credentials&grant_type=client_credentials", map[string]string{"Authorization": basic}, "invalid_request"},
		{"fail/two-auth-methods", form, body(m.clientID, m.secret), map[string]string{"Authorization": basic}, "invalid_request"},
		{"fail/malformed-basic", form, "grant_type=client_credentials", map[string]string{"Authorization": "Basic !!!"}, "invalid_client"},
		{"fail/empty-scope", form, "grant_type=client_credentials&scope=", map[string]string{"Authorization": basic}, "invalid_scope"},
		{"fail/unknown-scope", form, "grant_type=client_credentials&scope=com.example.photos/delete", map[string]string{"Authorization": basic}, "invalid_scope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, got, h := postForm(t, m.tokenURL(), tt.contentType, tt.body, tt.header)
			if status != 400 || got != `{"error":"`+tt.want+`"}` {
				t.Errorf("got %d %s, want 400 {\"error\":%q}", status, got, tt.want)
			}
			if ct := h.Get("Content-Type"); ct != "application/json;charset=UTF-8" {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
	// A client of one pool cannot get tokens at another pool's endpoint.
	status, got, _ := postForm(t, m.ts.URL+"/"+createPool(t, m.c, "elsewhere")+"/oauth2/token", form, body(m.clientID, m.secret), nil)
	if status != 400 || got != `{"error":"invalid_client"}` {
		t.Errorf("other pool's endpoint: %d %s", status, got)
	}
	// Unknown pool: 404.
	status, _, _ = postForm(t, m.ts.URL+"/us-east-1_NoSuchPoo/oauth2/token", form, body(m.clientID, m.secret), nil)
	if status != 404 {
		t.Errorf("unknown pool: %d, want 404", status)
	}
	// Success headers.
	status, got, h := postForm(t, m.tokenURL(), form, "grant_type=client_credentials", map[string]string{"Authorization": basic})
	if status != 200 || h.Get("Cache-Control") != "no-store" || !strings.HasPrefix(got, `{"access_token":"`) || !strings.HasSuffix(got, `,"expires_in":1800,"token_type":"Bearer"}`) {
		t.Errorf("success: %d %s %v", status, got, h)
	}
	// Media types are case-insensitive and may carry parameters.
	if status, got, _ := postForm(t, m.tokenURL(), "Application/X-WWW-Form-Urlencoded ; charset=UTF-8", "grant_type=client_credentials", map[string]string{"Authorization": basic}); status != 200 {
		t.Errorf("form type in capitals with a charset: %d %s", status, got)
	}
	// Basic credentials are form-encoded (RFC 6749 2.3.1).
	enc := "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(m.clientID)+":"+url.QueryEscape(m.secret)))
	if status, got, _ := postForm(t, m.tokenURL(), form, "grant_type=client_credentials", map[string]string{"Authorization": enc}); status != 200 {
		t.Errorf("form-encoded Basic: %d %s", status, got)
	}
}

// TestDomainHostAndDiscovery: the OAuth endpoints answer on the pool's
// domain host; discovery on the issuer path keeps pointing at the issuer
// (server-side clients cannot resolve <x>.localhost).
func TestDomainHostAndDiscovery(t *testing.T) {
	m := newM2M(t)
	ctx := context.Background()
	get := func(host, path string) (int, []byte) {
		req, _ := http.NewRequest(http.MethodGet, m.ts.URL+path, nil)
		if host != "" {
			req.Host = host
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	status, raw := get("", "/"+m.poolID+"/.well-known/openid-configuration")
	var doc map[string]any
	if status != 200 || json.Unmarshal(raw, &doc) != nil {
		t.Fatalf("discovery: %d %s", status, raw)
	}
	issuer := m.ts.URL + "/" + m.poolID
	if doc["issuer"] != issuer || doc["jwks_uri"] != issuer+"/.well-known/jwks.json" || doc["token_endpoint"] != issuer+"/oauth2/token" {
		t.Errorf("discovery without a domain: %s", raw)
	}
	status, raw = get("", "/"+m.poolID+"/.well-known/jwks.json")
	var jwks struct{ Keys []map[string]string }
	if status != 200 || json.Unmarshal(raw, &jwks) != nil || len(jwks.Keys) != 2 {
		t.Fatalf("jwks: %d %s", status, raw)
	}

	if _, err := m.c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(m.poolID), Domain: aws.String("photos")}); err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(m.ts.URL, "http://"))
	host := "photos.auth.us-east-1.localhost:" + port
	_, raw = get("", "/"+m.poolID+"/.well-known/openid-configuration")
	json.Unmarshal(raw, &doc)
	if doc["token_endpoint"] != issuer+"/oauth2/token" {
		t.Errorf("discovery with a domain: token_endpoint %v, want %s/oauth2/token", doc["token_endpoint"], issuer)
	}
	if status, _ := get(host, "/.well-known/jwks.json"); status != 200 {
		t.Errorf("jwks on the domain host: %d", status)
	}
	if status, _ := get("nosuch.auth.us-east-1.localhost:"+port, "/.well-known/jwks.json"); status != 404 {
		t.Errorf("unknown domain host: %d, want 404", status)
	}
	if status, _ := get("photos.auth.eu-west-1.localhost:"+port, "/.well-known/jwks.json"); status != 404 {
		t.Errorf("domain host with the wrong region: %d, want 404", status)
	}
	// x/oauth2 against the domain host's token endpoint: the client dials
	// the test server whatever the host name.
	dialer := &net.Dialer{}
	hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return dialer.DialContext(ctx, network, strings.TrimPrefix(m.ts.URL, "http://"))
	}}}
	cfg := m.config(oauth2.AuthStyleInHeader, "com.example.photos/read")
	cfg.TokenURL = "http://" + host + "/oauth2/token"
	tok, err := cfg.Token(context.WithValue(ctx, oauth2.HTTPClient, hc))
	if err != nil {
		t.Fatalf("token via the domain host: %v", err)
	}
	if claims(t, tok.AccessToken)["iss"] != issuer {
		t.Errorf("iss %v, want %s", claims(t, tok.AccessToken)["iss"], issuer)
	}
	if status, _ := get("", "/us-east-1_NoSuchPoo/.well-known/jwks.json"); status != 404 {
		t.Errorf("unknown pool's jwks: %d, want 404", status)
	}
}

// TestVerifyAcceptsCognitodTokens checks cognitod's tokens with the
// public verify package, and the tokens verify must refuse.
func TestVerifyAcceptsCognitodTokens(t *testing.T) {
	m := newM2M(t)
	ctx := context.Background()
	tok, err := m.config(oauth2.AuthStyleInHeader).Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	issuer := m.ts.URL + "/" + m.poolID
	newVerifier := func(now func() time.Time, iss string) *verify.Verifier {
		return &verify.Verifier{Algorithm: verify.RS256, Issuer: iss, JWKSURL: issuer + "/.well-known/jwks.json",
			TokenUse: verify.AccessToken, ClientIDs: []string{m.clientID}, Now: now}
	}
	v := newVerifier(nil, issuer)
	cl, err := v.Verify(ctx, tok.AccessToken)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if cl.ClientID != m.clientID || cl.Subject != m.clientID || !cl.HasScope("com.example.photos/write") || cl.TokenUse != "access" {
		t.Errorf("claims: %+v", cl)
	}

	parts := strings.Split(tok.AccessToken, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(payload), "photos/read", "photos/adm1", 1))) + "." + parts[2]
	hs256Header := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","kid":"x"}`))
	noneHeader := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none"}`))
	for name, tc := range map[string]struct {
		v     *verify.Verifier
		token string
		want  error
	}{
		"fail/expired":      {newVerifier(func() time.Time { return time.Now().Add(31 * time.Minute) }, issuer), tok.AccessToken, verify.ErrExpired},
		"fail/tampered":     {v, tampered, verify.ErrSignature},
		"fail/alg-hs256":    {v, hs256Header + "." + parts[1] + "." + parts[2], verify.ErrAlgorithm},
		"fail/alg-none":     {v, noneHeader + "." + parts[1] + ".", verify.ErrAlgorithm},
		"fail/wrong-issuer": {newVerifier(nil, m.ts.URL+"/us-east-1_Other0000"), tok.AccessToken, verify.ErrIssuer},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := tc.v.Verify(ctx, tc.token); !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
}

// TestEagerKeys: with EagerKeys (as cognitod serve runs), a new pool has
// its two signing keys shortly after CreateUserPool, before any request
// needs them.
func TestEagerKeys(t *testing.T) {
	ts := newTestServerWith(t, cognito.Limits{}, nil, func(c *Config) { c.EagerKeys = true })
	poolID := createPool(t, ts.client("us-east-1"), "eager")
	deadline := time.Now().Add(30 * time.Second)
	for {
		keys, err := ts.svc.Store().ListSigningKeys(context.Background(), poolID)
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) == 2 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d signing keys 30 s after CreateUserPool, want 2", len(keys))
		}
		time.Sleep(20 * time.Millisecond)
	}
}
