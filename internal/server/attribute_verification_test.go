package server

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/cognito"
)

var attributeCodeLine = regexp.MustCompile(`attribute verification code" .*? to=(\S+) code=(\d{6})`)

// lastAttributeCode is the last attribute verification code the log
// sender "sent", and where to.
func lastAttributeCode(t *testing.T, ts *testServer) (to, code string) {
	t.Helper()
	m := attributeCodeLine.FindAllStringSubmatch(ts.log.String(), -1)
	if len(m) == 0 {
		t.Fatal("no attribute verification code in the log")
	}
	return m[len(m)-1][1], m[len(m)-1][2]
}

func countAttributeCodes(ts *testServer) int {
	return len(attributeCodeLine.FindAllString(ts.log.String(), -1))
}

func verifiedPool(t *testing.T, ts *testServer, beforeUpdate bool) *schemaUserPool {
	return newSchemaUserPool(t, ts, func(in *cip.CreateUserPoolInput) {
		in.AutoVerifiedAttributes = []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}
		if beforeUpdate {
			in.UserAttributeUpdateSettings = &types.UserAttributeUpdateSettingsType{
				AttributesRequireVerificationBeforeUpdate: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}}
		}
	}, nil)
}

func TestUpdateUserAttributesSendsCode(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	ctx := context.Background()
	p := verifiedPool(t, ts, false)
	tok := p.signedIn(t, "ada", attrs("email", "ada@example.com", "email_verified", "true", "phone_number", "+14155550100"))
	out, err := p.c.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: tok.AccessToken,
		UserAttributes: attrs("email", "ada@new.example", "name", "Ada", "phone_number", "+14155550199")})
	if err != nil {
		t.Fatal(err)
	}
	// Only email is verified by this pool: one code, to the new address.
	if len(out.CodeDeliveryDetailsList) != 1 {
		t.Fatalf("CodeDeliveryDetailsList: %+v", out.CodeDeliveryDetailsList)
	}
	d := out.CodeDeliveryDetailsList[0]
	if aws.ToString(d.AttributeName) != "email" || d.DeliveryMedium != types.DeliveryMediumTypeEmail || aws.ToString(d.Destination) != "a***@n***" {
		t.Errorf("delivery: %+v", d)
	}
	to, code := lastAttributeCode(t, ts)
	if to != "ada@new.example" {
		t.Errorf("code sent to %s", to)
	}
	got := p.adminGet(t, "ada")
	for name, want := range map[string]string{"email": "ada@new.example", "email_verified": "false", "name": "Ada", "phone_number": "+14155550199", "phone_number_verified": "false"} {
		if v, _ := userAttr(got, name); v != want {
			t.Errorf("%s = %q, want %q", name, v, want)
		}
	}

	verify := func(name, code string) error {
		_, err := p.c.VerifyUserAttribute(ctx, &cip.VerifyUserAttributeInput{AccessToken: tok.AccessToken, AttributeName: aws.String(name), Code: aws.String(code)})
		return err
	}
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	wantAPIError(t, verify("email", wrong), "CodeMismatchException", "Invalid verification code provided, please try again.")
	wantAPIError(t, verify("phone_number", code), "CodeMismatchException", "Invalid verification code provided, please try again.")
	wantAPIError(t, verify("name", code), "InvalidParameterException", "Invalid attribute name. Only phone_number and email can be verified.")
	if err := verify("email", code); err != nil {
		t.Fatal(err)
	}
	if v, _ := userAttr(p.adminGet(t, "ada"), "email_verified"); v != "true" {
		t.Errorf("email_verified after verification: %q", v)
	}
	// A code is good once.
	wantAPIError(t, verify("email", code), "CodeMismatchException", "Invalid verification code provided, please try again.")

	// A new code can be asked for, for email or phone number only.
	gc, err := p.c.GetUserAttributeVerificationCode(ctx, &cip.GetUserAttributeVerificationCodeInput{AccessToken: tok.AccessToken, AttributeName: aws.String("phone_number")})
	if err != nil {
		t.Fatal(err)
	}
	if gc.CodeDeliveryDetails == nil || gc.CodeDeliveryDetails.DeliveryMedium != types.DeliveryMediumTypeSms || aws.ToString(gc.CodeDeliveryDetails.AttributeName) != "phone_number" {
		t.Errorf("GetUserAttributeVerificationCode: %+v", gc.CodeDeliveryDetails)
	}
	to, code = lastAttributeCode(t, ts)
	if to != "+14155550199" {
		t.Errorf("phone code sent to %s", to)
	}
	if err := verify("phone_number", code); err != nil {
		t.Fatal(err)
	}
	if v, _ := userAttr(p.adminGet(t, "ada"), "phone_number_verified"); v != "true" {
		t.Errorf("phone_number_verified: %q", v)
	}
	_, err = p.c.GetUserAttributeVerificationCode(ctx, &cip.GetUserAttributeVerificationCodeInput{AccessToken: tok.AccessToken, AttributeName: aws.String("custom:tier")})
	wantAPIError(t, err, "InvalidParameterException", "Invalid attribute name. Only phone_number and email can be verified.")

	// The self-service operations need a valid access token.
	_, err = p.c.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: aws.String("not.a.token"), UserAttributes: attrs("name", "x")})
	wantAPIError(t, err, "NotAuthorizedException", "Invalid Access Token")
	if _, err := p.c.GlobalSignOut(ctx, &cip.GlobalSignOutInput{AccessToken: tok.AccessToken}); err != nil {
		t.Fatal(err)
	}
	wantAPIError(t, verify("email", "123456"), "NotAuthorizedException", "Access Token has been revoked")
}

