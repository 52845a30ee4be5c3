package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
	"github.com/jackc/pgx/v5"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/sdktest"
	"github.com/cognitod/cognitod/internal/store/postgres/pgtest"
)

// Phases of TestPostgresOutage.
// A request is counted in the phase it was sent and answered in, or as
// "boundary" when the phase changed meanwhile. The phase becomes outage
// before the cluster is stopped, and after before it is started: an
// outage request ran while the cluster was down or going down, a before
// request ended before the stop began.
const (
	phaseBefore = iota
	phaseOutage
	phaseAfter
	phaseBoundary
	phases
)

var phaseNames = [phases]string{"before", "outage", "after", "boundary"}

// outageTally counts one kind of request by phase (the phase when it was
// sent) and outcome, and keeps the slowest answer of each phase.
type outageTally struct {
	mu      sync.Mutex
	ok      [phases]int
	bounded [phases]int // the documented "try again" answer
	slowest [phases]time.Duration
	// firstOK is when the first success sent after the restart came.
	firstOK time.Time
}

func (tl *outageTally) add(ph int, ok bool, took time.Duration) {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	if ok {
		tl.ok[ph]++
		if ph == phaseAfter && tl.firstOK.IsZero() {
			tl.firstOK = time.Now()
		}
	} else {
		tl.bounded[ph]++
	}
	tl.slowest[ph] = max(tl.slowest[ph], took)
}

func (tl *outageTally) get() (ok, bounded [phases]int, slowest [phases]time.Duration, firstOK time.Time) {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	return tl.ok, tl.bounded, tl.slowest, tl.firstOK
}

