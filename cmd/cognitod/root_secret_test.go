package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// ciSecret is a root secret of AWS's length (40) for tests that set one.
const ciSecret = "ci-secret-0123456789abcdefghijklmnopqrst"

// TestShortRootSecretRefused: a root secret shorter than 32 characters
// stops cognitod at start, with an error that names the variable and the
// minimum but never repeats the secret.
func TestShortRootSecretRefused(t *testing.T) {
	short := "hunter2-is-a-fine-secret-31char"
	if len(short) != 31 {
		t.Fatalf("fixture is %d characters", len(short))
	}
	t.Setenv("COGNITOD_ROOT_ACCESS_KEY_ID", "ci-key")
	t.Setenv("COGNITOD_ROOT_SECRET_ACCESS_KEY", short)
	_, err := parseServe(nil, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "COGNITOD_ROOT_SECRET_ACCESS_KEY") || !strings.Contains(err.Error(), "at least 32") {
		t.Fatalf("got %v, want the short root secret refused", err)
	}
	if strings.Contains(err.Error(), short) {
		t.Errorf("the error repeats the secret: %v", err)
	}
	t.Setenv("COGNITOD_ROOT_SECRET_ACCESS_KEY", short+"x")
	if _, err := parseServe(nil, io.Discard); err != nil {
		t.Errorf("a 32-character secret: %v", err)
	}
	if testing.Short() {
		return
	}
	// The real process exits with the error instead of serving.
	cmd := exec.Command(os.Args[0], "-test.run=^$", "--", "--data-dir", t.TempDir(), "--addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "COGNITOD_TEST_MAIN=1", "COGNITOD_ROOT_SECRET_ACCESS_KEY=short-secret")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err == nil {
		t.Fatal("cognitod started with a 12-character root secret")
	}
	if !strings.Contains(stderr.String(), "at least 32") || strings.Contains(stderr.String(), "short-secret") {
		t.Errorf("stderr %q: want the minimum named and the secret not repeated", stderr.String())
	}
}
