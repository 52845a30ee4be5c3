package main

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/ratelimit"
)

func TestQuotaFlags(t *testing.T) {
	cfg, err := parseServe(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if d := cfg.quotas; d.SignIn != ratelimit.DefaultSignIn || d.AuthFailures.Burst != ratelimit.DefaultAuthFailures.Burst {
		t.Fatalf("default per-source limits: %+v %+v", d.SignIn, d.AuthFailures)
	}
	if cfg.quotas.Off || len(cfg.quotas.Overrides) != 0 {
		t.Fatalf("default: %+v, want Cognito's quotas on", cfg.quotas)
	}
	cfg, err = parseServe([]string{"--quotas", "off", "--quota", "UserPoolRead=5", "--quota", "ClientAuthentication=1000000,UserList=0"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	o := cfg.quotas
	if !o.Off || o.Overrides["UserPoolRead"] != 5 || o.Overrides["ClientAuthentication"] != 1e6 || o.Overrides["UserList"] != 0 || len(o.Overrides) != 3 {
		t.Fatalf("parsed: %+v", o)
	}
	for _, bad := range [][]string{{"--quota", "NoSuchCategory=5"}, {"--quota", "UserRead"}, {"--quota", "UserRead=-1"}, {"--quota", "UserRead=lots"}, {"--quotas", "sometimes"}, {"--source-signin-rps", "0"}, {"--source-auth-failures", "0"}} {
		if _, err := parseServe(bad, io.Discard); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

func TestQuotaEnvironment(t *testing.T) {
	t.Setenv("COGNITOD_QUOTAS", "off")
	t.Setenv("COGNITOD_QUOTA", "UserRead=7, UserCreation=9")
	cfg, err := parseServe(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.quotas.Off || cfg.quotas.Overrides["UserRead"] != 7 || cfg.quotas.Overrides["UserCreation"] != 9 {
		t.Fatalf("from the environment: %+v", cfg.quotas)
	}
	// The command line wins over the environment.
	cfg, err = parseServe([]string{"--quotas", "on", "--quota", "UserRead=8"}, io.Discard)
	if err != nil || cfg.quotas.Off || cfg.quotas.Overrides["UserRead"] != 8 {
		t.Fatalf("flags over environment: %+v %v", cfg.quotas, err)
	}
	t.Setenv("COGNITOD_QUOTA", "Nope=1")
	if _, err := parseServe(nil, io.Discard); err == nil || !strings.Contains(err.Error(), "COGNITOD_QUOTA") {
		t.Fatalf("a bad COGNITOD_QUOTA: %v", err)
	}
}

// TestThrottleLog: refused requests are summed by bucket and logged once
// per interval, not once each; an interval with none logs nothing.
func TestThrottleLog(t *testing.T) {
	var buf strings.Builder
	logger := slog.New(slog.NewTextHandler(&buf, nil))
	l := &throttleLog{}
	l.flush(logger, time.Minute)
	if buf.Len() != 0 {
		t.Fatalf("logged with nothing refused: %s", buf.String())
	}
	for range 3 {
		l.add("ClientAuthentication")
	}
	l.add(ratelimit.SourceSignIn)
	l.flush(logger, time.Minute)
	want := `level=WARN msg="requests refused over a rate limit in the last 1m0s" ClientAuthentication=3 source:SignIn=1`
	if got := strings.TrimSpace(buf.String()); !strings.HasSuffix(got, want) || strings.Count(got, "\n") != 0 {
		t.Fatalf("log:\n%s\nwant one line ending\n%s", got, want)
	}
	buf.Reset()
	l.flush(logger, time.Minute)
	if buf.Len() != 0 {
		t.Fatalf("counts not reset: %s", buf.String())
	}
}
