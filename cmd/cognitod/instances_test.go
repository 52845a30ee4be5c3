package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/store/postgres/pgtest"
)

// TestTwoInstancesRaceOnPostgres: two `cognitod serve` processes on one
// PostgreSQL schema, as a load balancer would put them behind one name
// (the cookie jar holds 127.0.0.1's cookies for both ports, as a browser
// holds them for one host). A hosted-login session logged out at A is
// refused at B; one authorization code redeemed at A and at B at the same
// instant gives tokens once; one resource server Identifier created
// through A and through B at the same instant is created once.
func TestTwoInstancesRaceOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts cognitod processes")
	}
	_, dsn := pgtest.Schema(t)
	dataDir := t.TempDir()
	ctx := context.Background()
	if err := migrateCmd([]string{"--db", dsn}, io.Discard, io.Discard); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	// Cognito's request-rate quotas are per process (a race of 30 pairs
	// of CreateResourceServer would pass them); the races are the point.
	a := start(t, dataDir, "--addr", "127.0.0.1:0", "--db", dsn, "--quotas", "off")
	b := start(t, dataDir, "--addr", "127.0.0.1:0", "--db", dsn, "--quotas", "off")
	ca, cb := sdkClient(t, dataDir, a.url), sdkClient(t, dataDir, b.url)

	pool, err := ca.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("race")})
	if err != nil {
		t.Fatal(err)
	}
	poolID := *pool.UserPool.Id
	const callback = "http://localhost:8081/callback"
	cl, err := ca.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &poolID, ClientName: aws.String("web"),
		AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeCode}, AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthScopes: []string{"openid", "email"}, CallbackURLs: []string{callback}, LogoutURLs: []string{"http://localhost:8081/"}})
	if err != nil {
		t.Fatal(err)
	}
	clientID := *cl.UserPoolClient.ClientId
	if _, err := ca.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String("alice"),
		MessageAction: types.MessageActionTypeSuppress, TemporaryPassword: aws.String("Temp-pass-1"),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("alice@example.com")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := ca.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &poolID, Username: aws.String("alice"),
		Password: aws.String("Alice-pass-1"), Permanent: true}); err != nil {
		t.Fatal(err)
	}
	authorizeURL := func(base, state string) string {
		return base + "/" + poolID + "/oauth2/authorize?" + url.Values{"response_type": {"code"}, "client_id": {clientID},
			"redirect_uri": {callback}, "scope": {"openid email"}, "state": {state}}.Encode()
	}
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func(req *http.Request) (*http.Response, string) {
		t.Helper()
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, string(body)
	}
	get := func(u string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		return do(req)
	}
	// silentCode is a signed-in browser's authorize: a code straight
	// away, or "" when the instance sends it to sign in.
	silentCode := func(base string) string {
		t.Helper()
		resp, _ := get(authorizeURL(base, "silent"))
		if resp.StatusCode != http.StatusFound {
			t.Fatalf("authorize at %s: %d", base, resp.StatusCode)
		}
		loc, err := url.Parse(resp.Header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		return loc.Query().Get("code")
	}

	t.Run("logout at A is seen by B", func(t *testing.T) {
		signInAt(t, hc, a.url, authorizeURL(a.url, "s"))
		if silentCode(b.url) == "" {
			t.Fatal("B does not honour the session signed in at A")
		}
		// A copy of the cookies from before the logout: a stolen cookie,
		// or a tab that never saw the logout. With the jar alone the test
		// could pass because /logout cleared the cookie.
		u, _ := url.Parse(a.url + "/" + poolID + "/oauth2/authorize")
		saved := jar.Cookies(u)
		if len(saved) == 0 {
			t.Fatal("no session cookie")
		}
		resp, _ := get(a.url + "/" + poolID + "/logout?" + url.Values{"client_id": {clientID}, "logout_uri": {"http://localhost:8081/"}}.Encode())
		if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "http://localhost:8081/" {
			t.Fatalf("logout at A: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		copyJar, _ := cookiejar.New(nil)
		copyJar.SetCookies(u, saved)
		hc.Jar = copyJar
		defer func() { hc.Jar = jar }()
		resp, _ = get(authorizeURL(b.url, "after"))
		loc, _ := url.Parse(resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusFound || loc.Query().Get("code") != "" || !strings.Contains(loc.Path, "/login") {
			t.Errorf("the cookie logged out at A, at B: %d %s; want a redirect to sign in", resp.StatusCode, loc)
		}
	})

	t.Run("one code redeemed at A and B at once", func(t *testing.T) {
		jar, _ = cookiejar.New(nil)
		hc.Jar = jar
		signInAt(t, hc, a.url, authorizeURL(a.url, "again"))
		redeem := func(base, code string) (int, string) {
			resp, err := http.PostForm(base+"/"+poolID+"/oauth2/token", url.Values{
				"grant_type": {"authorization_code"}, "client_id": {clientID}, "code": {code}, "redirect_uri": {callback}})
			if err != nil {
				return 0, err.Error()
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(body)
		}
		// A code issued at A is good at B alone: else B would lose every
		// race below by not knowing the code, and the race would prove
		// nothing.
		if status, body := redeem(b.url, silentCode(a.url)); status != 200 {
			t.Fatalf("a code issued at A, redeemed at B alone: %d %.200s", status, body)
		}
		const rounds = 30
		wins := [2]int{}
		for i := range rounds {
			code := silentCode(a.url)
			if code == "" {
				t.Fatalf("round %d: no code", i)
			}
			var start, done sync.WaitGroup
			start.Add(1)
			results := make([]struct {
				status int
				body   string
			}, 2)
			for j, base := range []string{a.url, b.url} {
				done.Add(1)
				go func() {
					defer done.Done()
					req, _ := http.NewRequest(http.MethodPost, base+"/"+poolID+"/oauth2/token", strings.NewReader(url.Values{
						"grant_type": {"authorization_code"}, "client_id": {clientID}, "code": {code}, "redirect_uri": {callback}}.Encode()))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					start.Wait()
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						results[j].body = err.Error()
						return
					}
					defer resp.Body.Close()
					body, _ := io.ReadAll(resp.Body)
					results[j].status, results[j].body = resp.StatusCode, string(body)
				}()
			}
			start.Done()
			done.Wait()
			ok, refused := 0, 0
			for j, r := range results {
				var out struct {
					AccessToken string `json:"access_token"`
					IDToken     string `json:"id_token"`
					Error       string `json:"error"`
				}
				json.Unmarshal([]byte(r.body), &out)
				switch {
				case r.status == 200 && out.AccessToken != "" && out.IDToken != "":
					ok++
					wins[j]++
				case r.status == 400 && out.Error == "invalid_grant":
					refused++
				}
			}
			if ok != 1 || refused != 1 {
				t.Fatalf("round %d: one code at A and B at once: %d %.200s / %d %.200s; want one 200 with tokens and one invalid_grant",
					i, results[0].status, results[0].body, results[1].status, results[1].body)
			}
		}
		t.Logf("%d codes, each redeemed at A and B at once: exactly one redemption succeeded every time (A won %d, B %d)", rounds, wins[0], wins[1])
	})

	t.Run("one Identifier created through A and B at once", func(t *testing.T) {
		const rounds = 30
		wins := [2]int{}
		var dup *types.InvalidParameterException
		for i := range rounds {
			id := fmt.Sprintf("https://api%d.example.com", i)
			var start, done sync.WaitGroup
			start.Add(1)
			errs := make([]error, 2)
			for j, c := range []*cip.Client{ca, cb} {
				done.Add(1)
				go func() {
					defer done.Done()
					start.Wait()
					_, errs[j] = c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: &poolID, Identifier: aws.String(id),
						Name: aws.String(fmt.Sprint("via", j)), Scopes: []types.ResourceServerScopeType{{ScopeName: aws.String("read"), ScopeDescription: aws.String("read")}}})
				}()
			}
			start.Done()
			done.Wait()
			created, duplicate := 0, 0
			for j, err := range errs {
				switch {
				case err == nil:
					created++
					wins[j]++
				case errors.As(err, &dup) && dup.ErrorMessage() == id+" already exists in user pool "+poolID+".":
					duplicate++
				}
			}
			if created != 1 || duplicate != 1 {
				t.Fatalf("round %d: %q created through A and B at once: %v / %v; want one success and one InvalidParameterException", i, id, errs[0], errs[1])
			}
			for _, c := range []*cip.Client{ca, cb} {
				if _, err := c.DescribeResourceServer(ctx, &cip.DescribeResourceServerInput{UserPoolId: &poolID, Identifier: aws.String(id)}); err != nil {
					t.Fatalf("round %d: Describe: %v", i, err)
				}
			}
			list, err := cb.ListResourceServers(ctx, &cip.ListResourceServersInput{UserPoolId: &poolID, MaxResults: aws.Int32(50)})
			if err != nil || len(list.ResourceServers) != 1 || *list.ResourceServers[0].Identifier != id {
				t.Fatalf("round %d: ListResourceServers through B: %v, %d servers, want only %q", i, err, len(list.ResourceServers), id)
			}
			// Deleted each round: a pool holds at most 25.
			if _, err := cb.DeleteResourceServer(ctx, &cip.DeleteResourceServerInput{UserPoolId: &poolID, Identifier: aws.String(id)}); err != nil {
				t.Fatal(err)
			}
		}
		t.Logf("%d Identifiers, each created through A and B at once: exactly one creation succeeded every time (through A %d, B %d)", rounds, wins[0], wins[1])
	})
}

// TestSharedSignInStateOnPostgres: the state kept for failed guesses is
// shared by two `cognitod serve` processes on one PostgreSQL schema: a
// reset code pretended sent to an unknown name at A is known at B
// (CodeMismatchException, as for a real user, where a per-process memory
// answered ExpiredCodeException), and console sign-in failures at A and
// B count together.
func TestSharedSignInStateOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts cognitod processes")
	}
	_, dsn := pgtest.Schema(t)
	dataDir := t.TempDir()
	ctx := context.Background()
	if err := migrateCmd([]string{"--db", dsn}, io.Discard, io.Discard); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	a := start(t, dataDir, "--addr", "127.0.0.1:0", "--db", dsn)
	b := start(t, dataDir, "--addr", "127.0.0.1:0", "--db", dsn)
	ca, cb := sdkClient(t, dataDir, a.url), sdkClient(t, dataDir, b.url)

	t.Run("a pretended reset code asked for at A is known at B", func(t *testing.T) {
		pool, err := ca.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("phantom")})
		if err != nil {
			t.Fatal(err)
		}
		cl, err := ca.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: pool.UserPool.Id, ClientName: aws.String("app"),
			PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled})
		if err != nil {
			t.Fatal(err)
		}
		confirm := func(c *cip.Client) string {
			_, err := c.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: cl.UserPoolClient.ClientId, Username: aws.String("ghost"),
				ConfirmationCode: aws.String("000000"), Password: aws.String("Some-new-pass-12")})
			var ae interface{ ErrorCode() string }
			if !errors.As(err, &ae) {
				t.Fatalf("ConfirmForgotPassword: %v", err)
			}
			return ae.ErrorCode()
		}
		if got := confirm(cb); got != "ExpiredCodeException" {
			t.Fatalf("at B before any code was asked for: %s, want ExpiredCodeException", got)
		}
		if _, err := ca.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: cl.UserPoolClient.ClientId, Username: aws.String("ghost")}); err != nil {
			t.Fatal(err)
		}
		if got := confirm(cb); got != "CodeMismatchException" {
			t.Errorf("at B after ForgotPassword at A: %s, want CodeMismatchException (a real user's answer)", got)
		}
	})

	t.Run("console sign-in failures at A and B count together", func(t *testing.T) {
		creds, err := os.ReadFile(filepath.Join(dataDir, "credentials"))
		if err != nil {
			t.Fatal(err)
		}
		field := func(name string) string {
			m := regexp.MustCompile(`(?m)^` + name + `\s*=\s*(\S+)`).FindSubmatch(creds)
			if m == nil {
				t.Fatalf("no %s in the credentials file", name)
			}
			return string(m[1])
		}
		keyID, secret := field("aws_access_key_id"), field("aws_secret_access_key")
		signIn := func(base, secret string) int {
			t.Helper()
			jar, _ := cookiejar.New(nil)
			hc := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err := hc.Get(base + "/console/signin")
			if err != nil {
				t.Fatal(err)
			}
			page, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			csrf := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindSubmatch(page)
			if csrf == nil {
				t.Fatalf("no CSRF token on %s's sign-in page", base)
			}
			resp, err = hc.PostForm(base+"/console/signin", url.Values{"_csrf": {string(csrf[1])}, "access_key_id": {keyID},
				"secret_access_key": {secret}, "region": {"us-east-1"}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		for i := range 5 {
			if got := signIn(a.url, "wrong"); got != http.StatusUnauthorized {
				t.Fatalf("failure %d at A: %d, want 401", i+1, got)
			}
		}
		if got := signIn(b.url, "wrong"); got != http.StatusUnauthorized {
			t.Fatalf("sixth failure, at B: %d, want 401", got)
		}
		// Locked for a second from the sixth failure: this request comes
		// well within it (a slow machine could let it pass: then it signs
		// in, 303, and the test fails rather than passes).
		if got := signIn(a.url, secret); got != http.StatusTooManyRequests {
			t.Errorf("the right secret at A after six failures over A and B: %d, want 429", got)
		}
	})
}

// signInAt signs hc's browser in through the hosted login page of the
// instance at base, starting from authorizeURL.
func signInAt(t *testing.T, hc *http.Client, base, authorizeURL string) {
	t.Helper()
	do := func(req *http.Request) (*http.Response, string) {
		t.Helper()
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, string(body)
	}
	req, _ := http.NewRequest(http.MethodGet, authorizeURL, nil)
	resp, _ := do(req)
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || loc.Query().Get("code") != "" {
		t.Fatalf("authorize before sign-in: %d %s", resp.StatusCode, loc)
	}
	loginURL, _ := url.Parse(base)
	loginURL = loginURL.ResolveReference(loc)
	req, _ = http.NewRequest(http.MethodGet, loginURL.String(), nil)
	resp, page := do(req)
	action := regexp.MustCompile(`action="([^"]+)"`).FindStringSubmatch(page)
	csrf := regexp.MustCompile(`name="_csrf" value="([^"]*)"`).FindStringSubmatch(page)
	if resp.StatusCode != 200 || action == nil || csrf == nil {
		t.Fatalf("login page: %d %.300s", resp.StatusCode, page)
	}
	act := html.UnescapeString(action[1])
	target := loginURL.ResolveReference(&url.URL{Path: strings.SplitN(act, "?", 2)[0], RawQuery: strings.SplitN(act+"?", "?", 3)[1]})
	req, _ = http.NewRequest(http.MethodPost, target.String(), strings.NewReader(url.Values{"username": {"alice"},
		"password": {"Alice-pass-1"}, "_csrf": {csrf[1]}, "signInSubmitButton": {"Sign in"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, page = do(req)
	final, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || final.Query().Get("code") == "" {
		t.Fatalf("sign-in: %d %s %.300s", resp.StatusCode, final, page)
	}
}
