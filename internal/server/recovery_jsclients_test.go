package server

import (
	"testing"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitod/cognitod/internal/cognito"
)

type jsError struct{ Code, Message string }

// TestJSChangePassword: amazon-cognito-identity-js, unmodified, signs in
// and changes the password (change_password.mjs).
func TestJSChangePassword(t *testing.T) {
	ts := newMessagingServer(t, nil, nil)
	p := newRecoveryPool(t, ts, nil)
	p.confirmedUser(t, "yara", "Yara-pass-12", "email", "yara@example.com")
	var out struct {
		Flow                 string
		WrongOld, OldRefused *jsError
		SignedInAgain        bool
	}
	runNode(t, "change_password.mjs", map[string]string{"ENDPOINT": ts.URL, "POOL_ID": p.poolID, "CLIENT_ID": p.clientID,
		"USERNAME": "yara", "PASSWORD": "Yara-pass-12", "NEW_PASSWORD": "Yara-new-pass-1"}, &out)
	if out.WrongOld == nil || out.WrongOld.Code != "NotAuthorizedException" || out.WrongOld.Message != "Incorrect username or password." {
		t.Errorf("wrong old password: %+v", out.WrongOld)
	}
	if out.OldRefused == nil || out.OldRefused.Code != "NotAuthorizedException" || !out.SignedInAgain {
		t.Errorf("after the change: %+v", out)
	}
	if _, err := p.signIn(p.clientID, "yara", "Yara-new-pass-1", nil); err != nil {
		t.Errorf("the SDK cannot sign in with the password the JS client set: %v", err)
	}
}

// TestJSForgotPassword: amazon-cognito-identity-js, unmodified, asks for a
// code (forgotPassword), and confirmPassword takes the code the message
// sender delivered.
func TestJSForgotPassword(t *testing.T) {
	ts := newMessagingServer(t, nil, nil)
	p := newRecoveryPool(t, ts, &cip.CreateUserPoolInput{AccountRecoverySetting: recovery("verified_email")})
	p.confirmedUser(t, "zoe", "Zoe-pass-123", "email", "zoe@example.com", "email_verified", "true")
	env := map[string]string{"ENDPOINT": ts.URL, "POOL_ID": p.poolID, "CLIENT_ID": p.clientID, "USERNAME": "zoe", "NEW_PASSWORD": "Zoe-new-pass-1"}
	var requested struct {
		Delivery struct{ Destination, DeliveryMedium, AttributeName string }
	}
	env["PHASE"] = "request"
	runNode(t, "forgot_password.mjs", env, &requested)
	if d := requested.Delivery; d.Destination != "z***@e***" || d.DeliveryMedium != "EMAIL" || d.AttributeName != "email" {
		t.Fatalf("CodeDeliveryDetails: %+v", d)
	}
	code, _ := lastCode(t, ts, cognito.DeliverForgotPasswordCode, "zoe")
	env["PHASE"], env["CODE"] = "confirm", code
	var confirmed struct {
		WrongCode *jsError
		SignedIn  bool
	}
	runNode(t, "forgot_password.mjs", env, &confirmed)
	if confirmed.WrongCode == nil || confirmed.WrongCode.Code != "CodeMismatchException" || !confirmed.SignedIn {
		t.Errorf("confirm: %+v", confirmed)
	}
	_, err := p.signIn(p.clientID, "zoe", "Zoe-pass-123", nil)
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
}
