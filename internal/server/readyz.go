package server

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

// /readyz answers whether the storage answers. It is anonymous, so it
// must not let a caller turn each request into a database round trip: the
// answer is kept for readyFor, and while one check runs every other
// request waits for it (single flight). However fast /readyz is called,
// the store sees at most one check per readyFor per process.
const (
	readyFor     = time.Second
	readyTimeout = time.Second // a check slower than this counts as down
)

// readiness is the cached storage check behind /readyz.
type readiness struct {
	check  func(ctx context.Context) error
	now    func() time.Time
	logger *slog.Logger

	mu       sync.Mutex
	at       time.Time // when err was found; zero: never checked
	err      error
	inflight chan struct{} // closed when the running check ends
}

func newReadiness(store cognito.Store, logger *slog.Logger) *readiness {
	return &readiness{now: time.Now, logger: logger, check: func(ctx context.Context) error {
		_, err := store.Generation(ctx) // one primary-key row
		return err
	}}
}

// state returns the latest check's error, running a check when the last
// one is older than readyFor. The check runs on its own deadline, not the
// request's, so that a caller who hangs up does not fail it for the
// others waiting.
func (rd *readiness) state(ctx context.Context) error {
	rd.mu.Lock()
	if !rd.at.IsZero() && rd.now().Sub(rd.at) < readyFor {
		err := rd.err
		rd.mu.Unlock()
		return err
	}
	if ch := rd.inflight; ch != nil {
		rd.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
		rd.mu.Lock()
		defer rd.mu.Unlock()
		return rd.err
	}
	ch := make(chan struct{})
	rd.inflight = ch
	rd.mu.Unlock()

	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), readyTimeout)
	err := rd.check(cctx)
	cancel()
	rd.mu.Lock()
	if err != nil && (rd.err == nil || rd.at.IsZero()) {
		rd.logger.ErrorContext(ctx, "readiness check failed", "err", err)
	} else if err == nil && rd.err != nil {
		rd.logger.InfoContext(ctx, "readiness check passes again")
	}
	rd.err, rd.at, rd.inflight = err, rd.now(), nil
	rd.mu.Unlock()
	close(ch)
	return err
}

func (rd *readiness) serveHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if err := rd.state(r.Context()); err != nil {
		http.Error(w, "storage unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ready\n"))
}
