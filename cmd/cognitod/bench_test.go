package main

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

// TestBenchCommands runs `cognitod bench admin` and `cognitod bench token
// --clients` against a real `cognitod serve`: the admin run's signed reads
// all succeed, and the token run seeds its clients into the server's
// database with the server's master key (from --data-dir), so every token
// request as one of them succeeds, and it reports the server's memory.
func TestBenchCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("starts cognitod")
	}
	dataDir := t.TempDir()
	p := start(t, dataDir, "--addr", "127.0.0.1:0", "--quota", "UserPoolResourceRead=0", "--access-log", "off")
	var out bytes.Buffer
	if err := benchCmd([]string{"admin", "--url", p.url, "--data-dir", dataDir, "--duration", "300ms", "--concurrency", "2"}, &out, io.Discard); err != nil {
		t.Fatalf("bench admin: %v\n%s", err, out.String())
	}
	for _, want := range []string{"DescribeResourceServer:", "ListResourceServers:", ", 0 errors)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("bench admin output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "throttles") {
		t.Errorf("bench admin was throttled:\n%s", out.String())
	}
	out.Reset()
	if err := benchCmd([]string{"token", "--url", p.url, "--data-dir", dataDir, "--clients", "25", "--duration", "300ms",
		"--concurrency", "2", "--sign-duration", "50ms", "--openssl=false"}, &out, io.Discard); err != nil {
		t.Fatalf("bench token --clients: %v\n%s", err, out.String())
	}
	for _, want := range []string{"(0 errors)", "clients:      25 app clients", "server RSS:"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("bench token --clients output lacks %q:\n%s", want, out.String())
		}
	}
	// Another data directory has another master key, or none: refused
	// before anything is written.
	if err := benchCmd([]string{"token", "--url", p.url, "--data-dir", t.TempDir(), "--credentials", dataDir + "/credentials", "--clients", "5",
		"--duration", "100ms", "--openssl=false"}, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "master key") {
		t.Errorf("bench token --clients with a data dir without the master key: %v", err)
	}
	if err := benchCmd([]string{"token", "--url", p.url, "--data-dir", dataDir, "--clients", "-1"}, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "--clients -1") {
		t.Errorf("--clients -1: %v", err)
	}
}
