package server

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"golang.org/x/oauth2"

	"github.com/cognitod/cognitod/internal/cognito"
)

// TestNoTokensAfterRemoval: a deleted client, a scope taken off a client,
// and a deleted pool get no more tokens, though the cache served them
// a moment before.
func TestNoTokensAfterRemoval(t *testing.T) {
	m := newM2M(t)
	ctx := context.Background()
	cfg := m.config(oauth2.AuthStyleInHeader)
	if _, err := cfg.Token(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := m.c.UpdateUserPoolClient(ctx, &cip.UpdateUserPoolClientInput{UserPoolId: aws.String(m.poolID), ClientId: aws.String(m.clientID),
		AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials}, AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthScopes: []string{"com.example.photos/read"}}); err != nil {
		t.Fatal(err)
	}
	_, err := m.config(oauth2.AuthStyleInHeader, "com.example.photos/write").Token(ctx)
	wantOAuthError(t, err, "invalid_scope")
	if _, err := m.c.DeleteUserPoolClient(ctx, &cip.DeleteUserPoolClientInput{UserPoolId: aws.String(m.poolID), ClientId: aws.String(m.clientID)}); err != nil {
		t.Fatal(err)
	}
	_, err = cfg.Token(ctx)
	wantOAuthError(t, err, "invalid_client")

	m2 := newM2M(t)
	if _, err := m2.config(oauth2.AuthStyleInHeader).Token(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := m2.c.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: aws.String(m2.poolID)}); err != nil {
		t.Fatal(err)
	}
	if status, _, _ := postForm(t, m2.tokenURL(), "application/x-www-form-urlencoded", "grant_type=client_credentials",
		map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(m2.clientID+":"+m2.secret))}); status != 404 {
		t.Errorf("token from a deleted pool: %d, want 404", status)
	}
}

// TestHugeIDsAreRefused: IDs longer than the model allows get a 404 or
// invalid_client over HTTP. That they never reach the store or the cache
// is TestMalformedIDsAreNotCached in internal/cognito.
func TestHugeIDsAreRefused(t *testing.T) {
	m := newM2M(t)
	long := "us-east-1_" + strings.Repeat("A", 100_000)
	resp, err := http.Get(m.ts.URL + "/" + long + "/.well-known/jwks.json")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("huge pool ID: %d, want 404", resp.StatusCode)
	}
	status, body, _ := postForm(t, m.tokenURL(), "application/x-www-form-urlencoded",
		url.Values{"grant_type": {"client_credentials"}, "client_id": {strings.Repeat("c", 50_000)}, "client_secret": {"x"}}.Encode(), nil)
	if status != 400 || body != `{"error":"invalid_client"}` {
		t.Errorf("huge client ID: %d %s", status, body)
	}
}

// TestBasicSecretWithPlus: a client secret holding '+' works with Basic
// credentials sent as is (curl -u) and form-encoded (RFC 6749 2.3.1), at
// the token endpoint and at the revocation endpoint, and a secret that is
// neither reading is still refused.
func TestBasicSecretWithPlus(t *testing.T) {
	m := newM2M(t)
	ctx := context.Background()
	secret := "abc+def+ghi+jkl+mno+pqr+stu+vwx"
	out, err := m.c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(m.poolID), ClientName: aws.String("plus"),
		ClientSecret: aws.String(secret), AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials},
		AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthScopes: []string{"com.example.photos/read"}})
	if err != nil {
		t.Fatal(err)
	}
	id := *out.UserPoolClient.ClientId
	revokeURL := m.ts.URL + "/" + m.poolID + "/oauth2/revoke"
	for name, tc := range map[string]struct {
		pair string
		want int
	}{
		"raw":          {id + ":" + secret, 200},
		"form-encoded": {url.QueryEscape(id) + ":" + url.QueryEscape(secret), 200},
		"spaces":       {id + ":" + strings.ReplaceAll(secret, "+", " "), 400},
		"wrong":        {id + ":" + secret + "x", 400},
	} {
		basic := map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(tc.pair))}
		status, body, _ := postForm(t, m.tokenURL(), "application/x-www-form-urlencoded", "grant_type=client_credentials", basic)
		if status != tc.want {
			t.Errorf("token, %s Basic credentials: %d %s, want %d", name, status, body, tc.want)
		}
		// An unknown token is revoked without complaint once the client
		// has authenticated (RFC 7009 section 2.2).
		status, body, _ = postForm(t, revokeURL, "application/x-www-form-urlencoded", "token=not-a-token", basic)
		if status != tc.want {
			t.Errorf("revoke, %s Basic credentials: %d %s, want %d", name, status, body, tc.want)
		}
	}
}

// TestUnsignedTargetRefused: a request whose X-Amz-Target is not covered
// by its signature cannot be replayed as another operation.
func TestUnsignedTargetRefused(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	poolID := createPool(t, ts.client("us-east-1"), "target")
	// Sign without X-Amz-Target, then add it.
	req := signedRequest(t, ts, "", `{"UserPoolId":"`+poolID+`"}`)
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.DeleteUserPool")
	r := do(t, req)
	if r.Status != 400 || r.Body["__type"] != "InvalidSignatureException" {
		t.Errorf("unsigned target: %d %s", r.Status, r.Raw)
	}
	if _, err := ts.svc.LookupPool(context.Background(), poolID); err != nil {
		t.Error("the pool was deleted by a request whose operation was not signed")
	}
}

