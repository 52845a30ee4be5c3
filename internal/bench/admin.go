package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cognitod/cognitod/internal/sigv4"
)

// AdminReport is what `cognitod bench admin` measured: signed admin
// reads, one phase per operation, after a floor phase.
type AdminReport struct {
	Concurrency int
	Duration    time.Duration // of each phase
	Cores       int
	// Floor is GET /healthz driven the same way: what this machine's
	// loopback, net/http and this load generator allow when the handler
	// does next to nothing. The load generator shares the machine, so
	// the reads' rates only mean something beside it.
	Floor  *AdminPhase
	Phases []*AdminPhase
}

// AdminPhase is one operation's figures.
type AdminPhase struct {
	Operation     string
	Requests      int64
	Errors        int64
	PerSec        float64
	P50, P90, P99 time.Duration
	Max           time.Duration
	// ServerCPU is the server process's CPU time per request answered,
	// refused ones included (user and system, from its
	// process_cpu_seconds_total); 0 when its metrics could not be read.
	ServerCPU time.Duration
	// Steal is the share of the machine's CPU time its hypervisor gave
	// to other guests during the phase, when StealKnown.
	Steal      float64
	StealKnown bool
}

func (p *AdminPhase) line(b *strings.Builder) {
	fmt.Fprintf(b, "  %-24s %8.0f req/s  p50 %s  p90 %s  p99 %s  max %s  (%d requests, %d errors)", p.Operation+":",
		p.PerSec, round(p.P50), round(p.P90), round(p.P99), round(p.Max), p.Requests, p.Errors)
	if p.ServerCPU > 0 {
		fmt.Fprintf(b, "  server CPU %.1f µs/req", float64(p.ServerCPU)/float64(time.Microsecond))
	}
	if p.StealKnown {
		fmt.Fprintf(b, "  steal %.1f%%", 100*p.Steal)
	}
	b.WriteByte('\n')
}

