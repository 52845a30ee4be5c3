package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/sqlstore"
)

func (t *tx) CreateRefreshToken(ctx context.Context, rt *cognito.RefreshToken) error {
	scopes, err := sqlstore.MarshalJSON(rt.Scopes)
	if err != nil {
		return err
	}
	if rt.Scopes == nil {
		scopes = "[]"
	}
	_, err = t.st.ExecContext(ctx, `INSERT INTO refresh_tokens (`+sqlstore.RefreshColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		rt.Hash, rt.UserPoolID, rt.ClientID, rt.Sub, scopes, rt.OriginJTI, sqlstore.ToMS(rt.AuthTime), sqlstore.ToMS(rt.CreationDate), sqlstore.ToMS(rt.Expires), sqlstore.ToOptMS(rt.RevokedAt),
		sqlstore.ToOptMS(rt.RotatedAt), rt.SealedSuccessor)
	if err != nil {
		return writeErr("create refresh token", err)
	}
	return nil
}

func (t *tx) RevokeRefreshTokens(ctx context.Context, poolID, sub, hash string, at time.Time) error {
	q := `UPDATE refresh_tokens SET revoked_ms = ? WHERE pool_id = ? AND sub = ? AND revoked_ms = 0`
	args := []any{sqlstore.ToMS(at), poolID, sub}
	if hash != "" {
		// The whole family: a rotated token's successors share its origin_jti.
		q += ` AND origin_jti = (SELECT origin_jti FROM refresh_tokens WHERE hash = ? AND pool_id = ?)`
		args = append(args, hash, poolID)
	}
	if _, err := t.st.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("sqlite: revoke refresh tokens: %w", err)
	}
	return nil
}

func (t *tx) RotateRefreshToken(ctx context.Context, hash string, at time.Time, sealedSuccessor []byte) error {
	res, err := t.st.ExecContext(ctx, `UPDATE refresh_tokens SET rotated_ms = ?, sealed_successor = ? WHERE hash = ? AND rotated_ms = 0 AND revoked_ms = 0`,
		sqlstore.ToOptMS(at), sealedSuccessor, hash)
	if err != nil {
		return fmt.Errorf("sqlite: rotate refresh token: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("sqlite: rotate refresh token: %w", err)
	} else if n == 0 {
		return notFound("current refresh token", "")
	}
	return nil
}
