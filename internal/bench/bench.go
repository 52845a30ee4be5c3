package bench

import (
	"bufio"
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cognitod/cognitod/internal/sigv4"
)

// Config describes one run.
type Config struct {
	URL         string // the server, e.g. http://127.0.0.1:9229
	AccessKeyID string
	Secret      string
	Region      string
	Concurrency int
	Duration    time.Duration
	// SignDuration bounds the raw RS256 measurement.
	SignDuration time.Duration
	// Quotas is how the server's request-rate quotas treat the run:
	// QuotasLifted (the default) tags the benchmark pool cognitod:quotas=off
	// so that the server does not count its calls; QuotasOn leaves them
	// counted (start the server with limits above the offered load, e.g.
	// --quota ClientAuthentication=1000000, or see it throttled);
	// QuotasCompare runs one phase of each on the same pool and reports
	// the difference.
	Quotas string
	// OpenSSL: when true, OpenSSL's signing rate is not measured (tests).
	NoOpenSSL bool
	// Clients, when above zero, has Seed write that many app clients
	// into the benchmark pool and spreads the token requests over them
	// at random, so that the cost of many clients shows.
	Clients int
	// Seed writes n copies of the pool's app client template straight
	// into the server's store and returns their IDs and secrets
	// (cognito.Service.SeedClientClones, run by the bench command on the
	// server's database). The pool's deletion removes them.
	Seed func(ctx context.Context, poolID, template string, n int) ([]Credential, error)
	// MetricsURL is the server's Prometheus endpoint, read for its
	// process_resident_memory_bytes in a Clients run; "" means URL +
	// "/metrics".
	MetricsURL string
	// Triggers is whether the benchmark pool has a pre token generation
	// trigger: TriggersOff (the default), TriggersOn (its
	// PreTokenGenerationConfig is V3_0 with PreTokenARN, which the server
	// maps to a webhook with --trigger), or TriggersCompare (one phase of
	// each on the same pool, and the difference). With the trigger set,
	// every token's access token must carry TriggerClaim, and without it
	// must not, or the run fails: a misconfigured webhook cannot pass for
	// a fast one.
	Triggers     string
	PreTokenARN  string
	TriggerClaim string // NAME or NAME=VALUE; "" means DefaultTriggerClaim
}

// Credential is an app client's ID and secret.
type Credential struct{ ID, Secret string }

// The values of Config.Quotas.
const (
	QuotasLifted  = "lifted"
	QuotasOn      = "on"
	QuotasCompare = "compare"
)

// quotaTag is the server's pool tag that lifts its quotas for one pool
// (cognito.QuotaTag; the bench speaks only the wire protocol).
const quotaTag = "cognitod:quotas"

// Report is what a run measured.
type Report struct {
	Concurrency   int
	Duration      time.Duration
	Tokens        int64
	Errors        int64
	TokensPerSec  float64
	P50, P90, P99 time.Duration
	Max           time.Duration
	RawSignPerSec float64
	Cores         int
	// OpenSSL is OpenSSL's signing rate on the same cores (nil when not
	// measured; OpenSSLNote says why).
	OpenSSL     *OpenSSLRate
	OpenSSLNote string
	// Steal is the share of the machine's CPU time that its hypervisor
	// gave to other guests during the run, when StealKnown (Linux).
	Steal      float64
	StealKnown bool
	// Clients is how many app clients the requests were spread over.
	Clients int
	// RSSBefore and RSSAfter are the server's resident memory before the
	// clients were seeded and after the run, when the server's process
	// could be found on this machine (0 otherwise).
	RSSBefore, RSSAfter int64
	// Quotas is QuotasLifted or QuotasOn: how this phase ran.
	Quotas string
	// QuotasChecked is, in a QuotasCompare run, the phase with quota
	// checking on (this report being the lifted one).
	QuotasChecked *Report
	// Trigger is, in a Triggers run, "with" or "without" the pool's pre
	// token generation trigger (PreTokenARN); claim is what every token
	// was checked for.
	Trigger     string
	PreTokenARN string
	claim       claimCheck
	// WithTrigger is, in a TriggersCompare run, the phase with the
	// trigger (this report being the one without).
	WithTrigger *Report
}

