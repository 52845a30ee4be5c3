package sqlite

import (
	"context"
	"fmt"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/sqlstore"
)

func userArgs(u *cognito.User) ([]any, error) {
	attrs, err := sqlstore.MarshalJSON(u.Attributes)
	if err != nil {
		return nil, err
	}
	if u.Attributes == nil {
		attrs = "[]"
	}
	verifications, err := sqlstore.MarshalJSON(u.Verifications)
	if err != nil {
		return nil, err
	}
	if u.Verifications == nil {
		verifications = "[]"
	}
	enabled := 0
	if u.Enabled {
		enabled = 1
	}
	return []any{u.Username, u.UsernameKey, attrs, u.PasswordHash, u.Status, enabled, sqlstore.ToMS(u.LastModifiedDate),
		sqlstore.ToOptMS(u.PasswordExpires), u.CodeHash, sqlstore.ToOptMS(u.CodeExpires), u.FailedSignIns, sqlstore.ToOptMS(u.LockedUntil), sqlstore.ToOptMS(u.SignedOutAt), verifications,
		sqlstore.BlobArg(u.SRPVerifier)}, nil
}

func (t *tx) CreateUser(ctx context.Context, u *cognito.User) error {
	args, err := userArgs(u)
	if err != nil {
		return fmt.Errorf("sqlite: create user: %w", err)
	}
	all := append([]any{u.UserPoolID, u.Sub, sqlstore.ToMS(u.CreationDate)}, args...)
	err = t.st.QueryRowContext(ctx, `INSERT INTO users (pool_id, sub, created_ms, username, username_key, attributes, password_hash, status, enabled,
		modified_ms, password_expires_ms, code_hash, code_expires_ms, failed_sign_ins, locked_until_ms, signed_out_ms, attribute_verifications, srp_verifier)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`, all...).Scan(&u.Seq)
	if err != nil {
		return writeErr(fmt.Sprintf("create user in %q", u.UserPoolID), err)
	}
	return nil
}

func (t *tx) UpdateUser(ctx context.Context, u *cognito.User) error {
	args, err := userArgs(u)
	if err != nil {
		return fmt.Errorf("sqlite: update user: %w", err)
	}
	res, err := t.st.ExecContext(ctx, `UPDATE users SET username = ?, username_key = ?, attributes = ?, password_hash = ?, status = ?, enabled = ?,
		modified_ms = ?, password_expires_ms = ?, code_hash = ?, code_expires_ms = ?, failed_sign_ins = ?, locked_until_ms = ?, signed_out_ms = ?,
		attribute_verifications = ?, srp_verifier = ?
		WHERE pool_id = ? AND sub = ?`, append(args, u.UserPoolID, u.Sub)...)
	if err != nil {
		return writeErr(fmt.Sprintf("update user in %q", u.UserPoolID), err)
	}
	return affected(res, nil, "update user", "user", u.Sub)
}

func (t *tx) DeleteUser(ctx context.Context, poolID, sub string) error {
	res, err := t.st.ExecContext(ctx, `DELETE FROM users WHERE pool_id = ? AND sub = ?`, poolID, sub)
	return affected(res, err, "delete user", "user", sub)
}
