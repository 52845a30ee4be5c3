package server

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/ratelimit"
)

// wantThrottled checks an SDK error is Cognito's throttling answer and
// that the SDK's standard retryer classifies it as a throttle (and so
// retries it with back-off when retries are on).
func wantThrottled(t *testing.T, err error) {
	t.Helper()
	wantAPIError(t, err, "TooManyRequestsException", "Rate exceeded")
	if retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err) != aws.TrueTernary {
		t.Fatalf("the SDK does not classify %v as a throttle", err)
	}
}

func TestRequestRateQuotaBurstAndRecovery(t *testing.T) {
	clk, counts := &quotaClock{}, &throttleCounts{}
	ts := newLimitedServer(t, clk, counts, QuotaOptions{Overrides: map[string]float64{"UserPoolRead": 5}}, nil)
	ctx := context.Background()
	c := ts.sdkFrom("127.0.0.1", "us-east-1", testKeyID, testSecret)
	poolID := createPool(t, c, "rated") // UserPoolUpdate: its own bucket
	describe := func() error {
		_, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(poolID)})
		return err
	}
	// One second's burst: five calls, then the sixth and later are refused.
	for i := 1; i <= 5; i++ {
		if err := describe(); err != nil {
			t.Fatalf("call %d of 5: %v", i, err)
		}
	}
	for range 3 {
		wantThrottled(t, describe())
	}
	// ListUserPools is UserPoolRead too: the same bucket.
	_, err := c.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
	wantThrottled(t, err)
	// The wire answer: HTTP 400, Cognito's JSON error.
	resp := ts.raw(t, "ListUserPools", `{"MaxResults":10}`)
	if resp.Status != http.StatusBadRequest || resp.Body["__type"] != "TooManyRequestsException" || resp.Body["message"] != "Rate exceeded" {
		t.Fatalf("raw throttled answer: %d %s", resp.Status, resp.Raw)
	}
	if got := counts.get("UserPoolRead"); got != 5 {
		t.Fatalf("throttled calls counted: %d, want 5", got)
	}

	// Other categories and other regions have buckets of their own.
	if _, err := c.ListUserPoolClients(ctx, &cip.ListUserPoolClientsInput{UserPoolId: aws.String(poolID)}); err != nil {
		t.Fatalf("UserPoolClientRead throttled by UserPoolRead: %v", err)
	}
	eu := ts.sdkFrom("127.0.0.1", "eu-west-1", testKeyID, testSecret)
	if _, err := eu.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)}); err != nil {
		t.Fatalf("eu-west-1 throttled by us-east-1's calls: %v", err)
	}

	// 5 per second is one token every 200 ms.
	clk.advance(199 * time.Millisecond)
	wantThrottled(t, describe())
	clk.advance(time.Millisecond)
	if err := describe(); err != nil {
		t.Fatalf("after 200 ms: %v", err)
	}
	wantThrottled(t, describe())
	// A quiet second refills the whole burst, and no more.
	clk.advance(10 * time.Second)
	for i := 1; i <= 5; i++ {
		if err := describe(); err != nil {
			t.Fatalf("after refilling, call %d: %v", i, err)
		}
	}
	wantThrottled(t, describe())
}

func TestRespondToAuthChallengeQuotaOverflowsIntoUserAuthentication(t *testing.T) {
	clk, counts := &quotaClock{}, &throttleCounts{}
	// UserAuthentication 1/s: challenges get 3, then borrow UserAuthentication's 1.
	ts := newLimitedServer(t, clk, counts, QuotaOptions{Overrides: map[string]float64{"UserAuthentication": 1}}, nil)
	ctx := context.Background()
	c := ts.client("us-east-1")
	poolID := createPool(t, c, "challenges")
	cl, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("web")})
	if err != nil {
		t.Fatal(err)
	}
	respond := func() error {
		_, err := c.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: cl.UserPoolClient.ClientId,
			ChallengeName: types.ChallengeNameTypeNewPasswordRequired, Session: aws.String(strings.Repeat("s", 40)),
			ChallengeResponses: map[string]string{"USERNAME": "nobody", "NEW_PASSWORD": "Whatever-1"}})
		return err
	}
	for i := 1; i <= 4; i++ {
		var ae smithy.APIError
		if err := respond(); errors.As(err, &ae) && ae.ErrorCode() == "TooManyRequestsException" {
			t.Fatalf("challenge answer %d of 3+1 throttled", i)
		}
	}
	wantThrottled(t, respond())
	// The overflow used UserAuthentication's token: InitiateAuth is refused too.
	_, err = c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: cl.UserPoolClient.ClientId, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "nobody", "PASSWORD": "x"}})
	wantThrottled(t, err)
}

