package server

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/chromedp/chromedp"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/cognitod/cognitod/internal/cognito"
)

// chromium finds the browser named by CHROME_PATH, Debian's Chromium, or
// another Chrome; without one it skips the test, or fails it in CI, where
// .ci/run installs Chromium.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROME_PATH"); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			t.Fatalf("CHROME_PATH=%s: %v", p, err)
		}
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "chrome-headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	skipOrFail(t, "no Chromium found (apt-get install chromium); the browser tests need it")
	return ""
}

// browser starts a headless Chromium and returns a context driving it.
func browser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 900),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browserCtx, cancelCtx := chromedp.NewContext(alloc)
	// The first call starts the browser and must not carry a timeout.
	if err := chromedp.Do(browserCtx); err != nil {
		cancelCtx()
		cancelAlloc()
		t.Fatalf("start Chromium: %v", err)
	}
	ctx, cancelTimeout := context.WithTimeout(browserCtx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// css is a CSS selector for the first matching element.
type css = chromedp.CSS

func run(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	for i, step := range steps {
		stepCtx, cancel := context.WithTimeout(ctx, 20*time.Second)
		err := chromedp.Do(stepCtx, step)
		cancel()
		if err == nil {
			continue
		}
		where := value(t, ctx, "location", chromedp.Location())
		html, _ := chromedp.Run(ctx, chromedp.OuterHTML(css("body")))
		t.Fatalf("%s, step %d at %s: %v\npage: %.3000s", what, i+1, where, err, html)
	}
}

func value[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return strings.TrimSpace(value(t, ctx, "read "+sel, chromedp.Text(css(sel))))
}

// TestConsoleInBrowser drives the console in Chromium: sign in, create a
// pool, a resource server with two scopes and an app client allowed one
// of them, get a client credentials token with that client, delete the
// scope and see it inactive on the client page, and have a cross-origin
// form post refused.
func TestConsoleInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium")
	}
	ctx := browser(t)
	ts := newTestServer(t, cognito.Limits{})
	console := ts.URL + "/console/"

	// A wrong key gets a clear page, and no session.
	run(t, ctx, "wrong key",
		chromedp.Navigate(console),
		chromedp.WaitVisible(css(`input[name=access_key_id]`)),
		chromedp.SendKeys(css(`input[name=access_key_id]`), testKeyID),
		chromedp.SendKeys(css(`input[name=secret_access_key]`), "not-the-secret"),
		chromedp.Submit(css(`input[name=secret_access_key]`)),
		chromedp.WaitVisible(css(`.alert.error`)),
	)
	if got := text(t, ctx, ".alert.error"); !strings.Contains(got, "not correct") {
		t.Errorf("wrong key: %q", got)
	}

	run(t, ctx, "sign in",
		chromedp.SetValue(css(`input[name=access_key_id]`), testKeyID),
		chromedp.SendKeys(css(`input[name=secret_access_key]`), testSecret),
		chromedp.Submit(css(`input[name=secret_access_key]`)),
		chromedp.WaitVisible(css(`input[name=name]`)),
	)
	if got := text(t, ctx, ".empty h2"); !strings.Contains(got, "No user pools") {
		t.Errorf("empty state: %q", got)
	}

	run(t, ctx, "create pool",
		chromedp.SendKeys(css(`input[name=name]`), "photos"),
		chromedp.Submit(css(`input[name=name]`)),
		chromedp.WaitVisible(css(`.facts`)),
	)
	poolURL := value(t, ctx, "location", chromedp.Location())
	poolID := strings.TrimPrefix(strings.SplitN(poolURL, "?", 2)[0], ts.URL+"/console/pools/")
	if !strings.HasPrefix(poolID, "us-east-1_") {
		t.Fatalf("pool URL %s", poolURL)
	}

	run(t, ctx, "create resource server",
		chromedp.Navigate(ts.URL+"/console/pools/"+poolID+"/resource-servers/new"),
		chromedp.WaitVisible(css(`input[name=identifier]`)),
		chromedp.SendKeys(css(`input[name=name]`), "Photo Server"),
		chromedp.SendKeys(css(`input[name=identifier]`), "com.example.photos"),
		chromedp.SendKeys(css(`input[name=scope_name_0]`), "read"),
		chromedp.SendKeys(css(`input[name=scope_description_0]`), "view your photos"),
		chromedp.SendKeys(css(`input[name=scope_name_1]`), "write"),
		chromedp.SendKeys(css(`input[name=scope_description_1]`), "update your photos"),
		chromedp.Submit(css(`input[name=name]`)),
		chromedp.WaitVisible(css(`button.count`)),
	)
	if got := text(t, ctx, "button.count"); got != "2" {
		t.Errorf("Custom scopes count %q, want 2", got)
	}
	// The count reveals every scope and its description on keyboard focus.
	run(t, ctx, "focus the scope count", chromedp.Focus(css(`button.count`)))
	display := value(t, ctx, "tooltip display", chromedp.Evaluate[string](`getComputedStyle(document.querySelector('.tip-body')).display`))
	if display == "none" {
		t.Error("scope list hidden while the count has focus")
	}
	if got := text(t, ctx, ".tip-body"); !strings.Contains(got, "read view your photos") || !strings.Contains(got, "write update your photos") {
		t.Errorf("scope list %q", got)
	}
	screenshot(t, ctx, "console-resource-servers.png")

	run(t, ctx, "create app client",
		chromedp.Navigate(ts.URL+"/console/pools/"+poolID+"/clients/new"),
		chromedp.WaitVisible(css(`input[name=name]`)),
		chromedp.SendKeys(css(`input[name=name]`), "photo-reader"),
		chromedp.Click(css(`input[name=oauth_enabled]`)),
		chromedp.Click(css(`input[name=flow][value=client_credentials]`)),
		chromedp.Click(css(`input[name=scope][value="com.example.photos/read"]`)),
		chromedp.Submit(css(`input[name=name]`)),
		chromedp.WaitVisible(css(`#show-secret`)),
	)
	screenshot(t, ctx, "console-app-client.png")
	run(t, ctx, "show the secret",
		chromedp.Click(css(`#show-secret`)),
		chromedp.WaitVisible(css(`#client-secret`)),
	)
	clientID, secret := text(t, ctx, "#client-id"), text(t, ctx, "#client-secret")
	clientURL := ts.URL + "/console/pools/" + poolID + "/clients/" + clientID

	cc := &clientcredentials.Config{ClientID: clientID, ClientSecret: secret, TokenURL: ts.URL + "/" + poolID + "/oauth2/token", AuthStyle: oauth2.AuthStyleInHeader}
	tok, err := cc.Token(context.Background())
	if err != nil {
		t.Fatalf("token for the client made in the console: %v", err)
	}
	if got := scopeSet(claims(t, tok.AccessToken)["scope"]); !slices.Equal(got, []string{"com.example.photos/read"}) {
		t.Errorf("token scope %v, want [com.example.photos/read]", got)
	}

	// Delete the read scope in the console: the client page marks it inactive.
	run(t, ctx, "delete the read scope",
		chromedp.Navigate(ts.URL+"/console/pools/"+poolID+"/resource-server?identifier=com.example.photos"),
		chromedp.WaitVisible(css(`input[name=scope_remove_0]`)),
		chromedp.Click(css(`input[name=scope_remove_0]`)),
		chromedp.Submit(css(`input[name=name]`)),
		chromedp.WaitVisible(css(`button.count`)),
		chromedp.Navigate(clientURL),
		chromedp.WaitVisible(css(`.scope-list`)),
	)
	if got := text(t, ctx, ".scope-list li.inactive"); !strings.Contains(got, "com.example.photos/read") || !strings.Contains(strings.ToLower(got), "inactive") {
		t.Errorf("client page after deleting the scope: %q", got)
	}
	if _, err := cc.Token(context.Background()); err == nil {
		t.Error("token issued with the client's only scope deleted")
	}

	// A form on another origin posting to the console is refused, though
	// the browser is signed in.
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<!doctype html><form id="f" method="post" action="%s/console/pools"><input name="name" value="evil"></form><script>document.getElementById("f").submit()</script>`, ts.URL)
	}))
	defer evil.Close()
	run(t, ctx, "cross-origin post",
		chromedp.Navigate(evil.URL),
		chromedp.Sleep(500*time.Millisecond),
		chromedp.WaitVisible(css(`body`)),
	)
	body := text(t, ctx, "body")
	if !strings.Contains(body, "Forbidden") {
		t.Errorf("cross-origin post answered %q", body)
	}
	pools, err := ts.svc.ListUserPools(cognito.WithCaller(context.Background(), cognito.Caller{Region: "us-east-1"}), &cognito.ListUserPoolsInput{MaxResults: ptr32(60)})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pools.UserPools {
		if p.Name == "evil" {
			t.Error("the cross-origin post created a pool")
		}
	}

	// Groups: create one on the pool's Groups tab, then put a user in it
	// from the user's page.
	api := ts.client("us-east-1")
	suppressedUser(t, api, poolID, "alice")
	run(t, ctx, "create a group",
		chromedp.Navigate(ts.URL+"/console/pools/"+poolID+"/groups"),
		chromedp.WaitVisible(css(`input[name=precedence]`)),
		chromedp.SendKeys(css(`input[name=name]`), "editors"),
		chromedp.SendKeys(css(`input[name=precedence]`), "1"),
		chromedp.Submit(css(`input[name=name]`)),
		chromedp.WaitVisible(css(`table.table`)),
	)
	run(t, ctx, "add the user to the group",
		chromedp.Navigate(ts.URL+"/console/pools/"+poolID+"/users"),
		chromedp.WaitVisible(css(`a[href*="/user?username=alice"]`)),
		chromedp.Click(css(`a[href*="/user?username=alice"]`)),
		chromedp.WaitVisible(css(`select[name=group]`)),
		chromedp.Submit(css(`select[name=group]`)),
		chromedp.WaitVisible(css(`#groups table`)),
	)
	if got := text(t, ctx, "#groups table"); !strings.Contains(got, "editors") {
		t.Errorf("the user's groups in the console: %q", got)
	}
	lg, err := api.AdminListGroupsForUser(context.Background(), &cip.AdminListGroupsForUserInput{UserPoolId: &poolID, Username: aws.String("alice")})
	if err != nil || len(lg.Groups) != 1 || aws.ToString(lg.Groups[0].GroupName) != "editors" || aws.ToInt32(lg.Groups[0].Precedence) != 1 {
		t.Errorf("alice's groups after the console: %+v, %v", lg, err)
	}
}

func ptr32(v int32) *int32 { return &v }

// screenshot saves a PNG of the page. With COGNITOD_UPDATE_SCREENSHOTS=1 it
// replaces the README's copy under docs/.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png := value(t, ctx, "screenshot "+name, chromedp.FullScreenshot(100))
	dir := t.TempDir()
	if os.Getenv("COGNITOD_UPDATE_SCREENSHOTS") == "1" {
		dir = filepath.Join("..", "..", "docs")
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
