package server

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/chromedp/chromedp"
	"golang.org/x/oauth2"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/verify"
)

// TestHostedMFAInBrowser: in a pool with MFA ON and TOTP, Chromium signs
// up on the hosted pages, confirms with the delivered code, and gets the
// TOTP set-up page (QR image shown under the page's CSP); the secret is
// read from the page, the code computed with pquerna/otp, and the sign-in
// arrives at the callback with a code that redeems. After a logout, the
// sign-in form leads to the code step: the enrolment's code (same step)
// is refused with the domain's message, the next step's signs in.
func TestHostedMFAInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium")
	}
	ctx := browser(t)
	cs := newCallbackServer(t)
	s := newMFASite(t, nil, hostedTOTPOn(), cs.url)
	cfg := s.oauth(s.clientID, "")
	verifier := oauth2.GenerateVerifier()
	run(t, ctx, "sign up",
		chromedp.Navigate(cfg.AuthCodeURL("mfa-state", oauth2.S256ChallengeOption(verifier))),
		chromedp.WaitVisible(css(`#signUpLink`)),
		chromedp.Click(css(`#signUpLink`)),
		chromedp.WaitVisible(css(`#signUpUsername`)),
		chromedp.SendKeys(css(`#signUpUsername`), "ivy"),
		chromedp.SendKeys(css(`#attr-email`), "ivy@example.com"),
		chromedp.SendKeys(css(`#signUpPassword`), "Ivy-pass-1234"),
		chromedp.Click(css(`button[name=signUpButton]`)),
		chromedp.WaitVisible(css(`#confirmCode`)),
	)
	run(t, ctx, "confirm",
		chromedp.SendKeys(css(`#confirmCode`), lastDelivered(t, s.ts, cognito.DeliverSignUpCode, "ivy")),
		chromedp.Click(css(`button[name=confirm]`)),
		chromedp.WaitVisible(css(`#totpSecret`)),
	)
	screenshot(t, ctx, "hosted-mfa-setup.png")
	secret := text(t, ctx, "#totpSecret")
	// The QR code is an image the browser drew: the CSP let it load.
	if w := value(t, ctx, "QR width", chromedp.Evaluate[int](`document.getElementById("totpQRCode").naturalWidth`)); w != 200 {
		t.Fatalf("QR image natural width %d: not loaded", w)
	}
	uri := value(t, ctx, "otpauth URI", chromedp.Evaluate[string](`document.getElementById("totpURI").getAttribute("href")`))
	if !strings.HasPrefix(uri, "otpauth://totp/hosted:ivy?") || !strings.Contains(uri, "secret="+secret) || !strings.Contains(uri, "issuer=hosted") {
		t.Fatalf("otpauth URI %s", uri)
	}
	code := totpAt(t, secret, s.clock.Now())
	run(t, ctx, "enrol",
		chromedp.SendKeys(css(`#totpCode`), code),
		chromedp.SendKeys(css(`#totpDeviceName`), "Chromium"),
		chromedp.Click(css(`button[name=signInSubmitButton]`)),
		chromedp.WaitVisible(css(`#done`)),
	)
	hit := callbackHit(cs)
	if hit.Query().Get("state") != "mfa-state" || hit.Query().Get("code") == "" {
		t.Fatalf("callback %s", hit)
	}
	tok, err := cfg.Exchange(context.Background(), hit.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	v := &verify.Verifier{Algorithm: verify.RS256, Issuer: s.ts.URL + "/" + s.poolID, TokenUse: verify.AccessToken, ClientIDs: []string{s.clientID}}
	if ac, err := v.Verify(context.Background(), tok.AccessToken); err != nil || ac.Username != "ivy" {
		t.Fatalf("access token: %+v %v", ac, err)
	}

	// Log out (back to the sign-in form) and sign in again.
	logout := s.ts.URL + "/" + s.poolID + "/logout?" + url.Values{"client_id": {s.clientID}, "redirect_uri": {cs.url},
		"response_type": {"code"}, "scope": {"openid email"}, "state": {"again"}}.Encode()
	run(t, ctx, "sign in again",
		chromedp.Navigate(logout),
		chromedp.WaitVisible(css(`#signInFormUsername`)),
		chromedp.SendKeys(css(`#signInFormUsername`), "ivy"),
		chromedp.SendKeys(css(`#signInFormPassword`), "Ivy-pass-1234"),
		chromedp.Click(css(`button[name=signInSubmitButton]`)),
		chromedp.WaitVisible(css(`#mfaCode`)),
		chromedp.SendKeys(css(`#mfaCode`), code),
		chromedp.Click(css(`button[name=signInSubmitButton]`)),
		chromedp.WaitVisible(css(`#mfaErrorMessage`)),
	)
	if msg := text(t, ctx, "#mfaErrorMessage"); msg != "Invalid code or auth state for the user." {
		t.Fatalf("replayed code: %q", msg)
	}
	s.clock.Advance(30 * time.Second)
	run(t, ctx, "the next step's code",
		chromedp.SendKeys(css(`#mfaCode`), totpAt(t, secret, s.clock.Now())),
		chromedp.Click(css(`button[name=signInSubmitButton]`)),
		chromedp.WaitVisible(css(`#done`)),
	)
	if hit := callbackHit(cs); hit.Query().Get("state") != "again" || hit.Query().Get("code") == "" {
		t.Fatalf("callback %s", hit)
	}
}

