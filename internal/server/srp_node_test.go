package server

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// jsSignIn is what the Node scripts print.
type jsSignIn struct {
	Flow                string   `json:"flow"`
	Steps               []string `json:"steps"`
	NewPasswordRequired bool     `json:"newPasswordRequired"`
	Username            string   `json:"username"`
	UserIDForSRP        string   `json:"userIdForSrp"`
	ChallengeName       string   `json:"challengeName"`
	IDToken             string   `json:"idToken"`
	AccessToken         string   `json:"accessToken"`
	RefreshToken        string   `json:"refreshToken"`
	Calls               []string `json:"calls"`
	Error               *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func (r *jsSignIn) wantTokens(t *testing.T, username string) {
	t.Helper()
	if r.Error != nil {
		t.Fatalf("sign-in failed: %s: %s", r.Error.Code, r.Error.Message)
	}
	if r.IDToken == "" || r.AccessToken == "" {
		t.Fatalf("no tokens: %+v", r)
	}
	if got := jwtClaims(t, r.IDToken)["cognito:username"]; got != username {
		t.Fatalf("ID token cognito:username %v, want %s", got, username)
	}
	if got := jwtClaims(t, r.AccessToken)["username"]; got != username {
		t.Fatalf("access token username %v, want %s", got, username)
	}
}

func (r *jsSignIn) wantError(t *testing.T, code, message string) {
	t.Helper()
	if r.Error == nil || r.Error.Code != code || (message != "" && r.Error.Message != message) {
		t.Fatalf("got %+v, want error %s %q", r, code, message)
	}
}

// TestSRPIdentityJS signs in with amazon-cognito-identity-js's default
// flow (USER_SRP_AUTH, its own SRP code), a wrong password, and a user
// with a temporary password through its newPasswordRequired callback.
func TestSRPIdentityJS(t *testing.T) {
	p := newSRPPool(t, nil)
	p.addUser(t, "alice", "Correct-horse-1")

	var ok jsSignIn
	runNode(t, "srp_identity.mjs", p.jsEnv(p.public, "alice", "Correct-horse-1"), &ok)
	ok.wantTokens(t, "alice")
	if ok.RefreshToken == "" || ok.NewPasswordRequired || ok.Flow != "USER_SRP_AUTH" {
		t.Fatalf("result %+v", ok)
	}
	wantCalls(t, "sign-in", ok.Calls, srpSignIn)

	// The client created without ExplicitAuthFlows allows SRP by default.
	var def jsSignIn
	runNode(t, "srp_identity.mjs", p.jsEnv(p.defaults, "alice", "Correct-horse-1"), &def)
	def.wantTokens(t, "alice")
	wantCalls(t, "sign-in with the default client", def.Calls, srpSignIn)

	var wrong jsSignIn
	runNode(t, "srp_identity.mjs", p.jsEnv(p.public, "alice", "Wrong-horse-1"), &wrong)
	wrong.wantError(t, "NotAuthorizedException", "Incorrect username or password.")
	wantCalls(t, "wrong password", wrong.Calls, srpSignIn)

	p.addTempUser(t, "bob", "Temp-pass-1")
	env := p.jsEnv(p.public, "bob", "Temp-pass-1")
	env["NEW_PASSWORD"] = "Brand-new-pass-2"
	var bob jsSignIn
	runNode(t, "srp_identity.mjs", env, &bob)
	bob.wantTokens(t, "bob")
	if !bob.NewPasswordRequired {
		t.Fatalf("bob did not go through newPasswordRequired: %+v", bob)
	}
	wantCalls(t, "new password", bob.Calls, srpSignIn, []string{"RespondToAuthChallenge NEW_PASSWORD_REQUIRED"})
	// The new password works with SRP at once: it was derived with it.
	var again jsSignIn
	runNode(t, "srp_identity.mjs", p.jsEnv(p.public, "bob", "Brand-new-pass-2"), &again)
	again.wantTokens(t, "bob")
}

// TestIdentityJSRefresh: amazon-cognito-identity-js, unmodified, signs in
// with its default flow (SRP) and CognitoUser.refreshSession refreshes
// with the session's refresh token (REFRESH_TOKEN_AUTH): new tokens of the
// same sign-in, the refresh token kept; its globalSignOut with the
// refreshed access token revokes the refresh token and that access token.
func TestIdentityJSRefresh(t *testing.T) {
	p := newSRPPool(t, nil)
	p.addUser(t, "alice", "Correct-horse-1")
	type tokens struct{ IDToken, AccessToken, RefreshToken string }
	var out struct {
		Flow          string
		Before, After tokens
		Calls         []string
	}
	runNode(t, "identity_refresh.mjs", p.jsEnv(p.public, "alice", "Correct-horse-1"), &out)
	wantCalls(t, "sign-in, refresh, sign-out, refresh", out.Calls, srpSignIn,
		[]string{"InitiateAuth REFRESH_TOKEN_AUTH", "GlobalSignOut"})
	if out.Flow != "USER_SRP_AUTH" {
		t.Errorf("flow %q", out.Flow)
	}
	before, after := jwtClaims(t, out.Before.AccessToken), jwtClaims(t, out.After.AccessToken)
	if out.After.AccessToken == out.Before.AccessToken || after["jti"] == before["jti"] {
		t.Fatalf("refreshSession returned the same access token")
	}
	for _, k := range []string{"username", "sub", "auth_time", "origin_jti", "client_id"} {
		if after[k] == nil || after[k] != before[k] {
			t.Errorf("access token %s: %v after the refresh, %v before", k, after[k], before[k])
		}
	}
	if id := jwtClaims(t, out.After.IDToken); id["cognito:username"] != "alice" || id["token_use"] != "id" || out.After.IDToken == out.Before.IDToken {
		t.Errorf("ID token after the refresh: %v", id)
	}
	if out.After.RefreshToken != out.Before.RefreshToken {
		t.Errorf("the refresh token changed without rotation")
	}
	_, err := p.c.InitiateAuth(context.Background(), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(p.public),
		AuthParameters: map[string]string{"REFRESH_TOKEN": out.Before.RefreshToken}})
	wantAPIError(t, err, "NotAuthorizedException", "Refresh Token has been revoked")
	_, err = p.c.GetUser(context.Background(), &cip.GetUserInput{AccessToken: aws.String(out.After.AccessToken)})
	wantAPIError(t, err, "NotAuthorizedException", "Access Token has been revoked")
}

