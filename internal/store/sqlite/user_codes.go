package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/sqlstore"
)

func (r reader) GetUserCode(ctx context.Context, poolID, sub, purpose string) (*cognito.UserCode, error) {
	c := cognito.UserCode{UserPoolID: poolID, Sub: sub, Purpose: purpose}
	var expires, window int64
	err := r.q.QueryRowContext(ctx, `SELECT code_hash, expires_ms, attempts, sends, window_start_ms FROM user_codes
		WHERE pool_id = ? AND sub = ? AND purpose = ?`, poolID, sub, purpose).Scan(&c.CodeHash, &expires, &c.Attempts, &c.Sends, &window)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("user code", purpose)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: get user code: %w", err)
	}
	c.Expires, c.WindowStart = sqlstore.FromOptMS(expires), sqlstore.FromOptMS(window)
	return &c, nil
}

func (t *tx) PutUserCode(ctx context.Context, c *cognito.UserCode) error {
	_, err := t.st.ExecContext(ctx, `INSERT INTO user_codes (pool_id, sub, purpose, code_hash, expires_ms, attempts, sends, window_start_ms)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (pool_id, sub, purpose) DO UPDATE SET code_hash = excluded.code_hash, expires_ms = excluded.expires_ms,
			attempts = excluded.attempts, sends = excluded.sends, window_start_ms = excluded.window_start_ms`,
		c.UserPoolID, c.Sub, c.Purpose, c.CodeHash, optMS(c.Expires), c.Attempts, c.Sends, optMS(c.WindowStart))
	if err != nil {
		return writeErr("put user code", err)
	}
	return nil
}

func (t *tx) DeleteUserCode(ctx context.Context, poolID, sub, purpose string) error {
	res, err := t.st.ExecContext(ctx, `DELETE FROM user_codes WHERE pool_id = ? AND sub = ? AND purpose = ?`, poolID, sub, purpose)
	return affected(res, err, "delete user code", "user code", purpose)
}
