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

const codeColumns = `hash, pool_id, client_id, redirect_uri, sub, scopes, nonce, code_challenge, auth_ms, created_ms, expires_ms, used_ms, origin_jti`

func (r reader) GetAuthCode(ctx context.Context, hash string) (*cognito.AuthCode, error) {
	var (
		c                            cognito.AuthCode
		scopes                       string
		auth, created, expires, used int64
	)
	err := r.q.QueryRowContext(ctx, `SELECT `+codeColumns+` FROM auth_codes WHERE hash = ?`, hash).Scan(&c.Hash, &c.UserPoolID, &c.ClientID,
		&c.RedirectURI, &c.Sub, &scopes, &c.Nonce, &c.CodeChallenge, &auth, &created, &expires, &used, &c.OriginJTI)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("authorization code", "")
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: get authorization code: %w", err)
	}
	if err := json.Unmarshal([]byte(scopes), &c.Scopes); err != nil {
		return nil, err
	}
	if len(c.Scopes) == 0 {
		c.Scopes = nil
	}
	c.AuthTime, c.CreationDate, c.Expires, c.UsedAt = sqlstore.FromMS(auth), sqlstore.FromMS(created), sqlstore.FromMS(expires), sqlstore.FromOptMS(used)
	return &c, nil
}

func (t *tx) CreateAuthCode(ctx context.Context, c *cognito.AuthCode) error {
	scopes, err := sqlstore.MarshalJSON(c.Scopes)
	if err != nil {
		return err
	}
	if c.Scopes == nil {
		scopes = "[]"
	}
	_, err = t.q.ExecContext(ctx, `INSERT INTO auth_codes (`+codeColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.Hash, c.UserPoolID, c.ClientID, c.RedirectURI, c.Sub, scopes, c.Nonce, c.CodeChallenge,
		sqlstore.ToMS(c.AuthTime), sqlstore.ToMS(c.CreationDate), sqlstore.ToMS(c.Expires), optMS(c.UsedAt), c.OriginJTI)
	if err != nil {
		return writeErr("create authorization code", err)
	}
	// Codes live five minutes: sweep the expired ones while writing.
	_, err = t.q.ExecContext(ctx, `DELETE FROM auth_codes WHERE expires_ms < ?`, sqlstore.ToMS(c.CreationDate.Add(-time.Hour)))
	return err
}

func (t *tx) RedeemAuthCode(ctx context.Context, hash string, usedAt time.Time, originJTI string) error {
	res, err := t.q.ExecContext(ctx, `UPDATE auth_codes SET used_ms = ?, origin_jti = ? WHERE hash = ?`, sqlstore.ToMS(usedAt), originJTI, hash)
	return affected(res, err, "redeem authorization code", "authorization code", "")
}
