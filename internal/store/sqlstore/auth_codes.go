package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cognitod/cognitod/internal/cognito"
)

// AuthCodeColumns are auth_codes' columns, in the order GetAuthCode
// reads and the backends' inserts write them.
const AuthCodeColumns = `hash, pool_id, client_id, redirect_uri, sub, scopes, nonce, code_challenge, auth_ms, created_ms, expires_ms, used_ms, origin_jti`

func (r Reader) GetAuthCode(ctx context.Context, hash string) (*cognito.AuthCode, error) {
	var (
		c                            cognito.AuthCode
		scopes                       string
		auth, created, expires, used int64
	)
	err := r.Q.QueryRow(ctx, `SELECT `+AuthCodeColumns+` FROM auth_codes WHERE hash = ?`, hash).Scan(&c.Hash, &c.UserPoolID, &c.ClientID,
		&c.RedirectURI, &c.Sub, &scopes, &c.Nonce, &c.CodeChallenge, &auth, &created, &expires, &used, &c.OriginJTI)
	if errors.Is(err, r.NoRows) {
		return nil, r.notFound("authorization code", "")
	}
	if err != nil {
		return nil, fmt.Errorf("%s: get authorization code: %w", r.Name, err)
	}
	if err := json.Unmarshal([]byte(scopes), &c.Scopes); err != nil {
		return nil, err
	}
	if len(c.Scopes) == 0 {
		c.Scopes = nil
	}
	c.AuthTime, c.CreationDate, c.Expires, c.UsedAt = fromMS(auth), fromMS(created), fromMS(expires), fromOptMS(used)
	return &c, nil
}
