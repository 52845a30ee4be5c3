package server

import (
	"context"
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

// TestHostedSignUpInBrowser: Chromium opens authorize with PKCE, follows
// the sign-in form's "Sign up" link, signs up, types the code the message
// sender delivered, and arrives at the app's callback with a code and the
// state; the code is exchanged and the access token verified.
func TestHostedSignUpInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium")
	}
	ctx := browser(t)
	ts := newMessagingServer(t, nil, nil)
	cs := newCallbackServer(t)
	s := newHostedSite(t, ts, nil, cs.url)
	cfg := s.oauth(s.clientID, "")
	verifier := oauth2.GenerateVerifier()
	run(t, ctx, "sign up",
		chromedp.Navigate(cfg.AuthCodeURL("signup-state", oauth2.S256ChallengeOption(verifier))),
		chromedp.WaitVisible(css(`#signUpLink`)),
		chromedp.Click(css(`#signUpLink`)),
		chromedp.WaitVisible(css(`#signUpUsername`)),
		chromedp.SendKeys(css(`#signUpUsername`), "grace"),
		chromedp.SendKeys(css(`#attr-email`), "grace@example.com"),
		chromedp.SendKeys(css(`#signUpPassword`), "Grace-pass-1"),
		chromedp.Click(css(`button[name=signUpButton]`)),
		chromedp.WaitVisible(css(`#confirmCode`)),
	)
	screenshot(t, ctx, "hosted-confirm.png")
	code := lastDelivered(t, ts, cognito.DeliverSignUpCode, "grace")
	run(t, ctx, "confirm",
		chromedp.SendKeys(css(`#confirmCode`), code),
		chromedp.Click(css(`button[name=confirm]`)),
		chromedp.WaitVisible(css(`#done`)),
	)
	hit := <-cs.hits
	if hit.Query().Get("state") != "signup-state" || hit.Query().Get("code") == "" {
		t.Fatalf("callback %s", hit)
	}
	tok, err := cfg.Exchange(context.Background(), hit.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	v := &verify.Verifier{Algorithm: verify.RS256, Issuer: ts.URL + "/" + s.poolID, TokenUse: verify.AccessToken, ClientIDs: []string{s.clientID}}
	if ac, err := v.Verify(context.Background(), tok.AccessToken); err != nil || ac.Username != "grace" {
		t.Fatalf("access token: %+v %v", ac, err)
	}
}

// TestHostedForgotPasswordInBrowser: "Forgot your password?" on the
// sign-in form, the code from the message sender and a new password,
// back to the sign-in form, where the new password signs in.
func TestHostedForgotPasswordInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium")
	}
	ctx := browser(t)
	ts := newMessagingServer(t, nil, nil)
	cs := newCallbackServer(t)
	s := newHostedSite(t, ts, nil, cs.url)
	s.confirmedUser("heidi", "Heidi-pass-1")
	cfg := s.oauth(s.clientID, "")
	run(t, ctx, "ask for a code",
		chromedp.Navigate(cfg.AuthCodeURL("reset-state")),
		chromedp.WaitVisible(css(`#forgotPasswordLink`)),
		chromedp.Click(css(`#forgotPasswordLink`)),
		chromedp.WaitVisible(css(`#forgotUsername`)),
		chromedp.SendKeys(css(`#forgotUsername`), "heidi"),
		chromedp.Click(css(`button[name=reset_my_password]`)),
		chromedp.WaitVisible(css(`#resetCode`)),
	)
	code := lastDelivered(t, ts, cognito.DeliverForgotPasswordCode, "heidi")
	run(t, ctx, "reset and sign in",
		chromedp.SendKeys(css(`#resetCode`), code),
		chromedp.SendKeys(css(`#resetPassword`), "Heidi-new-22"),
		chromedp.SendKeys(css(`#resetPasswordAgain`), "Heidi-new-22"),
		chromedp.Click(css(`button[name=change_password]`)),
		chromedp.WaitVisible(css(`#signInFormUsername`)),
		chromedp.SendKeys(css(`#signInFormUsername`), "heidi"),
		chromedp.SendKeys(css(`#signInFormPassword`), "Heidi-new-22"),
		chromedp.Click(css(`button[name=signInSubmitButton]`)),
		chromedp.WaitVisible(css(`#done`)),
	)
	hit := <-cs.hits
	if hit.Query().Get("state") != "reset-state" || hit.Query().Get("code") == "" {
		t.Fatalf("callback %s", hit)
	}
	if _, err := cfg.Exchange(context.Background(), hit.Query().Get("code")); err != nil {
		t.Fatal(err)
	}
}

// TestHostedCustomizationInBrowser: the pool's CSS restyles the button
// and its logo shows on the sign-in form; in a pool where only
// administrators create users, the form has no "Sign up" link.
func TestHostedCustomizationInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium")
	}
	ctx := browser(t)
	ts := newMessagingServer(t, nil, nil)
	cs := newCallbackServer(t)
	s := newHostedSite(t, ts, nil, cs.url)
	if _, err := s.c.SetUICustomization(context.Background(), &cip.SetUICustomizationInput{UserPoolId: aws.String(s.poolID),
		CSS: aws.String(".submitButton-customizable { background-color: rgb(200, 30, 30); } .label-customizable { font-weight: 300; }"), ImageFile: testPNG(t)}); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, "open the sign-in form", chromedp.Navigate(s.oauth(s.clientID, "").AuthCodeURL("c")), chromedp.WaitVisible(css(`img.logo-customizable`)))
	if bg := value(t, ctx, "button colour", chromedp.Evaluate[string](`getComputedStyle(document.querySelector('button[name=signInSubmitButton]')).backgroundColor`)); bg != "rgb(200, 30, 30)" {
		t.Errorf("button background %q", bg)
	}
	if w := value(t, ctx, "label weight", chromedp.Evaluate[string](`getComputedStyle(document.querySelector('label')).fontWeight`)); w != "300" {
		t.Errorf("label weight %q", w)
	}
	var width int
	for range 50 {
		if width = value(t, ctx, "logo width", chromedp.Evaluate[int](`document.querySelector('img.logo-customizable').naturalWidth`)); width > 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if width != 40 {
		t.Errorf("logo natural width %d, want 40 (the image did not load)", width)
	}
	screenshot(t, ctx, "hosted-branded.png")
	if !value(t, ctx, "sign-up link", chromedp.Evaluate[bool](`document.querySelector('#signUpLink') !== null`)) {
		t.Error("no sign-up link where sign-up is allowed")
	}

	closed := newHostedSite(t, ts, &cip.CreateUserPoolInput{AdminCreateUserConfig: &types.AdminCreateUserConfigType{AllowAdminCreateUserOnly: true}}, cs.url)
	run(t, ctx, "open the admin-only pool's form", chromedp.Navigate(closed.oauth(closed.clientID, "").AuthCodeURL("c")), chromedp.WaitVisible(css(`#signInFormUsername`)))
	if value(t, ctx, "sign-up link", chromedp.Evaluate[bool](`document.querySelector('#signUpLink') !== null || document.body.innerHTML.includes('/signup')`)) {
		t.Error("a sign-up link where only administrators create users")
	}
	if !value(t, ctx, "forgot link", chromedp.Evaluate[bool](`document.querySelector('#forgotPasswordLink') !== null`)) {
		t.Error("no forgot-password link")
	}
}
