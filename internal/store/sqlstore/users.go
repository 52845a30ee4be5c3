package sqlstore

import (
	"context"
	"encoding/json"

	"github.com/cognitod/cognitod/internal/cognito"
)

// userColumns are users' columns, in the order scanUser reads them.
const userColumns = `seq, pool_id, username, username_key, sub, attributes, password_hash, status, enabled, created_ms, modified_ms,
	password_expires_ms, code_hash, code_expires_ms, failed_sign_ins, locked_until_ms, signed_out_ms, attribute_verifications, srp_verifier`

func scanUser(r Row) (*cognito.User, error) {
	var (
		u                                                  cognito.User
		attrs, verifications                               string
		enabled                                            int
		created, modified, pwExp, codeExp, locked, signOut int64
	)
	err := r.Scan(&u.Seq, &u.UserPoolID, &u.Username, &u.UsernameKey, &u.Sub, &attrs, &u.PasswordHash, &u.Status, &enabled,
		&created, &modified, &pwExp, &u.CodeHash, &codeExp, &u.FailedSignIns, &locked, &signOut, &verifications, &u.SRPVerifier)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(attrs), &u.Attributes); err != nil {
		return nil, err
	}
	if len(u.Attributes) == 0 {
		u.Attributes = nil
	}
	if err := json.Unmarshal([]byte(verifications), &u.Verifications); err != nil {
		return nil, err
	}
	if len(u.Verifications) == 0 {
		u.Verifications = nil
	}
	u.Enabled = enabled != 0
	u.CreationDate, u.LastModifiedDate = fromMS(created), fromMS(modified)
	u.PasswordExpires, u.CodeExpires = fromOptMS(pwExp), fromOptMS(codeExp)
	u.LockedUntil, u.SignedOutAt = fromOptMS(locked), fromOptMS(signOut)
	return &u, nil
}

func (r Reader) getUser(ctx context.Context, where, poolID, value string) (*cognito.User, error) {
	return one(r, ctx, scanUser, "user", value, `SELECT `+userColumns+` FROM users WHERE pool_id = ? AND `+where+` = ?`, poolID, value)
}

func (r Reader) GetUser(ctx context.Context, poolID, key string) (*cognito.User, error) {
	return r.getUser(ctx, "username_key", poolID, key)
}

func (r Reader) GetUserBySub(ctx context.Context, poolID, sub string) (*cognito.User, error) {
	return r.getUser(ctx, "sub", poolID, sub)
}

func (r Reader) ListUsers(ctx context.Context, poolID string, after int64, limit int) ([]*cognito.User, error) {
	return page(r, ctx, scanUser, "list users", limit, `SELECT `+userColumns+` FROM users WHERE pool_id = ? AND seq > ? ORDER BY seq LIMIT ?`, poolID, after)
}

func (r Reader) CountUsers(ctx context.Context, poolID string) (int, error) {
	return r.count(ctx, "count users", `SELECT count(*) FROM users WHERE pool_id = ?`, poolID)
}
