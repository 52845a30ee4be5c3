package metrics

import (
	"context"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

// WrapStore returns s with every call timed into
// cognitod_store_operation_duration_seconds, by method name: the reads,
// each write inside a transaction, and Update as a whole transaction
// (commit and retries included). It sits at the cognito.Store interface so
// that every backend is measured the same way; on a nil *Metrics it
// returns s itself.
func (m *Metrics) WrapStore(s cognito.Store) cognito.Store {
	if m == nil {
		return s
	}
	return &timedStore{s: s, m: m}
}

// timedStore and timedTx time each call; their methods are generated
// (store_gen.go) but Update and Close.
type timedStore struct {
	s cognito.Store
	m *Metrics
}

type timedTx struct {
	tx cognito.Tx
	m  *Metrics
}

func (m *Metrics) since(op int, start time.Time) {
	m.store[op].Observe(time.Since(start).Seconds())
}

// Update times the whole transaction, and each call fn makes in it.
func (t *timedStore) Update(ctx context.Context, fn func(tx cognito.Tx) error) error {
	defer t.m.since(opUpdate, time.Now())
	return t.s.Update(ctx, func(tx cognito.Tx) error { return fn(&timedTx{tx: tx, m: t.m}) })
}

// Close is not timed: it happens once.
func (t *timedStore) Close() error { return t.s.Close() }

var (
	_ cognito.Store = (*timedStore)(nil)
	_ cognito.Tx    = (*timedTx)(nil)
)
