package bench

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/metrics"
	"github.com/cognitod/cognitod/internal/ratelimit"
	"github.com/cognitod/cognitod/internal/server"
	"github.com/cognitod/cognitod/internal/store/sqlite"
)

// benchServer starts a real cognitod with the given limits (nil: the
// server's defaults, Cognito's quotas) and returns its URL and store.
func benchServer(t *testing.T, limits *ratelimit.Limits) (string, *sqlite.Store) {
	url, store, _ := benchServerWith(t, limits, nil)
	return url, store
}

// benchServerWith is benchServer with the server's service returned, and
// metrics served at /metrics when m is not nil.
func benchServerWith(t *testing.T, limits *ratelimit.Limits, m *metrics.Metrics) (string, *sqlite.Store, *cognito.Service) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	sealer, _ := cognito.NewSealer(bytes.Repeat([]byte{9}, 32))
	svc, _ := cognito.NewService(cognito.Config{Store: store, Sealer: sealer})
	if err := svc.EnsureAccessKey(ctx, "AKIDBENCH", "bench-secret"); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewUnstartedServer(nil)
	srv, err := server.New(server.Config{Cognito: cognito.Config{Store: store, Sealer: sealer}, PublicURL: "http://" + hs.Listener.Addr().String(), Limits: limits, Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	hs.Config.Handler = srv.Handler()
	hs.Start()
	t.Cleanup(hs.Close)
	return hs.URL, store, svc
}

// TestRun drives a real cognitod briefly and checks the report adds up.
// The server runs with Cognito's default quotas: the run lifts them for
// its pool, so none of its calls is throttled.
func TestRun(t *testing.T) {
	ctx := context.Background()
	url, store := benchServer(t, nil)

	rep, err := Run(ctx, Config{URL: url, AccessKeyID: "AKIDBENCH", Secret: "bench-secret", Region: "us-east-1",
		Concurrency: 4, Duration: 300 * time.Millisecond, SignDuration: 100 * time.Millisecond, NoOpenSSL: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Tokens == 0 || rep.Errors != 0 || rep.RawSignPerSec <= 0 || rep.P50 <= 0 || rep.P99 < rep.P50 || rep.Max < rep.P99 {
		t.Errorf("report does not add up: %+v", rep)
	}
	if runtime.GOOS == "linux" && (!rep.StealKnown || !strings.Contains(rep.String(), "(steal) during the run")) {
		t.Errorf("no steal figure on Linux:\n%s", rep)
	}
	// The benchmark pool is deleted afterwards.
	pools, _ := store.ListUserPools(ctx, "us-east-1", 0, 10)
	if len(pools) != 0 {
		t.Errorf("%d pools left behind", len(pools))
	}
	// Wrong credentials fail at set-up, before any load.
	if _, err := Run(ctx, Config{URL: url, AccessKeyID: "AKIDBENCH", Secret: "wrong", Region: "us-east-1", Concurrency: 1, Duration: time.Second}); err == nil {
		t.Error("Run with a wrong secret succeeded")
	}
}

func TestReadCredentials(t *testing.T) {
	path := filepath.Join(t.TempDir(), "credentials")
	os.WriteFile(path, []byte("[default]\naws_access_key_id = X\n\n[cognitod]\naws_access_key_id = AKIA1\naws_secret_access_key = s3cr3t\n"), 0o600)
	id, secret, err := ReadCredentials(path)
	if err != nil || id != "AKIA1" || secret != "s3cr3t" {
		t.Errorf("got %q %q %v", id, secret, err)
	}
}

// TestRunQuotasCompare: with the server's ClientAuthentication quota far
// below the offered load, the phase with quota checking on is throttled
// and the lifted phase, on the same pool once tagged, is not.
func TestRunQuotasCompare(t *testing.T) {
	limits := ratelimit.New(server.RateLimits(server.QuotaOptions{Overrides: map[string]float64{"ClientAuthentication": 5}}))
	url, _ := benchServer(t, limits)
	rep, err := Run(context.Background(), Config{URL: url, AccessKeyID: "AKIDBENCH", Secret: "bench-secret", Region: "us-east-1",
		Concurrency: 2, Duration: 300 * time.Millisecond, SignDuration: 50 * time.Millisecond, Quotas: QuotasCompare, NoOpenSSL: true})
	if err != nil {
		t.Fatal(err)
	}
	on := rep.QuotasChecked
	if on == nil || on.Quotas != QuotasOn || rep.Quotas != QuotasLifted {
		t.Fatalf("compare run: phases %+v / %+v", on, rep)
	}
	if on.Errors == 0 || rep.Errors != 0 || rep.Tokens == 0 {
		t.Errorf("on: %d tokens %d errors; lifted: %d tokens %d errors; want the first throttled, the second not", on.Tokens, on.Errors, rep.Tokens, rep.Errors)
	}
	if rep.Comparison() == "" {
		t.Error("no comparison")
	}
	if _, err := Run(context.Background(), Config{URL: url, AccessKeyID: "AKIDBENCH", Secret: "bench-secret", Region: "us-east-1", Concurrency: 1, Duration: time.Second, Quotas: "sometimes"}); err == nil {
		t.Error("an unknown --quotas value was accepted")
	}
}
