package metrics_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/metrics"
)

// TestLabelsStayBounded feeds every hook names outside its known set and
// checks they collapse into unknown or other instead of new series.
func TestLabelsStayBounded(t *testing.T) {
	m := metrics.New([]string{"CreateUserPool"})
	for i := range 100 {
		m.API(fmt.Sprint("Made", i), 400, time.Millisecond)
		m.TokenRequest(fmt.Sprint("grant", i), fmt.Sprint("outcome", i))
		m.SignInFailure(fmt.Sprint("flow", i), "wrong_password")
		m.Throttled(fmt.Sprint("category", i))
	}
	m.API("CreateUserPool", 200, time.Millisecond)
	m.API("CreateUserPool", 42, time.Millisecond)
	m.Route("", 404, time.Millisecond)
	for i := range 300 {
		m.Route(fmt.Sprint("GET /route", i), 200, time.Millisecond)
	}

	families, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	series := map[string]int{}
	for _, f := range families {
		series[f.GetName()] = len(f.GetMetric())
		for _, s := range f.GetMetric() {
			text.WriteString(s.String())
		}
	}
	for _, leak := range []string{"Made", "grant1", "outcome1", "flow1"} {
		if strings.Contains(text.String(), leak) {
			t.Errorf("a label holds %q", leak)
		}
	}
	for name, max := range map[string]int{
		"cognitod_api_requests_total":       3, // CreateUserPool 200 and other, unknown 400
		"cognitod_throttled_requests_total": 33,
		"cognitod_http_requests_total":      257,
	} {
		if series[name] > max {
			t.Errorf("%s has %d series, want at most %d", name, series[name], max)
		}
	}
	if got := value(t, m, "cognitod_api_requests_total", "unknown", "400"); got != 100 {
		t.Errorf("unknown operations: %v, want 100", got)
	}
	if got := value(t, m, "cognitod_api_requests_total", "CreateUserPool", "other"); got != 1 {
		t.Errorf("a status out of range: %v, want 1 as other", got)
	}
	if got := value(t, m, "cognitod_throttled_requests_total", "other"); got != 100-32 {
		t.Errorf("throttle categories past 32: %v, want 68 as other", got)
	}
	if got := value(t, m, "cognitod_oauth_token_requests_total", "unknown", "unknown"); got != 100 {
		t.Errorf("unknown grants: %v, want 100", got)
	}
	if got := value(t, m, "cognitod_http_requests_total", "unmatched", "404"); got != 1 {
		t.Errorf("unmatched route: %v", got)
	}
}

// TestNilMetrics: every hook is safe on a nil *Metrics (metrics off).
func TestNilMetrics(t *testing.T) {
	var m *metrics.Metrics
	m.API("CreateUserPool", 200, 0)
	m.Route("GET /healthz", 200, 0)
	m.TokenRequest("client_credentials", "issued")
	m.Signed(time.Millisecond)
	m.SignInFailure("password", "wrong_password")
	m.Throttled("token")
	if m.WrapStore(nil) != nil {
		t.Error("WrapStore on nil Metrics wrapped")
	}
}

// value is the counter of family name whose label values, in label name
// order, are values (0 when there is none).
func value(t *testing.T, m *metrics.Metrics, name string, values ...string) float64 {
	t.Helper()
	families, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	next:
		for _, s := range f.GetMetric() {
			if len(s.GetLabel()) != len(values) {
				continue
			}
			for i, l := range s.GetLabel() {
				if l.GetValue() != values[i] {
					continue next
				}
			}
			return s.GetCounter().GetValue()
		}
	}
	return 0
}
