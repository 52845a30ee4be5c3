package server

import (
	"context"
	"net/http"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"golang.org/x/oauth2"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/verify"
)

// TestTriggerPreTokenGenerationV1: the legacy PreTokenGeneration member
// sends a V1_0 event and changes the ID token only, except for groups,
// which both tokens carry; reserved claims stay Cognito's.
func TestTriggerPreTokenGenerationV1(t *testing.T) {
	p := newTriggerPool(t, &types.LambdaConfigType{PreTokenGeneration: aws.String(arnOf("pretoken"))}, "pretoken")
	p.confirmedUser(t, "jo")
	groupOf(t, p.c, p.poolID, "admins", "", nil)
	join(t, p.c, p.poolID, "jo", "admins")
	u, _ := p.user("jo")
	sub, _ := userAttr(u.UserAttributes, "sub")

	p.hooks.on("pretoken", respond(map[string]any{"claimsOverrideDetails": map[string]any{
		"claimsToAddOrOverride": map[string]string{"tier": "gold", "sub": "someone-else", "iss": "https://evil.example", "email": "replaced@example.com"},
		"claimsToSuppress":      []string{"email", "token_use"},
		"groupOverrideDetails":  map[string]any{"groupsToOverride": []string{"readers"}, "iamRolesToOverride": []string{}},
	}}))
	out, err := p.signIn("jo")
	if err != nil {
		t.Fatal(err)
	}
	wantEvent(t, p.hooks.last(t, "pretoken"), `{
		"version": "1", "triggerSource": "TokenGeneration_Authentication", "region": "us-east-1", "userPoolId": "`+p.poolID+`", "userName": "jo",
		"callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "`+p.clientID+`"},
		"request": {"userAttributes": {"sub": "`+sub+`", "email": "jo@example.com", "cognito:user_status": "CONFIRMED"},
			"groupConfiguration": {"groupsToOverride": ["admins"], "iamRolesToOverride": [], "preferredRole": null},
			"clientMetadata": {}},
		"response": {"claimsOverrideDetails": null}}`)
	id := claims(t, *out.AuthenticationResult.IdToken)
	access := claims(t, *out.AuthenticationResult.AccessToken)
	if id["tier"] != "gold" || id["sub"] != sub || id["iss"] != p.ts.URL+"/"+p.poolID || id["token_use"] != "id" {
		t.Errorf("ID token tier %v sub %v iss %v token_use %v; want gold, %s, the pool's issuer, id", id["tier"], id["sub"], id["iss"], id["token_use"], sub)
	}
	if _, ok := id["email"]; ok {
		t.Errorf("ID token email %v: suppressed and replaced must be suppressed", id["email"])
	}
	if !reflect.DeepEqual(id["cognito:groups"], []any{"readers"}) || !reflect.DeepEqual(access["cognito:groups"], []any{"readers"}) {
		t.Errorf("groups: ID %v, access %v; want [readers] in both", id["cognito:groups"], access["cognito:groups"])
	}
	if _, ok := access["tier"]; ok {
		t.Error("a V1_0 response changed the access token")
	}

	// Refreshing calls the function again, as TokenGeneration_RefreshTokens.
	p.hooks.on("pretoken", nil)
	ref, err := p.c.InitiateAuth(context.Background(), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(p.clientID),
		AuthParameters: map[string]string{"REFRESH_TOKEN": *out.AuthenticationResult.RefreshToken}})
	if err != nil {
		t.Fatal(err)
	}
	if ev := p.hooks.last(t, "pretoken"); ev["triggerSource"] != "TokenGeneration_RefreshTokens" {
		t.Errorf("refresh triggerSource %v", ev["triggerSource"])
	}
	if id := claims(t, *ref.AuthenticationResult.IdToken); id["tier"] != nil || !reflect.DeepEqual(id["cognito:groups"], []any{"admins"}) {
		t.Errorf("refreshed ID token with an unchanged event: tier %v groups %v", id["tier"], id["cognito:groups"])
	}

	// A failing function fails the sign-in.
	p.hooks.on("pretoken", func(map[string]any) (int, any) {
		return http.StatusBadRequest, map[string]string{"errorMessage": "claims service down"}
	})
	_, err = p.signIn("jo")
	wantAPIError(t, err, "UserLambdaValidationException", "PreTokenGeneration failed with error claims service down.")
}

