package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/sqlstore"
)

func (r reader) GetUserMFA(ctx context.Context, poolID, sub string) (*cognito.UserMFA, error) {
	m := cognito.UserMFA{UserPoolID: poolID, Sub: sub}
	err := r.q.QueryRowContext(ctx, `SELECT totp_secret, totp_pending, totp_last_step, totp_enabled, sms_enabled, email_enabled, preferred
		FROM user_mfa WHERE pool_id = ? AND sub = ?`, poolID, sub).Scan(&m.TOTPSecret, &m.TOTPPending, &m.TOTPLastStep, &m.TOTPEnabled, &m.SMSEnabled, &m.EmailEnabled, &m.Preferred)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("user MFA", sub)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: get user MFA: %w", err)
	}
	if len(m.TOTPSecret) == 0 {
		m.TOTPSecret = nil
	}
	if len(m.TOTPPending) == 0 {
		m.TOTPPending = nil
	}
	return &m, nil
}

func (t *tx) PutUserMFA(ctx context.Context, m *cognito.UserMFA) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO user_mfa (pool_id, sub, totp_secret, totp_pending, totp_last_step, totp_enabled, sms_enabled, email_enabled, preferred)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (pool_id, sub) DO UPDATE SET totp_secret = excluded.totp_secret, totp_pending = excluded.totp_pending,
			totp_last_step = excluded.totp_last_step, totp_enabled = excluded.totp_enabled, sms_enabled = excluded.sms_enabled,
			email_enabled = excluded.email_enabled, preferred = excluded.preferred`,
		m.UserPoolID, m.Sub, sqlstore.BlobArg(m.TOTPSecret), sqlstore.BlobArg(m.TOTPPending), m.TOTPLastStep, m.TOTPEnabled, m.SMSEnabled, m.EmailEnabled, m.Preferred)
	if err != nil {
		return writeErr("put user MFA", err)
	}
	return nil
}
