package bench

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/server"
	"github.com/cognitod/cognitod/internal/store/sqlite"
)

// TestRun drives a real cognitod briefly and checks the report adds up.
func TestRun(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	sealer, _ := cognito.NewSealer(bytes.Repeat([]byte{9}, 32))
	svc, _ := cognito.NewService(cognito.Config{Store: store, Sealer: sealer})
	if err := svc.EnsureAccessKey(ctx, "AKIDBENCH", "bench-secret"); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewUnstartedServer(nil)
	srv, err := server.New(server.Config{Service: svc, PublicURL: "http://" + hs.Listener.Addr().String()})
	if err != nil {
		t.Fatal(err)
	}
	hs.Config.Handler = srv.Handler()
	hs.Start()
	defer hs.Close()

	rep, err := Run(ctx, Config{URL: hs.URL, AccessKeyID: "AKIDBENCH", Secret: "bench-secret", Region: "us-east-1",
		Concurrency: 4, Duration: 300 * time.Millisecond, SignDuration: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Tokens == 0 || rep.Errors != 0 || rep.RawSignPerSec <= 0 || rep.P50 <= 0 || rep.P99 < rep.P50 || rep.Max < rep.P99 {
		t.Errorf("report does not add up: %+v", rep)
	}
	// The benchmark pool is deleted afterwards.
	pools, _ := store.ListUserPools(ctx, "us-east-1", 0, 10)
	if len(pools) != 0 {
		t.Errorf("%d pools left behind", len(pools))
	}
	// Wrong credentials fail at set-up, before any load.
	if _, err := Run(ctx, Config{URL: hs.URL, AccessKeyID: "AKIDBENCH", Secret: "wrong", Region: "us-east-1", Concurrency: 1, Duration: time.Second}); err == nil {
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