// Ratio is tokens/s over the raw signing rate.
func (r *Report) Ratio() float64 { return r.TokensPerSec / r.RawSignPerSec }

// OpenSSLRatio is tokens/s over OpenSSL's signing rate (0 when that was
// not measured).
func (r *Report) OpenSSLRatio() float64 {
	if r.OpenSSL == nil || r.OpenSSL.SignPerSec() <= 0 {
		return 0
	}
	return r.TokensPerSec / r.OpenSSL.SignPerSec()
}

func (r *Report) String() string {
	s := fmt.Sprintf(`cognitod bench token: concurrency %d for %s
  tokens:       %d (%d errors)
  tokens/s:     %.0f
  latency:      p50 %s  p90 %s  p99 %s  max %s
  raw RS256:    %.0f signatures/s (crypto/rsa, 2048-bit, %d cores; load generator on 1)
  ratio:        %.1f%% of the raw signing rate`,
		r.Concurrency, r.Duration, r.Tokens, r.Errors, r.TokensPerSec,
		round(r.P50), round(r.P90), round(r.P99), round(r.Max), r.RawSignPerSec, r.Cores, 100*r.Ratio())
	if r.OpenSSL != nil {
		o := r.OpenSSL
		when := ""
		if o.After > 0 {
			when = fmt.Sprintf(", the mean of %.0f before the load and %.0f after", o.Before, o.After)
		}
		s += fmt.Sprintf("\n  OpenSSL:      %.0f signatures/s (%s%s)\n  ratio:        %.1f%% of OpenSSL's signing rate", o.SignPerSec(), o.Source, when, 100*r.OpenSSLRatio())
	} else if r.OpenSSLNote != "" {
		s += "\n  OpenSSL:      " + r.OpenSSLNote
	}
	s += "\n  quotas:       " + r.Quotas
	if r.StealKnown {
		s += fmt.Sprintf("\n  machine:      %.1f%% of its CPU time taken by the hypervisor for other guests (steal) during the run", 100*r.Steal)
	}
	s += r.triggerLine()
	if r.Clients > 0 {
		s += fmt.Sprintf("\n  clients:      %d app clients, each request's chosen at random", r.Clients)
		if r.RSSBefore > 0 {
			s += fmt.Sprintf("\n  server RSS:   %.1f MiB before seeding, %.1f MiB after the run", float64(r.RSSBefore)/(1<<20), float64(r.RSSAfter)/(1<<20))
		}
	}
	return s
}

// Comparison is a QuotasCompare run's summary: the same figures with the
// server's quota checking on (limits above the offered load) and lifted.
func (r *Report) Comparison() string {
	on := r.QuotasChecked
	if on == nil {
		return ""
	}
	return fmt.Sprintf(`quota checking on vs lifted, concurrency %d, %s each (interleaved in quarters):
  on:      %.0f tokens/s  p99 %s  (%d errors)
  lifted:  %.0f tokens/s  p99 %s  (%d errors)
  difference: %+.1f%% tokens/s, %+.1f%% p99 (on relative to lifted)`,
		r.Concurrency, r.Duration,
		on.TokensPerSec, round(on.P99), on.Errors,
		r.TokensPerSec, round(r.P99), r.Errors,
		100*(on.TokensPerSec/r.TokensPerSec-1), 100*(float64(on.P99)/float64(max(r.P99, 1))-1))
}

func round(d time.Duration) time.Duration { return d.Round(10 * time.Microsecond) }

