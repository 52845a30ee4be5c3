package server

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/cognito"
)

func recovery(mechanisms ...string) *types.AccountRecoverySettingType {
	s := &types.AccountRecoverySettingType{}
	for i, m := range mechanisms {
		s.RecoveryMechanisms = append(s.RecoveryMechanisms, types.RecoveryOptionType{Name: types.RecoveryOptionNameType(m), Priority: aws.Int32(int32(i + 1))})
	}
	return s
}

func (p *recoveryPool) forgot(clientID, name string) (*cip.ForgotPasswordOutput, error) {
	return p.c.ForgotPassword(context.Background(), &cip.ForgotPasswordInput{ClientId: aws.String(clientID), Username: aws.String(name)})
}

func (p *recoveryPool) confirmForgot(clientID, name, code, password string) error {
	_, err := p.c.ConfirmForgotPassword(context.Background(), &cip.ConfirmForgotPasswordInput{ClientId: aws.String(clientID),
		Username: aws.String(name), ConfirmationCode: aws.String(code), Password: aws.String(password)})
	return err
}

func wantDelivery(t *testing.T, d *types.CodeDeliveryDetailsType, dest string, medium types.DeliveryMediumType, attr string) {
	t.Helper()
	if d == nil || aws.ToString(d.Destination) != dest || d.DeliveryMedium != medium || aws.ToString(d.AttributeName) != attr {
		t.Fatalf("CodeDeliveryDetails = %+v, want %s %s %s", d, dest, medium, attr)
	}
}

// TestForgotPassword: the whole flow, with each refusal on the way: the
// code is single-use, wrong codes and weak passwords are refused with
// Cognito's texts, the old password stops working, and refresh tokens
// issued before stay valid (Cognito keeps them).
func TestForgotPassword(t *testing.T) {
	ts := newMessagingServer(t, nil, nil)
	p := newRecoveryPool(t, ts, &cip.CreateUserPoolInput{AccountRecoverySetting: recovery("verified_email")})
	p.confirmedUser(t, "alice", "Alice-pass-1", "email", "alice@example.com", "email_verified", "true")
	before, err := p.signIn(p.clientID, "alice", "Alice-pass-1", nil)
	if err != nil {
		t.Fatal(err)
	}

	out, err := p.forgot(p.clientID, "alice")
	if err != nil {
		t.Fatal(err)
	}
	wantDelivery(t, out.CodeDeliveryDetails, "a***@e***", types.DeliveryMediumTypeEmail, "email")
	code, _ := lastCode(t, ts, cognito.DeliverForgotPasswordCode, "alice")

	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	wantAPIError(t, p.confirmForgot(p.clientID, "alice", wrong, "Alice-new-22"), "CodeMismatchException", "Invalid verification code provided, please try again.")
	wantAPIError(t, p.confirmForgot(p.clientID, "alice", code, "short"), "InvalidPasswordException", "Password does not conform to policy: Password not long enough")
	wantAPIError(t, p.confirmForgot(p.clientID, "nobody", code, "Alice-new-22"), "UserNotFoundException", "User does not exist.")
	if err := p.confirmForgot(p.clientID, "alice", code, "Alice-new-22"); err != nil {
		t.Fatal(err)
	}
	wantAPIError(t, p.confirmForgot(p.clientID, "alice", code, "Alice-new-33"), "ExpiredCodeException", "Invalid code provided, please request a code again.")

	_, err = p.signIn(p.clientID, "alice", "Alice-pass-1", nil)
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	if _, err := p.signIn(p.clientID, "alice", "Alice-new-22", nil); err != nil {
		t.Fatalf("sign-in with the new password: %v", err)
	}
	if _, err := p.c.InitiateAuth(context.Background(), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(p.clientID),
		AuthParameters: map[string]string{"REFRESH_TOKEN": *before.AuthenticationResult.RefreshToken}}); err != nil {
		t.Errorf("a refresh token from before the reset: %v (Cognito keeps it)", err)
	}
	// A code never sent cannot be redeemed.
	p.confirmedUser(t, "bert", "Bert-pass-12", "email", "bert@example.com", "email_verified", "true")
	wantAPIError(t, p.confirmForgot(p.clientID, "bert", code, "Bert-new-22"), "ExpiredCodeException", "Invalid code provided, please request a code again.")
}