func (r *AdminReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "cognitod bench admin: concurrency %d, %s per operation, SigV4-signed (signature renewed every second)\n", r.Concurrency, r.Duration)
	if r.Floor != nil {
		r.Floor.line(&b)
	}
	throttled := false
	for _, p := range r.Phases {
		p.line(&b)
		throttled = throttled || p.Errors > 0
	}
	if throttled {
		b.WriteString("  errors: a server with Cognito's quotas on throttles these reads; start it with --quotas off or --quota UserPoolResourceRead=0\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// adminOps are the operations `bench admin` drives, with the body each
// sends once set-up has made the pool: {0} is the pool ID.
var adminOps = []struct{ op, body string }{
	{"DescribeResourceServer", `{"UserPoolId":"{0}","Identifier":"com.example.photos"}`},
	{"ListResourceServers", `{"UserPoolId":"{0}","MaxResults":50}`},
}

// RunAdmin creates a pool with one resource server, then drives signed
// DescribeResourceServer and ListResourceServers calls at it, one phase
// each, and deletes the pool. Every request carries a real SigV4
// signature (internal/sigv4's signer, over host, x-amz-date,
// content-length, content-type and x-amz-target, as the SDKs sign); a
// worker re-signs when the second changes, so the load generator does not
// spend the server's CPU signing identical requests, and the server
// verifies every one in full.
func RunAdmin(ctx context.Context, c Config) (*AdminReport, error) {
	if c.Concurrency <= 0 || c.Duration <= 0 {
		return nil, errors.New("bench: concurrency and duration must be positive")
	}
	hc := &http.Client{Timeout: 30 * time.Second}
	cl, err := c.setup(ctx, hc, true)
	if err != nil {
		return nil, fmt.Errorf("bench: set up through the admin API: %w", err)
	}
	defer c.cleanup(hc, cl)
	u, err := url.Parse(strings.TrimRight(c.URL, "/") + "/")
	if err != nil {
		return nil, err
	}
	rep := &AdminReport{Concurrency: c.Concurrency, Duration: c.Duration, Cores: runtime.GOMAXPROCS(0)}
	phase := func(name string, w newWorker) (*AdminPhase, error) {
		cpu0, cpuOK := c.serverCPU(ctx, hc)
		s, err := c.drive(ctx, c.Duration, w)
		if err != nil {
			return nil, err
		}
		cpu1, cpuOK1 := c.serverCPU(ctx, hc)
		r := &Report{}
		r.fill([]*sample{s})
		p := &AdminPhase{Operation: name, Requests: r.Tokens, Errors: r.Errors, PerSec: r.TokensPerSec,
			P50: r.P50, P90: r.P90, P99: r.P99, Max: r.Max, Steal: r.Steal, StealKnown: r.StealKnown}
		// Refused requests cost the server too: the CPU is shared over
		// every answer.
		if n := r.Tokens + r.Errors; cpuOK && cpuOK1 && n > 0 && cpu1 > cpu0 {
			p.ServerCPU = (cpu1 - cpu0) / time.Duration(n)
		}
		return p, nil
	}
	if u.Scheme == "http" {
		var err error
		if rep.Floor, err = phase("GET /healthz (floor)", floorWorkers(u)); err != nil {
			return nil, err
		}
	}
	for _, o := range adminOps {
		sr := &signedRequest{c: &c, u: u, op: o.op, body: []byte(strings.ReplaceAll(o.body, "{0}", cl.poolID))}
		// One call through net/http first: a request the server refuses
		// (wrong key, quotas on) fails here with its answer.
		var ignored map[string]any
		if err := c.admin(ctx, hc, o.op, rawJSON(sr.body), &ignored); err != nil {
			return nil, fmt.Errorf("bench: first %s: %w", o.op, err)
		}
		p, err := phase(o.op, sr.workers())
		if err != nil {
			return nil, err
		}
		rep.Phases = append(rep.Phases, p)
	}
	return rep, nil
}

// floorWorkers get /healthz on raw keep-alive connections.
func floorWorkers(u *url.URL) newWorker {
	return func(runCtx context.Context, end time.Time) (func() error, func()) {
		req := []byte("GET " + strings.TrimSuffix(u.Path, "/") + "/healthz HTTP/1.1\r\nHost: " + u.Host + "\r\n\r\n")
		tc := &tokenConn{addr: hostPort(u), req: req, deadline: end}
		return tc.post, tc.close
	}
}

// rawJSON marshals as itself.
type rawJSON []byte

func (r rawJSON) MarshalJSON() ([]byte, error) { return r, nil }

// signedRequest is one operation's request as raw HTTP/1.1 bytes, signed
// anew when the second of its X-Amz-Date has passed.
type signedRequest struct {
	c    *Config
	u    *url.URL
	op   string
	body []byte
	cur  atomic.Pointer[signedBytes]
	mu   sync.Mutex
}

type signedBytes struct {
	second int64
	b      []byte
}

// bytes returns the request signed for the current second.
func (sr *signedRequest) bytes() []byte {
	now := time.Now()
	if cur := sr.cur.Load(); cur != nil && cur.second == now.Unix() {
		return cur.b
	}
	sr.mu.Lock()
	defer sr.mu.Unlock()
	if cur := sr.cur.Load(); cur != nil && cur.second == now.Unix() {
		return cur.b
	}
	b := sr.sign(now)
	sr.cur.Store(&signedBytes{second: now.Unix(), b: b})
	return b
}

// sign renders the request, signed at t, as it goes on the wire.
func (sr *signedRequest) sign(t time.Time) []byte {
	req, _ := http.NewRequest(http.MethodPost, sr.u.String(), bytes.NewReader(sr.body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+sr.op)
	sigv4.Sign(req, sr.body, sr.c.AccessKeyID, sr.c.Secret, sr.c.Region, "cognito-idp", t)
	var b bytes.Buffer
	fmt.Fprintf(&b, "POST %s HTTP/1.1\r\nHost: %s\r\n", sr.u.RequestURI(), req.Host)
	for _, h := range []string{"Content-Type", "X-Amz-Target", "X-Amz-Date", "Authorization"} {
		fmt.Fprintf(&b, "%s: %s\r\n", h, req.Header.Get(h))
	}
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n", len(sr.body))
	b.Write(sr.body)
	return b.Bytes()
}

// workers posts the request on raw keep-alive connections (plain HTTP),
// or through net/http for HTTPS.
func (sr *signedRequest) workers() newWorker {
	return func(runCtx context.Context, end time.Time) (func() error, func()) {
		if sr.u.Scheme != "http" {
			hc := &http.Client{Timeout: 30 * time.Second}
			return func() error {
				var ignored map[string]any
				return sr.c.admin(runCtx, hc, sr.op, rawJSON(sr.body), &ignored)
			}, hc.CloseIdleConnections
		}
		tc := &tokenConn{addr: hostPort(sr.u), deadline: end, next: sr.bytes}
		return tc.post, tc.close
	}
}