// TestPostgresOutage (issue 12's fault acceptance): a `cognitod serve`
// process on a throwaway PostgreSQL cluster, under concurrent signed
// CreateResourceServer calls (each with a new identifier), client
// credentials token requests and /readyz; the cluster is stopped
// (pg_ctl stop -m immediate) for longer than the signing-key cache's
// 10 s, then started again on the same port. Asserted:
//   - every answer, before, during and after, is a success or the
//     documented "try again" answer: InternalErrorException with 500 for
//     the API, 503 temporarily_unavailable for the token endpoint, 503
//     for /readyz; no other status, and no request runs into the
//     client's 30 s timeout (a hang detector, not a speed check);
//   - during the outage writes fail and the client whose pool, client,
//     scopes and keys are cached goes on getting tokens, every one;
//   - /readyz answers 503 during the outage and 200 after;
//   - after the restart, writes and tokens succeed again, without
//     restarting cognitod, whose process stayed up throughout, and its
//     listener is back on the database;
//   - every CreateResourceServer acknowledged with 200 is there at the
//     end.
func TestPostgresOutage(t *testing.T) {
	if testing.Short() {
		t.Skip("starts cognitod processes and a PostgreSQL cluster")
	}
	cluster := pgtest.Cluster(t)
	dsn := cluster.DSN()
	dataDir := t.TempDir()
	ctx := context.Background()
	if err := migrateCmd([]string{"--db", dsn}, io.Discard, io.Discard); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	// Quotas off and a high resource-server limit: the loops measure the
	// outage, not the throttles.
	p := start(t, dataDir, "--addr", "127.0.0.1:0", "--db", dsn, "--quotas", "off", "--max-resource-servers", "100000")
	hc := &http.Client{Timeout: 30 * time.Second}
	c := outageClient(t, dataDir, p.url, hc)

	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("outage")})
	if err != nil {
		t.Fatal(err)
	}
	poolID := *pool.UserPool.Id
	if _, err := c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: &poolID, Identifier: aws.String("api"), Name: aws.String("api"),
		Scopes: []types.ResourceServerScopeType{{ScopeName: aws.String("read"), ScopeDescription: aws.String("read")}}}); err != nil {
		t.Fatal(err)
	}
	cl, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &poolID, ClientName: aws.String("m2m"), GenerateSecret: true,
		AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials}, AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthScopes: []string{"api/read"}})
	if err != nil {
		t.Fatal(err)
	}
	// A second pool nothing reads through the OAuth endpoints: not cached.
	other, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("uncached")})
	if err != nil {
		t.Fatal(err)
	}
	hosted := fetchHostedForm(t, c, p.url, *other.UserPool.Id)
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {*cl.UserPoolClient.ClientId}, "client_secret": {*cl.UserPoolClient.ClientSecret}}

	var phase atomic.Int32
	var unexpected atomic.Int32
	report := func(format string, args ...any) {
		if unexpected.Add(1) <= 20 {
			t.Errorf(format, args...)
		}
	}
	// token sends one token request: true for a token, false for the
	// bounded error; anything else is reported.
	token := func(ph int) bool {
		resp, err := hc.PostForm(p.url+"/"+poolID+"/oauth2/token", form)
		if err != nil {
			report("%s: token request: %v", phaseNames[ph], err)
			return false
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
		var out struct {
			AccessToken string `json:"access_token"`
			Error       string `json:"error"`
		}
		json.Unmarshal(b, &out)
		switch {
		case resp.StatusCode == http.StatusOK && out.AccessToken != "":
			return true
		case resp.StatusCode == http.StatusServiceUnavailable && out.Error == "temporarily_unavailable":
			return false
		}
		report("%s: token: %d %s", phaseNames[ph], resp.StatusCode, b)
		return false
	}
	var acked sync.Map // identifier -> true, for every 200
	write := func(ph int, id string) bool {
		_, err := c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: &poolID, Identifier: aws.String(id), Name: aws.String(id)})
		if err == nil {
			acked.Store(id, true)
			return true
		}
		var re *awshttp.ResponseError
		var ae smithy.APIError
		if errors.As(err, &re) && re.HTTPStatusCode() == http.StatusInternalServerError && errors.As(err, &ae) && ae.ErrorCode() == "InternalErrorException" {
			return false
		}
		report("%s: CreateResourceServer %s: %v", phaseNames[ph], id, err)
		return false
	}
	var ready503During, ready200After, readyFlapped atomic.Bool
	readyz := func(ph int) bool {
		resp, err := hc.Get(p.url + "/readyz")
		if err != nil {
			report("%s: /readyz: %v", phaseNames[ph], err)
			return false
		}
		resp.Body.Close()
		switch resp.StatusCode {
		case http.StatusOK:
			if ph == phaseAfter {
				ready200After.Store(true)
			}
			if ph == phaseOutage && ready503During.Load() {
				// Ready again while the database is still down: the
				// answer flapped (a cached 200 is allowed only in the
				// outage's first second, before the first 503).
				readyFlapped.Store(true)
			}
			return true
		case http.StatusServiceUnavailable:
			if ph == phaseOutage {
				ready503During.Store(true)
			}
			return false
		}
		report("%s: /readyz: %d", phaseNames[ph], resp.StatusCode)
		return false
	}

	var writes, tokens, readies outageTally
	// Writers hold pause's read lock per request, so that the test can
	// let the writes in flight finish before it stops the cluster: a
	// write committed just before the stop would (rightly) drop the
	// token cache, and the outage's token figures would depend on timing.
	var pause sync.RWMutex
	loopCtx, stopLoops := context.WithCancel(ctx)
	var wg sync.WaitGroup
	loop := func(every time.Duration, tl *outageTally, paused bool, do func(ph, i int) bool) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; loopCtx.Err() == nil; i++ {
				if paused {
					pause.RLock()
				}
				sent := int(phase.Load())
				t0 := time.Now()
				ok := do(sent, i)
				took := time.Since(t0)
				if paused {
					pause.RUnlock()
				}
				ph := int(phase.Load())
				if ph != sent {
					ph = phaseBoundary
				}
				tl.add(ph, ok, took)
				time.Sleep(every)
			}
		}()
	}
	for g := range 2 {
		loop(10*time.Millisecond, &writes, true, func(ph, i int) bool { return write(ph, fmt.Sprintf("w%d-%d", g, i)) })
		loop(10*time.Millisecond, &tokens, false, func(ph, _ int) bool { return token(ph) })
	}
	loop(50*time.Millisecond, &readies, false, func(ph, _ int) bool { return readyz(ph) })

	time.Sleep(time.Second)
	pause.Lock()
	// The watcher drops the caches when it sees a generation it has not
	// seen, this process's own writes' included: let it see the last
	// write's (a poll is 250 ms) before the token that fills them.
	time.Sleep(3 * cognito.DefaultWatchInterval)
	if !token(phaseBefore) { // the cache now holds the client, its scopes and the keys
		t.Fatal("no token before the outage")
	}
	phase.Store(phaseOutage)
	if err := cluster.Stop(); err != nil {
		t.Fatal(err)
	}
	stopped := time.Now()
	pause.Unlock()
	// Longer than the signing-key cache's 10 s expiry, so that signing
	// from memory past it is exercised.
	const outage = 12 * time.Second
	time.Sleep(outage - time.Second)
	outageChecks(t, hc, p.url, poolID, *other.UserPool.Id)
	checkHostedSignInDuringOutage(t, hosted)
	time.Sleep(time.Until(stopped.Add(outage)))

	phase.Store(phaseAfter)
	starting := time.Now()
	if err := cluster.Start(); err != nil {
		t.Fatal(err)
	}
	restarted := time.Now()
	t.Logf("pg_ctl start took %v; first successes below are counted from its return (tokens never stopped)", restarted.Sub(starting).Round(time.Millisecond))
	deadline := restarted.Add(60 * time.Second)
	for {
		w, _, _, _ := writes.get()
		tk, _, _, _ := tokens.get()
		if w[phaseAfter] > 0 && tk[phaseAfter] > 0 && ready200After.Load() {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("no recovery within %v of the restart: writes %d, tokens %d, /readyz 200 %v", deadline.Sub(restarted), w[phaseAfter], tk[phaseAfter], ready200After.Load())
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	checkHostedSignInAfterOutage(t, hosted)
	time.Sleep(500 * time.Millisecond)
	stopLoops()
	wg.Wait()

	if err := p.cmd.Process.Signal(syscall.Signal(0)); err != nil || p.cmd.ProcessState != nil {
		t.Fatalf("cognitod is not running after the outage: %v", err)
	}
	for _, k := range []struct {
		name string
		tl   *outageTally
	}{{"CreateResourceServer", &writes}, {"token", &tokens}, {"/readyz", &readies}} {
		ok, bounded, slowest, firstOK := k.tl.get()
		recovered := "never"
		if !firstOK.IsZero() {
			recovered = firstOK.Sub(restarted).Round(time.Millisecond).String()
		}
		line := k.name + ":"
		for ph := range phases {
			line += fmt.Sprintf(" %s %d ok, %d try-again (slowest %v);", phaseNames[ph], ok[ph], bounded[ph], slowest[ph].Round(time.Millisecond))
		}
		t.Logf("%s first success %s after the restart", line, recovered)
	}
	t.Logf("outage %v (stop to start)", restarted.Sub(stopped).Round(time.Millisecond))

	wOK, wBounded, _, _ := writes.get()
	tOK, tBounded, _, _ := tokens.get()
	if wBounded[phaseOutage] == 0 || wOK[phaseOutage] != 0 {
		t.Errorf("writes during the outage: %d ok, %d failed; want all failed", wOK[phaseOutage], wBounded[phaseOutage])
	}
	if wOK[phaseBefore] == 0 || tOK[phaseBefore] == 0 {
		t.Errorf("before the outage: %d writes and %d tokens succeeded; want some of each", wOK[phaseBefore], tOK[phaseBefore])
	}
	if wBounded[phaseBefore] != 0 || tBounded[phaseBefore] != 0 {
		t.Errorf("failures before the outage: %d writes, %d tokens", wBounded[phaseBefore], tBounded[phaseBefore])
	}
	if tOK[phaseOutage] == 0 || tBounded[phaseOutage] != 0 {
		t.Errorf("tokens for a cached client during the outage: %d issued, %d refused; want every one issued", tOK[phaseOutage], tBounded[phaseOutage])
	}
	if !ready503During.Load() {
		t.Error("/readyz never answered 503 during the outage")
	}
	if readyFlapped.Load() {
		t.Error("/readyz answered 200 during the outage after it had answered 503")
	}
	if !ready200After.Load() {
		t.Error("/readyz never answered 200 after the restart")
	}

	// New writes and tokens, no restart of cognitod.
	if _, err := c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: &poolID, Identifier: aws.String("after"), Name: aws.String("after")}); err != nil {
		t.Errorf("a write after recovery: %v", err)
	}
	if !token(phaseAfter) {
		t.Error("no token after recovery")
	}
	// The listener is back on the database (it reconnects with a backoff
	// of at most 5 s).
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	for start := time.Now(); ; time.Sleep(50 * time.Millisecond) {
		var n int
		if err := admin.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE application_name = 'cognitod-listen'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			break
		}
		if time.Since(start) > 30*time.Second {
			t.Fatal("cognitod's listener did not reconnect")
		}
	}

	// Nothing acknowledged is lost.
	present := map[string]bool{}
	var next *string
	for {
		out, err := c.ListResourceServers(ctx, &cip.ListResourceServersInput{UserPoolId: &poolID, MaxResults: aws.Int32(50), NextToken: next})
		if err != nil {
			t.Fatal(err)
		}
		for _, rs := range out.ResourceServers {
			present[*rs.Identifier] = true
		}
		if next = out.NextToken; next == nil {
			break
		}
	}
	var lost []string
	n := 0
	acked.Range(func(k, _ any) bool {
		n++
		if !present[k.(string)] {
			lost = append(lost, k.(string))
		}
		return true
	})
	sort.Strings(lost)
	if n == 0 {
		t.Fatal("no write was acknowledged: nothing shows that acknowledged writes survive")
	}
	if len(lost) > 0 {
		t.Errorf("%d of %d acknowledged resource servers are missing: %v", len(lost), n, lost)
	}
	t.Logf("%d acknowledged resource servers, all present; %d listed", n, len(present))
}