// TestForgotPasswordRecoverySetting: AccountRecoverySetting chooses the
// verified attribute by priority; the masked destinations are Cognito's.
func TestForgotPasswordRecoverySetting(t *testing.T) {
	ts := newMessagingServer(t, nil, nil)
	attrs := []string{"email", "carol@example.com", "email_verified", "true", "phone_number", "+15555551234", "phone_number_verified", "true"}
	for _, tc := range []struct {
		mechanisms         []string
		dest, attr, medium string
	}{
		{[]string{"verified_phone_number", "verified_email"}, "+*******1234", "phone_number", "SMS"},
		{[]string{"verified_email", "verified_phone_number"}, "c***@e***", "email", "EMAIL"},
		{nil, "+*******1234", "phone_number", "SMS"}, // no setting: Cognito's legacy order, phone first
	} {
		p := newRecoveryPool(t, ts, &cip.CreateUserPoolInput{AccountRecoverySetting: recovery(tc.mechanisms...)})
		p.confirmedUser(t, "carol", "Carol-pass-1", attrs...)
		out, err := p.forgot(p.clientID, "carol")
		if err != nil {
			t.Fatal(err)
		}
		wantDelivery(t, out.CodeDeliveryDetails, tc.dest, types.DeliveryMediumType(tc.medium), tc.attr)
	}
	// The phone number comes second but is the only verified one.
	p := newRecoveryPool(t, ts, &cip.CreateUserPoolInput{AccountRecoverySetting: recovery("verified_email", "verified_phone_number")})
	p.confirmedUser(t, "dave", "Dave-pass-12", "email", "dave@example.com", "phone_number", "+447700900123", "phone_number_verified", "true")
	out, err := p.forgot(p.clientID, "dave")
	if err != nil {
		t.Fatal(err)
	}
	wantDelivery(t, out.CodeDeliveryDetails, "+********0123", types.DeliveryMediumTypeSms, "phone_number")
	if _, n := lastCode(t, ts, cognito.DeliverForgotPasswordCode, "dave"); n != 1 {
		t.Errorf("%d messages for dave", n)
	}
	if !strings.Contains(ts.log.String(), "medium=SMS to=+447700900123") {
		t.Errorf("the code did not go to dave's phone:\n%s", ts.log.String())
	}

	admin := newRecoveryPool(t, ts, &cip.CreateUserPoolInput{AccountRecoverySetting: recovery("admin_only")})
	admin.confirmedUser(t, "erin", "Erin-pass-12", "email", "erin@example.com", "email_verified", "true")
	_, err = admin.forgot(admin.clientID, "erin")
	wantAPIError(t, err, "NotAuthorizedException", "Contact administrator to reset password.")
}

