package server

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/cognito"
)

// rotationEnv is a server whose domain clock can be moved forward (SigV4
// and token signing keep real time), a pool, a user and app clients.
type rotationEnv struct {
	ts     *testServer
	c      *cip.Client
	poolID string
	clock  *testClock
}

func newRotationEnv(t *testing.T) *rotationEnv {
	t.Helper()
	ctx := context.Background()
	clock := &testClock{}
	ts := newTestServerWith(t, cognito.Limits{}, func(c *cognito.Config) { c.Now = clock.Now }, nil)
	c := ts.client("us-east-1")
	e := &rotationEnv{ts: ts, c: c, poolID: createPool(t, c, "rotation"), clock: clock}
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(e.poolID), Username: aws.String("rita"),
		MessageAction: types.MessageActionTypeSuppress}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(e.poolID), Username: aws.String("rita"),
		Password: aws.String("Rotate-me-1"), Permanent: true}); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *rotationEnv) advance(d time.Duration) { e.clock.Advance(d) }

// newClient makes an app client; rotation nil leaves it off.
func (e *rotationEnv) newClient(t *testing.T, rotation *types.RefreshTokenRotationType, secret bool, flows ...types.ExplicitAuthFlowsType) (id, clientSecret string) {
	t.Helper()
	if flows == nil {
		flows = []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}
	}
	out, err := e.c.CreateUserPoolClient(context.Background(), &cip.CreateUserPoolClientInput{UserPoolId: aws.String(e.poolID), ClientName: aws.String("app"),
		ExplicitAuthFlows: flows, RefreshTokenRotation: rotation, GenerateSecret: secret})
	if err != nil {
		t.Fatal(err)
	}
	return *out.UserPoolClient.ClientId, aws.ToString(out.UserPoolClient.ClientSecret)
}

func rotating(grace int32) *types.RefreshTokenRotationType {
	return &types.RefreshTokenRotationType{Feature: types.FeatureTypeEnabled, RetryGracePeriodSeconds: aws.Int32(grace)}
}

// signIn returns rita's tokens from clientID.
func (e *rotationEnv) signIn(t *testing.T, clientID, secret string) *types.AuthenticationResultType {
	t.Helper()
	params := map[string]string{"USERNAME": "rita", "PASSWORD": "Rotate-me-1"}
	if secret != "" {
		params["SECRET_HASH"] = secretHash(secret, "rita", clientID)
	}
	out, err := e.c.InitiateAuth(context.Background(), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		ClientId: aws.String(clientID), AuthParameters: params})
	if err != nil {
		t.Fatal(err)
	}
	return out.AuthenticationResult
}

func (e *rotationEnv) refresh(clientID, secret, token string) (*types.AuthenticationResultType, error) {
	in := &cip.GetTokensFromRefreshTokenInput{ClientId: aws.String(clientID), RefreshToken: aws.String(token)}
	if secret != "" {
		in.ClientSecret = aws.String(secret)
	}
	out, err := e.c.GetTokensFromRefreshToken(context.Background(), in)
	if err != nil {
		return nil, err
	}
	return out.AuthenticationResult, nil
}

func (e *rotationEnv) mustRefresh(t *testing.T, clientID, secret, token string) *types.AuthenticationResultType {
	t.Helper()
	res, err := e.refresh(clientID, secret, token)
	if err != nil {
		t.Fatalf("GetTokensFromRefreshToken: %v", err)
	}
	if aws.ToString(res.AccessToken) == "" || aws.ToString(res.IdToken) == "" {
		t.Fatalf("GetTokensFromRefreshToken returned no access or ID token: %+v", res)
	}
	return res
}

// wantRevokedAccess fails unless GetUser refuses the access token as revoked.
func (e *rotationEnv) wantRevokedAccess(t *testing.T, access string) {
	t.Helper()
	_, err := e.c.GetUser(context.Background(), &cip.GetUserInput{AccessToken: aws.String(access)})
	wantAPIError(t, err, "NotAuthorizedException", "Access Token has been revoked")
}

