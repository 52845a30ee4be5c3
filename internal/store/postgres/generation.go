package postgres

import (
	"context"
	"fmt"
)

// notifyChannel is the LISTEN/NOTIFY channel a configuration write
// signals on; the notification is delivered at commit, with the write.
const notifyChannel = "cognitod_generation"

// Generation reads the change signal's counter (migration 0002): one
// primary-key row.
func (r reader) Generation(ctx context.Context) (uint64, error) {
	var v int64
	if err := r.q.QueryRowContext(ctx, `SELECT value FROM generation WHERE id = 1`).Scan(&v); err != nil {
		return 0, fmt.Errorf("postgres: read generation: %w", err)
	}
	return uint64(v), nil
}

// BumpGeneration advances the counter inside the transaction and queues a
// NOTIFY, which PostgreSQL sends only if the transaction commits. The row
// lock serializes configuration writers, which are rare.
func (t *tx) BumpGeneration(ctx context.Context) error {
	if _, err := t.q.ExecContext(ctx, `UPDATE generation SET value = value + 1 WHERE id = 1`); err != nil {
		return fmt.Errorf("postgres: bump generation: %w", t.saw(err))
	}
	if _, err := t.q.ExecContext(ctx, `SELECT pg_notify('`+notifyChannel+`', '')`); err != nil {
		return fmt.Errorf("postgres: notify generation: %w", t.saw(err))
	}
	return nil
}
