package server

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

var (
	totpOn    = &types.SoftwareTokenMfaConfigType{Enabled: true}
	smsConfig = &types.SmsConfigurationType{SnsCallerArn: aws.String("arn:aws:iam::123456789012:role/sms"), ExternalId: aws.String("x")}
)

// Cognito's rules for a pool's MFA settings, and what Get and Describe
// show of them.
func TestUserPoolMfaConfig(t *testing.T) {
	p := newMFAPool(t, nil, nil)
	ctx := context.Background()
	set := func(in *cip.SetUserPoolMfaConfigInput) (*cip.SetUserPoolMfaConfigOutput, error) {
		in.UserPoolId = aws.String(p.poolID)
		return p.c.SetUserPoolMfaConfig(ctx, in)
	}
	_, err := set(&cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOff, SoftwareTokenMfaConfiguration: totpOn})
	wantAPIError(t, err, "InvalidParameterException", "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.")
	_, err = set(&cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOn})
	wantAPIError(t, err, "InvalidParameterException", "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.")
	_, err = set(&cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOn, SmsMfaConfiguration: &types.SmsMfaConfigType{SmsAuthenticationMessage: aws.String("Code {####}")}})
	wantAPIError(t, err, "InvalidParameterException", "SMS configuration is required to turn on SMS MFA.")
	_, err = set(&cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOn, EmailMfaConfiguration: &types.EmailMfaConfigType{Message: aws.String("Code {####}")}})
	wantAPIError(t, err, "InvalidParameterException", "To turn on email MFA, the user pool must send email with its own configuration (EmailSendingAccount DEVELOPER).")
	_, err = set(&cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOn, SoftwareTokenMfaConfiguration: totpOn,
		WebAuthnConfiguration: &types.WebAuthnConfigurationType{RelyingPartyId: aws.String("example.com")}})
	wantAPIError(t, err, "InvalidParameterException", "WebAuthnConfiguration is not supported: cognitod does not serve passkey sign-in yet.")
	// The model's constraints apply: an SMS template needs {####}.
	_, err = set(&cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOn, SmsMfaConfiguration: &types.SmsMfaConfigType{SmsAuthenticationMessage: aws.String("no code here"), SmsConfiguration: smsConfig}})
	wantAPIError(t, err, "InvalidParameterException", "")

	out, err := set(&cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOn, SoftwareTokenMfaConfiguration: totpOn,
		SmsMfaConfiguration: &types.SmsMfaConfigType{SmsAuthenticationMessage: aws.String("Your code: {####}"), SmsConfiguration: smsConfig}})
	if err != nil || out.MfaConfiguration != types.UserPoolMfaTypeOn || !out.SoftwareTokenMfaConfiguration.Enabled || out.SmsMfaConfiguration == nil {
		t.Fatalf("%+v %v", out, err)
	}
	got, err := p.c.GetUserPoolMfaConfig(ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String(p.poolID)})
	if err != nil || got.MfaConfiguration != types.UserPoolMfaTypeOn || !got.SoftwareTokenMfaConfiguration.Enabled ||
		aws.ToString(got.SmsMfaConfiguration.SmsAuthenticationMessage) != "Your code: {####}" ||
		aws.ToString(got.SmsMfaConfiguration.SmsConfiguration.SnsCallerArn) != *smsConfig.SnsCallerArn || got.EmailMfaConfiguration != nil {
		t.Fatalf("GetUserPoolMfaConfig: %+v %v", got, err)
	}
	d, err := p.c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(p.poolID)})
	if err != nil || d.UserPool.MfaConfiguration != types.UserPoolMfaTypeOn || aws.ToString(d.UserPool.SmsAuthenticationMessage) != "Your code: {####}" {
		t.Fatalf("DescribeUserPool: %+v %v", d.UserPool, err)
	}
	// Leaving SMS out turns it off; the pool stays ON with TOTP.
	out, err = set(&cip.SetUserPoolMfaConfigInput{SoftwareTokenMfaConfiguration: totpOn})
	if err != nil || out.MfaConfiguration != types.UserPoolMfaTypeOn || out.SmsMfaConfiguration != nil {
		t.Fatalf("%+v %v", out, err)
	}
	// UpdateUserPool keeps the TOTP factor; without MfaConfiguration it
	// resets MFA to OFF (an update replaces every member).
	if _, err := p.c.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: aws.String(p.poolID), MfaConfiguration: types.UserPoolMfaTypeOptional}); err != nil {
		t.Fatal(err)
	}
	got, _ = p.c.GetUserPoolMfaConfig(ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String(p.poolID)})
	if got.MfaConfiguration != types.UserPoolMfaTypeOptional || !got.SoftwareTokenMfaConfiguration.Enabled {
		t.Fatalf("after UpdateUserPool OPTIONAL: %+v", got)
	}
	if _, err := p.c.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: aws.String(p.poolID)}); err != nil {
		t.Fatal(err)
	}
	got, _ = p.c.GetUserPoolMfaConfig(ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String(p.poolID)})
	if got.MfaConfiguration != types.UserPoolMfaTypeOff {
		t.Fatalf("after UpdateUserPool without MfaConfiguration: %+v", got)
	}

	// CreateUserPool: ON or OPTIONAL means SMS MFA, which needs an
	// SmsConfiguration.
	for _, mode := range []types.UserPoolMfaType{types.UserPoolMfaTypeOn, types.UserPoolMfaTypeOptional} {
		_, err = p.c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("sms"), MfaConfiguration: mode})
		wantAPIError(t, err, "InvalidParameterException", "SMS configuration and Auto verification for phone_number are required when MFA is required/optional")
	}
	cp, err := p.c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("sms"), MfaConfiguration: types.UserPoolMfaTypeOn,
		SmsConfiguration: smsConfig, AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypePhoneNumber}})
	if err != nil || cp.UserPool.MfaConfiguration != types.UserPoolMfaTypeOn {
		t.Fatalf("%+v %v", cp, err)
	}
	got, _ = p.c.GetUserPoolMfaConfig(ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: cp.UserPool.Id})
	if got.SmsMfaConfiguration == nil || got.SoftwareTokenMfaConfiguration.Enabled {
		t.Fatalf("created ON with SMS: %+v", got)
	}
}

