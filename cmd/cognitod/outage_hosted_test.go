package main

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// hostedForm is a hosted sign-in form fetched while the database was up,
// to be sent while it is down.
type hostedForm struct {
	hc     *http.Client
	target string
	values url.Values
}

// fetchHostedForm makes an app client for the hosted UI and a user in
// poolID, and opens the sign-in form as a browser would (keeping its CSRF
// cookie).
func fetchHostedForm(t *testing.T, c *cip.Client, base, poolID string) *hostedForm {
	t.Helper()
	ctx := context.Background()
	cl, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &poolID, ClientName: aws.String("web"),
		AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeCode}, AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthScopes: []string{"openid"}, CallbackURLs: []string{"https://app.example/cb"}, SupportedIdentityProviders: []string{"COGNITO"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String("alice"), MessageAction: types.MessageActionTypeSuppress}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &poolID, Username: aws.String("alice"), Password: aws.String("Alice-pass-1"), Permanent: true}); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	q := url.Values{"response_type": {"code"}, "client_id": {*cl.UserPoolClient.ClientId}, "redirect_uri": {"https://app.example/cb"}, "scope": {"openid"}}
	login := base + "/" + poolID + "/login?" + q.Encode()
	resp, err := hc.Get(login)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	action := regexp.MustCompile(`action="([^"]+)"`).FindSubmatch(page)
	csrf := regexp.MustCompile(`name="_csrf" value="([^"]*)"`).FindSubmatch(page)
	if resp.StatusCode != http.StatusOK || action == nil || csrf == nil {
		t.Fatalf("login page: %d %.300s", resp.StatusCode, page)
	}
	u, _ := url.Parse(login)
	target, err := u.Parse(html.UnescapeString(string(action[1])))
	if err != nil {
		t.Fatal(err)
	}
	return &hostedForm{hc: hc, target: target.String(), values: url.Values{"username": {"alice"}, "password": {"Alice-pass-1"},
		"_csrf": {string(csrf[1])}, "signInSubmitButton": {"Sign in"}}}
}

// post sends the form and returns the status, Content-Type and page.
func (f *hostedForm) post(t *testing.T) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, f.target, strings.NewReader(f.values.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/html")
	resp, err := f.hc.Do(req)
	if err != nil {
		t.Fatalf("hosted sign-in: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
}

// checkHostedSignInDuringOutage: the form posted with the database down
// is answered 503 with an HTML page that says so (not 400 "Something went
// wrong", which reads as the user's mistake), whichever lookup fails first.
func checkHostedSignInDuringOutage(t *testing.T, f *hostedForm) {
	t.Helper()
	status, ctype, page := f.post(t)
	if status != http.StatusServiceUnavailable || !strings.HasPrefix(ctype, "text/html") ||
		!(strings.Contains(page, "temporarily unavailable") || strings.Contains(page, "temporarily_unavailable")) {
		t.Errorf("outage: hosted sign-in: %d %s %.400s", status, ctype, page)
	}
}

// checkHostedSignInAfterOutage: the same form signs in once the database
// is back (a fresh CSRF token is not needed: the form was only refused).
func checkHostedSignInAfterOutage(t *testing.T, f *hostedForm) {
	t.Helper()
	var status int
	var page string
	for range 50 { // the hosted sign-in is allowed a few failures while the pool reconnects
		status, _, page = f.post(t)
		if status == http.StatusFound {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Errorf("after the outage: hosted sign-in: %d %.400s", status, page)
}