// ReadCredentials reads the [cognitod] profile of an AWS shared
// credentials file, the one `cognitod serve` writes.
func ReadCredentials(path string) (id, secret string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			in = line == "[cognitod]"
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !in || !ok {
			continue
		}
		switch strings.TrimSpace(k) {
		case "aws_access_key_id":
			id = strings.TrimSpace(v)
		case "aws_secret_access_key":
			secret = strings.TrimSpace(v)
		}
	}
	if id == "" || secret == "" {
		return "", "", fmt.Errorf("%s: no [cognitod] profile with a key", path)
	}
	return id, secret, sc.Err()
}

// admin calls one cognito-idp operation, SigV4-signed.
func (c *Config) admin(ctx context.Context, hc *http.Client, op string, in, out any) error {
	body, _ := json.Marshal(in)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(c.URL, "/")+"/", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+op)
	sigv4.Sign(req, body, c.AccessKeyID, c.Secret, c.Region, "cognito-idp", time.Now())
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return fmt.Errorf("%s: %d %s", op, resp.StatusCode, b)
	}
	return json.Unmarshal(b, out)
}

// client is what setup made for the run.
type client struct {
	poolID, poolARN, id, secret string
	lifted                      bool // tagged cognitod:quotas=off
}

func (c *Config) setup(ctx context.Context, hc *http.Client, lifted bool) (*client, error) {
	var pool struct{ UserPool struct{ Id, Arn string } }
	in := map[string]any{"PoolName": "bench-" + time.Now().Format("20060102-150405")}
	if lifted {
		in["UserPoolTags"] = map[string]string{quotaTag: "off"}
	}
	if err := c.admin(ctx, hc, "CreateUserPool", in, &pool); err != nil {
		return nil, err
	}
	id := pool.UserPool.Id
	var ignored map[string]any
	if err := c.admin(ctx, hc, "CreateResourceServer", map[string]any{"UserPoolId": id, "Identifier": "com.example.photos", "Name": "Photo Server",
		"Scopes": []map[string]string{{"ScopeName": "read", "ScopeDescription": "view your photos"}, {"ScopeName": "write", "ScopeDescription": "update your photos"}}}, &ignored); err != nil {
		return nil, err
	}
	var cl struct {
		UserPoolClient struct{ ClientId, ClientSecret string }
	}
	if err := c.admin(ctx, hc, "CreateUserPoolClient", map[string]any{"UserPoolId": id, "ClientName": "bench", "GenerateSecret": true,
		"AllowedOAuthFlows": []string{"client_credentials"}, "AllowedOAuthFlowsUserPoolClient": true,
		"AllowedOAuthScopes": []string{"com.example.photos/read", "com.example.photos/write"}}, &cl); err != nil {
		return nil, err
	}
	return &client{poolID: id, poolARN: pool.UserPool.Arn, id: cl.UserPoolClient.ClientId, secret: cl.UserPoolClient.ClientSecret, lifted: lifted}, nil
}

func (c *Config) cleanup(hc *http.Client, cl *client) {
	// Deleting a pool deletes its clients: a --clients run's take longer.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second+time.Duration(c.Clients)*time.Millisecond)
	defer cancel()
	var ignored map[string]any
	c.admin(ctx, hc, "DeleteUserPool", map[string]any{"UserPoolId": cl.poolID}, &ignored)
}

