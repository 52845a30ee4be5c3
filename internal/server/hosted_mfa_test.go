package server

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/ratelimit"
)

// TestHostedTOTPSetUpAndSignIn: in an ON pool with TOTP, a user with no
// factor signs in on the hosted form and gets the set-up page (the QR
// code a PNG, the otpauth URI, the secret); a wrong code is the domain's
// refusal on the same page; the right one, from pquerna/otp, ends in the
// redirect with a code that redeems. The next sign-in asks for a code:
// the enrolment's (same step) is refused as used, the next step's signs
// in; the user's MFA is the token, as GetUser shows.
func TestHostedTOTPSetUpAndSignIn(t *testing.T) {
	s := newMFASite(t, nil, hostedTOTPOn(), callback)
	s.confirmedUser("mia", "Mia-pass-123")
	b := newBrowserless(t)
	resp, page := b.signIn(s.hostedSite, "st1", "mia", "Mia-pass-123")
	secret := setupPage(t, resp, page, "hosted", "mia")
	form := readForm(t, s.ts.URL, page)
	if !strings.HasPrefix(form.action, s.ts.URL+"/"+s.poolID+"/mfa_setup?") || form.hidden.Get("flow") == "" {
		t.Fatalf("set-up form: %+v", form)
	}
	refuseForged(t, b, form, url.Values{"code": {totpAt(t, secret, s.clock.Now())}})
	resp, page = b.submit(form, url.Values{"code": {"000000"}, "deviceName": {"phone"}})
	if resp.StatusCode != http.StatusBadRequest || errorText(page) != "Code mismatch and fail enable Software Token MFA" || totpSecretText.FindStringSubmatch(page)[1] != secret {
		t.Fatalf("wrong set-up code: %d %q", resp.StatusCode, errorText(page))
	}
	form = readForm(t, s.ts.URL, page)
	code := totpAt(t, secret, s.clock.Now())
	resp, page = b.submit(form, url.Values{"code": {code}, "deviceName": {"phone"}})
	if got := s.exchange(t, wantRedirectWithCode(t, resp, page, callback, "st1")); got != "mia" {
		t.Fatalf("code of %s", got)
	}
	// The set-up form cannot be posted twice.
	resp, page = b.submit(form, url.Values{"code": {code}})
	if resp.StatusCode != http.StatusBadRequest || errorText(page) == "" {
		t.Errorf("set-up posted again: %d %q", resp.StatusCode, errorText(page))
	}

	b = newBrowserless(t)
	resp, page = b.signIn(s.hostedSite, "st2", "mia", "Mia-pass-123")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `name="cognitoMfaForm"`) || !strings.Contains(page, "Enter the code from your authenticator app.") {
		t.Fatalf("second sign-in: %d %q %.500s", resp.StatusCode, errorText(page), page)
	}
	form = readForm(t, s.ts.URL, page)
	if !strings.HasPrefix(form.action, s.ts.URL+"/"+s.poolID+"/mfa?") {
		t.Fatalf("code form posts to %s", form.action)
	}
	resp, page = b.submit(form, url.Values{"code": {code}})
	if resp.StatusCode != http.StatusBadRequest || errorText(page) != "Invalid code or auth state for the user." {
		t.Fatalf("replayed TOTP code: %d %q", resp.StatusCode, errorText(page))
	}
	s.clock.Advance(30 * time.Second)
	resp, page = b.submit(form, url.Values{"code": {totpAt(t, secret, s.clock.Now())}})
	wantRedirectWithCode(t, resp, page, callback, "st2")
	u, err := s.c.AdminGetUser(context.Background(), &cip.AdminGetUserInput{UserPoolId: aws.String(s.poolID), Username: aws.String("mia")})
	if err != nil || aws.ToString(u.PreferredMfaSetting) != "SOFTWARE_TOKEN_MFA" {
		t.Errorf("AdminGetUser: %+v %v", u, err)
	}
}

