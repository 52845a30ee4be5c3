package server

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"golang.org/x/oauth2"
)

// discoveryDoc fetches a discovery document with a plain client, the
// request addressed to host when it is not empty.
func fetchDiscovery(t *testing.T, rawURL, host string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, rawURL, nil)
	if host != "" {
		req.Host = host
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var doc map[string]any
	if resp.StatusCode != 200 || json.Unmarshal(b, &doc) != nil {
		t.Fatalf("discovery %s: %d %s", rawURL, resp.StatusCode, b)
	}
	return doc
}

// TestDiscoveryEndpointsResolve: a pool with a domain still advertises, on
// its issuer's discovery document, endpoints that a server-side client
// resolves with Go's own resolver and a plain http.Client; each answers as
// its endpoint should, and the hosted sign-in works end to end through
// the advertised URLs. The token's iss stays the issuer.
func TestDiscoveryEndpointsResolve(t *testing.T) {
	var publicURL string
	p := newWebPool(t, func(c *Config) {
		c.PublicURL = strings.Replace(c.PublicURL, "127.0.0.1", "localhost", 1)
		publicURL = c.PublicURL
	}, "ENABLED")
	ctx := context.Background()
	if _, err := p.c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(p.poolID), Domain: aws.String("resolve-me")}); err != nil {
		t.Fatal(err)
	}
	issuer := publicURL + "/" + p.poolID
	doc := fetchDiscovery(t, issuer+"/.well-known/openid-configuration", "")
	if doc["issuer"] != issuer {
		t.Fatalf("issuer %v, want %s", doc["issuer"], issuer)
	}
	public, _ := url.Parse(publicURL)
	checked := map[string]bool{}
	endpoint := func(name string) string {
		t.Helper()
		checked[name] = true
		s, _ := doc[name].(string)
		u, err := url.Parse(s)
		if err != nil || u.Scheme != "http" || u.Host == "" {
			t.Fatalf("%s: %q is not an absolute URL", name, s)
		}
		// Only names that stay on loopback are looked up: a pool-domain
		// host would make Go ask the system's DNS server.
		if u.Hostname() != public.Hostname() {
			t.Fatalf("%s is on %s, not the issuer's host %s: server-side clients cannot resolve it", name, u.Host, public.Host)
		}
		addrs, err := net.DefaultResolver.LookupHost(ctx, u.Hostname())
		if err != nil || len(addrs) == 0 {
			t.Fatalf("%s: Go's resolver: %v", name, err)
		}
		return s
	}
	call := func(name, method, rawURL, body string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(method, rawURL, strings.NewReader(body))
		if method == http.MethodPost {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		// A plain client (no custom dialer), but not following redirects
		// off to the app's callback.
		hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", name, rawURL, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	oauthError := func(name, b string) {
		t.Helper()
		var e struct{ Error string }
		if json.Unmarshal([]byte(b), &e) != nil || e.Error == "" {
			t.Errorf("%s: not an OAuth error JSON: %s", name, b)
		}
	}

	if resp, b := call("jwks_uri", "GET", endpoint("jwks_uri"), ""); resp.StatusCode != 200 || !strings.Contains(b, `"keys"`) {
		t.Errorf("jwks_uri: %d %s", resp.StatusCode, b)
	}
	if resp, b := call("token_endpoint", "POST", endpoint("token_endpoint"), ""); resp.StatusCode != 400 {
		t.Errorf("token_endpoint, empty POST: %d %s", resp.StatusCode, b)
	} else {
		oauthError("token_endpoint", b)
	}
	if resp, b := call("revocation_endpoint", "POST", endpoint("revocation_endpoint"), ""); resp.StatusCode != 400 {
		t.Errorf("revocation_endpoint, empty POST: %d %s", resp.StatusCode, b)
	} else {
		oauthError("revocation_endpoint", b)
	}
	if resp, b := call("userinfo_endpoint", "GET", endpoint("userinfo_endpoint"), ""); resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") == "" {
		t.Errorf("userinfo_endpoint without a token: %d %s", resp.StatusCode, b)
	}
	authz := endpoint("authorization_endpoint") + "?" + url.Values{"client_id": {p.clientID}, "response_type": {"code"}, "redirect_uri": {callback}, "scope": {"openid"}}.Encode()
	if resp, b := call("authorization_endpoint", "GET", authz, ""); resp.StatusCode != 302 || !strings.Contains(resp.Header.Get("Location"), "/login?") {
		t.Errorf("authorization_endpoint: %d %q %s", resp.StatusCode, resp.Header.Get("Location"), b)
	}
	logout := endpoint("end_session_endpoint") + "?" + url.Values{"client_id": {p.clientID}, "logout_uri": {"http://localhost:8081/"}}.Encode()
	if resp, b := call("end_session_endpoint", "GET", logout, ""); resp.StatusCode != 302 || resp.Header.Get("Location") != "http://localhost:8081/" {
		t.Errorf("end_session_endpoint: %d %q %s", resp.StatusCode, resp.Header.Get("Location"), b)
	}

	// The hosted sign-in and the code exchange through the advertised URLs.
	cfg := p.oauthConfig(p.secretID, p.secret)
	cfg.Endpoint.AuthURL, cfg.Endpoint.TokenURL = endpoint("authorization_endpoint"), endpoint("token_endpoint")
	tok := codeFlowTokens(t, cfg, "alice", "Alice-pass-1")
	idToken, _ := tok.Extra("id_token").(string)
	for name, jwt := range map[string]string{"access": tok.AccessToken, "id": idToken} {
		if iss := jwtClaims(t, jwt)["iss"]; iss != issuer {
			t.Errorf("%s token iss %v, want the issuer %s", name, iss, issuer)
		}
	}
	hc := oauth2.NewClient(ctx, oauth2.StaticTokenSource(tok))
	if resp, err := hc.Get(endpoint("userinfo_endpoint")); err != nil || resp.StatusCode != 200 {
		t.Errorf("userinfo with the access token: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}

	// Every URL the document advertises was resolved and called above.
	for name, v := range doc {
		if s, ok := v.(string); ok && name != "issuer" && strings.Contains(s, "://") && !checked[name] {
			t.Errorf("discovery advertises %s %s, which this test does not call", name, s)
		}
	}
}

// TestDiscoveryOnDomainHost: discovery asked on the pool's domain host
// advertises that host (the client reached it), and an operator who says
// domain hosts resolve gets them advertised on the issuer path too.
func TestDiscoveryOnDomainHost(t *testing.T) {
	for _, resolve := range []bool{false, true} {
		p := newWebPool(t, func(c *Config) { c.DomainHostsResolve = resolve }, "ENABLED")
		if _, err := p.c.CreateUserPoolDomain(context.Background(), &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(p.poolID), Domain: aws.String("photos")}); err != nil {
			t.Fatal(err)
		}
		_, port, _ := net.SplitHostPort(strings.TrimPrefix(p.ts.URL, "http://"))
		host := "photos.auth.us-east-1.localhost:" + port
		onDomain := fetchDiscovery(t, p.ts.URL+"/.well-known/openid-configuration", host)
		onIssuer := fetchDiscovery(t, p.issuer()+"/.well-known/openid-configuration", "")
		for _, doc := range []map[string]any{onDomain, onIssuer} {
			if doc["issuer"] != p.issuer() || doc["jwks_uri"] != p.issuer()+"/.well-known/jwks.json" {
				t.Errorf("resolve=%v: issuer %v jwks_uri %v, want the issuer's", resolve, doc["issuer"], doc["jwks_uri"])
			}
		}
		if got, want := onDomain["token_endpoint"], "http://"+host+"/oauth2/token"; got != want {
			t.Errorf("resolve=%v, on the domain host: token_endpoint %v, want %s", resolve, got, want)
		}
		want := p.issuer() + "/oauth2/authorize"
		if resolve {
			want = "http://" + host + "/oauth2/authorize"
		}
		if got := onIssuer["authorization_endpoint"]; got != want {
			t.Errorf("resolve=%v, on the issuer path: authorization_endpoint %v, want %s", resolve, got, want)
		}
	}
}
