package server

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitod/cognitod/internal/cognito"
)

// consoleClient is a browser stand-in: a cookie jar, no redirects
// followed unless asked.
type consoleClient struct {
	t    *testing.T
	base string
	hc   *http.Client
	csrf string
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func newConsoleClient(t *testing.T, ts *testServer) *consoleClient {
	jar, _ := cookiejar.New(nil)
	return &consoleClient{t: t, base: ts.URL, hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *consoleClient) do(method, path string, form url.Values, header map[string]string) (*http.Response, string) {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, c.base+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if m := csrfField.FindStringSubmatch(string(b)); m != nil {
		c.csrf = m[1]
	}
	return resp, string(b)
}

func (c *consoleClient) get(path string) (*http.Response, string) {
	return c.do(http.MethodGet, path, nil, nil)
}

// post sends a form with the page's CSRF token.
func (c *consoleClient) post(path string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	form.Set("_csrf", c.csrf)
	return c.do(http.MethodPost, path, form, nil)
}

func (c *consoleClient) signIn(secret string) *http.Response {
	c.t.Helper()
	c.get("/console/signin")
	resp, _ := c.post("/console/signin", url.Values{"access_key_id": {testKeyID}, "secret_access_key": {secret}, "region": {"us-east-1"}, "next": {"/console/pools"}})
	return resp
}

func TestConsoleSessions(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	c := newConsoleClient(t, ts)

	resp, _ := c.get("/console/pools")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/console/signin") {
		t.Fatalf("unsigned: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp = c.signIn("wrong")
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong secret: %d, want 401", resp.StatusCode)
	}
	resp = c.signIn(testSecret)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/console/pools" {
		t.Fatalf("sign in: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	var session *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == "cognitod_console" {
			session = ck
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteStrictMode || session.Path != "/console" {
		t.Errorf("session cookie %+v: want HttpOnly, SameSite=Strict, Path=/console", session)
	}
	resp, body := c.get("/console/pools")
	if resp.StatusCode != 200 || !strings.Contains(body, "No user pools in us-east-1 yet") {
		t.Errorf("pools page: %d", resp.StatusCode)
	}
	for _, h := range []string{"Content-Security-Policy", "X-Frame-Options"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("no %s header", h)
		}
	}

	// Forms without the token, or from another origin, are refused.
	resp, _ = c.do(http.MethodPost, "/console/pools", url.Values{"name": {"x"}}, nil)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("post without CSRF token: %d, want 403", resp.StatusCode)
	}
	resp, _ = c.do(http.MethodPost, "/console/pools", url.Values{"name": {"x"}, "_csrf": {c.csrf}}, map[string]string{"Origin": "http://evil.example"})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("post from another origin: %d, want 403", resp.StatusCode)
	}
	resp, _ = c.do(http.MethodPost, "/console/pools", url.Values{"name": {"x"}, "_csrf": {c.csrf}}, map[string]string{"Sec-Fetch-Site": "cross-site"})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("post with Sec-Fetch-Site cross-site: %d, want 403", resp.StatusCode)
	}

	// Sign-out ends the session on the server, not just in the browser.
	c.get("/console/pools")
	c.post("/console/signout", url.Values{})
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/console/pools", nil)
	req.AddCookie(session)
	resp, err := (&http.Client{CheckRedirect: c.hc.CheckRedirect}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("old session cookie after sign-out: %d, want a redirect to sign in", resp.StatusCode)
	}
}

func TestConsoleSignInDoesNotRedirectOffSite(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	for _, next := range []string{"https://evil.example/", "//evil.example/console/", "/console/\\evil", "/elsewhere"} {
		c := newConsoleClient(t, ts)
		c.get("/console/signin")
		resp, _ := c.post("/console/signin", url.Values{"access_key_id": {testKeyID}, "secret_access_key": {testSecret}, "region": {"us-east-1"}, "next": {next}})
		if loc := resp.Header.Get("Location"); loc != "/console/pools" {
			t.Errorf("next=%q redirected to %q", next, loc)
		}
	}
	// The sign-in form itself needs its CSRF cookie: a cross-site sign-in is refused.
	fresh := newConsoleClient(t, ts)
	resp, _ := fresh.do(http.MethodPost, "/console/signin", url.Values{"access_key_id": {testKeyID}, "secret_access_key": {testSecret}}, nil)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("sign-in without the form's token: %d, want 403", resp.StatusCode)
	}
}

