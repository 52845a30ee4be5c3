package bench

import (
	"context"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/awsjson"
	"github.com/cognitod/cognitod/internal/metrics"
	"github.com/cognitod/cognitod/internal/ratelimit"
	"github.com/cognitod/cognitod/internal/server"
)

// TestRunAdmin drives signed DescribeResourceServer and
// ListResourceServers at a real cognitod: every request of both phases
// is answered 200 (the server verified its SigV4 signature, made by
// internal/sigv4's signer and sent on the raw connection), and the pool
// is deleted afterwards. The server runs as the README tells: with the
// quota on these reads lifted (--quota UserPoolResourceRead=0). The
// floor phase (GET /healthz) is answered 200 too, and every phase reports
// the server's CPU per request, read from its /metrics.
func TestRunAdmin(t *testing.T) {
	ctx := context.Background()
	url, store, _ := benchServerWith(t, readsUnlimited(), metrics.New(awsjson.Operations()))
	rep, err := RunAdmin(ctx, Config{URL: url, AccessKeyID: "AKIDBENCH", Secret: "bench-secret", Region: "us-east-1",
		Concurrency: 4, Duration: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Phases) != 2 || rep.Phases[0].Operation != "DescribeResourceServer" || rep.Phases[1].Operation != "ListResourceServers" {
		t.Fatalf("phases: %+v", rep.Phases)
	}
	if rep.Floor == nil || !strings.Contains(rep.Floor.Operation, "/healthz") {
		t.Fatalf("floor phase: %+v", rep.Floor)
	}
	for _, p := range append([]*AdminPhase{rep.Floor}, rep.Phases...) {
		if p.Requests == 0 || p.Errors != 0 || p.PerSec <= 0 || p.P50 <= 0 || p.P99 < p.P50 || p.Max < p.P99 {
			t.Errorf("%s: report does not add up: %+v", p.Operation, p)
		}
		if runtime.GOOS == "linux" && (!p.StealKnown || p.Steal < 0 || p.Steal > 1) {
			t.Errorf("%s: steal %v (known %v)", p.Operation, p.Steal, p.StealKnown)
		}
		// The server's own CPU per request: more than nothing, less than
		// the whole phase on every core for one request.
		if p.ServerCPU <= 0 || p.ServerCPU > time.Duration(rep.Cores)*rep.Duration/time.Duration(p.Requests) {
			t.Errorf("%s: server CPU per request %v out of range (%d requests)", p.Operation, p.ServerCPU, p.Requests)
		}
	}
	if s := rep.String(); !strings.Contains(s, "DescribeResourceServer:") || !strings.Contains(s, "µs/req") || strings.Contains(s, "throttles") {
		t.Errorf("report text:\n%s", s)
	}
	pools, _ := store.ListUserPools(ctx, "us-east-1", 0, 10)
	if len(pools) != 0 {
		t.Errorf("%d pools left behind", len(pools))
	}
	if _, err := RunAdmin(ctx, Config{URL: url, AccessKeyID: "AKIDBENCH", Secret: "wrong", Region: "us-east-1", Concurrency: 1, Duration: time.Second}); err == nil {
		t.Error("RunAdmin with a wrong secret succeeded")
	}
}

func readsUnlimited() *ratelimit.Limits {
	return ratelimit.New(server.RateLimits(server.QuotaOptions{Overrides: map[string]float64{"UserPoolResourceRead": 0, "UserPoolRead": 0}}))
}

// TestSignedRequestVerified: the raw request the admin workers send is
// refused when signed with a wrong secret or when its signature is
// stale, so the zero errors of TestRunAdmin mean the server checked each
// signature; and the request is signed anew when the second changes.
func TestSignedRequestVerified(t *testing.T) {
	base, _ := benchServer(t, readsUnlimited())
	c := Config{URL: base, AccessKeyID: "AKIDBENCH", Secret: "bench-secret", Region: "us-east-1", Concurrency: 1, Duration: time.Second}
	u, _ := url.Parse(base + "/")
	post := func(sr *signedRequest, req []byte) error {
		tc := &tokenConn{addr: u.Host, deadline: time.Now().Add(10 * time.Second), next: func() []byte { return req }}
		defer tc.close()
		return tc.post()
	}
	body := []byte(`{"MaxResults":10}`)
	good := &signedRequest{c: &c, u: u, op: "ListUserPools", body: body}
	if err := post(good, good.bytes()); err != nil {
		t.Fatalf("correctly signed: %v", err)
	}
	wrong := c
	wrong.Secret = "not-the-secret"
	bad := &signedRequest{c: &wrong, u: u, op: "ListUserPools", body: body}
	if err := post(bad, bad.bytes()); err == nil || !strings.Contains(err.Error(), "400") {
		t.Errorf("signed with a wrong secret: %v, want HTTP 400", err)
	}
	if err := post(good, good.sign(time.Now().Add(-10*time.Minute))); err == nil {
		t.Error("a signature ten minutes old was accepted")
	}
	first := good.bytes()
	time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second + 10*time.Millisecond)))
	if second := good.bytes(); string(first) == string(second) {
		t.Error("the request was not signed anew in the next second")
	}
}
