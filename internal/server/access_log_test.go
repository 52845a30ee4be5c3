package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"golang.org/x/oauth2"

	"github.com/cognitod/cognitod/internal/awsjson"
	"github.com/cognitod/cognitod/internal/metrics"
)

// maxAccessLine bounds an access log line: every field a caller chooses
// is cut (path 256, user agent 128 bytes) and cleaned.
const maxAccessLine = 1024

// TestAccessLogHoldsNoSecrets drives requests that carry every kind of
// secret cognitod sees (a client secret by Basic, a password and its
// code and tokens, a SigV4 signature, a bearer token, a sign-out state,
// the root secret in a form) and an attacker's 100 KB path and user agent,
// then checks the access log holds none of the secrets and no long line,
// and does hold what an operator needs.
func TestAccessLogHoldsNoSecrets(t *testing.T) {
	m := metrics.New(awsjson.Operations())
	configure, access := observed(m)
	p := newWebPool(t, configure, "")
	ctx := context.Background()
	secrets := []string{testSecret, "Alice-pass-1", p.secret}

	// A client secret by HTTP Basic, and the token it gets.
	id, secret := addM2MClient(t, p.c, p.poolID)
	secrets = append(secrets, secret)
	req, _ := http.NewRequest(http.MethodPost, p.issuer()+"/oauth2/token?debug=query-Secret-1", strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(id, secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var cc struct {
		AccessToken string `json:"access_token"`
	}
	json.NewDecoder(resp.Body).Decode(&cc)
	resp.Body.Close()
	if cc.AccessToken == "" {
		t.Fatalf("client credentials: %d", resp.StatusCode)
	}
	secrets = append(secrets, cc.AccessToken, "query-Secret-1", req.Header.Get("Authorization"))

	// The code flow, with the password, for the confidential client.
	cfg := p.oauthConfig(p.secretID, p.secret)
	b := newBrowserless(t)
	final, page := b.signInOverHTTP(cfg.AuthCodeURL("state-Secret-2"), "alice", "Alice-pass-1")
	if final == nil {
		t.Fatalf("sign-in failed: %.300s", page)
	}
	code := final.Query().Get("code")
	tok, err := cfg.Exchange(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	idToken, _ := tok.Extra("id_token").(string)
	secrets = append(secrets, code, "state-Secret-2", tok.AccessToken, tok.RefreshToken, idToken)
	if _, err := cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token(); err != nil {
		t.Fatal(err)
	}

	// A bearer token at userInfo, and sign-out with a query.
	req, _ = http.NewRequest(http.MethodGet, p.issuer()+"/oauth2/userInfo", nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	if resp, err := http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	} else {
		resp.Body.Close()
	}
	b.get(p.issuer() + "/logout?client_id=" + p.clientID + "&logout_uri=" + url.QueryEscape("http://localhost:8081/") + "&state=logout-Secret-3")
	secrets = append(secrets, "logout-Secret-3")

	// A SigV4-signed API call, and the root secret in a form body.
	api := signedRequest(t, p.ts, "ListUserPools", `{"MaxResults":10}`)
	sig := regexp.MustCompile(`Signature=([0-9a-f]+)`).FindStringSubmatch(api.Header.Get("Authorization"))[1]
	secrets = append(secrets, sig)
	if r := do(t, api); r.Status != 200 {
		t.Fatalf("ListUserPools: %d", r.Status)
	}
	if _, err := p.c.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(5)}); err != nil {
		t.Fatal(err)
	}
	if resp, err := http.PostForm(p.ts.URL+"/console/signin", url.Values{"access_key_id": {testKeyID}, "secret_access_key": {testSecret}}); err == nil {
		resp.Body.Close()
	}

	// An attacker's 100 KB path (with an escaped newline and an escape
	// sequence in it) and user agent.
	long := "evil%0Aforged=line%1B[31m" + strings.Repeat("A", 100_000)
	req, _ = http.NewRequest(http.MethodGet, p.ts.URL+"/"+long, nil)
	req.Header.Set("User-Agent", "evil/1.0 "+strings.Repeat("U", 100_000))
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()

	log := access.String()
	for _, s := range secrets {
		if s == "" {
			t.Fatal("a secret to look for is empty")
		}
		if strings.Contains(log, s) || (len(s) > 32 && strings.Contains(log, s[len(s)-24:])) {
			t.Errorf("the access log holds a secret: %.40s...", s)
		}
	}
	var requests int
	for _, line := range strings.Split(strings.TrimSuffix(log, "\n"), "\n") {
		if len(line) > maxAccessLine {
			t.Errorf("a log line is %d bytes: %.200s...", len(line), line)
		}
		if strings.Contains(line, "msg=request ") {
			requests++
		}
		if strings.HasPrefix(line, "forged") || strings.Contains(line, "\x1b") {
			t.Errorf("a caller's text broke into the log: %.200q", line)
		}
	}
	if requests < 15 {
		t.Errorf("%d access log lines, want one per request:\n%s", requests, log)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`level=INFO msg=request method=POST route="POST /\{pool\}/oauth2/token" path=/us-east-1_\w+/oauth2/token status=200 bytes=\d+ duration=\S+ remote_ip=127\.0\.0\.1 user_agent=Go-http-client/1\.1`),
		regexp.MustCompile(`route="POST /\{\$\}" path=/ status=200 .* operation=ListUserPools request_id=[0-9a-f-]{36} user_agent=`),
		regexp.MustCompile(`route=unmatched path="/evil\?forged=line\?\[31mA{200,}\.\.\." status=404 .* user_agent="evil/1\.0 U{100,}\.\.\."`),
	} {
		if !want.MatchString(log) {
			t.Errorf("no access log line matches %s", want)
		}
	}
}
