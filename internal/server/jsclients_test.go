package server

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The third-party clients (amazon-cognito-identity-js, Amplify v6,
// cognito-srp-helper) live in testdata/js with a committed
// package-lock.json; .ci/run installs them with npm ci. A test runs one
// Node script from that folder and reads the JSON it prints last.

// jsDir is the folder of the Node clients.
func jsDir(t testing.TB) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("testdata", "js"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("node"); err != nil {
		skipOrFail(t, "node is not installed")
	}
	// Every client package.json names must be installed, or a script
	// would fail on its import instead of the test skipping.
	b, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct{ Dependencies map[string]string }
	if err := json.Unmarshal(b, &pkg); err != nil || len(pkg.Dependencies) == 0 {
		t.Fatalf("testdata/js/package.json: %v, dependencies %v", err, pkg.Dependencies)
	}
	for name := range pkg.Dependencies {
		if _, err := os.Stat(filepath.Join(dir, "node_modules", name, "package.json")); err != nil {
			skipOrFail(t, "the Node clients are not installed ("+name+" is missing): run npm ci in internal/server/testdata/js")
		}
	}
	return dir
}

// skipOrFail skips outside CI and fails in CI, where .ci/run installs
// everything the tests need.
func skipOrFail(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s (CI must install it)", why)
	}
	t.Skip(why)
}

// nodeEnviron is the part of the test's environment a script inherits:
// what Node itself reads, and nothing the scripts read as settings
// (AUTH_FLOW, NEW_PASSWORD, ...), which only the test gives.
func nodeEnviron() []string {
	var out []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case name == "PATH", name == "HOME", name == "TMPDIR", name == "TZ", name == "LANG", strings.HasPrefix(name, "LC_"), strings.HasPrefix(name, "NODE_"):
			out = append(out, kv)
		}
	}
	return out
}

// runNode runs script (a file in testdata/js) with env and decodes the
// last line it prints to stdout as JSON into out. A non-zero exit fails
// the test with everything the script printed.
func runNode(t testing.TB, script string, env map[string]string, out any) {
	t.Helper()
	dir := jsDir(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", script)
	cmd.Dir = dir
	cmd.Env = nodeEnviron()
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node %s: %v\nstdout:\n%s\nstderr:\n%s", script, err, stdout.String(), stderr.String())
	}
	lines := bytes.Split(bytes.TrimSpace(stdout.Bytes()), []byte("\n"))
	last := lines[len(lines)-1]
	if out != nil {
		if err := json.Unmarshal(last, out); err != nil {
			t.Fatalf("node %s printed no JSON result (%v):\n%s\nstderr:\n%s", script, err, stdout.String(), stderr.String())
		}
	}
}