// outageClient is sdkClient with the given HTTP client (its timeout is
// the test's hang detector) and no retries, so that each call is one
// request.
func outageClient(t *testing.T, dataDir, url string, hc *http.Client) *cip.Client {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background(),
		config.WithSharedCredentialsFiles([]string{filepath.Join(dataDir, "credentials")}),
		config.WithSharedConfigFiles([]string{}),
		config.WithSharedConfigProfile("cognitod"),
		config.WithRegion("us-east-1"))
	if err != nil {
		t.Fatal(err)
	}
	return cip.NewFromConfig(cfg, func(o *cip.Options) {
		o.BaseEndpoint = aws.String(url)
		o.RetryMaxAttempts = 1
		o.HTTPClient = &http.Client{Timeout: hc.Timeout, Transport: sdktest.BufferedBodies{Next: hc.Transport}}
	})
}

// outageChecks, past the signing-key cache's expiry with the database
// down: the JWKS and discovery of a pool in use come from memory; a token
// request for a client that is not cached is 503 temporarily_unavailable
// (not invalid_client: the client may well exist); a hosted page of a pool
// that is not cached is the HTML error page with 503.
func outageChecks(t *testing.T, hc *http.Client, base, poolID, uncachedPool string) {
	t.Helper()
	for _, path := range []string{"/.well-known/jwks.json", "/.well-known/openid-configuration"} {
		resp, err := hc.Get(base + "/" + poolID + path)
		if err != nil {
			t.Errorf("outage: %s: %v", path, err)
			continue
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !json.Valid(b) {
			t.Errorf("outage: %s: %d %s; want it served from memory", path, resp.StatusCode, b)
		}
	}
	resp, err := hc.PostForm(base+"/"+poolID+"/oauth2/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {"notcachedclient0000000000a"}, "client_secret": {"x"}})
	if err != nil {
		t.Fatalf("outage: token for an uncached client: %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || string(b) != `{"error":"temporarily_unavailable"}` || resp.Header.Get("Retry-After") == "" {
		t.Errorf("outage: token for an uncached client: %d %s (Retry-After %q)", resp.StatusCode, b, resp.Header.Get("Retry-After"))
	}
	req, _ := http.NewRequest("GET", base+"/"+uncachedPool+"/login?response_type=code&client_id=x&redirect_uri=https%3A%2F%2Fapp.example%2Fcb", nil)
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	resp, err = hc.Do(req)
	if err != nil {
		t.Fatalf("outage: hosted page: %v", err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(b), "temporarily_unavailable") {
		t.Errorf("outage: hosted page of an uncached pool: %d %s %.300s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
}