// TestTriggerPreTokenGenerationV2: PreTokenGenerationConfig V2_0 changes
// both tokens, claims of any JSON type and scopes; the refresh token keeps
// the scopes granted, and the function is asked again at refresh.
func TestTriggerPreTokenGenerationV2(t *testing.T) {
	p := newTriggerPool(t, &types.LambdaConfigType{PreTokenGenerationConfig: &types.PreTokenGenerationVersionConfigType{
		LambdaArn: aws.String(arnOf("v2")), LambdaVersion: types.PreTokenGenerationLambdaVersionTypeV20}}, "v2")
	p.confirmedUser(t, "kim")
	u, _ := p.user("kim")
	sub, _ := userAttr(u.UserAttributes, "sub")
	override := respond(map[string]any{"claimsAndScopeOverrideDetails": map[string]any{
		"idTokenGeneration": map[string]any{"claimsToAddOrOverride": map[string]any{"org": map[string]any{"id": 7, "roles": []string{"owner"}}},
			"claimsToSuppress": []string{"email"}},
		"accessTokenGeneration": map[string]any{
			"claimsToAddOrOverride": map[string]any{"tenant": "acme", "client_id": "another-client", "scope": "admin"},
			"claimsToSuppress":      []string{"username", "jti"},
			"scopesToAdd":           []string{"com.example.photos/read", "has space"},
			"scopesToSuppress":      []string{"aws.cognito.signin.user.admin"},
		},
	}})
	p.hooks.on("v2", override)
	out, err := p.signIn("kim")
	if err != nil {
		t.Fatal(err)
	}
	wantEvent(t, p.hooks.last(t, "v2"), `{
		"version": "2", "triggerSource": "TokenGeneration_Authentication", "region": "us-east-1", "userPoolId": "`+p.poolID+`", "userName": "kim",
		"callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "`+p.clientID+`"},
		"request": {"userAttributes": {"sub": "`+sub+`", "email": "kim@example.com", "cognito:user_status": "CONFIRMED"},
			"scopes": ["aws.cognito.signin.user.admin"],
			"groupConfiguration": {"groupsToOverride": [], "iamRolesToOverride": [], "preferredRole": null},
			"clientMetadata": {}},
		"response": {"claimsAndScopeOverrideDetails": null}}`)
	id := claims(t, *out.AuthenticationResult.IdToken)
	access := claims(t, *out.AuthenticationResult.AccessToken)
	if !reflect.DeepEqual(id["org"], map[string]any{"id": 7.0, "roles": []any{"owner"}}) || id["email"] != nil {
		t.Errorf("ID token org %v email %v", id["org"], id["email"])
	}
	if access["tenant"] != "acme" || access["client_id"] != p.clientID || access["username"] != "kim" || access["jti"] == nil ||
		access["scope"] != "com.example.photos/read" {
		t.Errorf("access token tenant %v client_id %v username %v jti %v scope %q", access["tenant"], access["client_id"], access["username"], access["jti"], access["scope"])
	}
	// The token's scope changed; the sign-in's did not: a refresh asks the
	// function with the granted scopes again.
	p.hooks.on("v2", nil)
	ref, err := p.c.InitiateAuth(context.Background(), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(p.clientID),
		AuthParameters: map[string]string{"REFRESH_TOKEN": *out.AuthenticationResult.RefreshToken}})
	if err != nil {
		t.Fatal(err)
	}
	ev := p.hooks.last(t, "v2")
	if ev["triggerSource"] != "TokenGeneration_RefreshTokens" || !reflect.DeepEqual(ev["request"].(map[string]any)["scopes"], []any{"aws.cognito.signin.user.admin"}) {
		t.Errorf("refresh event source %v request %v", ev["triggerSource"], ev["request"])
	}
	if a := claims(t, *ref.AuthenticationResult.AccessToken); a["scope"] != "aws.cognito.signin.user.admin" || a["tenant"] != nil {
		t.Errorf("refreshed access token scope %v tenant %v", a["scope"], a["tenant"])
	}
}

// hookedM2M is newM2M over a server whose pool sends pre token
// generation events of version to the webhook "m2m".
func hookedM2M(t testing.TB, version types.PreTokenGenerationLambdaVersionType) (*m2m, *hookServer) {
	t.Helper()
	hooks := newHookServer(t)
	return m2mWith(t, hooks.invoker(t, "m2m"), &types.LambdaConfigType{PreTokenGenerationConfig: &types.PreTokenGenerationVersionConfigType{
		LambdaArn: aws.String(arnOf("m2m")), LambdaVersion: version}}), hooks
}

