package server

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// amazon-cognito-identity-js, unmodified, on an ON pool: its mfaSetup
// path (AssociateSoftwareToken and VerifySoftwareToken with the session,
// then MFA_SETUP) signs the user in, and the next sign-in takes its
// totpRequired path (SOFTWARE_TOKEN_MFA). The codes come from otpauth, a
// Node TOTP library, at the server's clock.
func TestMFAJSClientTOTP(t *testing.T) {
	jsDir(t) // skips (or fails in CI) before anything starts without Node
	p := newMFAPool(t, nil, nil)
	p.setMFA(t, &cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOn, SoftwareTokenMfaConfiguration: totpOn})
	p.addUser(t, "gina", "Correct-horse-1")
	type result struct {
		Mode, Secret, AccessToken, IDToken string
		Callbacks, Calls                   []string
		Error                              *struct{ Code, Message string }
	}
	run := func(mode, secret string) result {
		env := p.jsEnv(p.public, "gina", "Correct-horse-1")
		env["MODE"], env["SECRET"] = mode, secret
		env["TOTP_TIME"] = strconv.FormatInt(p.clock.Now().UnixMilli(), 10)
		var r result
		runNode(t, "totp.mjs", env, &r)
		if r.Error != nil {
			t.Fatalf("%s: %s %s (callbacks %v, calls %v)", mode, r.Error.Code, r.Error.Message, r.Callbacks, r.Calls)
		}
		return r
	}
	setup := run("setup", "")
	wantCalls := []string{"InitiateAuth USER_SRP_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER", "AssociateSoftwareToken", "VerifySoftwareToken", "RespondToAuthChallenge MFA_SETUP"}
	if !slices.Equal(setup.Callbacks, []string{"mfaSetup", "associateSecretCode"}) || !slices.Equal(setup.Calls, wantCalls) || len(setup.Secret) != 32 || setup.AccessToken == "" {
		t.Fatalf("setup: %+v", setup)
	}
	if claims := jwtClaims(t, setup.IDToken); claims["cognito:username"] != "gina" {
		t.Errorf("ID token claims %v", claims)
	}
	me, err := p.c.GetUser(context.Background(), &cip.GetUserInput{AccessToken: aws.String(setup.AccessToken)})
	if err != nil || !slices.Equal(me.UserMFASettingList, []string{"SOFTWARE_TOKEN_MFA"}) {
		t.Fatalf("GetUser after the setup: %+v %v", me, err)
	}
	// Thirty seconds on, otpauth's next code signs in through totpRequired.
	p.clock.Advance(30 * time.Second)
	signin := run("signin", setup.Secret)
	wantCalls = []string{"InitiateAuth USER_SRP_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER", "RespondToAuthChallenge SOFTWARE_TOKEN_MFA"}
	if !slices.Equal(signin.Callbacks, []string{"totpRequired"}) || !slices.Equal(signin.Calls, wantCalls) || signin.AccessToken == "" {
		t.Fatalf("sign-in: %+v", signin)
	}
	// The same step again: otpauth's code is the one just used, refused.
	env := p.jsEnv(p.public, "gina", "Correct-horse-1")
	env["MODE"], env["SECRET"], env["TOTP_TIME"] = "signin", setup.Secret, strconv.FormatInt(p.clock.Now().UnixMilli(), 10)
	var replay result
	runNode(t, "totp.mjs", env, &replay)
	if replay.Error == nil || replay.Error.Code != "CodeMismatchException" {
		t.Fatalf("replayed code: %+v", replay)
	}
}
