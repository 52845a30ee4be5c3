package postgres

import (
	"context"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/sqlstore"
)

func (t *tx) CreateAuthCode(ctx context.Context, c *cognito.AuthCode) error {
	scopes, err := sqlstore.MarshalJSON(c.Scopes)
	if err != nil {
		return err
	}
	if c.Scopes == nil {
		scopes = "[]"
	}
	_, err = t.q.ExecContext(ctx, `INSERT INTO auth_codes (`+sqlstore.AuthCodeColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.Hash, c.UserPoolID, c.ClientID, c.RedirectURI, c.Sub, scopes, c.Nonce, c.CodeChallenge,
		sqlstore.ToMS(c.AuthTime), sqlstore.ToMS(c.CreationDate), sqlstore.ToMS(c.Expires), sqlstore.ToOptMS(c.UsedAt), c.OriginJTI)
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
