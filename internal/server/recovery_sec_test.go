package server

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
)

// With PreventUserExistenceErrors, ForgotPassword and
// ResendConfirmationCode answer a name that does not exist (or, for
// ForgotPassword, a user with no verified address) as they answer a real
// user, the send bound included: five codes an hour, then
// LimitExceededException, then five again once the hour is over. Only
// real users used to reach the bound, so six requests told which names
// exist.
func TestPhantomCodesAreBoundedAsRealOnes(t *testing.T) {
	clock := &testClock{}
	ts := newMessagingServer(t, nil, clock)
	p := newRecoveryPool(t, ts, &cip.CreateUserPoolInput{AccountRecoverySetting: recovery("verified_email"),
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}})
	ctx := context.Background()
	p.confirmedUser(t, "real", "Real-pass-12", "email", "real@example.com", "email_verified", "true")
	p.confirmedUser(t, "nomail", "Nomail-pass-12", "email", "nomail@example.com")
	if _, err := p.c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(p.clientID), Username: aws.String("pending"), Password: aws.String("Pending-pass-12"),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("pending@example.com")}}}); err != nil {
		t.Fatal(err)
	}
	forgot := func(name string) error { _, err := p.forgot(p.preventID, name); return err }
	resend := func(name string) error {
		_, err := p.c.ResendConfirmationCode(ctx, &cip.ResendConfirmationCodeInput{ClientId: aws.String(p.preventID), Username: aws.String(name)})
		return err
	}
	// answers is what six requests in a row get, as one string.
	answers := func(ask func(string) error, name string) string {
		out := ""
		for range 6 {
			if err := ask(name); err != nil {
				out += apiErrorCode(err) + " "
			} else {
				out += "ok "
			}
		}
		return out
	}
	const want = "ok ok ok ok ok LimitExceededException "
	for _, c := range []struct {
		what string
		ask  func(string) error
		name string
	}{
		{"ForgotPassword, real user", forgot, "real"},
		{"ForgotPassword, unknown name", forgot, "ghost"},
		{"ForgotPassword, no verified address", forgot, "nomail"},
		{"ResendConfirmationCode, real user", resend, "pending"},
		{"ResendConfirmationCode, unknown name", resend, "ghost"},
	} {
		if got := answers(c.ask, c.name); got != want {
			t.Errorf("%s: %s, want %s", c.what, got, want)
		}
	}
	clock.Advance(61 * time.Minute)
	for _, name := range []string{"real", "ghost"} {
		if err := forgot(name); err != nil {
			t.Errorf("ForgotPassword for %s after the hour: %v", name, err)
		}
	}
}

func apiErrorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return err.Error()
}

// With PreventUserExistenceErrors, ConfirmForgotPassword answers an
// unknown name as it answers a real user: ExpiredCodeException while no
// code was asked for, then, after ForgotPassword, CodeMismatchException
// for five wrong codes and LimitExceededException after. An unknown name
// used to get CodeMismatchException every time, so one request (a real
// user with no pending code answers ExpiredCodeException) told which
// names exist.
func TestPhantomResetCodeAnswersAsRealOne(t *testing.T) {
	ts := newMessagingServer(t, nil, nil)
	p := newRecoveryPool(t, ts, &cip.CreateUserPoolInput{AccountRecoverySetting: recovery("verified_email")})
	p.confirmedUser(t, "real", "Real-pass-12", "email", "real@example.com", "email_verified", "true")
	confirm := func(name string) string {
		if err := p.confirmForgot(p.preventID, name, "000000", "Some-new-pass-12"); err != nil {
			return apiErrorCode(err)
		}
		return "ok"
	}
	sequence := func(name string) []string {
		out := []string{confirm(name)}
		if _, err := p.forgot(p.preventID, name); err != nil {
			t.Fatal(err)
		}
		for range 6 {
			out = append(out, confirm(name))
		}
		return out
	}
	real, ghost := sequence("real"), sequence("ghost")
	if fmt.Sprint(real) != fmt.Sprint(ghost) {
		t.Fatalf("a real user gets %v, an unknown name %v", real, ghost)
	}
	want := "[ExpiredCodeException CodeMismatchException CodeMismatchException CodeMismatchException CodeMismatchException CodeMismatchException LimitExceededException]"
	if fmt.Sprint(real) != want {
		t.Fatalf("a real user gets %v, want %s", real, want)
	}
}

// With PreventUserExistenceErrors, ConfirmSignUp's wrong codes lock an
// unknown name as they lock a real unconfirmed user: five
// CodeMismatchException, then LimitExceededException. An unknown name
// used to get CodeMismatchException for ever.
func TestPhantomSignUpCodesLockAsRealOnes(t *testing.T) {
	ts := newMessagingServer(t, nil, nil)
	p := newRecoveryPool(t, ts, &cip.CreateUserPoolInput{AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}})
	ctx := context.Background()
	if _, err := p.c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(p.clientID), Username: aws.String("pending"), Password: aws.String("Pending-pass-12"),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("pending@example.com")}}}); err != nil {
		t.Fatal(err)
	}
	sequence := func(name string) string {
		var out []string
		for range 6 {
			_, err := p.c.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: aws.String(p.preventID), Username: aws.String(name), ConfirmationCode: aws.String("000000")})
			if err == nil {
				t.Fatalf("%s confirmed with a guessed code", name)
			}
			out = append(out, apiErrorCode(err))
		}
		return fmt.Sprint(out)
	}
	real, ghost := sequence("pending"), sequence("ghost")
	const want = "[CodeMismatchException CodeMismatchException CodeMismatchException CodeMismatchException CodeMismatchException LimitExceededException]"
	if real != want || ghost != want {
		t.Fatalf("a real user gets %s, an unknown name %s; want %s", real, ghost, want)
	}
}
