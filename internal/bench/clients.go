package bench

import (
	"bufio"
	"context"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// manyClientWorkers posts the token request as a client chosen at random
// from creds each time.
func manyClientWorkers(tokenURL string, creds []Credential, body []byte, callAs func(context.Context, string) error, check func([]byte) error) newWorker {
	basics := make([]string, len(creds))
	for i, c := range creds {
		basics[i] = "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(c.ID)+":"+url.QueryEscape(c.Secret)))
	}
	parsed, err := url.Parse(tokenURL)
	return func(runCtx context.Context, end time.Time) (func() error, func()) {
		if err != nil || parsed.Scheme != "http" {
			return func() error { return callAs(runCtx, basics[rand.IntN(len(basics))]) }, func() {}
		}
		next := randomClientRequest(parsed, basics, body)
		tc := &tokenConn{addr: hostPort(parsed), deadline: end, next: next, check: check}
		return tc.post, tc.close
	}
}

// randomClientRequest returns a function that renders the token request
// as raw HTTP/1.1, authenticated as a client chosen at random from
// basics (Basic authorization values), into a buffer it reuses.
func randomClientRequest(tokenURL *url.URL, basics []string, body []byte) func() []byte {
	head := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\nAuthorization: ",
		tokenURL.RequestURI(), tokenURL.Host, len(body))
	buf := make([]byte, 0, 512)
	return func() []byte {
		buf = append(buf[:0], head...)
		buf = append(buf, basics[rand.IntN(len(basics))]...)
		buf = append(buf, "\r\n\r\n"...)
		return append(buf, body...)
	}
}

// serverRSS reads the server's resident memory from its metrics
// (process_resident_memory_bytes); 0 when they cannot be read.
func (c *Config) serverRSS(ctx context.Context, hc *http.Client) int64 {
	v, _ := c.serverMetric(ctx, hc, "process_resident_memory_bytes")
	return int64(v)
}

// serverCPU reads the CPU time the server's process has used
// (process_cpu_seconds_total); ok is false when it cannot be read.
func (c *Config) serverCPU(ctx context.Context, hc *http.Client) (time.Duration, bool) {
	v, ok := c.serverMetric(ctx, hc, "process_cpu_seconds_total")
	return time.Duration(v * float64(time.Second)), ok
}

// serverMetric reads one unlabelled metric from the server's /metrics.
func (c *Config) serverMetric(ctx context.Context, hc *http.Client, name string) (float64, bool) {
	u := c.MetricsURL
	if u == "" {
		u = strings.TrimRight(c.URL, "/") + "/metrics"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, false
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, false
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return 0, false
	}
	return parseMetric(bufio.NewScanner(http.MaxBytesReader(nil, resp.Body, 4<<20)), name)
}

// parseMetric finds "<name> <value>" in a Prometheus text exposition.
func parseMetric(sc *bufio.Scanner, name string) (float64, bool) {
	for sc.Scan() {
		line := sc.Bytes()
		if len(line) > len(name) && line[len(name)] == ' ' && string(line[:len(name)]) == name {
			v, err := strconv.ParseFloat(strings.TrimSpace(string(line[len(name)+1:])), 64)
			if err == nil {
				return v, true
			}
		}
	}
	return 0, false
}