// callbackHit is the next request to the callback path (not the
// browser's favicon).
func callbackHit(cs *callbackServer) *url.URL {
	for {
		if hit := <-cs.hits; hit.Path == "/callback" {
			return hit
		}
	}
}

// TestHostedEmailOTPInBrowser: in an ON pool offering email codes,
// Chromium signs in, gets the code step naming the masked address, types
// a wrong code (the domain's message), then the code the message sender
// delivered, and arrives at the callback with a code.
func TestHostedEmailOTPInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium")
	}
	ctx := browser(t)
	cs := newCallbackServer(t)
	s := newMFASite(t, &cip.CreateUserPoolInput{EmailConfiguration: &types.EmailConfigurationType{
		EmailSendingAccount: types.EmailSendingAccountTypeDeveloper, From: aws.String("auth@example.com"),
		SourceArn: aws.String("arn:aws:ses:us-east-1:123456789012:identity/example.com")}},
		&cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOn,
			EmailMfaConfiguration: &types.EmailMfaConfigType{Subject: aws.String("Sign-in code"), Message: aws.String("Your code is {####}.")}},
		cs.url)
	s.confirmedUser("fay", "Fay-pass-1234")
	run(t, ctx, "sign in",
		chromedp.Navigate(s.oauth(s.clientID, "").AuthCodeURL("email-state")),
		chromedp.WaitVisible(css(`#signInFormUsername`)),
		chromedp.SendKeys(css(`#signInFormUsername`), "fay"),
		chromedp.SendKeys(css(`#signInFormPassword`), "Fay-pass-1234"),
		chromedp.Click(css(`button[name=signInSubmitButton]`)),
		chromedp.WaitVisible(css(`#mfaCode`)),
	)
	if msg := text(t, ctx, "#mfaDeliveryMessage"); msg != "We have sent a code by email to f***@e***. Enter it below." {
		t.Fatalf("delivery message %q", msg)
	}
	code := lastDelivered(t, s.ts, cognito.DeliverMFACode, "fay")
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	run(t, ctx, "a wrong code",
		chromedp.SendKeys(css(`#mfaCode`), wrong),
		chromedp.Click(css(`button[name=signInSubmitButton]`)),
		chromedp.WaitVisible(css(`#mfaErrorMessage`)),
	)
	if msg := text(t, ctx, "#mfaErrorMessage"); msg != "Invalid code or auth state for the user." {
		t.Fatalf("wrong code: %q", msg)
	}
	run(t, ctx, "the delivered code",
		chromedp.SendKeys(css(`#mfaCode`), code),
		chromedp.Click(css(`button[name=signInSubmitButton]`)),
		chromedp.WaitVisible(css(`#done`)),
	)
	if hit := callbackHit(cs); hit.Query().Get("state") != "email-state" || hit.Query().Get("code") == "" {
		t.Fatalf("callback %s", hit)
	}
}