// TestConsoleFlows: the console's actions go through the API's rules and
// show its messages; text from users is escaped.
func TestConsoleFlows(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	c := newConsoleClient(t, ts)
	c.signIn(testSecret)
	c.get("/console/pools")

	_, body := c.post("/console/pools", url.Values{"name": {"bad/name"}})
	if !strings.Contains(body, "InvalidParameterException: 1 validation error detected: Value &#39;bad/name&#39; at &#39;poolName&#39;") {
		t.Errorf("bad pool name: the API's message not shown:\n%.600s", body)
	}
	resp, _ := c.post("/console/pools", url.Values{"name": {"photos"}})
	poolPath := strings.SplitN(resp.Header.Get("Location"), "?", 2)[0]
	poolID := strings.TrimPrefix(poolPath, "/console/pools/")
	if !strings.HasPrefix(poolID, "us-east-1_") {
		t.Fatalf("create pool redirected to %q", resp.Header.Get("Location"))
	}

	c.get(poolPath + "/resource-servers/new")
	resp, _ = c.post(poolPath+"/resource-servers", url.Values{"name": {"Photo Server"}, "identifier": {"com.example.photos"},
		"scope_name_0": {"read"}, "scope_description_0": {`<script>alert("x")</script>`}, "scope_name_1": {"write"}, "scope_description_1": {"update"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create resource server: %d", resp.StatusCode)
	}
	_, body = c.get(poolPath + "/app-integration")
	if strings.Contains(body, `<script>alert`) || !strings.Contains(body, `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;`) {
		t.Errorf("scope description not escaped")
	}
	// Duplicate identifier: the API's message.
	c.get(poolPath + "/resource-servers/new")
	_, body = c.post(poolPath+"/resource-servers", url.Values{"name": {"Again"}, "identifier": {"com.example.photos"}})
	if !strings.Contains(body, "InvalidParameterException: com.example.photos already exists in user pool "+poolID+".") {
		t.Errorf("duplicate identifier: message not shown")
	}

	c.get(poolPath + "/clients/new")
	// client_credentials without a secret: the API's rule.
	_, body = c.post(poolPath+"/clients", url.Values{"name": {"nosecret"}, "oauth_enabled": {"1"}, "flow": {"client_credentials"}, "scope": {"com.example.photos/read"}})
	if !strings.Contains(body, "InvalidOAuthFlowException: client_credentials flow can not be selected if client does not have a client secret.") {
		t.Errorf("client_credentials without a secret: message not shown")
	}
	resp, _ = c.post(poolPath+"/clients", url.Values{"name": {"m2m"}, "generate_secret": {"1"}, "oauth_enabled": {"1"}, "flow": {"client_credentials"}, "scope": {"com.example.photos/read"}, "access_token_minutes": {"15"}})
	clientPath := strings.SplitN(resp.Header.Get("Location"), "?", 2)[0]
	if !strings.Contains(clientPath, "/clients/") {
		t.Fatalf("create client redirected to %q", resp.Header.Get("Location"))
	}
	clientID := clientPath[strings.LastIndex(clientPath, "/")+1:]
	out, err := ts.client("us-east-1").DescribeUserPoolClient(context.Background(), &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(poolID), ClientId: aws.String(clientID)})
	if err != nil {
		t.Fatal(err)
	}
	uc := out.UserPoolClient
	if aws.ToInt32(uc.AccessTokenValidity) != 15 || uc.TokenValidityUnits.AccessToken != "minutes" || aws.ToString(uc.ClientSecret) == "" {
		t.Errorf("client made in the console: %+v", uc)
	}
	_, body = c.get(clientPath)
	if strings.Contains(body, aws.ToString(uc.ClientSecret)) {
		t.Error("client page shows the secret before it is asked for")
	}
	_, body = c.post(clientPath+"/secret", url.Values{})
	if !strings.Contains(body, aws.ToString(uc.ClientSecret)) {
		t.Error("Show client secret does not show it")
	}

	// Edit: allow write too; other settings kept.
	c.get(clientPath + "/edit")
	resp, _ = c.post(clientPath, url.Values{"name": {"m2m-renamed"}, "oauth_enabled": {"1"}, "flow": {"client_credentials"}, "scope": {"com.example.photos/read", "com.example.photos/write"}, "access_token_minutes": {"15"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit client: %d", resp.StatusCode)
	}
	out, _ = ts.client("us-east-1").DescribeUserPoolClient(context.Background(), &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(poolID), ClientId: aws.String(clientID)})
	if aws.ToString(out.UserPoolClient.ClientName) != "m2m-renamed" || len(out.UserPoolClient.AllowedOAuthScopes) != 2 || aws.ToInt32(out.UserPoolClient.AccessTokenValidity) != 15 {
		t.Errorf("after edit: %+v", out.UserPoolClient)
	}

	// Domain, then deleting the pool needs the domain gone and the name typed.
	c.get(poolPath + "/app-integration")
	c.post(poolPath+"/domain", url.Values{"domain": {"photos-login"}})
	_, body = c.get(poolPath)
	if !strings.Contains(body, "photos-login.auth.us-east-1.localhost") {
		t.Error("overview does not show the domain")
	}
	c.get(poolPath + "/delete")
	_, body = c.post(poolPath+"/delete", url.Values{"confirm": {"wrong"}})
	if !strings.Contains(body, "Type the pool&#39;s name to confirm.") {
		t.Error("delete without the name typed was not refused")
	}
	_, body = c.post(poolPath+"/delete", url.Values{"confirm": {"photos"}})
	if !strings.Contains(body, "User pool cannot be deleted. It has a domain configured that should be deleted first.") {
		t.Error("delete with a domain: the API's message not shown")
	}
	c.get(poolPath + "/app-integration")
	c.post(poolPath+"/domain/delete", url.Values{"domain": {"photos-login"}})
	c.get(poolPath + "/delete")
	resp, _ = c.post(poolPath+"/delete", url.Values{"confirm": {"photos"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("delete pool: %d", resp.StatusCode)
	}
	if _, err := ts.svc.LookupPool(context.Background(), poolID); err == nil {
		t.Error("pool still there")
	}
}

// TestConsolePagination: long lists page with Next links.
func TestConsolePagination(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	for i := range 23 {
		createPool(t, ts.client("us-east-1"), "pool"+string(rune('a'+i)))
	}
	c := newConsoleClient(t, ts)
	c.signIn(testSecret)
	_, body := c.get("/console/pools")
	next := regexp.MustCompile(`href="/console/pools\?next=([^"]+)"`).FindStringSubmatch(body)
	if next == nil || strings.Count(body, "<tr><td>") != 20 {
		t.Fatalf("first page: %d rows, next link %v", strings.Count(body, "<tr><td>"), next)
	}
	_, body = c.get("/console/pools?next=" + next[1])
	if strings.Count(body, "<tr><td>") != 3 || strings.Contains(body, "?next=") {
		t.Errorf("second page: %d rows", strings.Count(body, "<tr><td>"))
	}
}

// TestConsoleUsers: list, create (with the API's password rules) and
// delete users.
func TestConsoleUsers(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	poolID := createPool(t, ts.client("us-east-1"), "people")
	c := newConsoleClient(t, ts)
	c.signIn(testSecret)
	path := "/console/pools/" + poolID + "/users"
	_, body := c.get(path)
	if !strings.Contains(body, "No users yet") {
		t.Error("empty state missing")
	}
	_, body = c.post(path, url.Values{"username": {"bob"}, "email": {"bob@example.com"}, "temporary_password": {"short"}})
	if !strings.Contains(body, "InvalidPasswordException: Password did not conform with password policy: Password not long enough") {
		t.Errorf("weak temporary password: the API's message not shown")
	}
	resp, _ := c.post(path, url.Values{"username": {"bob"}, "email": {"bob@example.com"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create user: %d", resp.StatusCode)
	}
	_, body = c.get(path)
	if !strings.Contains(body, "bob@example.com") || !strings.Contains(body, "FORCE_CHANGE_PASSWORD") || !strings.Contains(body, "temporary password is in the server log") {
		t.Errorf("users page after create: %.500s", body)
	}
	if !strings.Contains(ts.log.String(), "MESSAGE FOR A USER") {
		t.Error("the generated temporary password was not written to the log")
	}
	c.post(path+"/delete?username=bob", url.Values{})
	if _, err := ts.client("us-east-1").AdminGetUser(context.Background(), &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String("bob")}); err == nil {
		t.Error("user still there after delete")
	}
}
