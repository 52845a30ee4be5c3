package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestTriggersWalkthrough runs examples/triggers/README.md's walk-through
// verbatim (ports changed): the real cognitod binary calls the real
// example webhook, which adds a tenant claim to a client credentials
// token and to a user's tokens.
func TestTriggersWalkthrough(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts cognitod and the example webhook")
	}
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed; the walk-through needs it")
	}
	b, err := os.ReadFile("../../examples/triggers/README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	i := strings.Index(text, "<!-- triggers-walkthrough -->")
	m := regexp.MustCompile("(?s)```sh\n(.*?)```").FindStringSubmatch(text[max(i, 0):])
	if i < 0 || m == nil {
		t.Fatal("examples/triggers/README.md has no walk-through block")
	}
	dir := t.TempDir()
	for _, build := range []struct{ out, pkg string }{{"cognitod", "."}, {"tenant-hook", "../../examples/triggers"}} {
		if out, err := exec.Command("go", "build", "-o", filepath.Join(dir, build.out), build.pkg).CombinedOutput(); err != nil {
			t.Fatalf("build %s: %v\n%s", build.pkg, err, out)
		}
	}
	for version, cli := range awsCLIs(t) {
		t.Run(version, func(t *testing.T) {
			// The walk-through sets PreTokenGenerationConfig (Cognito's V2_0
			// and V3_0 pre token triggers, December 2023): a CLI whose model
			// predates it refuses the parameter itself (Debian's 2.9 does).
			skel := exec.Command(cli, "cognito-idp", "create-user-pool", "--generate-cli-skeleton", "input")
			skel.Env = withCLI(t, cli)
			if out, err := skel.Output(); err != nil || !strings.Contains(string(out), "PreTokenGenerationConfig") {
				t.Skipf("AWS CLI %s predates PreTokenGenerationConfig; the walk-through needs a CLI from 2024 or later (%v)", version, err)
			}
			run := t.TempDir()
			for _, bin := range []string{"cognitod", "tenant-hook"} {
				if err := os.Symlink(filepath.Join(dir, bin), filepath.Join(run, bin)); err != nil {
					t.Fatal(err)
				}
			}
			script := m[1]
			script = strings.ReplaceAll(script, "9229", freePort(t))
			script = strings.ReplaceAll(script, "9230", freePort(t))
			script = strings.ReplaceAll(script, "go build -o cognitod ./cmd/cognitod", ": built by the test")
			script = strings.ReplaceAll(script, "go build -o tenant-hook ./examples/triggers", ": built by the test")
			cmd := exec.Command("bash", "-euo", "pipefail", "-c", script)
			cmd.Dir = run
			cmd.Env = withCLI(t, cli)
			out, err := cmd.CombinedOutput()
			if err != nil {
				log, _ := os.ReadFile(filepath.Join(run, "cognitod.log"))
				t.Fatalf("walk-through failed: %v\n%s\ncognitod.log:\n%s", err, out, log)
			}
			text := string(out)
			for _, want := range []string{`"LambdaVersion": "V3_0"`, `"token_use":"access"`, `"scope":"com.example.photos/read"`, "\n401\n",
				"uses plain HTTP to another host"} {
				if !strings.Contains(text, want) {
					t.Errorf("walk-through output lacks %q:\n%s", want, out)
				}
			}
			if n := strings.Count(text, `"tenant":"acme"`); n != 3 {
				t.Errorf("tenant claim in %d tokens, want 3 (client credentials, ID, access):\n%s", n, out)
			}
		})
	}
}
