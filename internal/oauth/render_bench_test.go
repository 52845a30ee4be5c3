package oauth

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
)

// discardWriter is a ResponseWriter that keeps nothing, so the benchmark
// measures the renderer, not a recorder.
type discardWriter struct{ h http.Header }

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(int)             {}

// BenchmarkThrottledTokenRefusal is what a flood of token requests over
// quota costs once refused: the mapping, the 429 with Retry-After and its
// body, with logging at the default (info) level.
func BenchmarkThrottledTokenRefusal(b *testing.B) {
	h := &Handler{logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	r := httptest.NewRequest(http.MethodPost, "/us-east-1_abc/oauth2/token", nil)
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		h.writeError(w, r, kindClient, "us-east-1_abc", ErrTooManyRequests)
	}
}
