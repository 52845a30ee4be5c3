package server

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestWebappInBrowser runs examples/webapp against cognitod and signs a
// user in through it in Chromium: the README's hosted-login section.
func TestWebappInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("builds examples/webapp and drives Chromium")
	}
	ctx := browser(t)
	p := newWebPool(t, nil, "")
	port := freeLoopbackPort(t)
	home := "http://localhost:" + port + "/"
	p.setCallback(t, home+"callback")

	bin := filepath.Join(t.TempDir(), "webapp")
	if out, err := exec.Command("go", "build", "-o", bin, "../../examples/webapp").CombinedOutput(); err != nil {
		t.Fatalf("build examples/webapp: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "--addr", "127.0.0.1:"+port, "--issuer", p.issuer(), "--client-id", p.clientID,
		"--redirect-url", home+"callback", "--logout-url", home)
	cmd.Env = os.Environ()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "listening") {
				close(ready)
				break
			}
		}
		for sc.Scan() {
		}
	}()
	select {
	case <-ready:
	case <-time.After(30 * time.Second):
		t.Fatal("webapp did not start")
	}

	run(t, ctx, "sign in through the web app",
		chromedp.Navigate(home),
		chromedp.WaitVisible(css(`a[href="/login"]`)),
		chromedp.Click(css(`a[href="/login"]`)),
		chromedp.WaitVisible(css(`input[name=username]`)),
		chromedp.SendKeys(css(`input[name=username]`), "alice"),
		chromedp.SendKeys(css(`input[name=password]`), "Alice-pass-1"),
		chromedp.Click(css(`button[name=signInSubmitButton]`)),
		chromedp.WaitVisible(css(`p.yes`)),
	)
	if got := text(t, ctx, "p.yes"); !strings.Contains(got, "com.example.photos/read") {
		t.Errorf("web app says %q", got)
	}
	if got := text(t, ctx, "body"); !strings.Contains(got, "alice@example.com") {
		t.Errorf("web app page lacks the user's email: %q", got)
	}
	run(t, ctx, "sign out",
		chromedp.Click(css(`form[action="/logout"] button`)),
		chromedp.WaitVisible(css(`a[href="/login"]`)),
	)
}
