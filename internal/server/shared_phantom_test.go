package server

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/cognito"
)

// TestPhantomCodesSharedByInstances: with user-existence errors
// prevented, the codes pretended sent to an unknown name are known at
// every instance, so that requests spread over A and B answer an unknown
// name exactly as a real user: ConfirmForgotPassword at B after
// ForgotPassword at A is CodeMismatchException (kept in A's memory, it
// was ExpiredCodeException, a real user's never is); five wrong codes
// over both spend the code; five sends over both reach the bound (each
// instance allowed five of its own); five wrong sign-up codes over both
// lock. The clock is frozen so that no window or lockout ends mid-test.
func TestPhantomCodesSharedByInstances(t *testing.T) {
	frozen := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	clock := func(c *cognito.Config) { c.Now = func() time.Time { return frozen } }
	a := newTestServerWith(t, cognito.Limits{}, clock, nil)
	b := secondInstance(t, a, clock)
	ctx := context.Background()
	p := newRecoveryPool(t, a, &cip.CreateUserPoolInput{AccountRecoverySetting: recovery("verified_email"),
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}})
	p.confirmedUser(t, "real", "Real-pass-12", "email", "real@example.com", "email_verified", "true")
	if _, err := p.c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(p.clientID), Username: aws.String("pending"), Password: aws.String("Pending-pass-12"),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("pending@example.com")}}}); err != nil {
		t.Fatal(err)
	}
	clients := []*cip.Client{a.client("us-east-1"), b.clientWith("us-east-1", testKeyID, testSecret)}
	// at alternates the instances: even steps at A, odd at B.
	at := func(i int) *cip.Client { return clients[i%2] }
	answer := func(err error) string {
		if err == nil {
			return "ok"
		}
		return apiErrorCode(err)
	}
	forgot := func(i int, name string) string {
		_, err := at(i).ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: aws.String(p.preventID), Username: aws.String(name)})
		return answer(err)
	}
	confirm := func(i int, name string) string {
		_, err := at(i).ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: aws.String(p.preventID), Username: aws.String(name),
			ConfirmationCode: aws.String("000000"), Password: aws.String("Some-new-pass-12")})
		return answer(err)
	}
	reset := func(name string) string {
		// Asked for at A, guessed at B then alternately; then four more
		// sends (five in all, alternately), and the sixth.
		out := []string{confirm(1, name), forgot(0, name)}
		for i := range 6 {
			out = append(out, confirm(i+1, name))
		}
		for i := range 5 {
			out = append(out, forgot(i+1, name))
		}
		return fmt.Sprint(out)
	}
	const wantReset = "[ExpiredCodeException ok CodeMismatchException CodeMismatchException CodeMismatchException CodeMismatchException CodeMismatchException LimitExceededException ok ok ok ok LimitExceededException]"
	if real, ghost := reset("real"), reset("ghost"); real != wantReset || ghost != wantReset {
		t.Errorf("reset codes over A and B:\n real user    %s\n unknown name %s\n want         %s", real, ghost, wantReset)
	}
	signUp := func(name string) string {
		var out []string
		for i := range 6 {
			_, err := at(i).ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: aws.String(p.preventID), Username: aws.String(name), ConfirmationCode: aws.String("000000")})
			out = append(out, answer(err))
		}
		return fmt.Sprint(out)
	}
	const wantSignUp = "[CodeMismatchException CodeMismatchException CodeMismatchException CodeMismatchException CodeMismatchException LimitExceededException]"
	if real, ghost := signUp("pending"), signUp("ghost-pending"); real != wantSignUp || ghost != wantSignUp {
		t.Errorf("sign-up codes over A and B:\n real user    %s\n unknown name %s\n want         %s", real, ghost, wantSignUp)
	}
}

// TestConsoleBackoffSharedByInstances: failed console sign-ins at A count
// at B: five free failures at A, the sixth at B, and the right secret is
// refused at A and at B with 429 and Retry-After; twenty failures of a
// source at A (each with another key ID) lock that source at B. Kept per
// process, B had its own free failures, and N instances gave N times the
// guesses. The clock is frozen so that a lockout cannot end mid-test.
func TestConsoleBackoffSharedByInstances(t *testing.T) {
	frozen := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	now := func() time.Time { return frozen }
	a := newTestServerWith(t, cognito.Limits{}, nil, func(c *Config) { c.Now = now })
	b := secondInstanceWith(t, a, nil, func(c *Config) { c.Now = now })
	ca, cb := consoleFrom(t, a, "127.0.0.1"), consoleFrom(t, b, "127.0.0.1")
	for i := range 5 {
		if resp, _ := ca.signInAs(testKeyID, "wrong"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d at A: %d, want 401", i+1, resp.StatusCode)
		}
	}
	if resp, _ := cb.signInAs(testKeyID, "wrong"); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("sixth failure, at B: %d, want 401", resp.StatusCode)
	}
	for name, c := range map[string]*consoleClient{"A": ca, "B": cb} {
		resp, _ := c.signInAs(testKeyID, testSecret)
		if retry, _ := strconv.Atoi(resp.Header.Get("Retry-After")); resp.StatusCode != http.StatusTooManyRequests || retry < 1 {
			t.Errorf("the right secret at %s after six failures over A and B: %d Retry-After %q, want 429", name, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
	}

	// The source: twenty free failures at A, each with a new key ID.
	sa, sb := consoleFrom(t, a, "127.0.0.3"), consoleFrom(t, b, "127.0.0.3")
	for i := range 21 {
		if resp, _ := sa.signInAs(fmt.Sprintf("AKIDGUESS%04d", i), "wrong"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("source failure %d at A: %d, want 401", i+1, resp.StatusCode)
		}
	}
	if resp, _ := sb.signInAs("AKIDGUESSFRESH", "wrong"); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("a new key ID from a source locked at A, at B: %d, want 429", resp.StatusCode)
	}
	if resp, _ := consoleFrom(t, b, "127.0.0.4").signInAs("AKIDGUESSFRESH", "wrong"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("another source at B: %d, want 401", resp.StatusCode)
	}
}
