package metrics

import (
	"context"
	"time"
)

// The cognito.SharedState methods, timed like the generated ones (they
// are Store methods, not Reader ones, so the generator leaves them out).

func (t *timedStore) PutShared(ctx context.Context, kind, key string, value []byte, expires time.Time) error {
	defer t.m.since(opPutShared, time.Now())
	return t.s.PutShared(ctx, kind, key, value, expires)
}

func (t *timedStore) GetShared(ctx context.Context, kind, key string, now time.Time) ([]byte, error) {
	defer t.m.since(opGetShared, time.Now())
	return t.s.GetShared(ctx, kind, key, now)
}

func (t *timedStore) DeleteShared(ctx context.Context, kind, key string) error {
	defer t.m.since(opDeleteShared, time.Now())
	return t.s.DeleteShared(ctx, kind, key)
}

func (t *timedStore) IncrShared(ctx context.Context, kind, key string, now, expires time.Time) (int64, error) {
	defer t.m.since(opIncrShared, time.Now())
	return t.s.IncrShared(ctx, kind, key, now, expires)
}

func (t *timedStore) SweepShared(ctx context.Context, now time.Time, limit int) (int, error) {
	defer t.m.since(opSweepShared, time.Now())
	return t.s.SweepShared(ctx, now, limit)
}

func (t *timedStore) TrimShared(ctx context.Context, kind string, keep, limit int) (int, error) {
	defer t.m.since(opTrimShared, time.Now())
	return t.s.TrimShared(ctx, kind, keep, limit)
}