// TestForgotPasswordRefusals: each user Cognito will not send a code to,
// and what a client that prevents user-existence errors sees instead.
func TestForgotPasswordRefusals(t *testing.T) {
	ts := newMessagingServer(t, nil, nil)
	p := newRecoveryPool(t, ts, &cip.CreateUserPoolInput{AccountRecoverySetting: recovery("verified_email")})
	ctx := context.Background()
	p.confirmedUser(t, "unverified", "Some-pass-12", "email", "u@example.com")
	p.confirmedUser(t, "disabled", "Some-pass-12", "email", "d@example.com", "email_verified", "true")
	if _, err := p.c.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: aws.String(p.poolID), Username: aws.String("disabled")}); err != nil {
		t.Fatal(err)
	}
	p.createUser(t, "invited", "Temp-pass-1") // FORCE_CHANGE_PASSWORD, email verified

	_, err := p.forgot(p.clientID, "unverified")
	wantAPIError(t, err, "InvalidParameterException", "Cannot reset password for the user as there is no registered/verified email or phone_number")
	_, err = p.forgot(p.clientID, "disabled")
	wantAPIError(t, err, "NotAuthorizedException", "User is disabled.")
	_, err = p.forgot(p.clientID, "invited")
	wantAPIError(t, err, "NotAuthorizedException", "User password cannot be reset in the current state.")
	_, err = p.forgot(p.clientID, "nobody")
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
	_, err = p.forgot("nosuchclient", "nobody")
	wantAPIError(t, err, "ResourceNotFoundException", "User pool client nosuchclient does not exist.")
	_, err = p.forgot(p.secretID, "unverified")
	wantAPIError(t, err, "NotAuthorizedException", "Client "+p.secretID+" is configured with secret but SECRET_HASH was not received")
	_, err = p.c.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: aws.String(p.secretID), Username: aws.String("unverified"), SecretHash: aws.String(secretHash("wrong", "unverified", p.secretID))})
	wantAPIError(t, err, "NotAuthorizedException", "Unable to verify secret hash for client "+p.secretID)
	_, err = p.c.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: aws.String(p.secretID), Username: aws.String("unverified"), SecretHash: aws.String(secretHash(p.secret, "unverified", p.secretID))})
	wantAPIError(t, err, "InvalidParameterException", "Cannot reset password for the user as there is no registered/verified email or phone_number")
	if strings.Contains(ts.log.String(), "password reset code") {
		t.Fatalf("a code was sent to a refused user:\n%s", ts.log.String())
	}

	// With PreventUserExistenceErrors, unknown names and users with
	// nowhere to send a code get an answer like a real user's, the same
	// each time; nothing is sent.
	first, err := p.forgot(p.preventID, "nobody")
	if err != nil {
		t.Fatal(err)
	}
	again, err := p.forgot(p.preventID, "nobody")
	if err != nil {
		t.Fatal(err)
	}
	d := first.CodeDeliveryDetails
	if d == nil || d.DeliveryMedium != types.DeliveryMediumTypeEmail || aws.ToString(d.AttributeName) != "email" ||
		!regexpMatch(`^[a-z]\*\*\*@[a-z]\*\*\*$`, aws.ToString(d.Destination)) || aws.ToString(again.CodeDeliveryDetails.Destination) != aws.ToString(d.Destination) {
		t.Errorf("phantom details %+v then %+v", d, again.CodeDeliveryDetails)
	}
	if out, err := p.forgot(p.preventID, "ghost@example.com"); err != nil || aws.ToString(out.CodeDeliveryDetails.Destination) != "g***@e***" {
		t.Errorf("phantom for an address: %+v %v", out, err)
	}
	if _, err := p.forgot(p.preventID, "unverified"); err != nil {
		t.Errorf("no verified address, existence errors prevented: %v", err)
	}
	if strings.Contains(ts.log.String(), "password reset code") {
		t.Fatalf("a phantom answer sent a message:\n%s", ts.log.String())
	}
	wantAPIError(t, p.confirmForgot(p.preventID, "nobody", "123456", "Some-new-pass-1"), "CodeMismatchException", "Invalid verification code provided, please try again.")
}

