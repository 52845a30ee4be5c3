package metrics

import (
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Unknown is the label value of an API operation, route, grant or other
// name outside the known set.
const Unknown = "unknown"

// Metrics holds cognitod's collectors on their own registry. It is safe for
// concurrent use; its methods do nothing on a nil *Metrics.
type Metrics struct {
	reg *prometheus.Registry

	apiRequests    *prometheus.CounterVec
	apiDuration    *prometheus.HistogramVec
	httpRequests   *prometheus.CounterVec
	httpDuration   *prometheus.HistogramVec
	tokens         *prometheus.CounterVec
	signing        prometheus.Histogram
	throttled      *prometheus.CounterVec
	signInFailures *prometheus.CounterVec
	storeDuration  *prometheus.HistogramVec

	// api holds a series set per known operation, and Unknown's; it is
	// not written after New.
	api map[string]*series
	// routes holds a series set per route pattern seen, copied on write:
	// the patterns are the server's own, a few dozen.
	routes   cowMap[*series]
	tokenSet map[string]map[string]prometheus.Counter
	failSet  map[string]map[string]prometheus.Counter
	throttle cowMap[prometheus.Counter]
	store    [numStoreOps]prometheus.Observer
}

// Requests are measured from a tenth of a millisecond (a cached read) to
// tens of seconds (a slow client); a signature takes about a millisecond
// on one core and longer when the cores are shared.
var (
	requestBuckets = []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}
	signBuckets    = []float64{.0001, .00025, .0005, .001, .002, .004, .008, .016, .032, .064, .128, .256}
	storeBuckets   = []float64{.00001, .000025, .00005, .0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 5}
)

// New makes the collectors and registers them, with the Go and process
// collectors. apiOperations are the API's operation names (the only
// operation label values besides Unknown).
func New(apiOperations []string) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.apiRequests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "cognitod_api_requests_total",
		Help: "cognito-idp API requests, by operation (X-Amz-Target; unknown for any other) and HTTP status."}, []string{"operation", "status"})
	m.apiDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "cognitod_api_request_duration_seconds",
		Help: "Time to answer a cognito-idp API request, by operation.", Buckets: requestBuckets}, []string{"operation"})
	m.httpRequests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "cognitod_http_requests_total",
		Help: "HTTP requests other than the API's (OAuth, hosted pages, console, health), by route pattern and status."}, []string{"route", "status"})
	m.httpDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "cognitod_http_request_duration_seconds",
		Help: "Time to answer an HTTP request other than the API's, by route pattern.", Buckets: requestBuckets}, []string{"route"})
	m.tokens = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "cognitod_oauth_token_requests_total",
		Help: "Token requests at the OAuth endpoints, by grant type and outcome (issued, or the OAuth error code)."}, []string{"grant", "outcome"})
	m.signing = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "cognitod_token_signing_duration_seconds",
		Help: "Time to sign one JWT (the RSA signature), not counting the wait for a signing slot.", Buckets: signBuckets})
	m.throttled = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "cognitod_throttled_requests_total",
		Help: "Requests refused by a rate quota, by quota category."}, []string{"category"})
	m.signInFailures = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "cognitod_signin_failures_total",
		Help: "Failed password and SRP sign-ins, by flow and reason."}, []string{"flow", "reason"})
	m.storeDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "cognitod_store_operation_duration_seconds",
		Help: "Time of each store call, by store method (Update is a whole transaction).", Buckets: storeBuckets}, []string{"operation"})
	m.reg.MustRegister(m.apiRequests, m.apiDuration, m.httpRequests, m.httpDuration, m.tokens, m.signing,
		m.throttled, m.signInFailures, m.storeDuration)

	m.api = make(map[string]*series, len(apiOperations)+1)
	for _, op := range append(slices.Clone(apiOperations), Unknown) {
		m.api[op] = newSeries(m.apiRequests, m.apiDuration, op)
	}
	m.tokenSet = grid(m.tokens, Grants, TokenOutcomes)
	m.failSet = grid(m.signInFailures, SignInFlows, SignInReasons)
	for op, name := range storeOps {
		m.store[op] = m.storeDuration.WithLabelValues(name)
	}
	return m
}

// grid resolves every pair of rows and cols, plus Unknown of each.
func grid(vec *prometheus.CounterVec, rows, cols []string) map[string]map[string]prometheus.Counter {
	out := map[string]map[string]prometheus.Counter{}
	for _, r := range append(slices.Clone(rows), Unknown) {
		out[r] = map[string]prometheus.Counter{}
		for _, c := range append(slices.Clone(cols), Unknown) {
			out[r][c] = vec.WithLabelValues(r, c)
		}
	}
	return out
}

// inc adds one to the pair's counter, with Unknown for a value outside the
// grid.
func inc(g map[string]map[string]prometheus.Counter, row, col string) {
	cols, ok := g[row]
	if !ok {
		cols = g[Unknown]
	}
	c, ok := cols[col]
	if !ok {
		c = cols[Unknown]
	}
	c.Inc()
}

// Registry is the registry the collectors are on, for tests and for
// registering more.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in the Prometheus text format. Scrapes are
// bounded: two at a time, each at most ten seconds, since gathering walks
// every series.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{MaxRequestsInFlight: 2, Timeout: 10 * time.Second})
}

// series is the request series of one operation or route: its duration
// histogram and its counters by status, resolved on each status's first
// use (a status is a three-digit code the server itself chose).
type series struct {
	label    string
	vec      *prometheus.CounterVec
	duration prometheus.Observer
	byStatus atomic.Pointer[map[int]prometheus.Counter]
	mu       sync.Mutex
}

func newSeries(counts *prometheus.CounterVec, durations *prometheus.HistogramVec, label string) *series {
	s := &series{label: label, vec: counts, duration: durations.WithLabelValues(label)}
	s.byStatus.Store(&map[int]prometheus.Counter{})
	return s
}

func (s *series) observe(status int, d time.Duration) {
	s.duration.Observe(d.Seconds())
	if status < 100 || status > 599 {
		status = 0 // not a status code: counted as "other"
	}
	if c, ok := (*s.byStatus.Load())[status]; ok {
		c.Inc()
		return
	}
	s.mu.Lock()
	cur := *s.byStatus.Load()
	c, ok := cur[status]
	if !ok {
		label := "other"
		if status != 0 {
			label = strconv.Itoa(status)
		}
		c = s.vec.WithLabelValues(s.label, label)
		next := make(map[int]prometheus.Counter, len(cur)+1)
		for k, v := range cur {
			next[k] = v
		}
		next[status] = c
		s.byStatus.Store(&next)
	}
	s.mu.Unlock()
	c.Inc()
}

// cowMap is a map read without a lock and copied on each (rare) write,
// holding at most limit keys; past that, get hands out the value of the
// overflow key.
type cowMap[V any] struct {
	m  atomic.Pointer[map[string]V]
	mu sync.Mutex
}

func (c *cowMap[V]) get(key string, limit int, overflow string, newV func(string) V) V {
	if p := c.m.Load(); p != nil {
		if v, ok := (*p)[key]; ok {
			return v
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var cur map[string]V
	if p := c.m.Load(); p != nil {
		cur = *p
	}
	if v, ok := cur[key]; ok {
		return v
	}
	if len(cur) >= limit {
		key = overflow
		if v, ok := cur[key]; ok {
			return v
		}
	}
	v := newV(key)
	next := make(map[string]V, len(cur)+1)
	for k, old := range cur {
		next[k] = old
	}
	next[key] = v
	c.m.Store(&next)
	return v
}
