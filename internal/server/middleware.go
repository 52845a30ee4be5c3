package server

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/cognitod/cognitod/internal/awsjson"
	"github.com/cognitod/cognitod/internal/metrics"
)

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// apiPattern is the mux pattern of the cognito-idp API.
const apiPattern = "POST /{$}"

// withObservation counts each request into m (when not nil) and, with
// accessLog, logs one line for it at info level: method, route (the mux
// pattern that served it), path, status, bytes, duration, remote IP, API
// operation, request ID and user agent. It never logs headers other than
// the user agent, query strings or bodies, which carry signatures,
// secrets, codes and tokens; and it bounds and cleans what the caller
// chose (path, user agent, method), so a line stays short and one line.
func withObservation(logger *slog.Logger, accessLog bool, m *metrics.Metrics, next http.Handler) http.Handler {
	if !accessLog && m == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		d := time.Since(start)
		status := rec.status
		if status == 0 {
			status = http.StatusOK // what net/http sends for a handler that wrote nothing
		}
		// The mux set r.Pattern on this very request (every layer above
		// it passes r on unchanged); "" when no pattern matched.
		route, op := r.Pattern, ""
		api := route == apiPattern
		if api {
			op = awsjson.OperationName(r.Header.Get("X-Amz-Target"))
			m.API(op, status, d)
		} else {
			m.Route(route, status, d)
		}
		if accessLog && logger.Enabled(r.Context(), slog.LevelInfo) {
			logAccess(logger, r, rec, route, op, api, status, d)
		}
	})
}

// Bounds of what a caller chose, in an access log line.
const (
	maxLogPath      = 256
	maxLogUserAgent = 128
	maxLogMethod    = 16
)

func logAccess(logger *slog.Logger, r *http.Request, rec *statusRecorder, route, op string, api bool, status int, d time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	ip := r.RemoteAddr
	if host, _, err := net.SplitHostPort(ip); err == nil {
		ip = host
	}
	attrs := make([]slog.Attr, 0, 11)
	attrs = append(attrs,
		slog.String("method", bounded(r.Method, maxLogMethod)),
		slog.String("route", route),
		slog.String("path", bounded(r.URL.Path, maxLogPath)),
		slog.Int("status", status),
		slog.Int("bytes", rec.bytes),
		slog.Duration("duration", d),
		slog.String("remote_ip", bounded(ip, maxLogMethod*4)))
	if api {
		if op == "" {
			op = metrics.Unknown // the caller's own text is not logged
		}
		attrs = append(attrs, slog.String("operation", op))
	}
	if id := rec.Header().Get("X-Amzn-Requestid"); id != "" {
		attrs = append(attrs, slog.String("request_id", bounded(id, 64)))
	}
	if ua := r.UserAgent(); ua != "" {
		attrs = append(attrs, slog.String("user_agent", bounded(ua, maxLogUserAgent)))
	}
	logger.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
}

// bounded is s cut to at most n bytes (at a character boundary, marked
// with "...") with every byte or character that is not printable replaced
// by '?', so that a caller's text cannot make a log line long, break it
// in two, or hide in escape sequences.
func bounded(s string, n int) string {
	cut := false
	if len(s) > n {
		i := n
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		s, cut = s[:i], true
	}
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			clean = false
			break
		}
	}
	if !clean {
		s = strings.Map(func(c rune) rune {
			if c == utf8.RuneError || !unicode.IsPrint(c) {
				return '?'
			}
			return c
		}, s)
	}
	if cut {
		s += "..."
	}
	return s
}

// withRecovery turns a panic into a 500 and a log line instead of a
// dropped connection.
func withRecovery(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				logger.ErrorContext(r.Context(), "panic serving request", "path", r.URL.Path, "panic", fmt.Sprint(p))
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}