// TestHostedMFAFlowIsBound: the MFA step's flow works only in its own
// browser, unaltered and unexpired; a session the domain no longer
// accepts (expired after AuthSessionValidity) sends the browser back to
// the sign-in form with the domain's message; wrong codes count toward
// the lockout, which also ends the step.
func TestHostedMFAFlowIsBound(t *testing.T) {
	s := newMFASite(t, nil, hostedTOTPOn(), callback)
	s.confirmedUser("mia", "Mia-pass-123")
	b := newBrowserless(t)
	resp, page := b.signIn(s.hostedSite, "x", "mia", "Mia-pass-123")
	secret := setupPage(t, resp, page, "hosted", "mia")
	resp, page = b.submit(readForm(t, s.ts.URL, page), url.Values{"code": {totpAt(t, secret, s.clock.Now())}})
	wantRedirectWithCode(t, resp, page, callback, "x")
	s.clock.Advance(30 * time.Second)

	b = newBrowserless(t)
	_, page = b.signIn(s.hostedSite, "x", "mia", "Mia-pass-123")
	form := readForm(t, s.ts.URL, page)
	// Another browser, with its own cookie and token, posting this flow.
	other := newBrowserless(t)
	oform, _ := other.open(s.hostedSite, s.page("/login", s.query(s.clientID, "x")))
	stolen := hostedForm{action: form.action, hidden: url.Values{"_csrf": oform.hidden["_csrf"], "flow": form.hidden["flow"]}}
	resp, page = other.submit(stolen, url.Values{"code": {totpAt(t, secret, s.clock.Now())}})
	if resp.StatusCode != http.StatusBadRequest || errorText(page) != "Your sign-in expired. Please sign in again." {
		t.Fatalf("flow from another browser: %d %q", resp.StatusCode, errorText(page))
	}
	// An altered flow.
	flow := form.hidden.Get("flow")
	tampered := hostedForm{action: form.action, hidden: url.Values{"_csrf": form.hidden["_csrf"], "flow": {flow[:len(flow)-2] + "AA"}}}
	if resp, page = b.submit(tampered, url.Values{"code": {"123456"}}); resp.StatusCode != http.StatusBadRequest || errorText(page) != "Your sign-in expired. Please sign in again." {
		t.Fatalf("altered flow: %d %q", resp.StatusCode, errorText(page))
	}
	// Forged posts are refused (403) before the flow or the domain is looked at.
	refuseForged(t, b, form, url.Values{"code": {totpAt(t, secret, s.clock.Now())}})
	// The domain's session expires after the client's AuthSessionValidity (3 minutes).
	s.clock.Advance(4 * time.Minute)
	resp, page = b.submit(form, url.Values{"code": {totpAt(t, secret, s.clock.Now())}})
	if resp.StatusCode != http.StatusBadRequest || errorText(page) != "Invalid session for the user, session is expired." || !strings.Contains(page, `name="cognitoSignInForm"`) {
		t.Fatalf("expired session: %d %q", resp.StatusCode, errorText(page))
	}

	// Wrong codes: the domain's message each time, then the lockout.
	_, page = b.signIn(s.hostedSite, "x", "mia", "Mia-pass-123")
	form = readForm(t, s.ts.URL, page)
	var msgs []string
	for range 6 {
		_, page = b.submit(form, url.Values{"code": {"000000"}})
		msgs = append(msgs, errorText(page))
	}
	for i, m := range msgs[:5] {
		if m != "Invalid code or auth state for the user." {
			t.Fatalf("wrong code %d: %q (all: %q)", i+1, m, msgs)
		}
	}
	if msgs[5] != "Password attempts exceeded" {
		t.Fatalf("the sixth wrong code: %q, want the lockout (all: %q)", msgs[5], msgs)
	}
	if _, page = b.signIn(s.hostedSite, "x", "mia", "Mia-pass-123"); errorText(page) != "Password attempts exceeded" {
		t.Errorf("password after the MFA lockout: %q", errorText(page))
	}
}