// m2mWith is newM2M with a trigger invoker (nil: none) and the pool's
// LambdaConfig (nil: none).
func m2mWith(t testing.TB, inv cognito.TriggerInvoker, lc *types.LambdaConfigType) *m2m {
	t.Helper()
	ts := newTestServerWith(t, cognito.Limits{}, func(c *cognito.Config) { c.Triggers = inv }, nil)
	c := ts.client("us-east-1")
	ctx := context.Background()
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("m2m"), LambdaConfig: lc})
	if err != nil {
		t.Fatal(err)
	}
	poolID := *pool.UserPool.Id
	if _, err := c.CreateResourceServer(ctx, photoServer(poolID)); err != nil {
		t.Fatal(err)
	}
	out, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(poolID), ClientName: aws.String("machine"), GenerateSecret: true,
		AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials}, AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthScopes: []string{"com.example.photos/read", "com.example.photos/write"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return &m2m{ts: ts, c: c, poolID: poolID, clientID: *out.UserPoolClient.ClientId, secret: *out.UserPoolClient.ClientSecret}
}

// TestTriggerPreTokenGenerationV3ClientCredentials: a V3_0 function sees
// client credentials grants and its changes reach the token a resource
// server verifies with the public verify package.
func TestTriggerPreTokenGenerationV3ClientCredentials(t *testing.T) {
	m, hooks := hookedM2M(t, types.PreTokenGenerationLambdaVersionTypeV30)
	hooks.on("m2m", respond(map[string]any{"claimsAndScopeOverrideDetails": map[string]any{
		"accessTokenGeneration": map[string]any{
			"claimsToAddOrOverride": map[string]any{"tenant": "acme", "sub": "someone-else"},
			"scopesToSuppress":      []string{"com.example.photos/write"},
		},
		// An ID token section means nothing to a client credentials token.
		"idTokenGeneration": map[string]any{"claimsToAddOrOverride": map[string]any{"ignored": true}},
	}}))
	tok, err := m.config(oauth2.AuthStyleInHeader).Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	wantEvent(t, hooks.last(t, "m2m"), `{
		"version": "3", "triggerSource": "TokenGeneration_ClientCredentials", "region": "us-east-1", "userPoolId": "`+m.poolID+`", "userName": "`+m.clientID+`",
		"callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "`+m.clientID+`"},
		"request": {"userAttributes": {}, "scopes": ["com.example.photos/read", "com.example.photos/write"], "groupConfiguration": null, "clientMetadata": {}},
		"response": {"claimsAndScopeOverrideDetails": null}}`)
	v := &verify.Verifier{Algorithm: verify.RS256, Issuer: m.ts.URL + "/" + m.poolID, TokenUse: verify.AccessToken, ClientIDs: []string{m.clientID}}
	c, err := v.Verify(context.Background(), tok.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if tenant, _ := c.GetString("tenant"); tenant != "acme" || c.Subject != m.clientID || !c.HasScope("com.example.photos/read") || c.HasScope("com.example.photos/write") {
		t.Errorf("verified token: tenant %q sub %q scopes %v; want acme, the client, read only", tenant, c.Subject, c.Scope)
	}
	if _, ok := c.Get("ignored"); ok {
		t.Error("idTokenGeneration changed an access token")
	}

	// A failing function: no token, and the endpoint says why it cannot
	// issue one without telling the caller the function's message.
	hooks.on("m2m", func(map[string]any) (int, any) { return http.StatusInternalServerError, "boom" })
	if _, err := m.config(oauth2.AuthStyleInHeader).Token(context.Background()); err == nil {
		t.Error("a token was issued although the function failed")
	}
}

// TestTriggerPreTokenGenerationV2NotForMachines: V2_0 functions are not
// called for client credentials tokens ("Version three event responses
// apply to access tokens from user authentication and machine
// authentication").
func TestTriggerPreTokenGenerationV2NotForMachines(t *testing.T) {
	m, hooks := hookedM2M(t, types.PreTokenGenerationLambdaVersionTypeV20)
	tok, err := m.config(oauth2.AuthStyleInHeader).Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n := hooks.count("m2m"); n != 0 || claims(t, tok.AccessToken)["scope"] != "com.example.photos/read com.example.photos/write" {
		t.Errorf("a V2_0 function was called %d times for a client credentials token", n)
	}
}