// Run measures the raw signing rate, then drives the token endpoint.
func Run(ctx context.Context, c Config) (*Report, error) {
	if c.Concurrency <= 0 || c.Duration <= 0 {
		return nil, errors.New("bench: concurrency and duration must be positive")
	}
	switch c.Quotas {
	case "":
		c.Quotas = QuotasLifted
	case QuotasLifted, QuotasOn, QuotasCompare:
	default:
		return nil, fmt.Errorf("bench: quotas %q: want lifted, on or compare", c.Quotas)
	}
	switch c.Triggers {
	case "":
		c.Triggers = TriggersOff
	case TriggersOff, TriggersOn, TriggersCompare:
	default:
		return nil, fmt.Errorf("bench: triggers %q: want off, on or compare", c.Triggers)
	}
	var cc *claimCheck
	if c.Triggers != TriggersOff {
		if c.PreTokenARN == "" {
			return nil, errors.New("bench: triggers " + c.Triggers + " needs the ARN the server maps to the webhook (--pre-token-arn)")
		}
		if c.Quotas == QuotasCompare {
			return nil, errors.New("bench: one comparison per run: --triggers compare or on with --quotas compare")
		}
		name, value, err := parseTriggerClaim(c.TriggerClaim)
		if err != nil {
			return nil, err
		}
		// The first token, before the trigger is set, must lack the claim.
		cc = &claimCheck{name: name, value: value}
	}
	hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: c.Concurrency * 2, MaxIdleConnsPerHost: c.Concurrency * 2, IdleConnTimeout: time.Minute}}
	cl, err := c.setup(ctx, hc, c.Quotas == QuotasLifted)
	if err != nil {
		return nil, fmt.Errorf("bench: set up through the admin API: %w", err)
	}
	defer c.cleanup(hc, cl)

	tokenURL := strings.TrimRight(c.URL, "/") + "/" + cl.poolID + "/oauth2/token"
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(cl.id)+":"+url.QueryEscape(cl.secret)))
	body := []byte("grant_type=client_credentials&scope=com.example.photos%2Fread")
	// check checks a token answer's claims in a Triggers run, against
	// the phase's cc.want (set between phases, before their workers start).
	var check func([]byte) error
	if cc != nil {
		check = cc.check
	}
	callAs := func(ctx context.Context, basic string) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, tokenURL, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", basic)
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return fmt.Errorf("token endpoint: %d: %s", resp.StatusCode, clip(b))
		}
		if err == nil && check != nil {
			err = check(b)
		}
		return err
	}
	call := func(ctx context.Context) error { return callAs(ctx, basic) }
	// Warm up: the first request creates the pool's keys.
	if err := call(ctx); err != nil {
		return nil, fmt.Errorf("bench: first token request: %w", err)
	}

	signDur := c.SignDuration
	if signDur <= 0 {
		signDur = 3 * time.Second
	}
	if c.Triggers == TriggersOn {
		if err := c.setPreToken(ctx, hc, cl, true); err != nil {
			return nil, err
		}
		cc.want = true
		if err := call(ctx); err != nil {
			return nil, fmt.Errorf("bench: first token request with the trigger: %w", err)
		}
	}
	workers := tokenWorkers(tokenURL, basic, body, call, check)
	var rssBefore int64
	if c.Clients > 0 {
		if c.Seed == nil {
			return nil, errors.New("bench: --clients needs the server's database to seed them (Seed)")
		}
		rssBefore = c.serverRSS(ctx, hc)
		creds, err := c.Seed(ctx, cl.poolID, cl.id, c.Clients)
		if err != nil {
			return nil, fmt.Errorf("bench: seed %d clients: %w", c.Clients, err)
		}
		workers = manyClientWorkers(tokenURL, creds, body, callAs, check)
	}
	raw := RawSignRate(signDur)
	var ossl *OpenSSLRate
	osslNote := ""
	if !c.NoOpenSSL {
		if ossl, err = OpenSSLSignRate(ctx, signDur); err != nil {
			osslNote = err.Error()
		}
	}
	report := func(quotas string, samples ...*sample) *Report {
		rep := &Report{Concurrency: c.Concurrency, Duration: c.Duration, Cores: runtime.GOMAXPROCS(0), RawSignPerSec: raw, Quotas: quotas,
			OpenSSL: ossl, OpenSSLNote: osslNote, Clients: c.Clients}
		rep.fill(samples)
		if c.Clients > 0 && rssBefore > 0 {
			rep.RSSBefore, rep.RSSAfter = rssBefore, c.serverRSS(ctx, hc)
		}
		if cc != nil {
			rep.PreTokenARN, rep.claim, rep.Trigger = c.PreTokenARN, *cc, phaseNoTrigger
			if cc.want {
				rep.Trigger = phaseTrigger
			}
		}
		return rep
	}
	// OpenSSL is measured again once the load is over, after each
	// report has read what must be read just after it (the server's
	// RSS); the reports hold the rate by pointer.
	if c.Triggers == TriggersCompare {
		rep, err := c.compareTriggers(ctx, hc, cl, cc, call, workers, report)
		if err == nil {
			ossl.measureAfter(ctx, signDur)
		}
		return rep, err
	}
	if c.Quotas != QuotasCompare {
		s, err := c.drive(ctx, c.Duration, workers)
		if err != nil {
			return nil, err
		}
		if cc != nil {
			if err := phaseError("with", []*sample{s}); err != nil {
				return nil, err
			}
		}
		rep := report(c.Quotas, s)
		ossl.measureAfter(ctx, signDur)
		return rep, nil
	}
	// Compare: the machine's load drifts over seconds (and a shared one's
	// jumps), so the phases are interleaved in an ABBA order, each given
	// the whole duration in quarters, and the pool's tag switched between.
	order := []string{QuotasOn, QuotasLifted, QuotasLifted, QuotasOn, QuotasOn, QuotasLifted, QuotasLifted, QuotasOn}
	samples := map[string][]*sample{}
	current := QuotasOn
	for _, phase := range order {
		if phase != current {
			if err := c.setQuotaTag(ctx, hc, cl, phase == QuotasLifted); err != nil {
				return nil, err
			}
			current = phase
		}
		s, err := c.drive(ctx, c.Duration/4, workers)
		if err != nil {
			return nil, err
		}
		samples[phase] = append(samples[phase], s)
	}
	lifted := report(QuotasLifted, samples[QuotasLifted]...)
	lifted.QuotasChecked = report(QuotasOn, samples[QuotasOn]...)
	ossl.measureAfter(ctx, signDur)
	return lifted, nil
}