// TestHostedEmailOTPAndSelect: a user with a software token and an email
// address in an ON pool that offers both chooses on the SELECT_MFA_TYPE
// page; choosing email sends the code (read from the message log), which
// the code page takes; a code for someone else's step, or a choice not
// offered, is refused.
func TestHostedEmailOTPAndSelect(t *testing.T) {
	s := newMFASite(t, &cip.CreateUserPoolInput{EmailConfiguration: &types.EmailConfigurationType{
		EmailSendingAccount: types.EmailSendingAccountTypeDeveloper, From: aws.String("auth@example.com"),
		SourceArn: aws.String("arn:aws:ses:us-east-1:123456789012:identity/example.com")}},
		&cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOn,
			SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true},
			EmailMfaConfiguration:         &types.EmailMfaConfigType{Subject: aws.String("Sign-in code"), Message: aws.String("Your code is {####}.")}},
		callback)
	s.confirmedUser("fay", "Fay-pass-1234")
	// Email is the only factor at first: the code page straight away.
	b := newBrowserless(t)
	resp, page := b.signIn(s.hostedSite, "e", "fay", "Fay-pass-1234")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "We have sent a code by email to f***@e***") {
		t.Fatalf("EMAIL_OTP page: %d %q %.500s", resp.StatusCode, errorText(page), page)
	}
	form := readForm(t, s.ts.URL, page)
	code := lastDelivered(t, s.ts, cognito.DeliverMFACode, "fay")
	resp, page = b.submit(form, url.Values{"code": {code}})
	wantRedirectWithCode(t, resp, page, callback, "e")
	// The same form again: the session is used.
	if resp, page = b.submit(form, url.Values{"code": {code}}); resp.StatusCode != http.StatusBadRequest || errorText(page) != "Invalid session for the user." {
		t.Errorf("EMAIL_OTP replayed: %d %q", resp.StatusCode, errorText(page))
	}

	// With a software token as well, and no preference: the choice.
	ctx := context.Background()
	out, err := s.c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: aws.String(s.clientID), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "fay", "PASSWORD": "Fay-pass-1234"}})
	if err != nil || out.ChallengeName != types.ChallengeNameTypeEmailOtp {
		t.Fatalf("API sign-in: %+v %v", out, err)
	}
	// Signed in through the API, fay enrols a token with her access token.
	res, err := s.c.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: aws.String(s.clientID), ChallengeName: out.ChallengeName,
		Session: out.Session, ChallengeResponses: map[string]string{"USERNAME": "fay", "EMAIL_OTP_CODE": lastDelivered(t, s.ts, cognito.DeliverMFACode, "fay")}})
	if err != nil {
		t.Fatal(err)
	}
	tok := res.AuthenticationResult.AccessToken
	as, err := s.c.AssociateSoftwareToken(ctx, &cip.AssociateSoftwareTokenInput{AccessToken: tok})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.c.VerifySoftwareToken(ctx, &cip.VerifySoftwareTokenInput{AccessToken: tok, UserCode: aws.String(totpAt(t, *as.SecretCode, s.clock.Now()))}); err != nil {
		t.Fatal(err)
	}
	b = newBrowserless(t)
	resp, page = b.signIn(s.hostedSite, "sel", "fay", "Fay-pass-1234")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `name="mfa_type" value="SOFTWARE_TOKEN_MFA"`) || !strings.Contains(page, `name="mfa_type" value="EMAIL_OTP"`) {
		t.Fatalf("SELECT_MFA_TYPE page: %d %q %.700s", resp.StatusCode, errorText(page), page)
	}
	form = readForm(t, s.ts.URL, page)
	if resp, page = b.submit(form, url.Values{"mfa_type": {"SMS_MFA"}}); resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `value="EMAIL_OTP"`) {
		t.Errorf("a factor not offered: %d %q", resp.StatusCode, errorText(page))
	}
	resp, page = b.submit(form, url.Values{"mfa_type": {"EMAIL_OTP"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "We have sent a code by email") {
		t.Fatalf("after choosing email: %d %q", resp.StatusCode, errorText(page))
	}
	resp, page = b.submit(readForm(t, s.ts.URL, page), url.Values{"code": {lastDelivered(t, s.ts, cognito.DeliverMFACode, "fay")}})
	wantRedirectWithCode(t, resp, page, callback, "sel")
}

// hostTransport sends every request to the test server with the pool
// domain's Host.
type hostTransport struct{ host string }

func (h hostTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Host = h.host
	return http.DefaultTransport.RoundTrip(r)
}

// TestHostedMFAOnDomainHost: the set-up and the code step on the pool's
// domain host, where the pages hang from the root.
func TestHostedMFAOnDomainHost(t *testing.T) {
	s := newMFASite(t, nil, hostedTOTPOn(), callback)
	s.confirmedUser("mia", "Mia-pass-123")
	if _, err := s.c.CreateUserPoolDomain(context.Background(), &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(s.poolID), Domain: aws.String("mfa-pages")}); err != nil {
		t.Fatal(err)
	}
	_, port, _ := strings.Cut(strings.TrimPrefix(s.ts.URL, "http://"), ":")
	jar, _ := cookiejar.New(nil)
	b := &browserless{t: t, hc: &http.Client{Jar: jar, Transport: hostTransport{"mfa-pages.auth.us-east-1.localhost:" + port},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	q := s.query(s.clientID, "d").Encode()
	form, _ := b.open(s.hostedSite, s.ts.URL+"/login?"+q)
	resp, page := b.submit(form, url.Values{"username": {"mia"}, "password": {"Mia-pass-123"}})
	secret := setupPage(t, resp, page, "hosted", "mia")
	if !strings.Contains(page, `action="/mfa_setup?`) {
		t.Fatalf("set-up form on the domain host: %.600s", page)
	}
	resp, page = b.submit(readForm(t, s.ts.URL, page), url.Values{"code": {totpAt(t, secret, s.clock.Now())}})
	wantRedirectWithCode(t, resp, page, callback, "d")
	s.clock.Advance(30 * time.Second)
	b.hc.Jar, _ = cookiejar.New(nil)
	form, _ = b.open(s.hostedSite, s.ts.URL+"/login?"+q)
	_, page = b.submit(form, url.Values{"username": {"mia"}, "password": {"Mia-pass-123"}})
	if !strings.Contains(page, `action="/mfa?`) {
		t.Fatalf("code form on the domain host: %.600s", page)
	}
	resp, page = b.submit(readForm(t, s.ts.URL, page), url.Values{"code": {totpAt(t, secret, s.clock.Now())}})
	wantRedirectWithCode(t, resp, page, callback, "d")
}

// TestHostedNewPasswordThenSMS: a user created with a temporary password
// in an ON pool with SMS MFA chooses a new password on the hosted page,
// then gets the SMS code step (the masked number; the code from the
// message log); a wrong code is the domain's CodeMismatchException
// message on the same page, the right one signs in.
func TestHostedNewPasswordThenSMS(t *testing.T) {
	s := newMFASite(t, nil, &cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOn,
		SmsMfaConfiguration: &types.SmsMfaConfigType{SmsConfiguration: smsConfig, SmsAuthenticationMessage: aws.String("Your sign-in code is {####}")}}, callback)
	ctx := context.Background()
	if _, err := s.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(s.poolID), Username: aws.String("sam"),
		TemporaryPassword: aws.String("Temp-pass-123"), MessageAction: types.MessageActionTypeSuppress,
		UserAttributes: []types.AttributeType{{Name: aws.String("phone_number"), Value: aws.String("+15555550123")}}}); err != nil {
		t.Fatal(err)
	}
	b := newBrowserless(t)
	resp, page := b.signIn(s.hostedSite, `np"><script>alert(1)</script>`, "sam", "Temp-pass-123")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `name="new_password"`) {
		t.Fatalf("new password page: %d %q", resp.StatusCode, errorText(page))
	}
	resp, page = b.submit(readForm(t, s.ts.URL, page), url.Values{"new_password": {"Sam-pass-12345"}})
	if strings.Contains(page, "<script>") {
		t.Fatalf("state reflected unescaped on the code page: %.600s", page)
	}
	if resp.StatusCode != http.StatusOK || !strings.Contains(html.UnescapeString(page), "We have sent a code by text message to +*******0123.") {
		t.Fatalf("SMS_MFA page after the new password: %d %q %.900s", resp.StatusCode, errorText(page), page[strings.Index(page, "<h1"):])
	}
	form := readForm(t, s.ts.URL, page)
	code := lastDelivered(t, s.ts, cognito.DeliverMFACode, "sam")
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	if resp, page = b.submit(form, url.Values{"code": {wrong}}); resp.StatusCode != http.StatusBadRequest || errorText(page) != "Invalid code or auth state for the user." ||
		!strings.Contains(html.UnescapeString(page), "+*******0123") {
		t.Fatalf("wrong SMS code: %d %q", resp.StatusCode, errorText(page))
	}
	resp, page = b.submit(form, url.Values{"code": {code}})
	if got := s.exchange(t, wantRedirectWithCode(t, resp, page, callback, `np"><script>alert(1)</script>`)); got != "sam" {
		t.Fatalf("code of %s", got)
	}
	if st := s.status("sam"); st != types.UserStatusTypeConfirmed {
		t.Errorf("status %s", st)
	}
}