// TestForgotPasswordLimits: five wrong guesses spend the code; codes
// expire after an hour; one user can be sent five codes an hour.
func TestForgotPasswordLimits(t *testing.T) {
	clock := &testClock{}
	ts := newMessagingServer(t, nil, clock)
	p := newRecoveryPool(t, ts, &cip.CreateUserPoolInput{AccountRecoverySetting: recovery("verified_email")})
	p.confirmedUser(t, "frank", "Frank-pass-1", "email", "frank@example.com", "email_verified", "true")
	if _, err := p.forgot(p.clientID, "frank"); err != nil {
		t.Fatal(err)
	}
	code, _ := lastCode(t, ts, cognito.DeliverForgotPasswordCode, "frank")
	wrong := "000000"
	if code == wrong {
		wrong = "999999"
	}
	for range 5 {
		wantAPIError(t, p.confirmForgot(p.clientID, "frank", wrong, "Frank-new-22"), "CodeMismatchException", "Invalid verification code provided, please try again.")
	}
	wantAPIError(t, p.confirmForgot(p.clientID, "frank", code, "Frank-new-22"), "LimitExceededException", "Attempt limit exceeded, please try after some time.")

	// A new code works, until its hour is over.
	if _, err := p.forgot(p.clientID, "frank"); err != nil {
		t.Fatal(err)
	}
	code, _ = lastCode(t, ts, cognito.DeliverForgotPasswordCode, "frank")
	clock.Advance(61 * time.Minute)
	wantAPIError(t, p.confirmForgot(p.clientID, "frank", code, "Frank-new-22"), "ExpiredCodeException", "Invalid code provided, please request a code again.")

	// The window has passed too: five codes, then a refusal.
	for i := range 5 {
		if _, err := p.forgot(p.clientID, "frank"); err != nil {
			t.Fatalf("code %d: %v", i+1, err)
		}
	}
	_, err := p.forgot(p.clientID, "frank")
	wantAPIError(t, err, "LimitExceededException", "Attempt limit exceeded, please try after some time.")
	code, n := lastCode(t, ts, cognito.DeliverForgotPasswordCode, "frank")
	if n != 7 {
		t.Errorf("%d codes sent, want 7", n)
	}
	// The last code sent is the one that counts.
	if err := p.confirmForgot(p.clientID, "frank", code, "Frank-new-22"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(61 * time.Minute)
	if _, err := p.forgot(p.clientID, "frank"); err != nil {
		t.Errorf("after the window: %v", err)
	}
}

// TestAdminResetUserPassword: the user must reset (RESET_REQUIRED,
// PasswordResetRequiredException at sign-in) with the code sent, which
// confirms them again.
func TestAdminResetUserPassword(t *testing.T) {
	ts := newMessagingServer(t, nil, nil)
	p := newRecoveryPool(t, ts, &cip.CreateUserPoolInput{AccountRecoverySetting: recovery("verified_email")})
	ctx := context.Background()
	reset := func(name string) error {
		_, err := p.c.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: aws.String(p.poolID), Username: aws.String(name)})
		return err
	}
	p.confirmedUser(t, "gina", "Gina-pass-12", "email", "gina@example.com", "email_verified", "true")
	if err := reset("gina"); err != nil {
		t.Fatal(err)
	}
	if s := p.status(t, "gina"); s != types.UserStatusTypeResetRequired {
		t.Fatalf("status %s", s)
	}
	_, err := p.signIn(p.clientID, "gina", "Gina-pass-12", nil)
	wantAPIError(t, err, "PasswordResetRequiredException", "Password reset required for the user")
	_, err = p.signIn(p.clientID, "gina", "Wrong-pass-12", nil)
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	code, _ := lastCode(t, ts, cognito.DeliverForgotPasswordCode, "gina")
	if err := p.confirmForgot(p.clientID, "gina", code, "Gina-new-pass-1"); err != nil {
		t.Fatal(err)
	}
	if s := p.status(t, "gina"); s != types.UserStatusTypeConfirmed {
		t.Errorf("status after the reset %s", s)
	}
	if _, err := p.signIn(p.clientID, "gina", "Gina-new-pass-1", nil); err != nil {
		t.Fatal(err)
	}

	p.createUser(t, "henry", "Temp-pass-1")
	wantAPIError(t, reset("henry"), "NotAuthorizedException", "User password cannot be reset in the current state.")
	p.confirmedUser(t, "ivan", "Ivan-pass-12", "email", "ivan@example.com")
	wantAPIError(t, reset("ivan"), "InvalidParameterException", "Cannot reset password for the user as there is no registered/verified email or phone_number")
	wantAPIError(t, reset("nobody"), "UserNotFoundException", "User does not exist.")
	_, err = p.c.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: aws.String("us-east-1_nopool"), Username: aws.String("gina")})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool us-east-1_nopool does not exist.")
}

// TestChangePassword: the previous password is checked and wrong ones
// count towards a lockout; the policy applies to the new one.
func TestChangePassword(t *testing.T) {
	ts := newMessagingServer(t, nil, nil)
	p := newRecoveryPool(t, ts, nil)
	ctx := context.Background()
	p.confirmedUser(t, "jane", "Jane-pass-12", "email", "jane@example.com")
	res, err := p.signIn(p.clientID, "jane", "Jane-pass-12", nil)
	if err != nil {
		t.Fatal(err)
	}
	token := res.AuthenticationResult.AccessToken
	change := func(token *string, prev, next string) error {
		_, err := p.c.ChangePassword(ctx, &cip.ChangePasswordInput{AccessToken: token, PreviousPassword: aws.String(prev), ProposedPassword: aws.String(next)})
		return err
	}
	wantAPIError(t, change(token, "Jane-pass-12", "weak"), "InvalidPasswordException", "Password does not conform to policy: Password not long enough")
	wantAPIError(t, change(aws.String("not-a-token"), "Jane-pass-12", "Jane-new-pass-1"), "NotAuthorizedException", "Invalid Access Token")
	for range 5 {
		wantAPIError(t, change(token, "Wrong-pass-12", "Jane-new-pass-1"), "NotAuthorizedException", "Incorrect username or password.")
	}
	wantAPIError(t, change(token, "Jane-pass-12", "Jane-new-pass-1"), "LimitExceededException", "Attempt limit exceeded, please try after some time.")
	_, err = p.signIn(p.clientID, "jane", "Jane-pass-12", nil)
	wantAPIError(t, err, "NotAuthorizedException", "Password attempts exceeded") // the same lockout as sign-in
	time.Sleep(1100 * time.Millisecond)                                          // the first lockout is one second
	if err := change(token, "Jane-pass-12", "Jane-new-pass-1"); err != nil {
		t.Fatal(err)
	}
	_, err = p.signIn(p.clientID, "jane", "Jane-pass-12", nil)
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	if _, err := p.signIn(p.clientID, "jane", "Jane-new-pass-1", nil); err != nil {
		t.Fatal(err)
	}
	// The access token stays good, as in Cognito.
	if _, err := p.c.GetUser(ctx, &cip.GetUserInput{AccessToken: token}); err != nil {
		t.Errorf("GetUser after ChangePassword: %v", err)
	}
}

