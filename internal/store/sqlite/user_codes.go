package sqlite

import (
	"context"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/sqlstore"
)

func (t *tx) PutUserCode(ctx context.Context, c *cognito.UserCode) error {
	_, err := t.st.ExecContext(ctx, `INSERT INTO user_codes (pool_id, sub, purpose, code_hash, expires_ms, attempts, sends, window_start_ms)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (pool_id, sub, purpose) DO UPDATE SET code_hash = excluded.code_hash, expires_ms = excluded.expires_ms,
			attempts = excluded.attempts, sends = excluded.sends, window_start_ms = excluded.window_start_ms`,
		c.UserPoolID, c.Sub, c.Purpose, c.CodeHash, sqlstore.ToOptMS(c.Expires), c.Attempts, c.Sends, sqlstore.ToOptMS(c.WindowStart))
	if err != nil {
		return writeErr("put user code", err)
	}
	return nil
}

func (t *tx) DeleteUserCode(ctx context.Context, poolID, sub, purpose string) error {
	res, err := t.st.ExecContext(ctx, `DELETE FROM user_codes WHERE pool_id = ? AND sub = ? AND purpose = ?`, poolID, sub, purpose)
	return affected(res, err, "delete user code", "user code", purpose)
}