func TestQuotasOff(t *testing.T) {
	clk, counts := &quotaClock{}, &throttleCounts{}
	ts := newLimitedServer(t, clk, counts, QuotaOptions{Off: true, Overrides: map[string]float64{"UserPoolRead": 1}}, nil)
	c := ts.client("us-east-1")
	for i := range 30 {
		if _, err := c.ListUserPools(context.Background(), &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)}); err != nil {
			t.Fatalf("call %d with --quotas off: %v", i, err)
		}
	}
}

// tokenFrom posts a client_credentials request from ip.
func tokenFrom(t *testing.T, ip string, m *m2m, secret string) (int, string, http.Header) {
	t.Helper()
	return clientPostFrom(t, ip, m, secret, m.tokenURL(), "grant_type=client_credentials")
}

// clientPostFrom posts form to an OAuth endpoint from ip, authenticating
// as m's client with secret by HTTP Basic.
func clientPostFrom(t *testing.T, ip string, m *m2m, secret, endpoint, form string) (int, string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, endpoint, strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(m.clientID)+":"+url.QueryEscape(secret))))
	resp, err := httpFrom(ip).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return resp.StatusCode, b.String(), resp.Header
}

// newLimitedM2M is newM2M on a server with the given limits.
func newLimitedM2M(t *testing.T, ts *testServer) *m2m {
	t.Helper()
	c := ts.client("us-east-1")
	poolID := createPool(t, c, "m2m")
	if _, err := c.CreateResourceServer(context.Background(), photoServer(poolID)); err != nil {
		t.Fatal(err)
	}
	out, err := c.CreateUserPoolClient(context.Background(), &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(poolID), ClientName: aws.String("machine"), GenerateSecret: true,
		AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials}, AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthScopes: []string{"com.example.photos/read"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return &m2m{ts: ts, c: c, poolID: poolID, clientID: *out.UserPoolClient.ClientId, secret: *out.UserPoolClient.ClientSecret}
}

func TestTokenEndpointThrottledAndPoolTagLiftsIt(t *testing.T) {
	clk, counts := &quotaClock{}, &throttleCounts{}
	ts := newLimitedServer(t, clk, counts, QuotaOptions{Overrides: map[string]float64{"ClientAuthentication": 2}}, nil)
	m := newLimitedM2M(t, ts)
	for i := 1; i <= 2; i++ {
		if status, body, _ := tokenFrom(t, "127.0.0.1", m, m.secret); status != 200 {
			t.Fatalf("token %d of 2: %d %s", i, status, body)
		}
	}
	status, body, hd := tokenFrom(t, "127.0.0.1", m, m.secret)
	if status != http.StatusTooManyRequests || body != `{"error":"too_many_requests"}` || hd.Get("Retry-After") != "1" || hd.Get("Cache-Control") != "no-store" {
		t.Fatalf("throttled token request: %d %s %v", status, body, hd)
	}
	if counts.get("ClientAuthentication") != 1 {
		t.Fatalf("throttled token requests counted: %d, want 1", counts.get("ClientAuthentication"))
	}
	// cognitod's own tag lifts the quotas for the pool (what `cognitod
	// bench` sets on its pool).
	arn := "arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + m.poolID
	if _, err := m.c.TagResource(context.Background(), &cip.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{cognito.QuotaTag: "off"}}); err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		if status, body, _ := tokenFrom(t, "127.0.0.1", m, m.secret); status != 200 {
			t.Fatalf("token %d with %s=off: %d %s", i, cognito.QuotaTag, status, body)
		}
	}
}