// TestSRPIdentityJSEmailPool: in a pool that signs in with email, the
// user's USER_ID_FOR_SRP is their sub, which the client signs with and
// sends back as USERNAME.
func TestSRPIdentityJSEmailPool(t *testing.T) {
	p := newSRPPool(t, &cip.CreateUserPoolInput{UsernameAttributes: []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}})
	p.addUser(t, "Carol@Example.com", "Correct-horse-1")
	var r jsSignIn
	runNode(t, "srp_identity.mjs", p.jsEnv(p.public, "carol@example.com", "Correct-horse-1"), &r)
	if r.Error != nil {
		t.Fatalf("%+v", r.Error)
	}
	sub := jwtClaims(t, r.IDToken)["sub"]
	if r.Username != sub || jwtClaims(t, r.IDToken)["email"] != "Carol@Example.com" {
		t.Fatalf("username %q, sub %v", r.Username, sub)
	}
}

// TestSRPAmplify signs in with Amplify v6's default flow (SRP), through
// NEW_PASSWORD_REQUIRED, and with USER_AUTH: SELECT_CHALLENGE answered
// with PASSWORD_SRP, and PREFERRED_CHALLENGE PASSWORD and PASSWORD_SRP.
func TestSRPAmplify(t *testing.T) {
	p := newSRPPool(t, nil)
	p.addUser(t, "alice", "Correct-horse-1")

	var r jsSignIn
	runNode(t, "amplify_signin.mjs", p.jsEnv(p.public, "alice", "Correct-horse-1"), &r)
	r.wantTokens(t, "alice")
	wantCalls(t, "Amplify sign-in", r.Calls, srpSignIn)

	var wrong jsSignIn
	runNode(t, "amplify_signin.mjs", p.jsEnv(p.public, "alice", "Wrong-horse-1"), &wrong)
	wrong.wantError(t, "NotAuthorizedException", "Incorrect username or password.")

	p.addTempUser(t, "bob", "Temp-pass-1")
	env := p.jsEnv(p.public, "bob", "Temp-pass-1")
	env["NEW_PASSWORD"] = "Brand-new-pass-2"
	var bob jsSignIn
	runNode(t, "amplify_signin.mjs", env, &bob)
	bob.wantTokens(t, "bob")
	if len(bob.Steps) != 1 || bob.Steps[0] != "CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED" {
		t.Fatalf("bob's steps: %v", bob.Steps)
	}
	wantCalls(t, "Amplify new password", bob.Calls, srpSignIn, []string{"RespondToAuthChallenge NEW_PASSWORD_REQUIRED"})

	for _, tc := range []struct{ preferred, answer string }{{"", "PASSWORD_SRP"}, {"", "PASSWORD"}, {"PASSWORD", ""}, {"PASSWORD_SRP", ""}} {
		env := p.jsEnv(p.public, "alice", "Correct-horse-1")
		env["AUTH_FLOW"], env["PREFERRED_CHALLENGE"], env["SELECT_ANSWER"] = "USER_AUTH", tc.preferred, tc.answer
		var ua jsSignIn
		runNode(t, "amplify_signin.mjs", env, &ua)
		ua.wantTokens(t, "alice")
		if tc.preferred == "" && (len(ua.Steps) < 2 || ua.Steps[1] != "available:PASSWORD,PASSWORD_SRP") {
			t.Fatalf("USER_AUTH without a preference: steps %v", ua.Steps)
		}
	}
}

