package sqlstore

import (
	"context"
	"encoding/json"

	"github.com/cognitod/cognitod/internal/cognito"
)

// RefreshColumns are refresh_tokens' columns, in the order scanRefresh
// reads and the backends' inserts write them.
const RefreshColumns = `hash, pool_id, client_id, sub, scopes, origin_jti, auth_ms, created_ms, expires_ms, revoked_ms, rotated_ms, sealed_successor`

func scanRefresh(r Row) (*cognito.RefreshToken, error) {
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
	t.AuthTime, t.CreationDate, t.Expires, t.RevokedAt = fromMS(auth), fromMS(created), fromMS(expires), fromOptMS(revokedMS)
	t.RotatedAt = fromOptMS(rotatedMS)
	if len(t.SealedSuccessor) == 0 {
		t.SealedSuccessor = nil
	}
	return &t, nil
}

func (r Reader) refresh(ctx context.Context, query string, args ...any) (*cognito.RefreshToken, error) {
	return one(r, ctx, scanRefresh, "refresh token", "", `SELECT `+RefreshColumns+` FROM refresh_tokens WHERE `+query, args...)
}

func (r Reader) GetRefreshToken(ctx context.Context, hash string) (*cognito.RefreshToken, error) {
	return r.refresh(ctx, `hash = ?`, hash)
}

func (r Reader) GetRefreshTokenByOriginJTI(ctx context.Context, poolID, originJTI string) (*cognito.RefreshToken, error) {
	return r.refresh(ctx, `pool_id = ? AND origin_jti = ?`, poolID, originJTI)
}