// TestSignInFloodFromOneSourceDoesNotStarveAnother floods anonymous
// InitiateAuth calls from 127.0.0.2 while a real user signs in from
// 127.0.0.1: the flood is held to its source's burst, the user gets in.
// The quotas are off: the per-source limit stays on regardless.
func TestSignInFloodFromOneSourceDoesNotStarveAnother(t *testing.T) {
	clk, counts := &quotaClock{}, &throttleCounts{}
	ts := newLimitedServer(t, clk, counts, QuotaOptions{Off: true, SignIn: ratelimit.Rate{PerSecond: 1, Burst: 10}}, nil)
	ctx := context.Background()
	c := ts.client("us-east-1")
	poolID := createPool(t, c, "people")
	cl, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("web"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	clientID := cl.UserPoolClient.ClientId
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(poolID), Username: aws.String("alice"), MessageAction: types.MessageActionTypeSuppress}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(poolID), Username: aws.String("alice"), Password: aws.String("Real-pass-1"), Permanent: true}); err != nil {
		t.Fatal(err)
	}
	signIn := func(cl *cip.Client, name, password string) error {
		_, err := cl.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: clientID, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": name, "PASSWORD": password}})
		return err
	}
	attacker := ts.sdkFrom("127.0.0.2", "us-east-1", testKeyID, testSecret)
	const workers, each = 8, 10
	codes := make(chan string, workers*each)
	done := make(chan struct{})
	for w := range workers {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range each {
				// Wrong names, as the review's flood sent: a wrong password
				// for alice would lock her out (Cognito's per-user lockout).
				err := signIn(attacker, fmt.Sprintf("mallory-%d-%d", w, i), "guess")
				code, _ := apiError(t, err)
				codes <- code
			}
		}()
	}
	for range workers {
		<-done
	}
	close(codes)
	got := map[string]int{}
	for code := range codes {
		got[code]++
	}
	if got["TooManyRequestsException"] != workers*each-10 {
		t.Fatalf("flood of %d from one source: %v, want 10 tried and the rest refused", workers*each, got)
	}
	// The attacker's source stays refused, even with the right password.
	wantThrottled(t, signIn(attacker, "alice", "Real-pass-1"))
	// The real user, from another address, signs in.
	user := ts.sdkFrom("127.0.0.1", "us-east-1", testKeyID, testSecret)
	if err := signIn(user, "alice", "Real-pass-1"); err != nil {
		t.Fatalf("real user starved by another source's flood: %v", err)
	}
	if counts.get(ratelimit.SourceSignIn) != workers*each-10+1 {
		t.Fatalf("throttled sign-ins counted: %d", counts.get(ratelimit.SourceSignIn))
	}
}

// TestFailedClientAuthBackOff: wrong client secrets at the token
// endpoint, wrong SigV4 signatures and wrong SECRET_HASH values each use
// up their source's failures, after which that source is refused even
// with the right credentials, while others are not.
func TestFailedClientAuthBackOff(t *testing.T) {
	clk, counts := &quotaClock{}, &throttleCounts{}
	ts := newLimitedServer(t, clk, counts, QuotaOptions{AuthFailures: ratelimit.Rate{PerSecond: 1, Burst: 3}}, nil)
	m := newLimitedM2M(t, ts)

	// The token endpoint.
	for i := 1; i <= 3; i++ {
		if status, body, _ := tokenFrom(t, "127.0.0.3", m, "wrong-secret"); status != 400 || body != `{"error":"invalid_client"}` {
			t.Fatalf("wrong secret %d: %d %s", i, status, body)
		}
	}
	if status, body, _ := tokenFrom(t, "127.0.0.3", m, m.secret); status != http.StatusTooManyRequests {
		t.Fatalf("after 3 failures, the right secret from the same source: %d %s, want 429", status, body)
	}
	if status, body, _ := tokenFrom(t, "127.0.0.1", m, m.secret); status != 200 {
		t.Fatalf("another source refused: %d %s", status, body)
	}
	clk.advance(time.Second) // one failure refills
	if status, body, _ := tokenFrom(t, "127.0.0.3", m, m.secret); status != 200 {
		t.Fatalf("after back-off: %d %s", status, body)
	}

	// SigV4.
	ctx := context.Background()
	bad := ts.sdkFrom("127.0.0.4", "us-east-1", testKeyID, "not-the-secret-access-key-0000000000000000")
	for i := 1; i <= 3; i++ {
		_, err := bad.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(1)})
		if code, _ := apiError(t, err); code == "TooManyRequestsException" || code == "" {
			t.Fatalf("bad signature %d: %v", i, err)
		}
	}
	good := ts.sdkFrom("127.0.0.4", "us-east-1", testKeyID, testSecret)
	_, err := good.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(1)})
	wantThrottled(t, err)
	if _, err := ts.client("us-east-1").ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(1)}); err != nil {
		t.Fatalf("another source refused: %v", err)
	}

	// SECRET_HASH.
	sec, err := m.c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(m.poolID), ClientName: aws.String("backend"),
		GenerateSecret: true, ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	from5 := ts.sdkFrom("127.0.0.5", "us-east-1", testKeyID, testSecret)
	hashed := func(hash string) error {
		_, err := from5.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: sec.UserPoolClient.ClientId, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": "bob", "PASSWORD": "x", "SECRET_HASH": hash}})
		return err
	}
	for i := 1; i <= 3; i++ {
		wantAPIError(t, hashed(base64.StdEncoding.EncodeToString([]byte("wrong"))), "NotAuthorizedException", "")
	}
	wantThrottled(t, hashed(secretHash(*sec.UserPoolClient.ClientSecret, "bob", *sec.UserPoolClient.ClientId)))
	if counts.get(ratelimit.SourceAuthFailures) != 3 {
		t.Fatalf("refusals for failed authentication counted: %d, want 3", counts.get(ratelimit.SourceAuthFailures))
	}
}