// setQuotaTag tags the benchmark pool cognitod:quotas=off, or removes
// the tag.
func (c *Config) setQuotaTag(ctx context.Context, hc *http.Client, cl *client, lifted bool) error {
	var ignored map[string]any
	var err error
	if lifted {
		err = c.admin(ctx, hc, "TagResource", map[string]any{"ResourceArn": cl.poolARN, "Tags": map[string]string{quotaTag: "off"}}, &ignored)
	} else {
		err = c.admin(ctx, hc, "UntagResource", map[string]any{"ResourceArn": cl.poolARN, "TagKeys": []string{quotaTag}}, &ignored)
	}
	if err != nil {
		return fmt.Errorf("bench: switch the pool's %s tag: %w", quotaTag, err)
	}
	return nil
}

// sample is what one stretch of load measured.
type sample struct {
	tokens, errors int64
	// claimErrors are the errors that were tokens with the wrong claims
	// (Triggers runs); firstError is the first error's message.
	claimErrors int64
	firstError  string
	elapsed     time.Duration
	latencies   []time.Duration
	// steal is the share of the machine's CPU time the hypervisor gave
	// to other guests while the sample was taken, when stealKnown.
	steal      float64
	stealKnown bool
}

// fill sets rep's figures from samples taken under the same conditions.
func (rep *Report) fill(samples []*sample) {
	var all []time.Duration
	var elapsed, stealTime time.Duration
	rep.StealKnown = len(samples) > 0
	for _, s := range samples {
		rep.Tokens += s.tokens
		rep.Errors += s.errors
		elapsed += s.elapsed
		all = append(all, s.latencies...)
		stealTime += time.Duration(s.steal * float64(s.elapsed))
		rep.StealKnown = rep.StealKnown && s.stealKnown
	}
	if rep.StealKnown && elapsed > 0 {
		rep.Steal = float64(stealTime) / float64(elapsed)
	}
	slices.Sort(all)
	if elapsed > 0 {
		rep.TokensPerSec = float64(rep.Tokens) / elapsed.Seconds()
	}
	if len(all) > 0 {
		pct := func(p float64) time.Duration { return all[min(len(all)-1, int(p*float64(len(all))))] }
		rep.P50, rep.P90, rep.P99, rep.Max = pct(0.50), pct(0.90), pct(0.99), all[len(all)-1]
	}
}

