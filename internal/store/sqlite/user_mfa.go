package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/sqlstore"
)

func (r reader) GetUserMFA(ctx context.Context, poolID, sub string) (*cognito.UserMFA, error) {
	m := cognito.UserMFA{UserPoolID: poolID, Sub: sub}
	var totp, sms, email int
	err := r.q.QueryRowContext(ctx, `SELECT totp_secret, totp_pending, totp_last_step, totp_enabled, sms_enabled, email_enabled, preferred
		FROM user_mfa WHERE pool_id = ? AND sub = ?`, poolID, sub).Scan(&m.TOTPSecret, &m.TOTPPending, &m.TOTPLastStep, &totp, &sms, &email, &m.Preferred)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("user MFA", sub)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: get user MFA: %w", err)
	}
	m.TOTPEnabled, m.SMSEnabled, m.EmailEnabled = totp != 0, sms != 0, email != 0
	return &m, nil
}

func (t *tx) PutUserMFA(ctx context.Context, m *cognito.UserMFA) error {
	b := func(v bool) int {
		if v {
			return 1
		}
		return 0
	}
	_, err := t.st.ExecContext(ctx, `INSERT INTO user_mfa (pool_id, sub, totp_secret, totp_pending, totp_last_step, totp_enabled, sms_enabled, email_enabled, preferred)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (pool_id, sub) DO UPDATE SET totp_secret = excluded.totp_secret, totp_pending = excluded.totp_pending,
			totp_last_step = excluded.totp_last_step, totp_enabled = excluded.totp_enabled, sms_enabled = excluded.sms_enabled,
			email_enabled = excluded.email_enabled, preferred = excluded.preferred`,
		m.UserPoolID, m.Sub, sqlstore.BlobArg(m.TOTPSecret), sqlstore.BlobArg(m.TOTPPending), m.TOTPLastStep, b(m.TOTPEnabled), b(m.SMSEnabled), b(m.EmailEnabled), m.Preferred)
	if err != nil {
		return writeErr("put user MFA", err)
	}
	return nil
}
