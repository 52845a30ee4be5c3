package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"golang.org/x/oauth2"

	"github.com/cognitod/cognitod/internal/awsjson"
	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/metrics"
)

// observed makes a Config hook that turns metrics and the access log on,
// the log written to the returned buffer.
func observed(m *metrics.Metrics) (func(*Config), *syncBuffer) {
	access := &syncBuffer{}
	return func(c *Config) {
		c.Metrics = m
		c.AccessLog = true
		c.Logger = slog.New(slog.NewTextHandler(access, nil))
	}, access
}

// newObservedServer is a test server with metrics (its store wrapped) and
// the access log on.
func newObservedServer(t *testing.T) (*testServer, *syncBuffer) {
	t.Helper()
	m := metrics.New(awsjson.Operations())
	configure, access := observed(m)
	ts := newTestServerWith(t, cognito.Limits{}, func(c *cognito.Config) { c.Store = m.WrapStore(c.Store) }, configure)
	return ts, access
}

// exposition is one scrape of /metrics: each sample's value by
// name{label="value",...} (labels sorted; histograms as name_count and
// name_sum), and the raw text.
type exposition struct {
	samples map[string]float64
	text    string
}

func scrape(t *testing.T, baseURL string) exposition {
	t.Helper()
	resp, err := http.Get(baseURL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET /metrics: %d", resp.StatusCode)
	}
	var raw strings.Builder
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(teeReader{resp.Body, &raw})
	if err != nil {
		t.Fatalf("the exposition does not parse: %v", err)
	}
	out := exposition{samples: map[string]float64{}}
	for name, f := range families {
		for _, m := range f.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
			}
			sort.Strings(labels)
			key := "{" + strings.Join(labels, ",") + "}"
			switch {
			case m.GetCounter() != nil:
				out.samples[name+key] = m.GetCounter().GetValue()
			case m.GetGauge() != nil:
				out.samples[name+key] = m.GetGauge().GetValue()
			case m.GetHistogram() != nil:
				out.samples[name+"_count"+key] = float64(m.GetHistogram().GetSampleCount())
				out.samples[name+"_sum"+key] = m.GetHistogram().GetSampleSum()
			}
		}
	}
	out.text = raw.String()
	return out
}

type teeReader struct {
	r interface{ Read([]byte) (int, error) }
	w *strings.Builder
}

func (t teeReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.w.Write(p[:n])
	return n, err
}

// wantDelta checks that each series moved by exactly its amount between
// two scrapes.
func wantDelta(t *testing.T, before, after exposition, want map[string]float64) {
	t.Helper()
	for key, d := range want {
		if got := after.samples[key] - before.samples[key]; got != d {
			t.Errorf("%s moved by %v, want %v", key, got, d)
		}
	}
}

