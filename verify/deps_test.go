package verify

import (
	"os/exec"
	"strings"
	"testing"
)

// TestOnlyStandardLibrary fails if the package (without its tests) imports
// anything but the standard library, such as go-jose or the module's
// internal packages: resource servers import it and must not inherit
// dependencies.
func TestOnlyStandardLibrary(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found")
	}
	const self = "github.com/cognitod/cognitod/verify"
	out, err := exec.Command(goCmd, "list", "-deps", "-f", "{{.ImportPath}} {{.Standard}}", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		path, std, ok := strings.Cut(line, " ")
		if !ok {
			t.Fatalf("got line %q, want \"path bool\"", line)
		}
		n++
		if std == "true" || path == self {
			continue
		}
		t.Errorf("got non-standard dependency %v, want only the standard library", path)
	}
	if n < 10 {
		t.Errorf("got %d dependencies, want the standard library's (is go list working?)", n)
	}
}
