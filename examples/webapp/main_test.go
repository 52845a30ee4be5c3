package main

import (
	"errors"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

const testIssuer = "http://localhost:9229/us-east-1_abc123XYZ"

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestParseConfig(t *testing.T) {
	required := []string{"--issuer", testIssuer, "--client-id", "client1"}

	c, err := parseConfig(required, envOf(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := config{
		addr:        "127.0.0.1:8081",
		issuer:      testIssuer,
		clientID:    "client1",
		redirectURL: "http://localhost:8081/callback",
		logoutURL:   "http://localhost:8081/",
		scopes:      []string{"openid", "email", "com.example.photos/read"},
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("defaults:\n got %+v\nwant %+v", c, want)
	}

	env := map[string]string{
		"WEBAPP_ADDR":          ":9000",
		"WEBAPP_ISSUER":        testIssuer + "/",
		"WEBAPP_CLIENT_ID":     "env-client",
		"WEBAPP_CLIENT_SECRET": "s3cret",
		"WEBAPP_REDIRECT_URL":  "https://app.example.com/callback",
		"WEBAPP_SCOPES":        " openid  profile ",
		"WEBAPP_LOGOUT_URL":    "https://app.example.com/",
	}
	c, err = parseConfig(nil, envOf(env), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want = config{
		addr:         ":9000",
		issuer:       testIssuer, // trailing slash dropped
		clientID:     "env-client",
		clientSecret: "s3cret",
		redirectURL:  "https://app.example.com/callback",
		logoutURL:    "https://app.example.com/",
		scopes:       []string{"openid", "profile"},
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("environment:\n got %+v\nwant %+v", c, want)
	}

	c, err = parseConfig([]string{"--client-id", "flag-client", "--scopes", "openid"}, envOf(env), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.clientID != "flag-client" || !reflect.DeepEqual(c.scopes, []string{"openid"}) {
		t.Errorf("a flag should beat its environment twin: %+v", c)
	}
}

func TestParseConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--client-id", "c"}, "--issuer"},
		{[]string{"--issuer", testIssuer}, "--client-id"},
		{[]string{"--issuer", "localhost:9229/pool", "--client-id", "c"}, "--issuer"},
		{[]string{"--issuer", "ftp://example.com/pool", "--client-id", "c"}, "--issuer"},
		{[]string{"--issuer", testIssuer, "--client-id", "c", "--redirect-url", "/callback"}, "--redirect-url"},
		{[]string{"--issuer", testIssuer, "--client-id", "c", "--logout-url", ""}, "--logout-url"},
		{[]string{"--issuer", testIssuer, "--client-id", "c", "--scopes", "email com.example.photos/read"}, "openid"},
		{[]string{"--issuer", testIssuer, "--client-id", "c", "extra"}, "unexpected argument"},
		{[]string{"--no-such-flag"}, "no-such-flag"},
	} {
		_, err := parseConfig(tc.args, envOf(nil), io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("parseConfig(%q) = %v, want an error mentioning %q", tc.args, err, tc.want)
		}
	}
	if _, err := parseConfig([]string{"-h"}, envOf(nil), io.Discard); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: %v, want flag.ErrHelp", err)
	}
}

func TestOAuthConfig(t *testing.T) {
	cfg := config{issuer: testIssuer, clientID: "client1", redirectURL: "http://localhost:8081/callback", scopes: []string{"openid"}}
	c := oauthConfig(cfg)
	if c.Endpoint.AuthURL != testIssuer+"/oauth2/authorize" || c.Endpoint.TokenURL != testIssuer+"/oauth2/token" {
		t.Errorf("endpoints: %+v", c.Endpoint)
	}
	if c.Endpoint.AuthStyle != oauth2.AuthStyleInParams {
		t.Errorf("public client: AuthStyle %v, want AuthStyleInParams", c.Endpoint.AuthStyle)
	}
	cfg.clientSecret = "s3cret"
	if c := oauthConfig(cfg); c.Endpoint.AuthStyle != oauth2.AuthStyleInHeader || c.ClientSecret != "s3cret" {
		t.Errorf("confidential client: AuthStyle %v, want AuthStyleInHeader", c.Endpoint.AuthStyle)
	}
}

func TestLoginState(t *testing.T) {
	l := loginState{state: "s", nonce: "n", verifier: oauth2.GenerateVerifier()}
	got, ok := parseLoginState(l.String())
	if !ok || got != l {
		t.Errorf("round trip: %+v, %v; want %+v", got, ok, l)
	}
	for _, bad := range []string{"", "a.b", "a.b.c.d", "a..c", ".b.c", "a.b."} {
		if _, ok := parseLoginState(bad); ok {
			t.Errorf("parseLoginState(%q) accepted", bad)
		}
	}
}

func testApp(t *testing.T) *app {
	t.Helper()
	cfg, err := parseConfig([]string{"--issuer", testIssuer, "--client-id", "client1"}, envOf(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	a, err := newApp(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestAuthCodeURL(t *testing.T) {
	a := testApp(t)
	l := loginState{state: "state1", nonce: "nonce1", verifier: oauth2.GenerateVerifier()}
	u, err := url.Parse(a.authCodeURL(l))
	if err != nil {
		t.Fatal(err)
	}
	if got := u.Scheme + "://" + u.Host + u.Path; got != testIssuer+"/oauth2/authorize" {
		t.Errorf("endpoint %s", got)
	}
	q := u.Query()
	for k, want := range map[string]string{
		"response_type":         "code",
		"client_id":             "client1",
		"redirect_uri":          "http://localhost:8081/callback",
		"scope":                 "openid email com.example.photos/read",
		"state":                 "state1",
		"nonce":                 "nonce1",
		"code_challenge_method": "S256",
		"code_challenge":        oauth2.S256ChallengeFromVerifier(l.verifier),
	} {
		if q.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, q.Get(k), want)
		}
	}
}

func TestHostedLogoutURL(t *testing.T) {
	got := testApp(t).hostedLogoutURL()
	want := testIssuer + "/logout?client_id=client1&logout_uri=http%3A%2F%2Flocalhost%3A8081%2F"
	if got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

func TestSessionStore(t *testing.T) {
	st := newSessionStore()
	request := func(id string) *http.Request {
		r := httptest.NewRequest("GET", "/", nil)
		r.AddCookie(&http.Cookie{Name: sessionCookie, Value: id})
		return r
	}

	id := st.add(session{csrf: "one"})
	if _, s, ok := st.fromRequest(request(id)); !ok || s.csrf != "one" {
		t.Fatalf("new session not found: %+v, %v", s, ok)
	}
	if id2 := st.add(session{}); id2 == id {
		t.Error("two sessions with one ID")
	}
	if _, _, ok := st.fromRequest(request("forged")); ok {
		t.Error("unknown ID accepted")
	}
	if _, _, ok := st.fromRequest(httptest.NewRequest("GET", "/", nil)); ok {
		t.Error("request without a cookie has a session")
	}

	st.replace(id, session{csrf: "two"})
	if _, s, _ := st.fromRequest(request(id)); s.csrf != "two" || s.expires.IsZero() {
		t.Errorf("after replace: %+v", s)
	}

	st.delete(id)
	st.replace(id, session{csrf: "three"}) // ended meanwhile: not revived
	if _, _, ok := st.fromRequest(request(id)); ok {
		t.Error("deleted session found")
	}

	expired := st.add(session{})
	st.m[expired] = session{expires: time.Now().Add(-time.Second)}
	if _, _, ok := st.fromRequest(request(expired)); ok {
		t.Error("expired session found")
	}
	st.add(session{})
	if _, ok := st.m[expired]; ok {
		t.Error("expired session not dropped")
	}
}