func TestAttributesRequireVerificationBeforeUpdate(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	ctx := context.Background()
	// The setting applies only to attributes the pool verifies.
	_, err := ts.client("us-east-1").CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("x"),
		UserAttributeUpdateSettings: &types.UserAttributeUpdateSettingsType{
			AttributesRequireVerificationBeforeUpdate: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}}})
	wantAPIError(t, err, "InvalidParameterException", "All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes")
	p := verifiedPool(t, ts, true)
	tok := p.signedIn(t, "bo", attrs("email", "bo@example.com", "email_verified", "true"))
	// UpdateUserPool replaces the settings: leaving AutoVerifiedAttributes
	// out is refused too.
	_, err = p.c.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: aws.String(p.poolID),
		UserAttributeUpdateSettings: &types.UserAttributeUpdateSettingsType{
			AttributesRequireVerificationBeforeUpdate: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}}})
	wantAPIError(t, err, "InvalidParameterException", "All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes")
	out, err := p.c.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: tok.AccessToken, UserAttributes: attrs("email", "bo@new.example")})
	if err != nil || len(out.CodeDeliveryDetailsList) != 1 {
		t.Fatalf("update: %+v %v", out, err)
	}
	to, code := lastAttributeCode(t, ts)
	if to != "bo@new.example" {
		t.Errorf("code sent to %s, want the new address", to)
	}
	// The old, verified address stays until the new one is verified.
	got := p.adminGet(t, "bo")
	if v, _ := userAttr(got, "email"); v != "bo@example.com" {
		t.Errorf("email before verification: %q", v)
	}
	if v, _ := userAttr(got, "email_verified"); v != "true" {
		t.Errorf("email_verified before verification: %q", v)
	}
	// A code asked for again goes to the pending address too.
	if _, err := p.c.GetUserAttributeVerificationCode(ctx, &cip.GetUserAttributeVerificationCodeInput{AccessToken: tok.AccessToken, AttributeName: aws.String("email")}); err != nil {
		t.Fatal(err)
	}
	to, newCode := lastAttributeCode(t, ts)
	if to != "bo@new.example" {
		t.Errorf("second code sent to %s", to)
	}
	// The first code was replaced.
	if newCode != code {
		_, err = p.c.VerifyUserAttribute(ctx, &cip.VerifyUserAttributeInput{AccessToken: tok.AccessToken, AttributeName: aws.String("email"), Code: aws.String(code)})
		wantAPIError(t, err, "CodeMismatchException", "Invalid verification code provided, please try again.")
	}
	if _, err := p.c.VerifyUserAttribute(ctx, &cip.VerifyUserAttributeInput{AccessToken: tok.AccessToken, AttributeName: aws.String("email"), Code: aws.String(newCode)}); err != nil {
		t.Fatal(err)
	}
	got = p.adminGet(t, "bo")
	if v, _ := userAttr(got, "email"); v != "bo@new.example" {
		t.Errorf("email after verification: %q", v)
	}
	if v, _ := userAttr(got, "email_verified"); v != "true" {
		t.Errorf("email_verified after verification: %q", v)
	}

	// An administrator's change voids a pending one: its code no longer
	// brings the pending address in.
	if _, err := p.c.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: tok.AccessToken, UserAttributes: attrs("email", "bo@third.example")}); err != nil {
		t.Fatal(err)
	}
	_, code = lastAttributeCode(t, ts)
	if err := p.adminUpdate("bo", attrs("email", "bo@admin.example", "email_verified", "true")); err != nil {
		t.Fatal(err)
	}
	_, err = p.c.VerifyUserAttribute(ctx, &cip.VerifyUserAttributeInput{AccessToken: tok.AccessToken, AttributeName: aws.String("email"), Code: aws.String(code)})
	wantAPIError(t, err, "CodeMismatchException", "Invalid verification code provided, please try again.")
	if v, _ := userAttr(p.adminGet(t, "bo"), "email"); v != "bo@admin.example" {
		t.Errorf("email after the voided code: %q", v)
	}
}

