package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestMetricsFlags(t *testing.T) {
	cfg, err := parseServe(nil, io.Discard)
	if err != nil || cfg.observe.metrics != "on" || cfg.observe.elsewhere() || !cfg.observe.accessLogOn() {
		t.Fatalf("defaults: %+v, %v", cfg.observe, err)
	}
	_, err = parseServe([]string{"--metrics", "yes", "--access-log", "debug", "--metrics-addr", "nope"}, io.Discard)
	for _, want := range []string{"--metrics \"yes\"", "--access-log", "--metrics-addr \"nope\""} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not mention %s", err, want)
		}
	}
	if _, err := parseServe([]string{"--metrics", "off", "--metrics-addr", "127.0.0.1:9230"}, io.Discard); err == nil {
		t.Error("--metrics-addr with --metrics off accepted")
	}
	t.Setenv("COGNITOD_METRICS_ADDR", "127.0.0.1:9230")
	t.Setenv("COGNITOD_ACCESS_LOG", "off")
	cfg, err = parseServe(nil, io.Discard)
	if err != nil || !cfg.observe.elsewhere() || cfg.observe.accessLogOn() || cfg.observe.newMetrics() == nil {
		t.Errorf("environment: %+v, %v", cfg.observe, err)
	}
	t.Setenv("COGNITOD_METRICS_ADDR", "")
	t.Setenv("COGNITOD_METRICS", "off")
	cfg, err = parseServe(nil, io.Discard)
	if err != nil || cfg.observe.newMetrics() != nil {
		t.Errorf("COGNITOD_METRICS=off: %+v, %v", cfg.observe, err)
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestMetricsListeners runs cognitod with /metrics on the main listener
// (the default), on a listener of its own, and off.
func TestMetricsListeners(t *testing.T) {
	if testing.Short() {
		t.Skip("starts cognitod processes")
	}
	p := start(t, t.TempDir(), "--addr", "127.0.0.1:0")
	get(t, p.url+"/healthz")
	if status, body := get(t, p.url+"/metrics"); status != 200 || !strings.Contains(body, `cognitod_http_requests_total{route="GET /healthz",status="200"} 1`) {
		t.Errorf("main /metrics: %d %.300s", status, body)
	}

	p = start(t, t.TempDir(), "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0")
	var metricsURL string
	for _, line := range p.stdout {
		if u, ok := strings.CutPrefix(line, "metrics on "); ok {
			metricsURL = u
		}
	}
	if metricsURL == "" {
		t.Fatalf("no metrics listener announced: %q", p.stdout)
	}
	if status, _ := get(t, p.url+"/metrics"); status != 404 {
		t.Errorf("main /metrics with --metrics-addr: %d, want 404", status)
	}
	get(t, p.url+"/healthz")
	if status, body := get(t, metricsURL); status != 200 || !strings.Contains(body, `cognitod_http_requests_total{route="GET /healthz",status="200"} 1`) ||
		!strings.Contains(body, "go_goroutines") {
		t.Errorf("%s: %d %.300s", metricsURL, status, body)
	}

	p = start(t, t.TempDir(), "--addr", "127.0.0.1:0", "--metrics", "off")
	if status, _ := get(t, p.url+"/metrics"); status != 404 {
		t.Errorf("/metrics with --metrics off: %d, want 404", status)
	}
}