// TestSRPWithSecretJS: cognito-srp-helper computes SRP and SECRET_HASH for
// a client with a secret; a missing or wrong secret is refused, and so is
// the claim signature of a wrong password with the right secret.
func TestSRPWithSecretJS(t *testing.T) {
	p := newSRPPool(t, &cip.CreateUserPoolInput{UsernameAttributes: []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}})
	p.addUser(t, "dave@example.com", "Correct-horse-1")
	env := p.jsEnv(p.secretID, "dave@example.com", "Correct-horse-1")
	env["CLIENT_SECRET"] = p.secret
	var r jsSignIn
	runNode(t, "srp_secret.mjs", env, &r)
	if r.Error != nil || r.AccessToken == "" || r.RefreshToken == "" {
		t.Fatalf("%+v", r)
	}
	if sub := jwtClaims(t, r.AccessToken)["sub"]; r.UserIDForSRP != sub {
		t.Fatalf("USER_ID_FOR_SRP %q, sub %v", r.UserIDForSRP, sub)
	}

	delete(env, "CLIENT_SECRET")
	var missing jsSignIn
	runNode(t, "srp_secret.mjs", env, &missing)
	missing.wantError(t, "NotAuthorizedException", "Client "+p.secretID+" is configured with secret but SECRET_HASH was not received")
	env["CLIENT_SECRET"] = "not-the-secret-of-this-client-at-all-0000"
	var bad jsSignIn
	runNode(t, "srp_secret.mjs", env, &bad)
	bad.wantError(t, "NotAuthorizedException", "Unable to verify secret hash for client "+p.secretID)

	// The right secret with a wrong password: the claim signature is refused.
	env["CLIENT_SECRET"] = p.secret
	env["PASSWORD"] = "Wrong-horse-1"
	var wrong jsSignIn
	runNode(t, "srp_secret.mjs", env, &wrong)
	wrong.wantError(t, "NotAuthorizedException", "Incorrect username or password.")

	// The same helper without a secret, on the public client.
	env = p.jsEnv(p.public, "dave@example.com", "Correct-horse-1")
	var pub jsSignIn
	runNode(t, "srp_secret.mjs", env, &pub)
	if pub.Error != nil || pub.IDToken == "" {
		t.Fatalf("%+v", pub)
	}
}
