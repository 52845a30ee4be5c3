package sqlite

import (
	"context"
	"fmt"
)

// Generation reads the change signal's counter (migration 0013). It is a
// read of one row through the read pool, so another process's commit is
// seen as soon as it is in the WAL.
func (r reader) Generation(ctx context.Context) (uint64, error) {
	var v int64
	if err := r.q.QueryRowContext(ctx, `SELECT value FROM generation WHERE id = 1`).Scan(&v); err != nil {
		return 0, fmt.Errorf("sqlite: read generation: %w", err)
	}
	return uint64(v), nil
}

// BumpGeneration advances the counter inside the transaction, so the new
// value becomes visible exactly when the configuration write does.
func (t *tx) BumpGeneration(ctx context.Context) error {
	if _, err := t.st.ExecContext(ctx, `UPDATE generation SET value = value + 1 WHERE id = 1`); err != nil {
		return fmt.Errorf("sqlite: bump generation: %w", err)
	}
	return nil
}