// newWorker makes one load generator's connection: post sends one
// request and reads its answer (an error for anything but 200), done
// closes what it opened. end is when the run stops; runCtx ends then.
type newWorker func(runCtx context.Context, end time.Time) (post func() error, done func())

// tokenWorkers posts the token request: plain HTTP through tokenConn,
// light enough not to take the server's CPU; HTTPS through net/http.
func tokenWorkers(tokenURL, basic string, body []byte, call func(context.Context) error, check func([]byte) error) newWorker {
	parsed, err := url.Parse(tokenURL)
	return func(runCtx context.Context, end time.Time) (func() error, func()) {
		if err != nil || parsed.Scheme != "http" {
			return func() error { return call(runCtx) }, func() {}
		}
		tc := newTokenConn(parsed, basic, body, end)
		tc.check = check
		return tc.post, tc.close
	}
}

// drive puts load on the server for d, with c.Concurrency workers made by
// newWorker.
func (c *Config) drive(ctx context.Context, d time.Duration, newWorker newWorker) (*sample, error) {
	// The load generator shares the machine with the server it measures:
	// one core's worth of goroutines is enough to keep the endpoint busy,
	// and more would only take CPU from the signatures being measured.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))

	runCtx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	end, _ := runCtx.Deadline()
	var tokens, failures, claimFailures atomic.Int64
	var firstErr atomic.Pointer[string]
	lat := make([][]time.Duration, c.Concurrency)
	var wg sync.WaitGroup
	cpu0, cpuOK := readCPUTimes()
	start := time.Now()
	for w := range c.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			post, done := newWorker(runCtx, end)
			defer done()
			mine := make([]time.Duration, 0, 4096)
			for runCtx.Err() == nil {
				t0 := time.Now()
				err := post()
				// Cut off by the deadline: not a result. The connection's
				// deadline can fire a moment before the context's timer.
				if runCtx.Err() != nil || !time.Now().Before(end) {
					break
				}
				if err != nil {
					failures.Add(1)
					if errors.Is(err, errClaim) {
						claimFailures.Add(1)
					}
					msg := err.Error()
					firstErr.CompareAndSwap(nil, &msg)
					continue
				}
				mine = append(mine, time.Since(t0))
				tokens.Add(1)
			}
			lat[w] = mine
		}()
	}
	wg.Wait()
	s := &sample{tokens: tokens.Load(), errors: failures.Load(), claimErrors: claimFailures.Load(), elapsed: time.Since(start), latencies: slices.Concat(lat...)}
	if cpu1, ok := readCPUTimes(); ok && cpuOK {
		s.steal, s.stealKnown = cpu1.stealSince(cpu0)
	}
	if m := firstErr.Load(); m != nil {
		s.firstError = *m
	}
	return s, nil
}

// RawSignRate is how many RS256 signatures (crypto/rsa, 2048-bit keys, as
// cognitod signs) this machine makes per second on all its cores.
func RawSignRate(d time.Duration) float64 {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return 0
	}
	key.Precompute()
	digest := sha256.Sum256([]byte("cognitod bench"))
	var n atomic.Int64
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	start := time.Now()
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				rsa.SignPKCS1v15(nil, key, crypto.SHA256, digest[:])
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	return float64(n.Load()) / time.Since(start).Seconds()
}