// With MFA ON, a password never yields tokens by itself, through any
// flow; enrolment through MFA_SETUP does, once the token is verified; the
// next sign-in asks for the token, and a code works once.
func TestMFARequiredTOTP(t *testing.T) {
	p := newMFAPool(t, nil, nil)
	ctx := context.Background()
	p.setMFA(t, &cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOn, SoftwareTokenMfaConfiguration: totpOn})
	p.addUser(t, "alice", "Correct-horse-1")

	wantSetup := func(what string, name types.ChallengeNameType, params map[string]string, res *types.AuthenticationResultType, err error) {
		t.Helper()
		if err != nil || name != types.ChallengeNameTypeMfaSetup || res != nil {
			t.Fatalf("%s: %s %v %v, want MFA_SETUP and no tokens", what, name, res, err)
		}
		var can []string
		if json.Unmarshal([]byte(params["MFAS_CAN_SETUP"]), &can) != nil || !slices.Equal(can, []string{"SOFTWARE_TOKEN_MFA"}) {
			t.Fatalf("%s: MFAS_CAN_SETUP %q", what, params["MFAS_CAN_SETUP"])
		}
	}
	out, err := p.passwordAuth("alice", "Correct-horse-1")
	wantSetup("USER_PASSWORD_AUTH", out.ChallengeName, out.ChallengeParameters, out.AuthenticationResult, err)
	a, err := p.adminAuth(p.public, types.AuthFlowTypeAdminUserPasswordAuth, map[string]string{"USERNAME": "alice", "PASSWORD": "Correct-horse-1"})
	wantSetup("ADMIN_USER_PASSWORD_AUTH", a.ChallengeName, a.ChallengeParameters, a.AuthenticationResult, err)
	srp, err := p.srpSignIn(t, p.public, "alice", "Correct-horse-1")
	wantSetup("USER_SRP_AUTH", srp.ChallengeName, srp.ChallengeParameters, srp.AuthenticationResult, err)
	ua, err := p.c.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserAuth, ClientId: aws.String(p.public),
		AuthParameters: map[string]string{"USERNAME": "alice", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": "Correct-horse-1"}})
	wantSetup("USER_AUTH PASSWORD", ua.ChallengeName, ua.ChallengeParameters, ua.AuthenticationResult, err)

	// MFA_SETUP cannot be answered before a token is verified.
	_, err = p.respond(types.ChallengeNameTypeMfaSetup, out.Session, map[string]string{"USERNAME": "alice"})
	wantAPIError(t, err, "NotAuthorizedException", "The software token is not verified yet: call VerifySoftwareToken with this session first.")
	_, err = p.c.AssociateSoftwareToken(ctx, &cip.AssociateSoftwareTokenInput{})
	wantAPIError(t, err, "InvalidParameterException", "Exactly one of AccessToken and Session must be given.")
	as, err := p.c.AssociateSoftwareToken(ctx, &cip.AssociateSoftwareTokenInput{Session: out.Session})
	if err != nil || len(aws.ToString(as.SecretCode)) != 32 || as.Session == nil {
		t.Fatalf("AssociateSoftwareToken: %+v %v", as, err)
	}
	now := p.clock.Now()
	wrong := "000000"
	if totpAt(t, *as.SecretCode, now) == wrong {
		wrong = "111111"
	}
	_, err = p.c.VerifySoftwareToken(ctx, &cip.VerifySoftwareTokenInput{Session: as.Session, UserCode: aws.String(wrong)})
	wantAPIError(t, err, "EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA")
	enrolCode := totpAt(t, *as.SecretCode, now)
	v, err := p.c.VerifySoftwareToken(ctx, &cip.VerifySoftwareTokenInput{Session: as.Session, UserCode: aws.String(enrolCode)})
	if err != nil || v.Status != types.VerifySoftwareTokenResponseTypeSuccess || v.Session == nil {
		t.Fatalf("VerifySoftwareToken: %+v %v", v, err)
	}
	// The session before verification still cannot finish the setup.
	_, err = p.respond(types.ChallengeNameTypeMfaSetup, as.Session, map[string]string{"USERNAME": "alice"})
	wantAPIError(t, err, "NotAuthorizedException", "The software token is not verified yet: call VerifySoftwareToken with this session first.")
	_, err = p.respond(types.ChallengeNameTypeMfaSetup, v.Session, map[string]string{"USERNAME": "bob"})
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.") // another user's name
	res, err := p.respond(types.ChallengeNameTypeMfaSetup, v.Session, map[string]string{"USERNAME": "alice"})
	if err != nil || res.AuthenticationResult == nil || res.AuthenticationResult.AccessToken == nil {
		t.Fatalf("MFA_SETUP: %+v %v", res, err)
	}
	// The same answer again is a replay.
	_, err = p.respond(types.ChallengeNameTypeMfaSetup, v.Session, map[string]string{"USERNAME": "alice"})
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")

	me, err := p.c.GetUser(ctx, &cip.GetUserInput{AccessToken: res.AuthenticationResult.AccessToken})
	if err != nil || !slices.Equal(me.UserMFASettingList, []string{"SOFTWARE_TOKEN_MFA"}) || aws.ToString(me.PreferredMfaSetting) != "SOFTWARE_TOKEN_MFA" {
		t.Fatalf("GetUser: %+v %v", me, err)
	}
	adm, err := p.c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(p.poolID), Username: aws.String("alice")})
	if err != nil || !slices.Equal(adm.UserMFASettingList, []string{"SOFTWARE_TOKEN_MFA"}) || aws.ToString(adm.PreferredMfaSetting) != "SOFTWARE_TOKEN_MFA" || len(adm.MFAOptions) != 0 {
		t.Fatalf("AdminGetUser: %+v %v", adm, err)
	}

	// The next sign-in asks for the token, through every flow.
	out, err = p.passwordAuth("alice", "Correct-horse-1")
	if err != nil || out.ChallengeName != types.ChallengeNameTypeSoftwareTokenMfa || out.AuthenticationResult != nil {
		t.Fatalf("second sign-in: %+v %v", out, err)
	}
	// The code used to verify the token cannot sign in (same step).
	_, err = p.respond(types.ChallengeNameTypeSoftwareTokenMfa, out.Session, map[string]string{"USERNAME": "alice", "SOFTWARE_TOKEN_MFA_CODE": enrolCode})
	wantAPIError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
	p.clock.Advance(30 * time.Second)
	code := totpAt(t, *as.SecretCode, p.clock.Now())
	_, err = p.respond(types.ChallengeNameTypeSoftwareTokenMfa, out.Session, map[string]string{"USERNAME": "alice"})
	wantAPIError(t, err, "InvalidParameterException", "Missing required parameter SOFTWARE_TOKEN_MFA_CODE")
	_, err = p.respond(types.ChallengeNameTypeSmsMfa, out.Session, map[string]string{"USERNAME": "alice", "SMS_MFA_CODE": code})
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.") // a session answers its own challenge only
	res, err = p.respond(types.ChallengeNameTypeSoftwareTokenMfa, out.Session, map[string]string{"USERNAME": "alice", "SOFTWARE_TOKEN_MFA_CODE": code})
	if err != nil || res.AuthenticationResult == nil {
		t.Fatalf("SOFTWARE_TOKEN_MFA: %+v %v", res, err)
	}
	// A replayed code is refused, in a fresh sign-in too.
	out, _ = p.passwordAuth("alice", "Correct-horse-1")
	_, err = p.respond(types.ChallengeNameTypeSoftwareTokenMfa, out.Session, map[string]string{"USERNAME": "alice", "SOFTWARE_TOKEN_MFA_CODE": code})
	wantAPIError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")

	// SRP and the admin flow ask for the token as well.
	srp, err = p.srpSignIn(t, p.public, "alice", "Correct-horse-1")
	if err != nil || srp.ChallengeName != types.ChallengeNameTypeSoftwareTokenMfa || srp.AuthenticationResult != nil {
		t.Fatalf("SRP: %+v %v", srp, err)
	}
	p.clock.Advance(30 * time.Second)
	res, err = p.respond(types.ChallengeNameTypeSoftwareTokenMfa, srp.Session, map[string]string{"USERNAME": "alice", "SOFTWARE_TOKEN_MFA_CODE": totpAt(t, *as.SecretCode, p.clock.Now())})
	if err != nil || res.AuthenticationResult == nil {
		t.Fatalf("SRP then SOFTWARE_TOKEN_MFA: %+v %v", res, err)
	}
	a, err = p.adminAuth(p.public, types.AuthFlowTypeAdminUserPasswordAuth, map[string]string{"USERNAME": "alice", "PASSWORD": "Correct-horse-1"})
	if err != nil || a.ChallengeName != types.ChallengeNameTypeSoftwareTokenMfa {
		t.Fatalf("admin: %+v %v", a, err)
	}
	p.clock.Advance(30 * time.Second)
	ar, err := p.c.AdminRespondToAuthChallenge(ctx, &cip.AdminRespondToAuthChallengeInput{UserPoolId: aws.String(p.poolID), ClientId: aws.String(p.public),
		ChallengeName: types.ChallengeNameTypeSoftwareTokenMfa, Session: a.Session,
		ChallengeResponses: map[string]string{"USERNAME": "alice", "SOFTWARE_TOKEN_MFA_CODE": totpAt(t, *as.SecretCode, p.clock.Now())}})
	if err != nil || ar.AuthenticationResult == nil {
		t.Fatalf("AdminRespondToAuthChallenge: %+v %v", ar, err)
	}
	// A session expires with the client's AuthSessionValidity (3 minutes).
	out, _ = p.passwordAuth("alice", "Correct-horse-1")
	p.clock.Advance(4 * time.Minute)
	_, err = p.respond(types.ChallengeNameTypeSoftwareTokenMfa, out.Session, map[string]string{"USERNAME": "alice", "SOFTWARE_TOKEN_MFA_CODE": totpAt(t, *as.SecretCode, p.clock.Now())})
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")
}