// TestConsoleSessionConcurrency: switching region while pages render
// answers every request and leaves the session in the new region (with
// -race, it also shows the session is not read while written).
func TestConsoleSessionConcurrency(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	c := newConsoleClient(t, ts)
	c.signIn(testSecret)
	c.get("/console/pools")
	csrf := c.csrf
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var resp *http.Response
			var err error
			want := http.StatusOK
			if i%2 == 0 {
				resp, err = c.hc.PostForm(ts.URL+"/console/region", url.Values{"region": {"eu-west-1"}, "_csrf": {csrf}})
				want = http.StatusSeeOther
			} else {
				resp, err = c.hc.Get(ts.URL + "/console/pools")
			}
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != want {
				t.Errorf("request %d: %d, want %d", i, resp.StatusCode, want)
			}
		}()
	}
	wg.Wait()
	// The session survived and holds the region it was switched to.
	if _, body := c.get("/console/pools"); !strings.Contains(body, `<option value="eu-west-1" selected>`) {
		t.Error("after concurrent region switches the session is not in eu-west-1")
	}
}

// TestConsoleKeepsSecondsValidity: editing a client whose access token
// validity is in seconds, without touching the field, keeps it, and every
// setting the form does not show is kept too; changing the field sets
// minutes and leaves the other units alone.
func TestConsoleKeepsSecondsValidity(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	ctx := context.Background()
	api := ts.client("us-east-1")
	poolID := createPool(t, api, "secs")
	out, err := api.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("s"),
		AccessTokenValidity: aws.Int32(3600), IdTokenValidity: aws.Int32(30), RefreshTokenValidity: 10,
		TokenValidityUnits: &types.TokenValidityUnitsType{AccessToken: types.TimeUnitsTypeSeconds, IdToken: types.TimeUnitsTypeMinutes, RefreshToken: types.TimeUnitsTypeHours},
		ReadAttributes:     []string{"email"}, ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth, types.ExplicitAuthFlowsTypeAllowUserPasswordAuth},
		EnableTokenRevocation: aws.Bool(false), PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled, AuthSessionValidity: aws.Int32(10)})
	if err != nil {
		t.Fatal(err)
	}
	clientPath := "/console/pools/" + poolID + "/clients/" + *out.UserPoolClient.ClientId
	c := newConsoleClient(t, ts)
	c.signIn(testSecret)
	_, body := c.get(clientPath + "/edit")
	if !strings.Contains(body, `name="access_token_minutes" value="60"`) {
		t.Errorf("edit form does not show 60 minutes")
	}
	resp, body := c.post(clientPath, url.Values{"name": {"s"}, "access_token_minutes": {"60"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save unchanged: %d %.400s", resp.StatusCode, body)
	}
	d, _ := api.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(poolID), ClientId: out.UserPoolClient.ClientId})
	got := d.UserPoolClient
	if aws.ToInt32(got.AccessTokenValidity) != 3600 || got.TokenValidityUnits.AccessToken != types.TimeUnitsTypeSeconds {
		t.Errorf("after saving: %v %v", aws.ToInt32(got.AccessTokenValidity), got.TokenValidityUnits)
	}
	keptOthers := func(got *types.UserPoolClientType) {
		t.Helper()
		u := got.TokenValidityUnits
		if aws.ToInt32(got.IdTokenValidity) != 30 || got.RefreshTokenValidity != 10 || u.IdToken != types.TimeUnitsTypeMinutes || u.RefreshToken != types.TimeUnitsTypeHours ||
			!slices.Equal(got.ReadAttributes, []string{"email"}) || len(got.ExplicitAuthFlows) != 2 || aws.ToBool(got.EnableTokenRevocation) ||
			got.PreventUserExistenceErrors != types.PreventUserExistenceErrorTypesEnabled || aws.ToInt32(got.AuthSessionValidity) != 10 {
			t.Errorf("settings the form does not show were not kept: %+v, units %+v", got, u)
		}
	}
	keptOthers(got)
	c.get(clientPath + "/edit")
	if resp, body := c.post(clientPath, url.Values{"name": {"s"}, "access_token_minutes": {"30"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save 30 minutes: %d %.400s", resp.StatusCode, body)
	}
	d, _ = api.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(poolID), ClientId: out.UserPoolClient.ClientId})
	if aws.ToInt32(d.UserPoolClient.AccessTokenValidity) != 30 || d.UserPoolClient.TokenValidityUnits.AccessToken != types.TimeUnitsTypeMinutes {
		t.Errorf("after changing the field: %v %v", aws.ToInt32(d.UserPoolClient.AccessTokenValidity), d.UserPoolClient.TokenValidityUnits)
	}
	keptOthers(d.UserPoolClient)
}

// TestRegionTheServiceCannotServe: a signature scoped to a region that
// passes SigV4's shape check but that no pool ID can carry is refused
// at the signature, instead of creating a pool whose domain could never
// be found.
func TestRegionTheServiceCannotServe(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	_, err := ts.client("us-east-100").CreateUserPool(context.Background(), &cip.CreateUserPoolInput{PoolName: aws.String("p")})
	wantAPIError(t, err, "InvalidSignatureException", "Credential should be scoped to a valid region. ")
	if _, err := ts.client("us-east-1").ListUserPools(context.Background(), &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)}); err != nil {
		t.Errorf("a valid region: %v", err)
	}
}