func TestRefreshWithoutRotation(t *testing.T) {
	e := newRotationEnv(t)
	id, _ := e.newClient(t, nil, false)
	first := e.signIn(t, id, "")
	for range 2 { // the token stays valid: it is not rotated
		res := e.mustRefresh(t, id, "", *first.RefreshToken)
		if res.RefreshToken != nil {
			t.Fatalf("without rotation GetTokensFromRefreshToken returned a refresh token")
		}
		if claims(t, *res.IdToken)["cognito:username"] != "rita" {
			t.Errorf("ID token from refresh: %v", claims(t, *res.IdToken))
		}
	}
	// REFRESH_TOKEN_AUTH still works without rotation.
	if _, err := e.c.InitiateAuth(context.Background(), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(id),
		AuthParameters: map[string]string{"REFRESH_TOKEN": *first.RefreshToken}}); err != nil {
		t.Fatal(err)
	}
	// A client cannot turn REFRESH_TOKEN_AUTH off, as in Cognito; one that
	// rotates refresh tokens need not list it.
	_, err := e.c.CreateUserPoolClient(context.Background(), &cip.CreateUserPoolClientInput{UserPoolId: aws.String(e.poolID), ClientName: aws.String("off"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth}})
	wantAPIError(t, err, "InvalidParameterException", "REFRESH_TOKEN_AUTH should always be allowed.")
	_, err = e.c.UpdateUserPoolClient(context.Background(), &cip.UpdateUserPoolClientInput{UserPoolId: aws.String(e.poolID), ClientId: aws.String(id),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth}})
	wantAPIError(t, err, "InvalidParameterException", "REFRESH_TOKEN_AUTH should always be allowed.")
	rotatingOnly, _ := e.newClient(t, rotating(0), false, types.ExplicitAuthFlowsTypeAllowUserPasswordAuth)
	e.mustRefresh(t, rotatingOnly, "", *e.signIn(t, rotatingOnly, "").RefreshToken)
}

func TestRefreshRotationGracePeriod(t *testing.T) {
	e := newRotationEnv(t)
	id, _ := e.newClient(t, rotating(10), false)
	d, err := e.c.DescribeUserPoolClient(context.Background(), &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(e.poolID), ClientId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if r := d.UserPoolClient.RefreshTokenRotation; r == nil || r.Feature != types.FeatureTypeEnabled || aws.ToInt32(r.RetryGracePeriodSeconds) != 10 {
		t.Fatalf("DescribeUserPoolClient RefreshTokenRotation = %+v", r)
	}
	r1 := *e.signIn(t, id, "").RefreshToken
	res := e.mustRefresh(t, id, "", r1)
	r2 := aws.ToString(res.RefreshToken)
	if r2 == "" || r2 == r1 {
		t.Fatalf("rotation: got refresh token %q, want a new one", r2)
	}
	// A retry inside the grace period gets the same successor, with new
	// access and ID tokens.
	again := e.mustRefresh(t, id, "", r1)
	if aws.ToString(again.RefreshToken) != r2 {
		t.Fatalf("retry inside the grace period: got a different successor")
	}
	if *again.AccessToken == *res.AccessToken || *again.IdToken == *res.IdToken {
		t.Errorf("retry inside the grace period: the same access or ID token again")
	}
	// Concurrent retries all get that one successor.
	var wg sync.WaitGroup
	got := make([]string, 8)
	errs := make([]error, 8)
	for i := range got {
		wg.Go(func() {
			res, err := e.refresh(id, "", r1)
			errs[i] = err
			if err == nil {
				got[i] = aws.ToString(res.RefreshToken)
			}
		})
	}
	wg.Wait()
	for i := range got {
		if errs[i] != nil || got[i] != r2 {
			t.Fatalf("concurrent retry %d: %q, %v; want the successor", i, got[i], errs[i])
		}
	}
	// The successor works and is rotated in turn.
	r3 := aws.ToString(e.mustRefresh(t, id, "", r2).RefreshToken)
	if r3 == "" || r3 == r2 || r3 == r1 {
		t.Fatalf("second rotation: got %q", r3)
	}
	access := *e.mustRefresh(t, id, "", r3).AccessToken
	// After the grace period the spent token is a replay: refused, and the
	// whole family is revoked.
	e.advance(11 * time.Second)
	_, err = e.refresh(id, "", r2)
	wantAPIError(t, err, "RefreshTokenReuseException", "Refresh token has been used.")
	if logs := e.ts.log.String(); !strings.Contains(logs, "refresh token replayed") || strings.Contains(logs, r2) {
		t.Errorf("the replay is not logged, or the token is:\n%s", logs)
	}
	_, err = e.refresh(id, "", r3)
	wantAPIError(t, err, "NotAuthorizedException", "Refresh Token has been revoked")
	e.wantRevokedAccess(t, access)
}

func TestRefreshRotationWithoutGrace(t *testing.T) {
	e := newRotationEnv(t)
	id, _ := e.newClient(t, rotating(0), false)
	r1 := *e.signIn(t, id, "").RefreshToken
	// Concurrent use of one token: exactly one rotation wins, the others
	// are replays.
	const n = 8
	var wg sync.WaitGroup
	var wins atomic.Int32
	var winner atomic.Value
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			res, err := e.refresh(id, "", r1)
			errs[i] = err
			if err == nil {
				wins.Add(1)
				winner.Store(aws.ToString(res.RefreshToken))
			}
		})
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Fatalf("concurrent refreshes without a grace period: %d succeeded, want exactly 1 (%v)", wins.Load(), errs)
	}
	// The first replay revokes the family, so later ones find it revoked.
	for _, err := range errs {
		if err != nil {
			if code, _ := apiError(t, err); code != "RefreshTokenReuseException" {
				wantAPIError(t, err, "NotAuthorizedException", "Refresh Token has been revoked")
			}
		}
	}
	// The replays revoked the family, the winner's successor included.
	_, err := e.refresh(id, "", winner.Load().(string))
	wantAPIError(t, err, "NotAuthorizedException", "Refresh Token has been revoked")

	// Sequential use: the old token is spent at once.
	r1 = *e.signIn(t, id, "").RefreshToken
	r2 := aws.ToString(e.mustRefresh(t, id, "", r1).RefreshToken)
	_, err = e.refresh(id, "", r1)
	wantAPIError(t, err, "RefreshTokenReuseException", "Refresh token has been used.")
	_, err = e.refresh(id, "", r2)
	wantAPIError(t, err, "NotAuthorizedException", "Refresh Token has been revoked")
}

