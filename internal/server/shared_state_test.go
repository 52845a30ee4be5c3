package server

import (
	"bytes"
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"golang.org/x/oauth2"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/ratelimit"
	"github.com/cognitod/cognitod/internal/store/sqlite"
)

// secondInstance starts another cognitod on a's SQLite file, with a's
// sealing key, as a second instance serving one deployment would run: its
// own Store, Service and in-process state.
func secondInstance(t *testing.T, a *testServer, service func(*cognito.Config)) *testServer {
	t.Helper()
	return secondInstanceWith(t, a, service, nil)
}

// secondInstanceWith is secondInstance with the server's Config changed
// by configure (a clock, say).
func secondInstanceWith(t *testing.T, a *testServer, service func(*cognito.Config), configure func(*Config)) *testServer {
	t.Helper()
	store, err := sqlite.Open(context.Background(), a.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	sealer, err := cognito.NewSealer(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	cfg := cognito.Config{Store: store, Sealer: sealer, Logger: slog.New(slog.NewTextHandler(logs, nil))}
	if service != nil {
		service(&cfg)
	}
	hs := httptest.NewUnstartedServer(nil)
	scfg := Config{Cognito: cfg, PublicURL: "http://" + hs.Listener.Addr().String(), Limits: ratelimit.New(RateLimits(QuotaOptions{Off: true}))}
	if configure != nil {
		configure(&scfg)
	}
	srv, err := New(scfg)
	if err != nil {
		t.Fatal(err)
	}
	svc := srv.Service()
	hs.Config.Handler = srv.Handler()
	hs.Start()
	t.Cleanup(hs.Close)
	return &testServer{URL: hs.URL, svc: svc, http: hs, log: logs, dbPath: a.dbPath}
}

// TestHostedLogoutSeenByAnotherInstance: a hosted-login session signed in
// at instance A is valid at B (one database, one sealing key); logged out
// at A, a copy of its cookie is refused at B. With the ended sessions kept
// in each process's memory, B accepted the copy.
func TestHostedLogoutSeenByAnotherInstance(t *testing.T) {
	p := newWebPool(t, nil, "")
	b2 := secondInstance(t, p.ts, nil)
	cfg := p.oauthConfig(p.clientID, "")
	verifier := oauth2.GenerateVerifier()
	br := newBrowserless(t)
	if final, page := br.signInOverHTTP(cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier)), "alice", "Alice-pass-1"); final == nil {
		t.Fatalf("sign in at A: %.300s", page)
	}
	atB := strings.Replace(cfg.AuthCodeURL("at-b", oauth2.S256ChallengeOption(verifier)), p.ts.URL, b2.URL, 1)
	silent := func(what string, jar http.CookieJar) bool {
		t.Helper()
		hc := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := hc.Get(atB)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		loc, _ := url.Parse(resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusFound {
			t.Fatalf("%s: authorize at B: %d", what, resp.StatusCode)
		}
		return loc.Query().Get("code") != ""
	}
	if !silent("before logout", br.hc.Jar) {
		t.Fatal("the session signed in at A is not valid at B")
	}
	// Keep a copy of the session cookie, then log out at A.
	u, _ := url.Parse(p.issuer() + "/oauth2/authorize")
	saved := br.hc.Jar.Cookies(u)
	if len(saved) == 0 {
		t.Fatal("no session cookie")
	}
	resp, _ := br.get(p.issuer() + "/logout?client_id=" + p.clientID + "&logout_uri=" + url.QueryEscape("http://localhost:8081/"))
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "http://localhost:8081/" {
		t.Fatalf("logout at A: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	copyJar, _ := cookiejar.New(nil)
	copyJar.SetCookies(u, saved)
	if silent("after logout at A", copyJar) {
		t.Error("a copy of a cookie logged out at A still signs in at B")
	}
}

// TestPhantomLockoutSharedByInstances: failed sign-ins of an unknown name
// (with user-existence errors prevented) count alike at every instance:
// five at A lock the name out at B, as five for a real user would. The
// clock is frozen so that the one-second lockout cannot end mid-test.
func TestPhantomLockoutSharedByInstances(t *testing.T) {
	frozen := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	clock := func(c *cognito.Config) { c.Now = func() time.Time { return frozen } }
	a := newTestServerWith(t, cognito.Limits{}, clock, nil)
	b := secondInstance(t, a, clock)
	ctx := context.Background()
	ca, cb := a.client("us-east-1"), b.clientWith("us-east-1", testKeyID, testSecret)
	poolID := createPool(t, ca, "lockout")
	out, err := ca.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("app"),
		ExplicitAuthFlows:          []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
		PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled})
	if err != nil {
		t.Fatal(err)
	}
	signIn := func(c *cip.Client) string {
		_, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: out.UserPoolClient.ClientId, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": "nobody", "PASSWORD": "Wrong-pass-1"}})
		_, msg := apiError(t, err)
		return msg
	}
	for i := range 5 {
		if msg := signIn(ca); msg != "Incorrect username or password." {
			t.Fatalf("failure %d at A: %q", i+1, msg)
		}
	}
	if msg := signIn(cb); msg != "Password attempts exceeded" {
		t.Errorf("the sixth attempt, at B: %q, want the lockout", msg)
	}
}

// TestConsoleSessionSharedByInstances: a console session signed in at A
// works at B; signed out at A, a copy of its cookie is refused at B; and
// the database holds neither the cookie value nor its CSRF token in the
// clear as a key.
func TestConsoleSessionSharedByInstances(t *testing.T) {
	a := newTestServer(t, cognito.Limits{})
	b := secondInstance(t, a, nil)
	c := newConsoleClient(t, a)
	if resp := c.signIn(testSecret); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in at A: %d", resp.StatusCode)
	}
	u, _ := url.Parse(a.URL + "/console/pools")
	saved := c.hc.Jar.Cookies(u)
	var raw string
	for _, ck := range saved {
		if ck.Name == "cognitod_console" {
			raw = ck.Value
		}
	}
	if raw == "" {
		t.Fatal("no session cookie")
	}
	db, err := sql.Open("sqlite", a.dbPath+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var clear, rows int
	if err := db.QueryRow(`SELECT count(*), coalesce(sum(key = ? OR instr(CAST(value AS TEXT), ?) > 0), 0) FROM shared_state WHERE kind = 'console-session'`, raw, raw).Scan(&rows, &clear); err != nil {
		t.Fatal(err)
	}
	if rows != 1 || clear != 0 {
		t.Errorf("%d console sessions stored, %d holding the cookie value; want 1 and 0", rows, clear)
	}

	c.base = b.URL
	if resp, body := c.get("/console/pools"); resp.StatusCode != 200 || !strings.Contains(body, "user pools") {
		t.Fatalf("the session signed in at A, at B: %d", resp.StatusCode)
	}
	c.base = a.URL
	c.get("/console/pools") // a page with the CSRF token
	if resp, _ := c.post("/console/signout", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out at A: %d", resp.StatusCode)
	}
	copyJar, _ := cookiejar.New(nil)
	copyJar.SetCookies(u, saved)
	c.hc.Jar = copyJar
	c.base = b.URL
	if resp, _ := c.get("/console/pools"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/console/signin") {
		t.Errorf("a copy of a cookie signed out at A, at B: %d %s, want the sign-in page", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// watching starts ts's store watcher at the interval `serve` uses, as a
// second instance of a deployment runs it, until the test ends.
func watching(t *testing.T, ts *testServer) *testServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := ts.svc.WatchStore(ctx, cognito.DefaultWatchInterval, nil)
	t.Cleanup(func() { cancel(); <-done })
	return ts
}

// propagationBound is how long another instance may answer from what it
// read before a write: its watcher's poll, with room for a loaded machine.
const propagationBound = 20 * cognito.DefaultWatchInterval

// within retries check until it returns nil or bound has passed, and
// returns how long that took; it fails the test with check's last error
// otherwise.
func within(t *testing.T, what string, bound time.Duration, check func() error) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		err := check()
		if err == nil {
			return time.Since(start)
		}
		if time.Since(start) > bound {
			t.Errorf("%s: still %v after %s", what, err, bound)
			return time.Since(start)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