// Wrong codes count toward the same lockout as wrong passwords.
func TestMFAWrongCodesLockOut(t *testing.T) {
	p := newMFAPool(t, nil, nil)
	p.setMFA(t, &cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOn, SoftwareTokenMfaConfiguration: totpOn})
	p.addUser(t, "carol", "Correct-horse-1")
	secret, _ := p.enrolTOTP(t, "carol", "Correct-horse-1")
	p.clock.Advance(30 * time.Second)
	right := totpAt(t, secret, p.clock.Now())
	wrong := "000000"
	if right == wrong {
		wrong = "111111"
	}
	out, err := p.passwordAuth("carol", "Correct-horse-1")
	if err != nil || out.ChallengeName != types.ChallengeNameTypeSoftwareTokenMfa {
		t.Fatalf("%+v %v", out, err)
	}
	// Four wrong codes and one wrong password: the fifth failure locks.
	for range 4 {
		_, err = p.respond(types.ChallengeNameTypeSoftwareTokenMfa, out.Session, map[string]string{"USERNAME": "carol", "SOFTWARE_TOKEN_MFA_CODE": wrong})
		wantAPIError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
	}
	_, err = p.passwordAuth("carol", "Wrong-horse-1")
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	// Locked: neither the right code nor the right password gets in.
	_, err = p.respond(types.ChallengeNameTypeSoftwareTokenMfa, out.Session, map[string]string{"USERNAME": "carol", "SOFTWARE_TOKEN_MFA_CODE": right})
	wantAPIError(t, err, "NotAuthorizedException", "Password attempts exceeded")
	_, err = p.passwordAuth("carol", "Correct-horse-1")
	wantAPIError(t, err, "NotAuthorizedException", "Password attempts exceeded")
	// Once the lockout ends, the right code works and clears the count.
	p.clock.Advance(2 * time.Second)
	res, err := p.respond(types.ChallengeNameTypeSoftwareTokenMfa, out.Session, map[string]string{"USERNAME": "carol", "SOFTWARE_TOKEN_MFA_CODE": right})
	if err != nil || res.AuthenticationResult == nil {
		t.Fatalf("after the lockout: %+v %v", res, err)
	}
	// Cleared: four more wrong codes do not lock.
	out, _ = p.passwordAuth("carol", "Correct-horse-1")
	for range 4 {
		_, err = p.respond(types.ChallengeNameTypeSoftwareTokenMfa, out.Session, map[string]string{"USERNAME": "carol", "SOFTWARE_TOKEN_MFA_CODE": wrong})
		wantAPIError(t, err, "CodeMismatchException", "")
	}
	p.clock.Advance(30 * time.Second)
	if res, err := p.respond(types.ChallengeNameTypeSoftwareTokenMfa, out.Session, map[string]string{"USERNAME": "carol",
		"SOFTWARE_TOKEN_MFA_CODE": totpAt(t, secret, p.clock.Now())}); err != nil || res.AuthenticationResult == nil {
		t.Fatalf("after four wrong codes: %+v %v", res, err)
	}
}