func TestRefreshRotationRefusesRefreshTokenAuth(t *testing.T) {
	e := newRotationEnv(t)
	id, _ := e.newClient(t, rotating(5), false)
	tok := e.signIn(t, id, "")
	_, err := e.c.InitiateAuth(context.Background(), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(id),
		AuthParameters: map[string]string{"REFRESH_TOKEN": *tok.RefreshToken}})
	wantAPIError(t, err, "InvalidParameterException", "REFRESH_TOKEN_AUTH flow is not allowed for clients with refresh token rotation")
	// Rotation does not need ALLOW_REFRESH_TOKEN_AUTH.
	only, _ := e.newClient(t, rotating(5), false, types.ExplicitAuthFlowsTypeAllowUserPasswordAuth)
	e.mustRefresh(t, only, "", *e.signIn(t, only, "").RefreshToken)
}

func TestRefreshRotationRevocation(t *testing.T) {
	e := newRotationEnv(t)
	ctx := context.Background()
	id, _ := e.newClient(t, rotating(30), false)
	r1 := *e.signIn(t, id, "").RefreshToken
	r2 := aws.ToString(e.mustRefresh(t, id, "", r1).RefreshToken)
	access := *e.mustRefresh(t, id, "", r2).AccessToken
	// Revoking the rotated-out token revokes its successors.
	if _, err := e.c.RevokeToken(ctx, &cip.RevokeTokenInput{ClientId: aws.String(id), Token: aws.String(r1)}); err != nil {
		t.Fatal(err)
	}
	_, err := e.refresh(id, "", r2)
	wantAPIError(t, err, "NotAuthorizedException", "Refresh Token has been revoked")
	_, err = e.refresh(id, "", r1) // inside the grace period, but revoked
	wantAPIError(t, err, "NotAuthorizedException", "Refresh Token has been revoked")
	e.wantRevokedAccess(t, access)

	// GlobalSignOut covers every family.
	r1 = *e.signIn(t, id, "").RefreshToken
	res := e.mustRefresh(t, id, "", r1)
	if _, err := e.c.GlobalSignOut(ctx, &cip.GlobalSignOutInput{AccessToken: res.AccessToken}); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{r1, aws.ToString(res.RefreshToken)} {
		_, err = e.refresh(id, "", tok)
		wantAPIError(t, err, "NotAuthorizedException", "Refresh Token has been revoked")
	}
}