// TestHostedMFASourceLimit: the MFA pages' POSTs draw from the per-source
// sign-in limit like the sign-in form's: once it is spent, a right code
// is refused with Cognito's rate message and 429, and no code is issued.
func TestHostedMFASourceLimit(t *testing.T) {
	clock := newManualClock()
	ts := newTestServerWith(t, cognito.Limits{}, func(c *cognito.Config) { c.Now = clock.Now }, func(c *Config) {
		c.Limits = ratelimit.New(RateLimits(QuotaOptions{Off: true, SignIn: ratelimit.Rate{PerSecond: 1e-9, Burst: 3}}))
	})
	s := newHostedSite(t, ts, nil, callback)
	mfa := hostedTOTPOn()
	mfa.UserPoolId = aws.String(s.poolID)
	if _, err := s.c.SetUserPoolMfaConfig(context.Background(), mfa); err != nil {
		t.Fatal(err)
	}
	s.confirmedUser("mia", "Mia-pass-123")
	b := newBrowserless(t)
	resp, page := b.signIn(s, "l", "mia", "Mia-pass-123") // 1
	secret := setupPage(t, resp, page, "hosted", "mia")
	form := readForm(t, s.ts.URL, page)
	b.submit(form, url.Values{"code": {"000000"}}) // 2
	b.submit(form, url.Values{"code": {"000000"}}) // 3
	resp, page = b.submit(form, url.Values{"code": {totpAt(t, secret, clock.Now())}})
	if resp.StatusCode != http.StatusTooManyRequests || errorText(page) != cognito.MsgRateExceeded || resp.Header.Get("Retry-After") != "1" {
		t.Fatalf("over the limit: %d %q", resp.StatusCode, errorText(page))
	}
}

