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

const userColumns = `seq, pool_id, username, username_key, sub, attributes, password_hash, status, enabled, created_ms, modified_ms,
	password_expires_ms, code_hash, code_expires_ms, failed_sign_ins, locked_until_ms, signed_out_ms, attribute_verifications, srp_verifier`

// optMS stores a zero time as 0.
func optMS(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return sqlstore.ToMS(t)
}

func scanUser(r rowScanner) (*cognito.User, error) {
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
	u.CreationDate, u.LastModifiedDate = sqlstore.FromMS(created), sqlstore.FromMS(modified)
	u.PasswordExpires, u.CodeExpires = sqlstore.FromOptMS(pwExp), sqlstore.FromOptMS(codeExp)
	u.LockedUntil, u.SignedOutAt = sqlstore.FromOptMS(locked), sqlstore.FromOptMS(signOut)
	return &u, nil
}

func (r reader) getUser(ctx context.Context, where, poolID, value string) (*cognito.User, error) {
	u, err := scanUser(r.q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE pool_id = ? AND `+where+` = ?`, poolID, value))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("user", value)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: get user of %q: %w", poolID, err)
	}
	return u, nil
}

func (r reader) GetUser(ctx context.Context, poolID, key string) (*cognito.User, error) {
	return r.getUser(ctx, "username_key", poolID, key)
}

func (r reader) GetUserBySub(ctx context.Context, poolID, sub string) (*cognito.User, error) {
	return r.getUser(ctx, "sub", poolID, sub)
}

func (r reader) ListUsers(ctx context.Context, poolID string, after int64, limit int) ([]*cognito.User, error) {
	if limit <= 0 {
		return nil, nil // LIMIT -1 would mean no limit in SQLite
	}
	rows, err := r.q.QueryContext(ctx, `SELECT `+userColumns+` FROM users WHERE pool_id = ? AND seq > ? ORDER BY seq LIMIT ?`, poolID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: list users of %q: %w", poolID, err)
	}
	return collect(rows, scanUser, "list users")
}

func (r reader) CountUsers(ctx context.Context, poolID string) (int, error) {
	return r.count(ctx, "count users", `SELECT count(*) FROM users WHERE pool_id = ?`, poolID)
}

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
		optMS(u.PasswordExpires), u.CodeHash, optMS(u.CodeExpires), u.FailedSignIns, optMS(u.LockedUntil), optMS(u.SignedOutAt), verifications,
		nullBlob(u.SRPVerifier)}, nil
}

func (t *tx) CreateUser(ctx context.Context, u *cognito.User) error {
	args, err := userArgs(u)
	if err != nil {
		return fmt.Errorf("postgres: create user: %w", err)
	}
	seq, err := t.nextSeq(ctx, "users")
	if err != nil {
		return fmt.Errorf("postgres: create user in %q: %w", u.UserPoolID, err)
	}
	all := append([]any{seq, u.UserPoolID, u.Sub, sqlstore.ToMS(u.CreationDate)}, args...)
	_, err = t.q.ExecContext(ctx, `INSERT INTO users (seq, pool_id, sub, created_ms, username, username_key, attributes, password_hash, status, enabled,
		modified_ms, password_expires_ms, code_hash, code_expires_ms, failed_sign_ins, locked_until_ms, signed_out_ms, attribute_verifications, srp_verifier)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, all...)
	if err != nil {
		return writeErr(fmt.Sprintf("create user in %q", u.UserPoolID), err)
	}
	u.Seq = seq
	return nil
}

func (t *tx) UpdateUser(ctx context.Context, u *cognito.User) error {
	args, err := userArgs(u)
	if err != nil {
		return fmt.Errorf("postgres: update user: %w", err)
	}
	res, err := t.q.ExecContext(ctx, `UPDATE users SET username = ?, username_key = ?, attributes = ?, password_hash = ?, status = ?, enabled = ?,
		modified_ms = ?, password_expires_ms = ?, code_hash = ?, code_expires_ms = ?, failed_sign_ins = ?, locked_until_ms = ?, signed_out_ms = ?,
		attribute_verifications = ?, srp_verifier = ?
		WHERE pool_id = ? AND sub = ?`, append(args, u.UserPoolID, u.Sub)...)
	if err != nil {
		return writeErr(fmt.Sprintf("update user in %q", u.UserPoolID), err)
	}
	return affected(res, nil, "update user", "user", u.Sub)
}

func (t *tx) DeleteUser(ctx context.Context, poolID, sub string) error {
	res, err := t.q.ExecContext(ctx, `DELETE FROM users WHERE pool_id = ? AND sub = ?`, poolID, sub)
	return affected(res, err, "delete user", "user", sub)
}

// nullBlob stores an empty byte slice as NULL (a user without an SRP
// verifier), so that it reads back as nil.
func nullBlob(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}