func TestGetTokensFromRefreshTokenErrors(t *testing.T) {
	e := newRotationEnv(t)
	ctx := context.Background()
	id, _ := e.newClient(t, rotating(10), false)
	other, _ := e.newClient(t, rotating(10), false)
	sec, secret := e.newClient(t, rotating(10), true)
	tok := *e.signIn(t, id, "").RefreshToken
	secTok := *e.signIn(t, sec, secret).RefreshToken

	_, err := e.refresh("nosuchclient1234", "", tok)
	wantAPIError(t, err, "ResourceNotFoundException", "User pool client nosuchclient1234 does not exist.")
	_, err = e.refresh(id, "", "not-a-token")
	wantAPIError(t, err, "NotAuthorizedException", "Invalid Refresh Token.")
	_, err = e.refresh(other, "", tok)
	wantAPIError(t, err, "NotAuthorizedException", "Invalid Refresh Token.")
	_, err = e.refresh(sec, "", secTok)
	wantAPIError(t, err, "NotAuthorizedException", "Client "+sec+" is configured with secret but ClientSecret was not received")
	_, err = e.refresh(sec, "wrongwrongwrongwrongwrong1", secTok)
	wantAPIError(t, err, "NotAuthorizedException", "Unable to verify secret for client "+sec)
	_, err = e.refresh(id, "abcdefghijklmnopqrstuvwxyz", tok)
	wantAPIError(t, err, "NotAuthorizedException", "Client "+id+" is not configured with a secret")
	if res := e.mustRefresh(t, sec, secret, secTok); res.RefreshToken == nil {
		t.Fatal("client with a secret: no rotated refresh token")
	}
	// Model validation: RefreshToken is required (and sensitive: AWS
	// prints no value for it).
	r := e.ts.raw(t, "GetTokensFromRefreshToken", `{"ClientId":"`+id+`"}`)
	if r.Status != 400 || r.Body["__type"] != "InvalidParameterException" ||
		r.Body["message"] != "1 validation error detected: Value at 'refreshToken' failed to satisfy constraint: Member must not be null" {
		t.Fatalf("no RefreshToken: %d %v", r.Status, r.Body)
	}

	// Disabling a user revokes her tokens.
	if _, err := e.c.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: aws.String(e.poolID), Username: aws.String("rita")}); err != nil {
		t.Fatal(err)
	}
	_, err = e.refresh(id, "", tok)
	wantAPIError(t, err, "NotAuthorizedException", "Refresh Token has been revoked")
	if _, err := e.c.AdminEnableUser(ctx, &cip.AdminEnableUserInput{UserPoolId: aws.String(e.poolID), Username: aws.String("rita")}); err != nil {
		t.Fatal(err)
	}
	// The successor expires when the original would have.
	tok = *e.signIn(t, id, "").RefreshToken
	next := aws.ToString(e.mustRefresh(t, id, "", tok).RefreshToken)
	e.advance(30*24*time.Hour + time.Second)
	_, err = e.refresh(id, "", next)
	wantAPIError(t, err, "NotAuthorizedException", "Refresh Token has expired")
}