// OPTIONAL: a user signs in with a password until they turn a factor on
// (SetUserMFAPreference), then needs it; an administrator can turn it
// off again.
func TestMFAOptionalPreference(t *testing.T) {
	p := newMFAPool(t, nil, nil)
	ctx := context.Background()
	p.setMFA(t, &cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOptional, SoftwareTokenMfaConfiguration: totpOn})
	p.addUser(t, "dave", "Correct-horse-1")
	out, err := p.passwordAuth("dave", "Correct-horse-1")
	if err != nil || out.AuthenticationResult == nil {
		t.Fatalf("OPTIONAL, no factor: %+v %v", out, err)
	}
	tok := out.AuthenticationResult.AccessToken
	// A factor cannot be turned on before it exists.
	_, err = p.c.SetUserMFAPreference(ctx, &cip.SetUserMFAPreferenceInput{AccessToken: tok, SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true}})
	wantAPIError(t, err, "InvalidParameterException", "User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA")
	_, err = p.c.SetUserMFAPreference(ctx, &cip.SetUserMFAPreferenceInput{AccessToken: tok, SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true}})
	wantAPIError(t, err, "InvalidParameterException", "User does not have delivery config set to turn on SMS_MFA")
	// dave has an email address, but the pool offers no email MFA.
	_, err = p.c.SetUserMFAPreference(ctx, &cip.SetUserMFAPreferenceInput{AccessToken: tok, EmailMfaSettings: &types.EmailMfaSettingsType{Enabled: true}})
	wantAPIError(t, err, "InvalidParameterException", "EMAIL_OTP is not enabled for this user pool.")
	_, err = p.c.SetUserMFAPreference(ctx, &cip.SetUserMFAPreferenceInput{AccessToken: tok, EmailMfaSettings: &types.EmailMfaSettingsType{PreferredMfa: true},
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{PreferredMfa: true}})
	wantAPIError(t, err, "InvalidParameterException", "Only one MFA factor can be the preferred one.")

	as, err := p.c.AssociateSoftwareToken(ctx, &cip.AssociateSoftwareTokenInput{AccessToken: tok})
	if err != nil || len(aws.ToString(as.SecretCode)) != 32 || as.Session != nil {
		t.Fatalf("AssociateSoftwareToken: %+v %v", as, err)
	}
	v, err := p.c.VerifySoftwareToken(ctx, &cip.VerifySoftwareTokenInput{AccessToken: tok, UserCode: aws.String(totpAt(t, *as.SecretCode, p.clock.Now()))})
	if err != nil || v.Status != types.VerifySoftwareTokenResponseTypeSuccess || v.Session != nil {
		t.Fatalf("VerifySoftwareToken: %+v %v", v, err)
	}
	// Verified but not turned on: still password-only, as in Cognito.
	if out, err := p.passwordAuth("dave", "Correct-horse-1"); err != nil || out.AuthenticationResult == nil {
		t.Fatalf("verified, not on: %+v %v", out, err)
	}
	if _, err := p.c.SetUserMFAPreference(ctx, &cip.SetUserMFAPreferenceInput{AccessToken: tok,
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true}}); err != nil {
		t.Fatal(err)
	}
	out, err = p.passwordAuth("dave", "Correct-horse-1")
	if err != nil || out.ChallengeName != types.ChallengeNameTypeSoftwareTokenMfa || out.AuthenticationResult != nil {
		t.Fatalf("TOTP on: %+v %v", out, err)
	}
	p.clock.Advance(30 * time.Second)
	res, err := p.respond(types.ChallengeNameTypeSoftwareTokenMfa, out.Session, map[string]string{"USERNAME": "dave", "SOFTWARE_TOKEN_MFA_CODE": totpAt(t, *as.SecretCode, p.clock.Now())})
	if err != nil || res.AuthenticationResult == nil {
		t.Fatalf("%+v %v", res, err)
	}
	if _, err := p.c.AdminSetUserMFAPreference(ctx, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(p.poolID), Username: aws.String("dave"),
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: false}}); err != nil {
		t.Fatal(err)
	}
	adm, _ := p.c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(p.poolID), Username: aws.String("dave")})
	if len(adm.UserMFASettingList) != 0 || adm.PreferredMfaSetting != nil {
		t.Fatalf("after turning TOTP off: %+v", adm)
	}
	if out, err := p.passwordAuth("dave", "Correct-horse-1"); err != nil || out.AuthenticationResult == nil {
		t.Fatalf("TOTP off: %+v %v", out, err)
	}
	// MFA OFF: no software tokens at all.
	p.setMFA(t, &cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOff})
	_, err = p.c.AssociateSoftwareToken(ctx, &cip.AssociateSoftwareTokenInput{AccessToken: tok})
	wantAPIError(t, err, "SoftwareTokenMFANotFoundException", "Software Token MFA has not been enabled by the userPool.")
}

