package metrics

import "context"

// The change signal is passed through untimed: it is polled on a ticker,
// not served per request.

func (t *timedStore) Generation(ctx context.Context) (uint64, error) { return t.s.Generation(ctx) }