// TestResendConfirmationCode: a new code replaces the old, to the
// attribute the pool verifies; confirmed users and pools that verify
// nothing get Cognito's answers.
func TestResendConfirmationCode(t *testing.T) {
	ts := newMessagingServer(t, nil, nil)
	p := newRecoveryPool(t, ts, &cip.CreateUserPoolInput{AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}})
	ctx := context.Background()
	signUp := func(p *recoveryPool, name string, attrs ...types.AttributeType) *cip.SignUpOutput {
		out, err := p.c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(p.clientID), Username: aws.String(name), Password: aws.String("Some-pass-12"), UserAttributes: attrs})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	resend := func(p *recoveryPool, client, name string) (*cip.ResendConfirmationCodeOutput, error) {
		return p.c.ResendConfirmationCode(ctx, &cip.ResendConfirmationCodeInput{ClientId: aws.String(client), Username: aws.String(name)})
	}
	email := func(v string) types.AttributeType {
		return types.AttributeType{Name: aws.String("email"), Value: aws.String(v)}
	}
	wantDelivery(t, signUp(p, "kate", email("kate@example.com")).CodeDeliveryDetails, "k***@e***", types.DeliveryMediumTypeEmail, "email")
	first, _ := lastCode(t, ts, cognito.DeliverSignUpCode, "kate")
	out, err := resend(p, p.clientID, "kate")
	if err != nil {
		t.Fatal(err)
	}
	wantDelivery(t, out.CodeDeliveryDetails, "k***@e***", types.DeliveryMediumTypeEmail, "email")
	second, n := lastCode(t, ts, cognito.DeliverSignUpCode, "kate")
	if n != 2 {
		t.Fatalf("%d sign-up codes", n)
	}
	if first != second {
		_, err = p.c.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: aws.String(p.clientID), Username: aws.String("kate"), ConfirmationCode: aws.String(first)})
		wantAPIError(t, err, "CodeMismatchException", "Invalid verification code provided, please try again.")
	}
	if _, err := p.c.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: aws.String(p.clientID), Username: aws.String("kate"), ConfirmationCode: aws.String(second)}); err != nil {
		t.Fatal(err)
	}
	_, err = resend(p, p.clientID, "kate")
	wantAPIError(t, err, "InvalidParameterException", "User is already confirmed.")
	_, err = resend(p, p.clientID, "nobody")
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
	if out, err := resend(p, p.preventID, "nobody"); err != nil || out.CodeDeliveryDetails == nil || out.CodeDeliveryDetails.DeliveryMedium != types.DeliveryMediumTypeEmail {
		t.Errorf("unknown user, existence errors prevented: %+v %v", out, err)
	}
	_, err = resend(p, p.secretID, "kate")
	wantAPIError(t, err, "NotAuthorizedException", "Client "+p.secretID+" is configured with secret but SECRET_HASH was not received")

	// Five resends an hour.
	signUp(p, "liam", email("liam@example.com"))
	for range 5 {
		if _, err := resend(p, p.clientID, "liam"); err != nil {
			t.Fatal(err)
		}
	}
	_, err = resend(p, p.clientID, "liam")
	wantAPIError(t, err, "LimitExceededException", "Attempt limit exceeded, please try after some time.")

	// A pool that verifies nothing sends nothing.
	quiet := newRecoveryPool(t, ts, nil)
	if out := signUp(quiet, "mona", email("mona@example.com")); out.CodeDeliveryDetails != nil || out.UserConfirmed {
		t.Errorf("SignUp in a pool that verifies nothing: %+v", out)
	}
	_, err = resend(quiet, quiet.clientID, "mona")
	wantAPIError(t, err, "InvalidParameterException", "Auto verification not turned on.")
	if strings.Contains(ts.log.String(), "username=mona") {
		t.Errorf("a message went to mona:\n%s", ts.log.String())
	}
}