func TestRefreshTokenRotationValidation(t *testing.T) {
	e := newRotationEnv(t)
	for _, tc := range []struct{ rotation, message string }{
		{`{"Feature":"SOMETIMES"}`, "Value 'SOMETIMES' at 'refreshTokenRotation.feature' failed to satisfy constraint: Member must satisfy enum value set: [DISABLED, ENABLED]"},
		{`{"Feature":"ENABLED","RetryGracePeriodSeconds":61}`, "Value '61' at 'refreshTokenRotation.retryGracePeriodSeconds' failed to satisfy constraint: Member must have value less than or equal to 60"},
		{`{"Feature":"ENABLED","RetryGracePeriodSeconds":-1}`, "Value '-1' at 'refreshTokenRotation.retryGracePeriodSeconds' failed to satisfy constraint: Member must have value greater than or equal to 0"},
		{`{"RetryGracePeriodSeconds":10}`, "Value null at 'refreshTokenRotation.feature' failed to satisfy constraint: Member must not be null"},
	} {
		r := e.ts.raw(t, "CreateUserPoolClient", `{"UserPoolId":"`+e.poolID+`","ClientName":"x","RefreshTokenRotation":`+tc.rotation+`}`)
		if r.Status != 400 || r.Body["__type"] != "InvalidParameterException" || r.Body["message"] != "1 validation error detected: "+tc.message {
			t.Errorf("%s: got %d %v, want InvalidParameterException %q", tc.rotation, r.Status, r.Body, tc.message)
		}
	}
	// UpdateUserPoolClient turns rotation on and off.
	id, _ := e.newClient(t, nil, false)
	r1 := *e.signIn(t, id, "").RefreshToken
	if _, err := e.c.UpdateUserPoolClient(context.Background(), &cip.UpdateUserPoolClientInput{UserPoolId: aws.String(e.poolID), ClientId: aws.String(id),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth}, RefreshTokenRotation: rotating(0)}); err != nil {
		t.Fatal(err)
	}
	r2 := aws.ToString(e.mustRefresh(t, id, "", r1).RefreshToken)
	if r2 == "" {
		t.Fatal("rotation turned on by UpdateUserPoolClient: no new refresh token")
	}
	// Turned off again, a rotated token stays spent.
	if _, err := e.c.UpdateUserPoolClient(context.Background(), &cip.UpdateUserPoolClientInput{UserPoolId: aws.String(e.poolID), ClientId: aws.String(id),
		RefreshTokenRotation: &types.RefreshTokenRotationType{Feature: types.FeatureTypeDisabled}}); err != nil {
		t.Fatal(err)
	}
	if res := e.mustRefresh(t, id, "", r2); res.RefreshToken != nil {
		t.Fatal("rotation off: got a refresh token")
	}
	_, err := e.refresh(id, "", r1)
	wantAPIError(t, err, "RefreshTokenReuseException", "Refresh token has been used.")
}

// TestTokenEndpointRefreshRotation: the token endpoint's refresh grant
// follows the same rule and returns the new refresh token.
func TestTokenEndpointRefreshRotation(t *testing.T) {
	e := newRotationEnv(t)
	id, _ := e.newClient(t, rotating(2), false)
	r1 := *e.signIn(t, id, "").RefreshToken
	grant := func(tok string) (int, map[string]any) {
		status, body, _ := postForm(t, e.ts.URL+"/"+e.poolID+"/oauth2/token", "application/x-www-form-urlencoded",
			url.Values{"grant_type": {"refresh_token"}, "client_id": {id}, "refresh_token": {tok}}.Encode(), nil)
		var m map[string]any
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			t.Fatalf("token endpoint: %q", body)
		}
		return status, m
	}
	status, m := grant(r1)
	r2, _ := m["refresh_token"].(string)
	if status != 200 || r2 == "" || r2 == r1 || m["access_token"] == nil || m["id_token"] == nil {
		t.Fatalf("refresh grant with rotation: %d %v", status, m)
	}
	if status, m = grant(r1); status != 200 || m["refresh_token"] != r2 {
		t.Fatalf("retry inside the grace period: %d %v, want the same successor", status, m)
	}
	// GetTokensFromRefreshToken and the token endpoint share the family.
	r3 := aws.ToString(e.mustRefresh(t, id, "", r2).RefreshToken)
	e.advance(3 * time.Second)
	if status, m = grant(r1); status != 400 || m["error"] != "invalid_grant" {
		t.Fatalf("replay after the grace period: %d %v, want invalid_grant", status, m)
	}
	if status, m = grant(r3); status != 400 || m["error"] != "invalid_grant" {
		t.Fatalf("successor after a replay: %d %v, want invalid_grant (revoked)", status, m)
	}
	// Without rotation the grant returns no refresh token.
	plain, _ := e.newClient(t, nil, false)
	tok := *e.signIn(t, plain, "").RefreshToken
	status, body, _ := postForm(t, e.ts.URL+"/"+e.poolID+"/oauth2/token", "application/x-www-form-urlencoded",
		url.Values{"grant_type": {"refresh_token"}, "client_id": {plain}, "refresh_token": {tok}}.Encode(), nil)
	if status != 200 || strings.Contains(body, "refresh_token") {
		t.Fatalf("refresh grant without rotation: %d %s", status, body)
	}
}
