package sqlstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/cognitod/cognitod/internal/cognito"
)

func (r Reader) GetUserCode(ctx context.Context, poolID, sub, purpose string) (*cognito.UserCode, error) {
	c := cognito.UserCode{UserPoolID: poolID, Sub: sub, Purpose: purpose}
	var expires, window int64
	err := r.Q.QueryRow(ctx, `SELECT code_hash, expires_ms, attempts, sends, window_start_ms FROM user_codes
		WHERE pool_id = ? AND sub = ? AND purpose = ?`, poolID, sub, purpose).Scan(&c.CodeHash, &expires, &c.Attempts, &c.Sends, &window)
	if errors.Is(err, r.NoRows) {
		return nil, r.notFound("user code", purpose)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: get user code: %w", r.Name, err)
	}
	c.Expires, c.WindowStart = fromOptMS(expires), fromOptMS(window)
	return &c, nil
}