// TestSignUpCodeDelivery: the code goes to the attribute the pool
// verifies, the phone number first when it verifies both; none when the
// user lacks it.
func TestSignUpCodeDelivery(t *testing.T) {
	ts := newMessagingServer(t, nil, nil)
	ctx := context.Background()
	both := newRecoveryPool(t, ts, &cip.CreateUserPoolInput{AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail, types.VerifiedAttributeTypePhoneNumber}})
	attrs := []types.AttributeType{{Name: aws.String("email"), Value: aws.String("nina@example.com")}, {Name: aws.String("phone_number"), Value: aws.String("+15555550199")}}
	out, err := both.c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(both.clientID), Username: aws.String("nina"), Password: aws.String("Nina-pass-12"), UserAttributes: attrs})
	if err != nil {
		t.Fatal(err)
	}
	wantDelivery(t, out.CodeDeliveryDetails, "+*******0199", types.DeliveryMediumTypeSms, "phone_number")
	emailOnly := newRecoveryPool(t, ts, &cip.CreateUserPoolInput{AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}})
	out, err = emailOnly.c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(emailOnly.clientID), Username: aws.String("omar"), Password: aws.String("Omar-pass-12"),
		UserAttributes: []types.AttributeType{{Name: aws.String("phone_number"), Value: aws.String("+15555550100")}}})
	if err != nil || out.CodeDeliveryDetails != nil {
		t.Errorf("no verified attribute to send to: %+v %v", out, err)
	}
}

// TestDeleteUser: the signed-in user deletes themselves.
func TestDeleteUser(t *testing.T) {
	ts := newMessagingServer(t, nil, nil)
	p := newRecoveryPool(t, ts, nil)
	ctx := context.Background()
	p.confirmedUser(t, "paul", "Paul-pass-12")
	res, err := p.signIn(p.clientID, "paul", "Paul-pass-12", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.c.DeleteUser(ctx, &cip.DeleteUserInput{AccessToken: aws.String("garbage")})
	wantAPIError(t, err, "NotAuthorizedException", "Invalid Access Token")
	if _, err := p.c.DeleteUser(ctx, &cip.DeleteUserInput{AccessToken: res.AuthenticationResult.AccessToken}); err != nil {
		t.Fatal(err)
	}
	_, err = p.c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(p.poolID), Username: aws.String("paul")})
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
	_, err = p.c.DeleteUser(ctx, &cip.DeleteUserInput{AccessToken: res.AuthenticationResult.AccessToken})
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
	_, err = p.c.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(p.clientID),
		AuthParameters: map[string]string{"REFRESH_TOKEN": *res.AuthenticationResult.RefreshToken}})
	wantAPIError(t, err, "NotAuthorizedException", "Invalid Refresh Token.") // deleted with the user
}

// TestAdminUserGlobalSignOut revokes every token of the user, as
// GlobalSignOut does.
func TestAdminUserGlobalSignOut(t *testing.T) {
	ts := newMessagingServer(t, nil, nil)
	p := newRecoveryPool(t, ts, nil)
	ctx := context.Background()
	p.confirmedUser(t, "rita", "Rita-pass-12")
	res, err := p.signIn(p.clientID, "rita", "Rita-pass-12", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.c.AdminUserGlobalSignOut(ctx, &cip.AdminUserGlobalSignOutInput{UserPoolId: aws.String(p.poolID), Username: aws.String("nobody")})
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
	if _, err := p.c.AdminUserGlobalSignOut(ctx, &cip.AdminUserGlobalSignOutInput{UserPoolId: aws.String(p.poolID), Username: aws.String("rita")}); err != nil {
		t.Fatal(err)
	}
	_, err = p.c.GetUser(ctx, &cip.GetUserInput{AccessToken: res.AuthenticationResult.AccessToken})
	wantAPIError(t, err, "NotAuthorizedException", "Access Token has been revoked")
	_, err = p.c.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(p.clientID),
		AuthParameters: map[string]string{"REFRESH_TOKEN": *res.AuthenticationResult.RefreshToken}})
	wantAPIError(t, err, "NotAuthorizedException", "Refresh Token has been revoked")
	time.Sleep(time.Second) // sign-out takes effect from the next second
	if _, err := p.signIn(p.clientID, "rita", "Rita-pass-12", nil); err != nil {
		t.Errorf("signing in again: %v", err)
	}
	_, err = p.c.AdminUserGlobalSignOut(ctx, &cip.AdminUserGlobalSignOutInput{UserPoolId: aws.String("us-east-1_nopool"), Username: aws.String("rita")})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool us-east-1_nopool does not exist.")
}