// TestMetricsAPIAndRoutes drives API and other requests and checks the
// request, duration and store series move by exactly the calls made, and
// that what a caller chose (an operation name, a path with a pool ID)
// never becomes a label.
func TestMetricsAPIAndRoutes(t *testing.T) {
	ts, _ := newObservedServer(t)
	c := ts.client("us-east-1")
	before := scrape(t, ts.URL)
	var poolID string
	for i := range 3 {
		poolID = createPool(t, c, fmt.Sprint("pool", i))
	}
	for _, target := range []string{"NoSuchOperationEvil42", "../../CreateUserPool"} {
		if r := ts.raw(t, target, "{}"); r.Status != 400 {
			t.Fatalf("operation %q: %d %s", target, r.Status, r.Raw)
		}
	}
	req := signedRequest(t, ts, "", "{}")
	req.Header.Set("X-Amz-Target", "SomeOtherServiceEvil42.CreateUserPool")
	if r := do(t, req); r.Status != 400 {
		t.Fatalf("foreign target: %d %s", r.Status, r.Raw)
	}
	for _, path := range []string{"/healthz", "/" + poolID + "/nothing-here-Evil42"} {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	after := scrape(t, ts.URL)
	wantDelta(t, before, after, map[string]float64{
		`cognitod_api_requests_total{operation="CreateUserPool",status="200"}`:        3,
		`cognitod_api_request_duration_seconds_count{operation="CreateUserPool"}`:     3,
		`cognitod_api_requests_total{operation="unknown",status="400"}`:               3,
		`cognitod_store_operation_duration_seconds_count{operation="CreateUserPool"}`: 3,
		`cognitod_http_requests_total{route="GET /healthz",status="200"}`:             1,
		`cognitod_http_requests_total{route="unmatched",status="404"}`:                1,
		`cognitod_http_request_duration_seconds_count{route="unmatched"}`:             1,
		// The first scrape is counted by the time the second one is taken.
		`cognitod_http_requests_total{route="GET /metrics",status="200"}`: 1,
	})
	if d := after.samples[`cognitod_store_operation_duration_seconds_count{operation="Update"}`] -
		before.samples[`cognitod_store_operation_duration_seconds_count{operation="Update"}`]; d < 3 {
		t.Errorf("store Update moved by %v, want at least one per pool created", d)
	}
	for _, leak := range []string{"Evil42", poolID} {
		if strings.Contains(after.text, leak) {
			t.Errorf("the exposition holds %q, a caller's text", leak)
		}
	}
	if _, ok := after.samples["go_goroutines{}"]; !ok {
		t.Error("no Go runtime metrics")
	}
}

// addM2MClient adds a client credentials client to pool p (which has the
// Photo Server) and returns its ID and secret.
func addM2MClient(t *testing.T, c *cip.Client, poolID string) (id, secret string) {
	t.Helper()
	out, err := c.CreateUserPoolClient(context.Background(), &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(poolID), ClientName: aws.String("machine"), GenerateSecret: true,
		AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials}, AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthScopes: []string{"com.example.photos/read"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return *out.UserPoolClient.ClientId, *out.UserPoolClient.ClientSecret
}

// tokenRequest posts a client credentials request with Basic credentials
// and returns the status.
func clientCredentialsRequest(t *testing.T, tokenURL, id, secret, grant string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, tokenURL, strings.NewReader("grant_type="+grant+"&scope=com.example.photos%2Fread"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(id, secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestMetricsTokens checks token requests by grant and outcome, that one
// signature is timed per JWT minted, and failed sign-ins by reason.
func TestMetricsTokens(t *testing.T) {
	m := metrics.New(awsjson.Operations())
	configure, _ := observed(m)
	p := newWebPool(t, configure, "")
	ctx := context.Background()
	id, secret := addM2MClient(t, p.c, p.poolID)
	tokenURL := p.issuer() + "/oauth2/token"

	before := scrape(t, p.ts.URL)
	for range 3 {
		if s := clientCredentialsRequest(t, tokenURL, id, secret, "client_credentials"); s != 200 {
			t.Fatalf("client credentials: %d", s)
		}
	}
	if s := clientCredentialsRequest(t, tokenURL, id, "wrong-secret", "client_credentials"); s != 400 {
		t.Fatalf("wrong secret: %d", s)
	}
	if s := clientCredentialsRequest(t, tokenURL, id, secret, "made_up_Evil42"); s != 400 {
		t.Fatalf("made-up grant: %d", s)
	}
	cfg := p.oauthConfig(p.clientID, "")
	tok := codeFlowTokens(t, cfg, "alice", "Alice-pass-1") // access and ID tokens
	refreshed, err := cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	if err != nil || refreshed.AccessToken == "" {
		t.Fatalf("refresh: %v", err)
	}
	b := newBrowserless(t)
	for _, name := range []string{"alice", "nobody"} {
		if final, _ := b.signInOverHTTP(cfg.AuthCodeURL("s"), name, "Wrong-pass-1"); final != nil {
			t.Fatalf("%s signed in with a wrong password", name)
		}
	}
	after := scrape(t, p.ts.URL)
	wantDelta(t, before, after, map[string]float64{
		`cognitod_oauth_token_requests_total{grant="client_credentials",outcome="issued"}`:         3,
		`cognitod_oauth_token_requests_total{grant="client_credentials",outcome="invalid_client"}`: 1,
		`cognitod_oauth_token_requests_total{grant="unknown",outcome="unsupported_grant_type"}`:    1,
		`cognitod_oauth_token_requests_total{grant="authorization_code",outcome="issued"}`:         1,
		`cognitod_oauth_token_requests_total{grant="refresh_token",outcome="issued"}`:              1,
		// 3 client credentials tokens; access and ID tokens for the code
		// and for the refresh.
		`cognitod_token_signing_duration_seconds_count{}`:                         3 + 2 + 2,
		`cognitod_signin_failures_total{flow="password",reason="wrong_password"}`: 1,
		`cognitod_signin_failures_total{flow="password",reason="unknown_user"}`:   1,
	})
	if strings.Contains(after.text, "Evil42") {
		t.Error("the exposition holds a caller's grant_type")
	}
}