func TestVerifyUserAttributeAttemptsAndExpiry(t *testing.T) {
	clock := &testClock{}
	ts := newMessagingServer(t, nil, clock)
	ctx := context.Background()
	p := verifiedPool(t, ts, false)
	tok := p.signedIn(t, "cy", attrs("email", "cy@example.com"))
	send := func() string {
		if _, err := p.c.GetUserAttributeVerificationCode(ctx, &cip.GetUserAttributeVerificationCodeInput{AccessToken: tok.AccessToken, AttributeName: aws.String("email")}); err != nil {
			t.Fatal(err)
		}
		_, code := lastAttributeCode(t, ts)
		return code
	}
	verify := func(code string) error {
		_, err := p.c.VerifyUserAttribute(ctx, &cip.VerifyUserAttributeInput{AccessToken: tok.AccessToken, AttributeName: aws.String("email"), Code: aws.String(code)})
		return err
	}
	code := send()
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	// Five wrong codes lock verification, even for the right code and a
	// new one.
	for range 5 {
		wantAPIError(t, verify(wrong), "CodeMismatchException", "Invalid verification code provided, please try again.")
	}
	wantAPIError(t, verify(code), "LimitExceededException", "Attempt limit exceeded, please try after some time.")
	fresh := send()
	wantAPIError(t, verify(fresh), "LimitExceededException", "Attempt limit exceeded, please try after some time.")
	clock.Advance(16 * time.Minute)
	if err := verify(fresh); err != nil {
		t.Fatalf("after the lockout: %v", err)
	}

	// A code expires after 24 hours.
	code = send()
	clock.Advance(25 * time.Hour)
	wantAPIError(t, verify(code), "ExpiredCodeException", "Invalid code provided, please request a code again.")
	if err := verify(send()); err != nil {
		t.Fatal(err)
	}
	if n := countAttributeCodes(ts); n != 4 {
		t.Errorf("%d codes sent, want 4", n)
	}

	// Ten codes an hour, for one attribute: a new address does not reset
	// the count. One was sent this hour.
	for range 9 {
		send()
	}
	_, err := p.c.GetUserAttributeVerificationCode(ctx, &cip.GetUserAttributeVerificationCodeInput{AccessToken: tok.AccessToken, AttributeName: aws.String("email")})
	wantAPIError(t, err, "LimitExceededException", "Attempt limit exceeded, please try after some time.")
	_, err = p.c.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: tok.AccessToken, UserAttributes: attrs("email", "victim@example.org")})
	wantAPIError(t, err, "LimitExceededException", "Attempt limit exceeded, please try after some time.")
	if v, _ := userAttr(p.adminGet(t, "cy"), "email"); v != "cy@example.com" {
		t.Errorf("a refused update changed the email to %q", v)
	}
	if n := countAttributeCodes(ts); n != 13 {
		t.Errorf("%d codes sent, want 13", n)
	}
	clock.Advance(61 * time.Minute)
	if err := verify(send()); err != nil {
		t.Fatal(err)
	}
}