// SMS MFA: the code goes through the message sender (the log here), is
// asked for with the masked number, works once; with SMS and TOTP both
// on and none preferred, the user chooses (SELECT_MFA_TYPE).
func TestMFASMSAndSelect(t *testing.T) {
	p := newMFAPool(t, nil, &cip.CreateUserPoolInput{MfaConfiguration: types.UserPoolMfaTypeOn, SmsConfiguration: smsConfig,
		SmsAuthenticationMessage: aws.String("Your sign-in code is {####}")})
	ctx := context.Background()
	p.addUser(t, "erin", "Correct-horse-1")
	if _, err := p.c.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(p.poolID), Username: aws.String("erin"),
		UserAttributes: []types.AttributeType{{Name: aws.String("phone_number"), Value: aws.String("+15555550123")}}}); err != nil {
		t.Fatal(err)
	}
	out, err := p.passwordAuth("erin", "Correct-horse-1")
	if err != nil || out.ChallengeName != types.ChallengeNameTypeSmsMfa || out.AuthenticationResult != nil ||
		out.ChallengeParameters["CODE_DELIVERY_DELIVERY_MEDIUM"] != "SMS" || out.ChallengeParameters["CODE_DELIVERY_DESTINATION"] != "+*******0123" {
		t.Fatalf("SMS_MFA: %+v %v", out, err)
	}
	code, n := lastCode(t, p.ts, "sign-in code", "erin")
	if n != 1 || len(code) != 6 || !regexpMatch(`Your sign-in code is `+code, p.ts.log.String()) {
		t.Fatalf("logged code %q (%d messages)", code, n)
	}
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	_, err = p.respond(types.ChallengeNameTypeSmsMfa, out.Session, map[string]string{"USERNAME": "erin", "SMS_MFA_CODE": wrong})
	wantAPIError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
	res, err := p.respond(types.ChallengeNameTypeSmsMfa, out.Session, map[string]string{"USERNAME": "erin", "SMS_MFA_CODE": code})
	if err != nil || res.AuthenticationResult == nil {
		t.Fatalf("SMS_MFA answer: %+v %v", res, err)
	}
	_, err = p.respond(types.ChallengeNameTypeSmsMfa, out.Session, map[string]string{"USERNAME": "erin", "SMS_MFA_CODE": code})
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")

	// TOTP as well, set up with the access token: now two factors.
	p.setMFA(t, &cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOn, SoftwareTokenMfaConfiguration: totpOn,
		SmsMfaConfiguration: &types.SmsMfaConfigType{SmsConfiguration: smsConfig}})
	tok := res.AuthenticationResult.AccessToken
	as, err := p.c.AssociateSoftwareToken(ctx, &cip.AssociateSoftwareTokenInput{AccessToken: tok})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.c.VerifySoftwareToken(ctx, &cip.VerifySoftwareTokenInput{AccessToken: tok, UserCode: aws.String(totpAt(t, *as.SecretCode, p.clock.Now()))}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.c.SetUserMFAPreference(ctx, &cip.SetUserMFAPreferenceInput{AccessToken: tok, SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true},
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true}}); err != nil {
		t.Fatal(err)
	}
	me, _ := p.c.GetUser(ctx, &cip.GetUserInput{AccessToken: tok})
	if !slices.Equal(me.UserMFASettingList, []string{"SMS_MFA", "SOFTWARE_TOKEN_MFA"}) || me.PreferredMfaSetting != nil ||
		len(me.MFAOptions) != 1 || me.MFAOptions[0].DeliveryMedium != types.DeliveryMediumTypeSms {
		t.Fatalf("GetUser: %+v", me)
	}
	out, err = p.passwordAuth("erin", "Correct-horse-1")
	if err != nil || out.ChallengeName != types.ChallengeNameTypeSelectMfaType || out.ChallengeParameters["MFAS_CAN_CHOOSE"] != `["SOFTWARE_TOKEN_MFA","SMS_MFA"]` {
		t.Fatalf("SELECT_MFA_TYPE: %+v %v", out, err)
	}
	_, err = p.respond(types.ChallengeNameTypeSelectMfaType, out.Session, map[string]string{"USERNAME": "erin", "ANSWER": "EMAIL_OTP"})
	wantAPIError(t, err, "InvalidParameterException", "Invalid value for ANSWER: EMAIL_OTP")
	sel, err := p.respond(types.ChallengeNameTypeSelectMfaType, out.Session, map[string]string{"USERNAME": "erin", "ANSWER": "SOFTWARE_TOKEN_MFA"})
	if err != nil || sel.ChallengeName != types.ChallengeNameTypeSoftwareTokenMfa {
		t.Fatalf("after choosing: %+v %v", sel, err)
	}
	p.clock.Advance(30 * time.Second)
	res, err = p.respond(types.ChallengeNameTypeSoftwareTokenMfa, sel.Session, map[string]string{"USERNAME": "erin", "SOFTWARE_TOKEN_MFA_CODE": totpAt(t, *as.SecretCode, p.clock.Now())})
	if err != nil || res.AuthenticationResult == nil {
		t.Fatalf("%+v %v", res, err)
	}
	// A preference skips the choice.
	if _, err := p.c.SetUserMFAPreference(ctx, &cip.SetUserMFAPreferenceInput{AccessToken: tok, SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true, PreferredMfa: true}}); err != nil {
		t.Fatal(err)
	}
	if out, err := p.passwordAuth("erin", "Correct-horse-1"); err != nil || out.ChallengeName != types.ChallengeNameTypeSmsMfa {
		t.Fatalf("preferring SMS: %+v %v", out, err)
	}
}

