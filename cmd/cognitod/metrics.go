package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/cognitod/cognitod/internal/awsjson"
	"github.com/cognitod/cognitod/internal/metrics"
)

// observeConfig is the metrics and access log flags.
type observeConfig struct {
	// metrics is "on" or "off"; addr, when set, moves /metrics off the
	// main listener onto a listener of its own.
	metrics, addr string
	accessLog     string
}

func addMetricsFlags(fs *flag.FlagSet, c *serveConfig) {
	fs.StringVar(&c.observe.metrics, "metrics", "on", "on: serve Prometheus metrics at /metrics; off: collect none (COGNITOD_METRICS)")
	fs.StringVar(&c.observe.addr, "metrics-addr", "", "serve /metrics on this address instead of the main listener, e.g. 127.0.0.1:9230 (COGNITOD_METRICS_ADDR)")
	fs.StringVar(&c.observe.accessLog, "access-log", "on", "on: log one line per request at info level (never headers, query strings or bodies); off: none (COGNITOD_ACCESS_LOG)")
}

// problems checks the flags, for parseServe.
func (c *observeConfig) problems() []string {
	var out []string
	if c.metrics != "on" && c.metrics != "off" {
		out = append(out, fmt.Sprintf("--metrics %q: want on or off", c.metrics))
	}
	if c.accessLog != "on" && c.accessLog != "off" {
		out = append(out, fmt.Sprintf("--access-log %q: want on or off", c.accessLog))
	}
	if c.addr != "" {
		if _, _, err := net.SplitHostPort(c.addr); err != nil {
			out = append(out, fmt.Sprintf("--metrics-addr %q: %v", c.addr, err))
		}
		if c.metrics == "off" {
			out = append(out, "--metrics-addr: metrics are off (--metrics off)")
		}
	}
	return out
}

// newMetrics makes the collectors, or returns nil when metrics are off
// (every metrics hook does nothing on nil).
func (c *observeConfig) newMetrics() *metrics.Metrics {
	if c.metrics == "off" {
		return nil
	}
	return metrics.New(awsjson.Operations())
}

// elsewhere reports whether /metrics has a listener of its own.
func (c *observeConfig) elsewhere() bool { return c.addr != "" }

// accessLogOn reports whether requests are logged.
func (c *observeConfig) accessLogOn() bool { return c.accessLog == "on" }

// listen serves m on --metrics-addr, when set, until ctx is done; it
// returns once the listener is open, so that a port taken fails serve.
func (c *observeConfig) listen(ctx context.Context, m *metrics.Metrics, logger *slog.Logger, stdout io.Writer) error {
	if m == nil || c.addr == "" {
		return nil
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("--metrics-addr: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("the metrics listener stopped", "err", err)
		}
	}()
	go func() {
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdownCtx)
	}()
	fmt.Fprintf(stdout, "metrics on http://%s/metrics\n", ln.Addr())
	return nil
}
