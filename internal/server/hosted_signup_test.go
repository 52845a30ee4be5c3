package server

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/ratelimit"
)

// TestHostedSignUpConfirmAndSignIn: the sign-in form links to sign-up
// with the authorize parameters; the sign-up form shows the pool's
// password rules and asks for the email the pool verifies; the domain's
// refusals (weak password, taken name) come back on the page; the code
// the message sender delivered confirms the user (a wrong one is
// refused, a resent one replaces it), and confirming signs the user in:
// a redirect to the callback with a code and the state, which the token
// endpoint exchanges for tokens of that user.
func TestHostedSignUpConfirmAndSignIn(t *testing.T) {
	ts := newMessagingServer(t, nil, nil)
	s := newHostedSite(t, ts, nil, callback)
	b := newBrowserless(t)
	q := s.query(s.clientID, "st-1")

	_, login := b.open(s, s.page("/login", q))
	signUpLink := regexp.MustCompile(`id="signUpLink" href="([^"]+)"`).FindStringSubmatch(login)
	if signUpLink == nil || !strings.Contains(login, `id="forgotPasswordLink"`) {
		t.Fatalf("sign-in form without its links: %.600s", login)
	}
	linked, _ := url.Parse(html.UnescapeString(signUpLink[1]))
	if linked.Path != "/"+s.poolID+"/signup" || linked.Query().Encode() != q.Encode() {
		t.Errorf("sign-up link %s does not carry the authorize parameters %s", linked, q.Encode())
	}

	form, page := b.open(s, s.page("/signup", q))
	for _, want := range []string{`name="requiredAttributes[email]" type="email"`, "At least 8 characters", "An uppercase letter", "A number", "A special character"} {
		if !strings.Contains(page, want) {
			t.Errorf("sign-up form lacks %q", want)
		}
	}
	fields := url.Values{"username": {"carol"}, "requiredAttributes[email]": {"carol@example.com"}, "password": {"short"}}
	resp, page := b.submit(form, fields)
	if resp.StatusCode != http.StatusBadRequest || !strings.HasPrefix(errorText(page), "Password did not conform with policy: ") {
		t.Fatalf("weak password: %d %q", resp.StatusCode, errorText(page))
	}
	if !strings.Contains(page, `value="carol@example.com"`) || strings.Contains(page, `value="short"`) {
		t.Error("the refused form should keep the username and attributes, never the password")
	}
	fields.Set("password", "Carol-pass-1")
	resp, page = b.submit(readForm(t, ts.URL, page), fields)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "We have sent a code by email to c***@e***") {
		t.Fatalf("sign-up: %d %q %.400s", resp.StatusCode, errorText(page), page)
	}
	if st := s.status("carol"); st != types.UserStatusTypeUnconfirmed {
		t.Fatalf("after sign-up: %s", st)
	}
	confirmForm := readForm(t, ts.URL, page)
	if confirmForm.hidden.Get("flow") == "" || !strings.Contains(confirmForm.action, "/confirm?") {
		t.Fatalf("confirm form %+v", confirmForm)
	}
	first := lastDelivered(t, ts, cognito.DeliverSignUpCode, "carol")

	wrong := "000000"
	if first == wrong {
		wrong = "111111"
	}
	resp, page = b.submit(confirmForm, url.Values{"code": {wrong}})
	if resp.StatusCode != http.StatusBadRequest || errorText(page) != cognito.ErrCodeMismatch.Message {
		t.Fatalf("wrong code: %d %q", resp.StatusCode, errorText(page))
	}
	resp, page = b.submit(readForm(t, ts.URL, page), url.Values{"resend": {"1"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "We have sent a code by email") {
		t.Fatalf("resend: %d %q", resp.StatusCode, errorText(page))
	}
	code, n := lastCode(t, ts, cognito.DeliverSignUpCode, "carol")
	if n != 2 {
		t.Fatalf("%d sign-up codes sent, want 2", n)
	}
	resp, page = b.submit(readForm(t, ts.URL, page), url.Values{"code": {code}})
	authCode := wantRedirectWithCode(t, resp, page, callback, "st-1")
	if st := s.status("carol"); st != types.UserStatusTypeConfirmed {
		t.Fatalf("after confirm: %s", st)
	}
	tok, err := s.oauth(s.clientID, "").Exchange(context.Background(), authCode)
	if err != nil {
		t.Fatal(err)
	}
	idTok, _ := tok.Extra("id_token").(string)
	if c := claims(t, idTok); c["cognito:username"] != "carol" || c["email"] != "carol@example.com" || c["email_verified"] != true {
		t.Errorf("ID token claims %v", c)
	}
	// The session cookie is set: a second authorize is silent.
	resp, _ = b.get(s.page("/oauth2/authorize", q))
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, callback+"?") {
		t.Errorf("authorize after the sign-up: %d %s", resp.StatusCode, loc)
	}

	// The name is taken now: the domain's message.
	b2 := newBrowserless(t)
	form, _ = b2.open(s, s.page("/signup", q))
	resp, page = b2.submit(form, fields)
	if resp.StatusCode != http.StatusBadRequest || errorText(page) != "User already exists" {
		t.Errorf("second sign-up of carol: %d %q", resp.StatusCode, errorText(page))
	}
}

