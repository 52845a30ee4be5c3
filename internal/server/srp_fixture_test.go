package server

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/cognito"
)

// srpPool is a pool with the app clients the SRP, USER_AUTH and admin
// sign-in tests use.
type srpPool struct {
	ts     *testServer
	c      *cip.Client
	poolID string
	// public: SRP, USER_AUTH, password, admin password, refresh; no secret.
	public string
	// secretID/secret: the same flows, with a client secret.
	secretID, secret string
	// defaults: created without ExplicitAuthFlows (SRP, refresh, custom).
	defaults string
	// hidden: like public, with PreventUserExistenceErrors ENABLED.
	hidden string
}

var allSignInFlows = []types.ExplicitAuthFlowsType{
	types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowUserAuth,
	types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowAdminUserPasswordAuth,
	types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth,
}

func newSRPPool(t testing.TB, pool *cip.CreateUserPoolInput) *srpPool {
	t.Helper()
	return newSRPPoolOn(t, newTestServer(t, cognito.Limits{}), pool)
}

// newSRPPoolOn is newSRPPool on a server the test started.
func newSRPPoolOn(t testing.TB, ts *testServer, pool *cip.CreateUserPoolInput) *srpPool {
	t.Helper()
	ctx := context.Background()
	c := ts.client("us-east-1")
	if pool == nil {
		pool = &cip.CreateUserPoolInput{}
	}
	pool.PoolName = aws.String("srp")
	out, err := c.CreateUserPool(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	p := &srpPool{ts: ts, c: c, poolID: *out.UserPool.Id}
	mk := func(name string, flows []types.ExplicitAuthFlowsType, secret bool, prevent types.PreventUserExistenceErrorTypes) *types.UserPoolClientType {
		t.Helper()
		o, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(p.poolID), ClientName: aws.String(name),
			ExplicitAuthFlows: flows, GenerateSecret: secret, PreventUserExistenceErrors: prevent})
		if err != nil {
			t.Fatal(err)
		}
		return o.UserPoolClient
	}
	p.public = *mk("public", allSignInFlows, false, types.PreventUserExistenceErrorTypesLegacy).ClientId
	sec := mk("secret", allSignInFlows, true, types.PreventUserExistenceErrorTypesLegacy)
	p.secretID, p.secret = *sec.ClientId, *sec.ClientSecret
	p.defaults = *mk("defaults", nil, false, "").ClientId
	p.hidden = *mk("hidden", allSignInFlows, false, types.PreventUserExistenceErrorTypesEnabled).ClientId
	return p
}

// addUser creates a confirmed user with a permanent password through
// AdminCreateUser and AdminSetUserPassword (so it has an SRP verifier).
func (p *srpPool) addUser(t testing.TB, name, password string) {
	t.Helper()
	p.addTempUser(t, name, "Temp-pass-1")
	if _, err := p.c.AdminSetUserPassword(context.Background(), &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(p.poolID),
		Username: aws.String(name), Password: aws.String(password), Permanent: true}); err != nil {
		t.Fatal(err)
	}
}

// addTempUser creates a user who must choose a new password.
func (p *srpPool) addTempUser(t testing.TB, name, temp string) {
	t.Helper()
	email := strings.ToLower(name) + "@example.com"
	if strings.Contains(name, "@") {
		email = name // a pool that signs in with email
	}
	_, err := p.c.AdminCreateUser(context.Background(), &cip.AdminCreateUserInput{UserPoolId: aws.String(p.poolID), Username: aws.String(name),
		TemporaryPassword: aws.String(temp), MessageAction: types.MessageActionTypeSuppress,
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(email)}}})
	if err != nil {
		t.Fatal(err)
	}
}

// jsEnv is the environment of the Node scripts for a client of p.
func (p *srpPool) jsEnv(clientID, username, password string) map[string]string {
	return map[string]string{"COGNITO_ENDPOINT": p.ts.URL, "POOL_ID": p.poolID, "CLIENT_ID": clientID,
		"USERNAME": username, "PASSWORD": password}
}

// jwtClaims decodes a JWT's claims without checking it (the server's
// tests of signatures live elsewhere).
func jwtClaims(t testing.TB, token string) map[string]any {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", token)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	if err := json.Unmarshal(b, &claims); err != nil {
		t.Fatal(err)
	}
	return claims
}
