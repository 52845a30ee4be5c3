package server

import (
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/ratelimit"
	"github.com/cognitod/cognitod/internal/sdktest"
)

// quotaClock is a clock the limits read and tests move by hand, so that
// bursts and refills are counted exactly instead of timed.
type quotaClock struct{ ns atomic.Int64 }

func (c *quotaClock) now() int64              { return c.ns.Load() }
func (c *quotaClock) advance(d time.Duration) { c.ns.Add(int64(d)) }

// throttleCounts counts OnThrottle calls by bucket name.
type throttleCounts struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *throttleCounts) add(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[name]++
}

func (c *throttleCounts) get(name string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[name]
}

// newLimitedServer starts a test server whose limits are o's, read on clk,
// with tweak (may be nil) applied to the ratelimit configuration.
func newLimitedServer(t *testing.T, clk *quotaClock, counts *throttleCounts, o QuotaOptions, tweak func(*ratelimit.Config)) *testServer {
	t.Helper()
	o.OnThrottle = counts.add
	cfg := RateLimits(o)
	cfg.Clock = clk.now
	if tweak != nil {
		tweak(&cfg)
	}
	return newTestServerWith(t, cognito.Limits{}, nil, func(c *Config) { c.Limits = ratelimit.New(cfg) })
}

// httpFrom is an HTTP client whose connections come from the loopback
// address ip (all of 127/8 is loopback on Linux), as a distinct client
// machine's would.
func httpFrom(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	return &http.Client{Transport: sdktest.BufferedBodies{Next: &http.Transport{DialContext: d.DialContext}}}
}

// sdkFrom is the SDK client of region connecting from ip, signing with
// keyID and secret, with no retries.
func (ts *testServer) sdkFrom(ip, region, keyID, secret string) *cip.Client {
	return cip.New(cip.Options{
		Region: region, BaseEndpoint: aws.String(ts.URL),
		Credentials:      credentials.NewStaticCredentialsProvider(keyID, secret, ""),
		RetryMaxAttempts: 1, Retryer: aws.NopRetryer{},
		HTTPClient: httpFrom(ip),
	})
}