// TestHostedSignUpWithSecretClientAndEmailUsername: a pool whose
// usernames are email addresses asks for an email as the username; a
// client with a secret signs up through the pages (they compute its
// SECRET_HASH), and the code flow with its secret exchanges the code.
func TestHostedSignUpWithSecretClientAndEmailUsername(t *testing.T) {
	ts := newMessagingServer(t, nil, nil)
	s := newHostedSite(t, ts, &cip.CreateUserPoolInput{UsernameAttributes: []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}}, callback)
	b := newBrowserless(t)
	q := s.query(s.secretID, "st-2")
	form, page := b.open(s, s.page("/signup", q))
	if !strings.Contains(page, `name="username" type="email"`) || strings.Contains(page, "requiredAttributes[email]") {
		t.Fatalf("email-username sign-up form: %.800s", page)
	}
	resp, page := b.submit(form, url.Values{"username": {"erin@example.com"}, "password": {"Erin-pass-12"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("sign-up: %d %q", resp.StatusCode, errorText(page))
	}
	// The log names the user by the username Cognito generated (a sub).
	m := regexp.MustCompile(`sign-up confirmation code" .*?username=(\S+) medium=EMAIL to=erin@example.com code=(\S+)`).FindStringSubmatch(ts.log.String())
	if m == nil {
		t.Fatalf("no code for erin in the log:\n%s", ts.log.String())
	}
	resp, page = b.submit(readForm(t, ts.URL, page), url.Values{"code": {m[2]}})
	code := wantRedirectWithCode(t, resp, page, callback, "st-2")
	if _, err := s.oauth(s.secretID, s.secret).Exchange(context.Background(), code); err != nil {
		t.Fatal(err)
	}
}

// TestHostedConfirmWithoutTheFlow: a confirmation without the sealed
// flow of this browser's sign-up (a link opened later, or a flow value
// carried to another browser) confirms the user but does not sign them
// in: it goes on to the sign-in form.
func TestHostedConfirmWithoutTheFlow(t *testing.T) {
	ts := newMessagingServer(t, nil, nil)
	s := newHostedSite(t, ts, nil, callback)
	q := s.query(s.clientID, "st-3")
	a := newBrowserless(t)
	form, _ := a.open(s, s.page("/signup", q))
	resp, page := a.submit(form, url.Values{"username": {"dave"}, "requiredAttributes[email]": {"dave@example.com"}, "password": {"Dave-pass-12"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("sign-up: %d %q", resp.StatusCode, errorText(page))
	}
	stolenFlow := readForm(t, ts.URL, page).hidden.Get("flow")
	code := lastDelivered(t, ts, cognito.DeliverSignUpCode, "dave")

	b := newBrowserless(t)
	bq := url.Values{}
	for k, v := range q {
		bq[k] = v
	}
	bq.Set("username", "dave")
	form, page = b.open(s, s.page("/confirm", bq))
	if !strings.Contains(page, `name="username" type="text" value="dave"`) {
		t.Errorf("confirm page without a flow should ask for the username: %.600s", page)
	}
	resp, page = b.submit(form, url.Values{"username": {"dave"}, "code": {code}, "flow": {stolenFlow}})
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, "/"+s.poolID+"/login?") || strings.Contains(loc, "username") {
		t.Fatalf("confirm in another browser: %d %s %q", resp.StatusCode, loc, errorText(page))
	}
	if st := s.status("dave"); st != types.UserStatusTypeConfirmed {
		t.Fatalf("after confirm: %s", st)
	}
	for _, c := range b.hc.Jar.Cookies(mustURL(t, ts.URL+"/"+s.poolID+"/")) {
		if c.Name == "cognito" {
			t.Error("a flow from another browser signed this one in")
		}
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestHostedSignUpRefusedWhenAdminOnly: with AllowAdminCreateUserOnly,
// the sign-in form has no sign-up link, and /signup refuses both the
// form and a post, creating no user.
func TestHostedSignUpRefusedWhenAdminOnly(t *testing.T) {
	ts := newMessagingServer(t, nil, nil)
	s := newHostedSite(t, ts, &cip.CreateUserPoolInput{AdminCreateUserConfig: &types.AdminCreateUserConfigType{AllowAdminCreateUserOnly: true}}, callback)
	b := newBrowserless(t)
	q := s.query(s.clientID, "st-4")
	loginForm, login := b.open(s, s.page("/login", q))
	if strings.Contains(login, "signUpLink") || strings.Contains(login, "/signup") || !strings.Contains(login, "forgotPasswordLink") {
		t.Errorf("admin-only pool's sign-in form: %.800s", login)
	}
	resp, page := b.get(s.page("/signup", q))
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(page, "Sign-up is not allowed for this user pool.") {
		t.Errorf("GET /signup: %d %.300s", resp.StatusCode, page)
	}
	resp, _ = b.post(s.page("/signup", q), url.Values{"_csrf": loginForm.hidden["_csrf"], "username": {"mallory"},
		"requiredAttributes[email]": {"m@example.com"}, "password": {"Mallory-pass-1"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST /signup: %d", resp.StatusCode)
	}
	if _, err := s.c.AdminGetUser(context.Background(), &cip.AdminGetUserInput{UserPoolId: aws.String(s.poolID), Username: aws.String("mallory")}); err == nil {
		t.Error("a user was created")
	}
}

// TestHostedForgotPasswordAndReset: the reset page sends a code to a
// known user and answers an unknown name with the same page; the code
// and a new password (twice) reset it and go back to the sign-in form,
// where the new password signs in. Mismatched passwords and a wrong code
// are refused on the page.
func TestHostedForgotPasswordAndReset(t *testing.T) {
	ts := newMessagingServer(t, nil, nil)
	s := newHostedSite(t, ts, nil, callback)
	s.confirmedUser("frank", "Frank-pass-1")
	q := s.query(s.clientID, "st-5")

	shape := func(page string) string {
		page = regexp.MustCompile(`value="[^"]*"`).ReplaceAllString(page, `value=""`)
		return regexp.MustCompile(`to [^ ]+@[^ ]+\.`).ReplaceAllString(page, "to X.")
	}
	var pages []string
	var forms []hostedForm
	var browsers []*browserless
	for _, name := range []string{"frank", "nobody"} {
		b := newBrowserless(t)
		form, page := b.open(s, s.page("/forgotPassword", q))
		if !strings.Contains(page, "Reset my password") {
			t.Fatalf("forgot page: %.300s", page)
		}
		resp, page := b.submit(form, url.Values{"username": {name}})
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, "We have sent a code by email to ") {
			t.Fatalf("forgot %s: %d %q", name, resp.StatusCode, errorText(page))
		}
		pages, forms, browsers = append(pages, shape(page)), append(forms, readForm(t, ts.URL, page)), append(browsers, b)
	}
	if pages[0] != pages[1] {
		t.Errorf("an unknown name's page differs from a known one's:\n%s\n---\n%s", pages[0], pages[1])
	}
	code := lastDelivered(t, ts, cognito.DeliverForgotPasswordCode, "frank")
	b, form := browsers[0], forms[0]
	resp, page := b.submit(form, url.Values{"code": {code}, "password": {"Frank-new-2"}, "confirm_password": {"Frank-new-3"}})
	if resp.StatusCode != http.StatusBadRequest || errorText(page) != "Passwords do not match." {
		t.Fatalf("mismatched passwords: %d %q", resp.StatusCode, errorText(page))
	}
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	resp, page = b.submit(readForm(t, ts.URL, page), url.Values{"code": {wrong}, "password": {"Frank-new-2"}, "confirm_password": {"Frank-new-2"}})
	if resp.StatusCode != http.StatusBadRequest || errorText(page) != cognito.ErrCodeMismatch.Message {
		t.Fatalf("wrong code: %d %q", resp.StatusCode, errorText(page))
	}
	// The unknown name's code is refused as a wrong one is.
	resp, page2 := browsers[1].submit(forms[1], url.Values{"code": {wrong}, "password": {"Frank-new-2"}, "confirm_password": {"Frank-new-2"}})
	if resp.StatusCode != http.StatusBadRequest || errorText(page2) != cognito.ErrCodeMismatch.Message {
		t.Errorf("unknown name's code: %d %q", resp.StatusCode, errorText(page2))
	}
	resp, page = b.submit(readForm(t, ts.URL, page), url.Values{"code": {code}, "password": {"Frank-new-2"}, "confirm_password": {"Frank-new-2"}})
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || loc != "/"+s.poolID+"/login?"+q.Encode() {
		t.Fatalf("reset: %d %s %q", resp.StatusCode, loc, errorText(page))
	}
	final, page := newBrowserless(t).signInOverHTTP(s.page("/oauth2/authorize", q), "frank", "Frank-new-2")
	if final == nil || final.Query().Get("code") == "" {
		t.Fatalf("sign-in with the new password: %q", errorText(page))
	}
	if final, _ := newBrowserless(t).signInOverHTTP(s.page("/oauth2/authorize", q), "frank", "Frank-pass-1"); final != nil {
		t.Error("the old password still signs in")
	}
}

// TestHostedRecoveryOffWhenAdminOnly: AccountRecoverySetting admin_only
// hides the link and refuses the pages.
func TestHostedRecoveryOffWhenAdminOnly(t *testing.T) {
	ts := newMessagingServer(t, nil, nil)
	s := newHostedSite(t, ts, &cip.CreateUserPoolInput{AccountRecoverySetting: &types.AccountRecoverySettingType{
		RecoveryMechanisms: []types.RecoveryOptionType{{Name: types.RecoveryOptionNameTypeAdminOnly, Priority: aws.Int32(1)}}}}, callback)
	b := newBrowserless(t)
	q := s.query(s.clientID, "st-6")
	if _, login := b.open(s, s.page("/login", q)); strings.Contains(login, "forgotPasswordLink") || !strings.Contains(login, "signUpLink") {
		t.Errorf("admin-only recovery sign-in form: %.600s", login)
	}
	for _, path := range []string{"/forgotPassword", "/confirmForgotPassword"} {
		if resp, _ := b.get(s.page(path, q)); resp.StatusCode != http.StatusForbidden {
			t.Errorf("GET %s: %d", path, resp.StatusCode)
		}
	}
}

// TestHostedPagesRefuseForgedPosts: every hosted POST is checked as the
// sign-in form's: no token, a token of another browser, a cross-site
// fetch or a foreign Origin is refused with 403 before the domain is
// called; a bad authorize parameter is the authorize error.
func TestHostedPagesRefuseForgedPosts(t *testing.T) {
	ts := newMessagingServer(t, nil, nil)
	s := newHostedSite(t, ts, nil, callback)
	q := s.query(s.clientID, "st-7")
	for _, path := range []string{"/signup", "/confirm", "/forgotPassword", "/confirmForgotPassword"} {
		b := newBrowserless(t)
		form, _ := b.open(s, s.page(path, q))
		fields := url.Values{"username": {"victim"}, "requiredAttributes[email]": {"v@example.com"}, "password": {"Victim-pass-1"}, "code": {"123456"}}
		if resp, _ := b.submit(hostedForm{action: form.action, hidden: url.Values{}}, fields); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s without a token: %d", path, resp.StatusCode)
		}
		other := newBrowserless(t)
		if resp, _ := other.submit(form, fields); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s with another browser's token: %d", path, resp.StatusCode)
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
			resp.Body.Close()
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s with %v: %d", path, hdr, resp.StatusCode)
			}
		}
		bad := s.query(s.clientID, "st-7")
		bad.Set("redirect_uri", "https://evil.example/cb")
		if resp, page := b.get(s.page(path, bad)); resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, "redirect_mismatch") {
			t.Errorf("%s with an unregistered redirect_uri: %d %.200s", path, resp.StatusCode, page)
		}
	}
	if _, err := s.c.AdminGetUser(context.Background(), &cip.AdminGetUserInput{UserPoolId: aws.String(s.poolID), Username: aws.String("victim")}); err == nil {
		t.Error("a forged post created a user")
	}
}

// TestHostedPagesEscapeAndLimit: what a page reflects is escaped (the
// username, the state in the links); an anonymous caller's posts are
// limited per source as sign-ins are (429 with Cognito's "Rate
// exceeded"), before the domain is called.
func TestHostedPagesEscapeAndLimit(t *testing.T) {
	ts := newTestServerWith(t, cognito.Limits{}, nil, func(c *Config) {
		c.Limits = ratelimit.New(RateLimits(QuotaOptions{Off: true, SignIn: ratelimit.Rate{PerSecond: 1e-9, Burst: 3}}))
	})
	s := newHostedSite(t, ts, nil, callback)
	q := s.query(s.clientID, `"><script>alert(1)</script>`)
	b := newBrowserless(t)
	form, page := b.open(s, s.page("/signup", q))
	if strings.Contains(page, "<script>") {
		t.Fatalf("state reflected unescaped: %.600s", page)
	}
	resp, page := b.submit(form, url.Values{"username": {`<img src=x onerror=alert(1)>`}, "requiredAttributes[email]": {`"><b>x`}, "password": {"x"}})
	if resp.StatusCode != http.StatusBadRequest || strings.Contains(page, "<img src=x") || strings.Contains(page, `"><b>`) || !strings.Contains(page, "&lt;img src=x") {
		t.Errorf("reflected input: %d %.900s", resp.StatusCode, page)
	}
	var status []int
	for range 4 {
		form, _ := b.open(s, s.page("/forgotPassword", q))
		resp, page := b.submit(form, url.Values{"username": {"nobody"}})
		status = append(status, resp.StatusCode)
		if resp.StatusCode == http.StatusTooManyRequests && errorText(page) != cognito.MsgRateExceeded {
			t.Errorf("throttled page says %q", errorText(page))
		}
	}
	// Three tokens in the bucket: the sign-up above and two resets.
	if status[0] != 200 || status[1] != 200 || status[2] != 429 || status[3] != 429 {
		t.Errorf("statuses %v, want 200 200 429 429", status)
	}
	if strings.Count(ts.log.String(), "password reset code") > 2 {
		t.Error("a throttled request sent a code")
	}
}

// TestHostedPagesOnDomainHost: the pages are served on the pool's domain
// host too, with links and form actions on that host.
func TestHostedPagesOnDomainHost(t *testing.T) {
	ts := newMessagingServer(t, nil, nil)
	s := newHostedSite(t, ts, nil, callback)
	if _, err := s.c.CreateUserPoolDomain(context.Background(), &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(s.poolID), Domain: aws.String("hosted-pages")}); err != nil {
		t.Fatal(err)
	}
	_, port, _ := strings.Cut(strings.TrimPrefix(ts.URL, "http://"), ":")
	host := "hosted-pages.auth.us-east-1.localhost:" + port
	get := func(path string) (*http.Response, string) {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+path, nil)
		req.Host = host
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	q := s.query(s.clientID, "d").Encode()
	_, login := get("/login?" + q)
	if !strings.Contains(login, `href="/signup?`) || !strings.Contains(login, `href="/forgotPassword?`) {
		t.Errorf("links on the domain host: %.800s", login)
	}
	for _, path := range []string{"/signup", "/confirm", "/forgotPassword", "/confirmForgotPassword"} {
		resp, page := get(path + "?" + q)
		if resp.StatusCode != 200 || !strings.Contains(page, `action="`+path+`?`) || !strings.Contains(page, `href="/_static/login.css"`) {
			t.Errorf("%s on the domain host: %d %.300s", path, resp.StatusCode, page)
		}
	}
}

// TestHostedSignUpWithoutVerification: a pool that verifies no attribute
// sends no code; the page says an administrator confirms the account.
func TestHostedSignUpWithoutVerification(t *testing.T) {
	ts := newMessagingServer(t, nil, nil)
	s := newHostedSite(t, ts, &cip.CreateUserPoolInput{AutoVerifiedAttributes: []types.VerifiedAttributeType{}}, callback)
	b := newBrowserless(t)
	form, page := b.open(s, s.page("/signup", s.query(s.clientID, "n")))
	if strings.Contains(page, "requiredAttributes[") {
		t.Errorf("a pool that requires and verifies nothing asks for attributes: %.600s", page)
	}
	resp, page := b.submit(form, url.Values{"username": {"ivan"}, "password": {"Ivan-pass-12"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "An administrator must confirm it") {
		t.Fatalf("sign-up: %d %q %.400s", resp.StatusCode, errorText(page), page)
	}
	if st := s.status("ivan"); st != types.UserStatusTypeUnconfirmed {
		t.Errorf("status %s", st)
	}
	if strings.Contains(ts.log.String(), "sign-up confirmation code") {
		t.Error("a code was sent")
	}
}
