package server

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/cognito"
)

// Where the triggers, MFA and the hosted pages meet: each test runs a real
// webhook server (hookServer), the AWS SDK with SigV4, and TOTP codes from
// pquerna/otp.

// hookedMFAPool is an mfaPool whose server calls the hookServer's
// functions names.
func hookedMFAPool(t *testing.T, pool *cip.CreateUserPoolInput, names ...string) (*mfaPool, *hookServer) {
	t.Helper()
	hooks := newHookServer(t)
	inv := hooks.invoker(t, names...)
	clock := newManualClock()
	ts := newTestServerWith(t, cognito.Limits{}, func(c *cognito.Config) {
		c.Now = clock.Now
		c.Triggers = inv
	}, nil)
	return &mfaPool{srpPool: newSRPPoolOn(t, ts, pool), clock: clock}, hooks
}

// The SMS_MFA code goes through the custom message function as
// CustomMessage_Authentication, and the function's wording is what the
// user gets.
func TestIntegrateCustomMessageForMFACode(t *testing.T) {
	p, hooks := hookedMFAPool(t, &cip.CreateUserPoolInput{MfaConfiguration: types.UserPoolMfaTypeOn, SmsConfiguration: smsConfig,
		SmsAuthenticationMessage: aws.String("Your sign-in code is {####}"),
		LambdaConfig:             &types.LambdaConfigType{CustomMessage: aws.String(arnOf("message"))}}, "message")
	p.addUser(t, "erin", "Correct-horse-1")
	if _, err := p.c.AdminUpdateUserAttributes(context.Background(), &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(p.poolID),
		Username: aws.String("erin"), UserAttributes: []types.AttributeType{{Name: aws.String("phone_number"), Value: aws.String("+15555550123")}}}); err != nil {
		t.Fatal(err)
	}
	hooks.on("message", respond(map[string]any{"smsMessage": "Sign in to Example with {####}", "emailMessage": nil, "emailSubject": nil}))
	out, err := p.passwordAuth("erin", "Correct-horse-1")
	if err != nil || out.ChallengeName != types.ChallengeNameTypeSmsMfa {
		t.Fatalf("SMS_MFA: %+v %v", out, err)
	}
	ev := hooks.last(t, "message")
	if ev["triggerSource"] != "CustomMessage_Authentication" {
		t.Errorf("triggerSource = %v, want CustomMessage_Authentication", ev["triggerSource"])
	}
	code, _ := lastCode(t, p.ts, "sign-in code", "erin")
	if !regexpMatch(`Sign in to Example with `+code, p.ts.log.String()) {
		t.Fatalf("the function's message was not sent:\n%s", p.ts.log.String())
	}
	res, err := p.respond(types.ChallengeNameTypeSmsMfa, out.Session, map[string]string{"USERNAME": "erin", "SMS_MFA_CODE": code})
	if err != nil || res.AuthenticationResult == nil {
		t.Fatalf("SMS_MFA answer: %+v %v", res, err)
	}
}

// Post authentication and pre token generation run once, when the tokens
// are issued: after the new password (as NewPasswordChallenge), and after
// the MFA answer, not at the password step before it.
func TestIntegrateTokenTriggersAfterChallenges(t *testing.T) {
	p, hooks := hookedMFAPool(t, &cip.CreateUserPoolInput{LambdaConfig: &types.LambdaConfigType{PreAuthentication: aws.String(arnOf("pre")),
		PostAuthentication: aws.String(arnOf("post")), PreTokenGeneration: aws.String(arnOf("token"))}}, "pre", "post", "token")
	p.addTempUser(t, "ivy", "Temp-pass-1")
	out, err := p.passwordAuth("ivy", "Temp-pass-1")
	if err != nil || out.ChallengeName != types.ChallengeNameTypeNewPasswordRequired {
		t.Fatalf("%+v %v", out, err)
	}
	if hooks.count("pre") != 1 || hooks.count("post") != 0 || hooks.count("token") != 0 {
		t.Fatalf("before the new password: pre %d, post %d, token %d calls", hooks.count("pre"), hooks.count("post"), hooks.count("token"))
	}
	res, err := p.respond(types.ChallengeNameTypeNewPasswordRequired, out.Session, map[string]string{"USERNAME": "ivy", "NEW_PASSWORD": "Brand-new-pass-2"})
	if err != nil || res.AuthenticationResult == nil {
		t.Fatalf("new password: %+v %v", res, err)
	}
	if src := hooks.last(t, "token")["triggerSource"]; src != "TokenGeneration_NewPasswordChallenge" {
		t.Errorf("pre token generation after the new password: %v", src)
	}
	if hooks.count("post") != 1 {
		t.Errorf("post authentication calls: %d", hooks.count("post"))
	}

	// Now MFA is required: the user sets up TOTP, then signs in with it.
	p.setMFA(t, &cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOn, SoftwareTokenMfaConfiguration: totpOn})
	secret, _ := p.enrolTOTP(t, "ivy", "Brand-new-pass-2")
	if src := hooks.last(t, "token")["triggerSource"]; src != "TokenGeneration_Authentication" {
		t.Errorf("pre token generation after MFA_SETUP: %v", src)
	}
	pre, post, token := hooks.count("pre"), hooks.count("post"), hooks.count("token")
	out, err = p.passwordAuth("ivy", "Brand-new-pass-2")
	if err != nil || out.ChallengeName != types.ChallengeNameTypeSoftwareTokenMfa {
		t.Fatalf("%+v %v", out, err)
	}
	if hooks.count("pre") != pre+1 || hooks.count("post") != post || hooks.count("token") != token {
		t.Fatal("post authentication or pre token generation ran before the second factor")
	}
	p.clock.Advance(30e9)
	res, err = p.respond(types.ChallengeNameTypeSoftwareTokenMfa, out.Session, map[string]string{"USERNAME": "ivy",
		"SOFTWARE_TOKEN_MFA_CODE": totpAt(t, secret, p.clock.Now())})
	if err != nil || res.AuthenticationResult == nil {
		t.Fatalf("TOTP answer: %+v %v", res, err)
	}
	if hooks.count("post") != post+1 || hooks.count("token") != token+1 {
		t.Fatalf("after the TOTP answer: post %d, token %d calls", hooks.count("post")-post, hooks.count("token")-token)
	}
	if src := hooks.last(t, "post")["triggerSource"]; src != "PostAuthentication_Authentication" {
		t.Errorf("post authentication source: %v", src)
	}
	if src := hooks.last(t, "token")["triggerSource"]; src != "TokenGeneration_Authentication" {
		t.Errorf("pre token generation after TOTP: %v", src)
	}
}
