package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/sqlstore"
)

const refreshColumns = `hash, pool_id, client_id, sub, scopes, origin_jti, auth_ms, created_ms, expires_ms, revoked_ms, rotated_ms, sealed_successor`

func scanRefresh(r rowScanner) (*cognito.RefreshToken, error) {
	var (
		t                                 cognito.RefreshToken
		scopes                            string
		auth, created, expires, revokedMS int64
		rotatedMS                         int64
	)
	if err := r.Scan(&t.Hash, &t.UserPoolID, &t.ClientID, &t.Sub, &scopes, &t.OriginJTI, &auth, &created, &expires, &revokedMS, &rotatedMS, &t.SealedSuccessor); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(scopes), &t.Scopes); err != nil {
		return nil, err
	}
	if len(t.Scopes) == 0 {
		t.Scopes = nil
	}
	t.AuthTime, t.CreationDate, t.Expires, t.RevokedAt = sqlstore.FromMS(auth), sqlstore.FromMS(created), sqlstore.FromMS(expires), sqlstore.FromOptMS(revokedMS)
	t.RotatedAt = sqlstore.FromOptMS(rotatedMS)
	if len(t.SealedSuccessor) == 0 {
		t.SealedSuccessor = nil
	}
	return &t, nil
}

func (r reader) refresh(ctx context.Context, query string, args ...any) (*cognito.RefreshToken, error) {
	t, err := scanRefresh(r.q.QueryRowContext(ctx, `SELECT `+refreshColumns+` FROM refresh_tokens WHERE `+query, args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("refresh token", "")
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: get refresh token: %w", err)
	}
	return t, nil
}

func (r reader) GetRefreshToken(ctx context.Context, hash string) (*cognito.RefreshToken, error) {
	return r.refresh(ctx, `hash = ?`, hash)
}

func (r reader) GetRefreshTokenByOriginJTI(ctx context.Context, poolID, originJTI string) (*cognito.RefreshToken, error) {
	return r.refresh(ctx, `pool_id = ? AND origin_jti = ?`, poolID, originJTI)
}

func (t *tx) CreateRefreshToken(ctx context.Context, rt *cognito.RefreshToken) error {
	scopes, err := sqlstore.MarshalJSON(rt.Scopes)
	if err != nil {
		return err
	}
	if rt.Scopes == nil {
		scopes = "[]"
	}
	_, err = t.q.ExecContext(ctx, `INSERT INTO refresh_tokens (`+refreshColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		rt.Hash, rt.UserPoolID, rt.ClientID, rt.Sub, scopes, rt.OriginJTI, sqlstore.ToMS(rt.AuthTime), sqlstore.ToMS(rt.CreationDate), sqlstore.ToMS(rt.Expires), optMS(rt.RevokedAt),
		optMS(rt.RotatedAt), rt.SealedSuccessor)
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
	if _, err := t.q.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("postgres: revoke refresh tokens: %w", err)
	}
	return nil
}

func (t *tx) RotateRefreshToken(ctx context.Context, hash string, at time.Time, sealedSuccessor []byte) error {
	res, err := t.q.ExecContext(ctx, `UPDATE refresh_tokens SET rotated_ms = ?, sealed_successor = ? WHERE hash = ? AND rotated_ms = 0 AND revoked_ms = 0`,
		optMS(at), sealedSuccessor, hash)
	if err != nil {
		return fmt.Errorf("postgres: rotate refresh token: %w", err)
	}
	if res.RowsAffected() == 0 {
		return notFound("current refresh token", "")
	}
	return nil
}
