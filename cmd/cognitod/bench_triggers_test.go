package main

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBenchTokenTriggers runs `cognitod bench token --triggers compare`
// against a real `cognitod serve` whose pre token generation ARN is mapped
// to the real example webhook (examples/triggers, built here): both phases
// report tokens and no error, every token with the trigger carried the
// webhook's tenant claim and every token without lacked it (the run fails
// otherwise), and a run that expects another claim value, or names an
// ARN the server does not map, fails instead of reporting a figure.
func TestBenchTokenTriggers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the example webhook and starts cognitod")
	}
	dir := t.TempDir()
	hook := filepath.Join(dir, "tenant-hook")
	if out, err := exec.Command("go", "build", "-o", hook, "../../examples/triggers").CombinedOutput(); err != nil {
		t.Fatalf("build examples/triggers: %v\n%s", err, out)
	}
	secret := strings.Repeat("s3cret-", 6)
	hookAddr := "127.0.0.1:" + freePort(t)
	cmd := exec.Command(hook, "--addr", hookAddr, "--tenant", "acme")
	cmd.Env = append(os.Environ(), "TRIGGERS_SECRET="+secret)
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get("http://" + hookAddr + "/"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the example webhook did not start")
		}
	}
	const arn = "arn:aws:lambda:us-east-1:123456789012:function:tenant"
	dataDir := t.TempDir()
	p := start(t, dataDir, "--addr", "127.0.0.1:0", "--access-log", "off",
		"--trigger-secret", secret, "--trigger", arn+"=http://"+hookAddr+"/")
	bench := func(extra ...string) (string, error) {
		var out bytes.Buffer
		err := benchCmd(append([]string{"token", "--url", p.url, "--data-dir", dataDir, "--duration", "800ms",
			"--concurrency", "2", "--sign-duration", "50ms", "--openssl=false"}, extra...), &out, io.Discard)
		return out.String(), err
	}
	out, err := bench("--triggers", "compare", "--pre-token-arn", arn, "--trigger-claim", "tenant=acme")
	if err != nil {
		t.Fatalf("bench token --triggers compare: %v\n%s", err, out)
	}
	t.Log(out)
	for _, want := range []string{"pre token generation webhook (" + arn + ") with vs without", "\n  with:  ", "\n  without:  ",
		`pre token:    webhook ` + arn + ` (V3_0); claim tenant="acme" checked in every token`, "pre token:    none; every token checked to lack claim tenant",
		`every token checked: claim tenant="acme" in all `} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "(0 errors)"); n != 4 {
		t.Errorf("%d phases without errors, want all 4 lines:\n%s", n, out)
	}
	if strings.Contains(out, "tokens:       0 ") {
		t.Errorf("a phase got no token:\n%s", out)
	}

	// The webhook adds tenant=acme: a run expecting another value fails.
	out, err = bench("--triggers", "on", "--pre-token-arn", arn, "--trigger-claim", "tenant=globex")
	if err == nil || !strings.Contains(err.Error(), `tenant is "acme", want "globex"`) {
		t.Errorf("a run expecting tenant=globex: %v\n%s", err, out)
	}
	// An ARN the server does not map is refused when the pool is updated.
	other := strings.Replace(arn, ":tenant", ":other", 1)
	if _, err := bench("--triggers", "compare", "--pre-token-arn", other); err == nil || !strings.Contains(err.Error(), "UpdateUserPool") {
		t.Errorf("a run with an unmapped ARN: %v", err)
	}
	if _, err := bench("--triggers", "compare"); err == nil || !strings.Contains(err.Error(), "--pre-token-arn") {
		t.Errorf("--triggers compare without an ARN: %v", err)
	}
	if _, err := bench("--triggers", "compare", "--pre-token-arn", arn, "--quotas", "compare"); err == nil {
		t.Error("--triggers compare with --quotas compare ran")
	}
}
