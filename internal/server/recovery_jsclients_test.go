package server

import (
	"context"
	"regexp"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/mail/smtptest"
)

type jsError struct{ Code, Message string }

// srpSignIn is what amazon-cognito-identity-js sends for a sign-in with
// its default flow, as recordCalls in testdata/js/lib.mjs names it.
var srpSignIn = []string{"InitiateAuth USER_SRP_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER"}

// srpOnlyClient adds an app client that allows USER_SRP_AUTH and refresh
// only, so that a client library signing in any other way is refused.
func srpOnlyClient(t *testing.T, c *cip.Client, poolID string) string {
	t.Helper()
	out, err := c.CreateUserPoolClient(context.Background(), &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("spa"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	return *out.UserPoolClient.ClientId
}

func wantCalls(t *testing.T, what string, got []string, want ...[]string) {
	t.Helper()
	if w := slices.Concat(want...); !slices.Equal(got, w) {
		t.Errorf("%s: the client sent %q, want %q", what, got, w)
	}
}

// TestJSChangePassword: amazon-cognito-identity-js, unmodified, signs in
// with its default flow (SRP), changes the password (a wrong old password
// is refused first), is refused with the old password and signs in with
// the new one, with SRP each time.
func TestJSChangePassword(t *testing.T) {
	ts := newMessagingServer(t, nil, nil)
	p := newRecoveryPool(t, ts, nil)
	spa := srpOnlyClient(t, p.c, p.poolID)
	p.confirmedUser(t, "yara", "Yara-pass-12", "email", "yara@example.com")
	var out struct {
		Flow                 string
		Result               string
		WrongOld, OldRefused *jsError
		SignedInAgain        bool
		Calls                []string
	}
	runNode(t, "change_password.mjs", map[string]string{"COGNITO_ENDPOINT": ts.URL, "POOL_ID": p.poolID, "CLIENT_ID": spa,
		"USERNAME": "yara", "PASSWORD": "Yara-pass-12", "NEW_PASSWORD": "Yara-new-pass-1"}, &out)
	if out.Flow != "USER_SRP_AUTH" || out.Result != "SUCCESS" {
		t.Errorf("flow %q, changePassword result %q", out.Flow, out.Result)
	}
	if out.WrongOld == nil || out.WrongOld.Code != "NotAuthorizedException" || out.WrongOld.Message != "Incorrect username or password." {
		t.Errorf("wrong old password: %+v", out.WrongOld)
	}
	if out.OldRefused == nil || out.OldRefused.Code != "NotAuthorizedException" || out.OldRefused.Message != "Incorrect username or password." || !out.SignedInAgain {
		t.Errorf("after the change: %+v", out)
	}
	wantCalls(t, "change password", out.Calls, srpSignIn, []string{"ChangePassword", "ChangePassword"}, srpSignIn, srpSignIn)
	if _, err := p.signIn(p.clientID, "yara", "Yara-new-pass-1", nil); err != nil {
		t.Errorf("the SDK cannot sign in with the password the JS client set: %v", err)
	}
	_, err := p.signIn(p.clientID, "yara", "Yara-pass-12", nil)
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
}

// TestJSForgotPassword: amazon-cognito-identity-js, unmodified, asks for a
// code (forgotPassword); confirmPassword refuses a wrong code and takes
// the one the message sender delivered, read from the log (the default
// sender) or from the mail a real SMTP server received; the user then
// signs in with the new password with SRP.
func TestJSForgotPassword(t *testing.T) {
	sixDigits := regexp.MustCompile(`\b\d{6}\b`)
	for _, sender := range []string{"log", "smtp"} {
		t.Run(sender, func(t *testing.T) {
			var ts *testServer
			var code func() string
			if sender == "log" {
				ts = newMessagingServer(t, nil, nil)
				code = func() string {
					c, n := lastCode(t, ts, cognito.DeliverForgotPasswordCode, "zoe")
					if n != 1 {
						t.Errorf("%d forgot-password codes in the log, want 1", n)
					}
					return c
				}
			} else {
				var mails *smtptest.Server
				ts, mails = mailServer(t)
				code = func() string {
					m := readMail(t, mails)
					c := sixDigits.FindString(m.body)
					if m.to != "zoe@example.com" || c == "" {
						t.Fatalf("forgot-password mail: %+v", m)
					}
					return c
				}
			}
			p := newRecoveryPool(t, ts, &cip.CreateUserPoolInput{AccountRecoverySetting: recovery("verified_email")})
			spa := srpOnlyClient(t, p.c, p.poolID)
			p.confirmedUser(t, "zoe", "Zoe-pass-123", "email", "zoe@example.com", "email_verified", "true")
			env := map[string]string{"COGNITO_ENDPOINT": ts.URL, "POOL_ID": p.poolID, "CLIENT_ID": spa, "USERNAME": "zoe", "NEW_PASSWORD": "Zoe-new-pass-1"}
			var requested struct {
				Delivery struct{ Destination, DeliveryMedium, AttributeName string }
				Calls    []string
			}
			env["PHASE"] = "request"
			runNode(t, "forgot_password.mjs", env, &requested)
			if d := requested.Delivery; d.Destination != "z***@e***" || d.DeliveryMedium != "EMAIL" || d.AttributeName != "email" {
				t.Fatalf("CodeDeliveryDetails: %+v", d)
			}
			wantCalls(t, "forgotPassword", requested.Calls, []string{"ForgotPassword"})

			c := code()
			wrong := c[:5] + string('0'+(c[5]-'0'+1)%10)
			env["PHASE"], env["CODE"], env["WRONG_CODE"] = "confirm", c, wrong
			var confirmed struct {
				Flow      string
				Confirmed string
				WrongCode *jsError
				SignedIn  bool
				Calls     []string
			}
			runNode(t, "forgot_password.mjs", env, &confirmed)
			if w := confirmed.WrongCode; w == nil || w.Code != "CodeMismatchException" || w.Message != "Invalid verification code provided, please try again." {
				t.Errorf("wrong code: %+v", w)
			}
			if confirmed.Confirmed != "SUCCESS" || !confirmed.SignedIn || confirmed.Flow != "USER_SRP_AUTH" {
				t.Errorf("confirm: %+v", confirmed)
			}
			wantCalls(t, "confirmPassword", confirmed.Calls, []string{"ConfirmForgotPassword", "ConfirmForgotPassword"}, srpSignIn)
			_, err := p.signIn(p.clientID, "zoe", "Zoe-pass-123", nil)
			wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
			if _, err := p.signIn(p.clientID, "zoe", "Zoe-new-pass-1", nil); err != nil {
				t.Errorf("the SDK cannot sign in with the password set through confirmPassword: %v", err)
			}
		})
	}
}