func TestDeleteUserAttributes(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	ctx := context.Background()
	p := newSchemaUserPool(t, ts, nil, func(in *cip.CreateUserPoolClientInput) {
		in.WriteAttributes = []string{"email", "name", "custom:tier", "custom:joined", "phone_number"}
	})
	tok := p.signedIn(t, "dee", attrs("email", "dee@example.com", "name", "Dee", "custom:tier", "gold", "custom:age", "30",
		"custom:joined", "2024-05-01T10:00:00Z", "phone_number", "+14155550100", "phone_number_verified", "true", "dev:custom:secret", "s"))
	del := func(names ...string) error {
		_, err := p.c.DeleteUserAttributes(ctx, &cip.DeleteUserAttributesInput{AccessToken: tok.AccessToken, UserAttributeNames: names})
		return err
	}
	wantAPIError(t, del("email"), "InvalidParameterException", "Invalid user attributes: email: Required attribute cannot be deleted.")
	wantAPIError(t, del("custom:joined"), "InvalidParameterException", "Invalid user attributes: custom:joined: Attribute cannot be deleted.")
	wantAPIError(t, del("custom:age"), "NotAuthorizedException", "A client attempted to write unauthorized attribute")
	wantAPIError(t, del("dev:custom:secret"), "NotAuthorizedException", "A client attempted to write unauthorized attribute")
	if err := del("name", "custom:tier", "phone_number"); err != nil {
		t.Fatal(err)
	}
	got := p.adminGet(t, "dee")
	for _, gone := range []string{"name", "custom:tier", "phone_number", "phone_number_verified"} {
		if _, ok := userAttr(got, gone); ok {
			t.Errorf("%s still set", gone)
		}
	}
	if v, _ := userAttr(got, "custom:age"); v != "30" {
		t.Errorf("custom:age: %q", v)
	}

	adminDel := func(user string, names ...string) error {
		_, err := p.c.AdminDeleteUserAttributes(ctx, &cip.AdminDeleteUserAttributesInput{UserPoolId: aws.String(p.poolID), Username: aws.String(user), UserAttributeNames: names})
		return err
	}
	wantAPIError(t, adminDel("dee", "custom:nope", "email"), "InvalidParameterException",
		"Invalid user attributes: custom:nope: Attribute does not exist in the schema.\nemail: Required attribute cannot be deleted.")
	wantAPIError(t, adminDel("dee", "sub"), "InvalidParameterException", "Invalid user attributes: sub: Required attribute cannot be deleted.")
	wantAPIError(t, adminDel("nobody", "name"), "UserNotFoundException", "User does not exist.")
	if err := adminDel("dee", "dev:custom:secret", "custom:age"); err != nil {
		t.Fatal(err)
	}
	got = p.adminGet(t, "dee")
	if _, ok := userAttr(got, "dev:custom:secret"); ok {
		t.Error("dev:custom:secret still set")
	}
	// The next tokens no longer carry them.
	if _, ok := jwtClaims(t, aws.ToString(tok.IdToken))["custom:age"]; !ok {
		t.Fatal("the first ID token lacks custom:age")
	}
	out, err := p.c.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(p.clientID),
		AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(tok.RefreshToken)}})
	if err != nil {
		t.Fatal(err)
	}
	u, err := p.c.GetUser(ctx, &cip.GetUserInput{AccessToken: out.AuthenticationResult.AccessToken})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := userAttr(u.UserAttributes, "custom:age"); ok {
		t.Error("GetUser still shows custom:age")
	}
	if v, ok := jwtClaims(t, aws.ToString(out.AuthenticationResult.IdToken))["custom:age"]; ok {
		t.Errorf("the refreshed ID token still carries custom:age %v", v)
	}
}