// TestHostedSignInPerSourceLimit: the hosted page's sign-in POST is an
// anonymous sign-in attempt, limited per source.
func TestHostedSignInPerSourceLimit(t *testing.T) {
	clk, counts := &quotaClock{}, &throttleCounts{}
	cfg := RateLimits(QuotaOptions{Off: true, SignIn: ratelimit.Rate{PerSecond: 1, Burst: 2}, OnThrottle: counts.add})
	cfg.Clock = clk.now
	p := newWebPool(t, func(c *Config) { c.Limits = ratelimit.New(cfg) }, "")
	authURL := p.oauthConfig(p.clientID, "").AuthCodeURL("s")
	for i := 1; i <= 2; i++ {
		if final, page := newBrowserless(t).signInOverHTTP(authURL, "alice", "Alice-pass-1"); final == nil {
			t.Fatalf("sign-in %d of 2: %.300s", i, page)
		}
	}
	final, page := newBrowserless(t).signInOverHTTP(authURL, "alice", "Alice-pass-1")
	if final != nil || !strings.Contains(page, "Rate exceeded") {
		t.Fatalf("third sign-in from one source in an instant: %v %.300s", final, page)
	}
	if counts.get(ratelimit.SourceSignIn) != 1 {
		t.Fatalf("throttled hosted sign-ins counted: %d", counts.get(ratelimit.SourceSignIn))
	}
	clk.advance(time.Second)
	if final, page := newBrowserless(t).signInOverHTTP(authURL, "alice", "Alice-pass-1"); final == nil {
		t.Fatalf("after a second: %.300s", page)
	}
}

// TestRevokeFailedClientAuthBackOff: wrong client secrets at
// /oauth2/revoke use up the source's failures as the token endpoint's do
// (one table: the source is then refused at both), while another source
// revokes normally.
func TestRevokeFailedClientAuthBackOff(t *testing.T) {
	clk, counts := &quotaClock{}, &throttleCounts{}
	ts := newLimitedServer(t, clk, counts, QuotaOptions{AuthFailures: ratelimit.Rate{PerSecond: 1, Burst: 2}}, nil)
	m := newLimitedM2M(t, ts)
	revokeURL := ts.URL + "/" + m.poolID + "/oauth2/revoke"
	revoke := func(ip, secret string) (int, string) {
		status, body, _ := clientPostFrom(t, ip, m, secret, revokeURL, "token=not-a-token")
		return status, body
	}
	for i := 1; i <= 2; i++ {
		if status, body := revoke("127.0.0.6", "wrong-secret"); status != 400 || !strings.Contains(body, "invalid_client") {
			t.Fatalf("revoke with a wrong secret %d: %d %s", i, status, body)
		}
	}
	if status, body := revoke("127.0.0.6", m.secret); status != http.StatusTooManyRequests || body != `{"error":"too_many_requests"}` {
		t.Fatalf("revoke with the right secret after 2 failures: %d %s, want 429", status, body)
	}
	if status, body, _ := tokenFrom(t, "127.0.0.6", m, m.secret); status != http.StatusTooManyRequests {
		t.Fatalf("token endpoint from the same source: %d %s, want 429", status, body)
	}
	if status, body := revoke("127.0.0.7", m.secret); status != 200 {
		t.Fatalf("another source's revocation: %d %s", status, body)
	}
	if got := counts.get(ratelimit.SourceAuthFailures); got != 2 {
		t.Fatalf("refusals counted: %d, want 2", got)
	}
	clk.advance(time.Second)
	if status, body := revoke("127.0.0.6", m.secret); status != 200 {
		t.Fatalf("after back-off: %d %s", status, body)
	}
}
