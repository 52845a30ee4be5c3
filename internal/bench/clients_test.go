package bench

import (
	"bufio"
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/awsjson"
	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/metrics"
)

// TestRunClients: a --clients run seeds its clients into the server's
// store, gets tokens for them without an error (each seeded client
// authenticates with its own secret), reads the server's resident memory
// from its metrics, and leaves no pool or client behind.
func TestRunClients(t *testing.T) {
	ctx := context.Background()
	base, store, svc := benchServerWith(t, nil, metrics.New(awsjson.Operations()))
	var seeded []Credential
	seed := func(ctx context.Context, poolID, template string, n int) ([]Credential, error) {
		cs, err := svc.SeedClientClones(ctx, poolID, template, n)
		for _, c := range cs {
			seeded = append(seeded, Credential{ID: c.ClientID, Secret: c.Secret})
		}
		return seeded, err
	}
	rep, err := Run(ctx, Config{URL: base, AccessKeyID: "AKIDBENCH", Secret: "bench-secret", Region: "us-east-1",
		Concurrency: 4, Duration: 400 * time.Millisecond, SignDuration: 50 * time.Millisecond, NoOpenSSL: true, Clients: 30, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	if len(seeded) != 30 || rep.Clients != 30 {
		t.Fatalf("seeded %d clients, report says %d; want 30", len(seeded), rep.Clients)
	}
	if rep.Tokens == 0 || rep.Errors != 0 {
		t.Errorf("%d tokens, %d errors: want tokens and no error", rep.Tokens, rep.Errors)
	}
	if rep.RSSBefore <= 0 || rep.RSSAfter <= 0 || !strings.Contains(rep.String(), "server RSS:") {
		t.Errorf("server RSS not read from /metrics: %d, %d", rep.RSSBefore, rep.RSSAfter)
	}
	pools, _ := store.ListUserPools(ctx, "us-east-1", 0, 10)
	if len(pools) != 0 {
		t.Errorf("%d pools left behind", len(pools))
	}
	if _, err := store.GetAppClient(ctx, seeded[0].ID); err == nil {
		t.Error("a seeded client outlived its pool")
	}
	// Without a seeder, a --clients run refuses to start.
	if _, err := Run(ctx, Config{URL: base, AccessKeyID: "AKIDBENCH", Secret: "bench-secret", Region: "us-east-1",
		Concurrency: 1, Duration: time.Second, NoOpenSSL: true, Clients: 5}); err == nil {
		t.Error("a --clients run without a seeder ran")
	}
}

// TestRandomClientRequest: the requests name the seeded clients at random,
// spread over all of them.
func TestRandomClientRequest(t *testing.T) {
	u, _ := url.Parse("http://127.0.0.1:9229/us-east-1_abc/oauth2/token")
	basics := []string{"Basic YTpi", "Basic Yzpk", "Basic ZTpm", "Basic ZzpoCg=="}
	next := randomClientRequest(u, basics, []byte("grant_type=client_credentials"))
	seen := map[string]int{}
	for range 400 {
		req := string(next())
		_, rest, _ := strings.Cut(req, "\r\nAuthorization: ")
		auth, _, _ := strings.Cut(rest, "\r\n")
		seen[auth]++
		if !strings.HasPrefix(req, "POST /us-east-1_abc/oauth2/token HTTP/1.1\r\n") || !strings.HasSuffix(req, "\r\n\r\ngrant_type=client_credentials") {
			t.Fatalf("malformed request %q", req)
		}
	}
	if len(seen) != len(basics) {
		t.Errorf("400 requests named %d of %d clients: %v", len(seen), len(basics), seen)
	}
	for _, b := range basics {
		if seen[b] < 40 { // expected 100 each
			t.Errorf("%s chosen %d times in 400", b, seen[b])
		}
	}
}

// TestSeedClientClonesBounds: the bulk path refuses a count past its
// bound and a template from another pool.
func TestSeedClientClonesBounds(t *testing.T) {
	_, _, svc := benchServerWith(t, nil, nil)
	ctx := context.Background()
	if _, err := svc.SeedClientClones(ctx, "us-east-1_nopool", "x", cognito.MaxSeedClients+1); err == nil {
		t.Error("seeded more than MaxSeedClients")
	}
	if _, err := svc.SeedClientClones(ctx, "us-east-1_nopool", "nosuchclient", 1); err == nil {
		t.Error("seeded clones of a client that does not exist")
	}
}

func TestParseMetric(t *testing.T) {
	in := "# HELP process_resident_memory_bytes Resident memory size in bytes.\n# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes 2.4576e+07\nprocess_start_time_seconds 1.7e+09\n"
	if got, ok := parseMetric(bufio.NewScanner(strings.NewReader(in)), "process_resident_memory_bytes"); !ok || got != 24576000 {
		t.Errorf("parseMetric = %v, %v, want 24576000", got, ok)
	}
	if got, ok := parseMetric(bufio.NewScanner(strings.NewReader("go_goroutines 5\nprocess_resident_memory_bytes_max 7\n")), "process_resident_memory_bytes"); ok {
		t.Errorf("parseMetric without the metric = %v, want none", got)
	}
}