// refuseForged posts form as an attacker could: without its CSRF token,
// with another browser's cookie, from another site or origin. Each is
// refused with 403 and no redirect.
func refuseForged(t *testing.T, b *browserless, form hostedForm, fields url.Values) {
	t.Helper()
	if resp, _ := b.submit(hostedForm{action: form.action, hidden: url.Values{"flow": form.hidden["flow"]}}, fields); resp.StatusCode != http.StatusForbidden {
		t.Errorf("%s without a token: %d", form.action, resp.StatusCode)
	}
	if resp, _ := newBrowserless(t).submit(form, fields); resp.StatusCode != http.StatusForbidden {
		t.Errorf("%s with another browser's cookie: %d", form.action, resp.StatusCode)
	}
	for _, hdr := range []map[string]string{{"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"}, {"Origin": "https://evil.example"}} {
		v := url.Values{}
		for k, vs := range form.hidden {
			v[k] = vs
		}
		for k, vs := range fields {
			v[k] = vs
		}
		req, _ := http.NewRequest(http.MethodPost, form.action, strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, val := range hdr {
			req.Header.Set(k, val)
		}
		resp, err := b.hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "expired or was not sent from this page") {
			t.Errorf("%s with %v: %d", form.action, hdr, resp.StatusCode)
		}
	}
}