// A user with a temporary password chooses a new one first; with MFA ON
// the new password is followed by MFA_SETUP, not by tokens.
func TestMFAAfterNewPasswordRequired(t *testing.T) {
	p := newMFAPool(t, nil, nil)
	p.setMFA(t, &cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOn, SoftwareTokenMfaConfiguration: totpOn})
	p.addTempUser(t, "ivy", "Temp-pass-1")
	out, err := p.passwordAuth("ivy", "Temp-pass-1")
	if err != nil || out.ChallengeName != types.ChallengeNameTypeNewPasswordRequired {
		t.Fatalf("%+v %v", out, err)
	}
	res, err := p.respond(types.ChallengeNameTypeNewPasswordRequired, out.Session, map[string]string{"USERNAME": "ivy", "NEW_PASSWORD": "Brand-new-pass-2"})
	if err != nil || res.ChallengeName != types.ChallengeNameTypeMfaSetup || res.AuthenticationResult != nil {
		t.Fatalf("after the new password: %+v %v, want MFA_SETUP", res, err)
	}
	if _, tok := p.enrolTOTP(t, "ivy", "Brand-new-pass-2"); tok.AccessToken == nil {
		t.Fatal("no tokens after MFA_SETUP")
	}
}

// A code works once even when answers race: the same code sent at once in
// eight sign-ins signs in exactly one of them (the step is re-read and
// stored in one transaction). The others are refused as wrong codes, or,
// once enough of them have counted toward the lockout, by the lockout;
// which of the two each gets depends on the order they land in, so the
// test allows either (TestMFAWrongCodesLockOut requires the lockout).
func TestMFACodeOnceUnderRace(t *testing.T) {
	p := newMFAPool(t, nil, nil)
	p.setMFA(t, &cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOn, SoftwareTokenMfaConfiguration: totpOn})
	p.addUser(t, "jo", "Correct-horse-1")
	secret, _ := p.enrolTOTP(t, "jo", "Correct-horse-1")
	const n = 8
	sessions := make([]*string, n)
	for i := range sessions {
		out, err := p.passwordAuth("jo", "Correct-horse-1")
		if err != nil || out.ChallengeName != types.ChallengeNameTypeSoftwareTokenMfa {
			t.Fatalf("%+v %v", out, err)
		}
		sessions[i] = out.Session
	}
	p.clock.Advance(30 * time.Second)
	code := totpAt(t, secret, p.clock.Now())
	errs := make(chan error, n)
	for _, s := range sessions {
		go func() {
			_, err := p.respond(types.ChallengeNameTypeSoftwareTokenMfa, s, map[string]string{"USERNAME": "jo", "SOFTWARE_TOKEN_MFA_CODE": code})
			errs <- err
		}()
	}
	ok := 0
	for range n {
		if err := <-errs; err == nil {
			ok++
		} else if c, m := apiError(t, err); c != "CodeMismatchException" && m != "Password attempts exceeded" {
			t.Errorf("a losing answer: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d of %d racing answers with one code signed in, want 1", ok, n)
	}
}
