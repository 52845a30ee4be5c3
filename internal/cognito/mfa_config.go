package cognito

import (
	"context"
	"encoding/json"
)

// The MFA factors, as ChallengeName and UserMFASettingList name them.
const (
	MFASoftwareToken = "SOFTWARE_TOKEN_MFA"
	MFASMS           = "SMS_MFA"
	MFAEmail         = "EMAIL_OTP"
)

// PoolMFA is which second factors the pool offers (SetUserPoolMfaConfig);
// MfaConfiguration (OFF, ON, OPTIONAL) stays in PoolSettings, where
// DescribeUserPool shows it. The SMS factor's template and sending
// settings are the pool's SmsAuthenticationMessage and SmsConfiguration.
type PoolMFA struct {
	SoftwareToken bool   `json:"SoftwareToken,omitempty"`
	SMS           bool   `json:"SMS,omitempty"`
	Email         bool   `json:"Email,omitempty"`
	EmailMessage  string `json:"EmailMessage,omitempty"`
	EmailSubject  string `json:"EmailSubject,omitempty"`
}

// mfaMode is the pool's MfaConfiguration, OFF when unset.
func mfaMode(pool *UserPool) string {
	if m := pool.Settings.MfaConfiguration; m != "" {
		return m
	}
	return "OFF"
}

// poolFactors is the pool's PoolMFA (none when unset).
func poolFactors(pool *UserPool) PoolMFA {
	if pool.Settings.MFA == nil {
		return PoolMFA{}
	}
	return *pool.Settings.MFA
}

func (m PoolMFA) any() bool { return m.SoftwareToken || m.SMS || m.Email }

// SoftwareTokenMfaConfig is SoftwareTokenMfaConfigType.
type SoftwareTokenMfaConfig struct {
	Enabled bool `json:"Enabled"`
}

// SmsMfaConfig is SmsMfaConfigType.
type SmsMfaConfig struct {
	SmsAuthenticationMessage string          `json:"SmsAuthenticationMessage,omitempty"`
	SmsConfiguration         json.RawMessage `json:"SmsConfiguration,omitempty"`
}

// EmailMfaConfig is EmailMfaConfigType.
type EmailMfaConfig struct {
	Message string `json:"Message,omitempty"`
	Subject string `json:"Subject,omitempty"`
}

// SetUserPoolMfaConfigInput is SetUserPoolMfaConfigRequest.
type SetUserPoolMfaConfigInput struct {
	UserPoolId                    string                  `json:"UserPoolId,omitempty"`
	SmsMfaConfiguration           *SmsMfaConfig           `json:"SmsMfaConfiguration,omitempty"`
	SoftwareTokenMfaConfiguration *SoftwareTokenMfaConfig `json:"SoftwareTokenMfaConfiguration,omitempty"`
	EmailMfaConfiguration         *EmailMfaConfig         `json:"EmailMfaConfiguration,omitempty"`
	MfaConfiguration              string                  `json:"MfaConfiguration,omitempty"`
	WebAuthnConfiguration         json.RawMessage         `json:"WebAuthnConfiguration,omitempty"`
}

// UserPoolMfaConfigOutput is SetUserPoolMfaConfigResponse and
// GetUserPoolMfaConfigResponse.
type UserPoolMfaConfigOutput struct {
	SmsMfaConfiguration           *SmsMfaConfig           `json:"SmsMfaConfiguration,omitempty"`
	SoftwareTokenMfaConfiguration *SoftwareTokenMfaConfig `json:"SoftwareTokenMfaConfiguration,omitempty"`
	EmailMfaConfiguration         *EmailMfaConfig         `json:"EmailMfaConfiguration,omitempty"`
	MfaConfiguration              string                  `json:"MfaConfiguration"`
}

// SetUserPoolMfaConfig sets the pool's second factors and whether they are
// off, optional or required. The factors are replaced as a whole: one left
// out is turned off (unconfirmed; SetUserPoolMfaConfig's documentation
// describes each block as the factor's configuration). MfaConfiguration
// left out keeps the pool's.
func (s *Service) SetUserPoolMfaConfig(ctx context.Context, in *SetUserPoolMfaConfigInput) (*UserPoolMfaConfigOutput, error) {
	if err := s.validate(ctx, "SetUserPoolMfaConfig", in); err != nil {
		return nil, err
	}
	if len(in.WebAuthnConfiguration) > 0 && string(in.WebAuthnConfiguration) != "null" {
		// Passkeys are a first factor cognitod does not serve (USER_AUTH
		// refuses WEB_AUTHN): storing their settings would pretend.
		return nil, ErrInvalidParameter.WithMessage(msgWebAuthnRefused)
	}
	var out *UserPoolMfaConfigOutput
	err := s.update(ctx, func(tx Tx) error {
		pool, err := s.getPool(ctx, tx, in.UserPoolId)
		if err != nil {
			return err
		}
		st := pool.Settings
		mode := in.MfaConfiguration
		if mode == "" {
			mode = mfaMode(pool)
		}
		next := PoolMFA{SoftwareToken: in.SoftwareTokenMfaConfiguration != nil && in.SoftwareTokenMfaConfiguration.Enabled}
		if c := in.SmsMfaConfiguration; c != nil {
			next.SMS = true
			if c.SmsAuthenticationMessage != "" {
				st.SmsAuthenticationMessage = c.SmsAuthenticationMessage
			}
			if len(c.SmsConfiguration) > 0 && string(c.SmsConfiguration) != "null" {
				st.SmsConfiguration = c.SmsConfiguration
			}
			if len(st.SmsConfiguration) == 0 {
				return ErrInvalidParameter.WithMessage(msgSmsMfaNeedsConfig)
			}
		}
		if c := in.EmailMfaConfiguration; c != nil {
			if err := checkEmailMfaAllowed(&st); err != nil {
				return err
			}
			next.Email, next.EmailMessage, next.EmailSubject = true, c.Message, c.Subject
		}
		switch {
		case mode == "OFF" && next.any():
			return ErrInvalidParameter.WithMessage(msgMfaOffWithFactor)
		case mode != "OFF" && !next.any():
			return ErrInvalidParameter.WithMessage(msgMfaNoFactor)
		}
		st.MfaConfiguration, st.MFA = mode, &next
		if mode == "OFF" {
			st.MFA = nil
		}
		pool.Settings = st
		pool.LastModifiedDate = s.now().UTC()
		out = mfaConfigOutput(pool)
		return tx.UpdateUserPool(ctx, pool)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// GetUserPoolMfaConfig returns the pool's second factors.
func (s *Service) GetUserPoolMfaConfig(ctx context.Context, in *UserPoolIDInput) (*UserPoolMfaConfigOutput, error) {
	if err := s.validate(ctx, "GetUserPoolMfaConfig", in); err != nil {
		return nil, err
	}
	pool, err := s.getPool(ctx, s.store, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	return mfaConfigOutput(pool), nil
}

func mfaConfigOutput(pool *UserPool) *UserPoolMfaConfigOutput {
	f := poolFactors(pool)
	out := &UserPoolMfaConfigOutput{MfaConfiguration: mfaMode(pool), SoftwareTokenMfaConfiguration: &SoftwareTokenMfaConfig{Enabled: f.SoftwareToken}}
	if f.SMS {
		out.SmsMfaConfiguration = &SmsMfaConfig{SmsAuthenticationMessage: pool.Settings.SmsAuthenticationMessage, SmsConfiguration: pool.Settings.SmsConfiguration}
	}
	if f.Email {
		out.EmailMfaConfiguration = &EmailMfaConfig{Message: f.EmailMessage, Subject: f.EmailSubject}
	}
	return out
}

// checkEmailMfaAllowed applies Cognito's conditions on email MFA: the pool
// sends its own email (EmailSendingAccount DEVELOPER, Amazon SES in
// Cognito; cognitod's SMTP sender or log here) and is not on the Lite
// tier.
func checkEmailMfaAllowed(st *PoolSettings) error {
	var ec struct{ EmailSendingAccount string }
	if len(st.EmailConfiguration) > 0 {
		json.Unmarshal(st.EmailConfiguration, &ec)
	}
	if ec.EmailSendingAccount != "DEVELOPER" {
		return ErrInvalidParameter.WithMessage(msgEmailMfaNeedsDeveloper)
	}
	if st.UserPoolTier == "LITE" {
		return ErrInvalidParameter.WithMessage(msgEmailMfaNeedsTier)
	}
	return nil
}

// applyPoolMFA settles the factors of a pool that CreateUserPool or
// UpdateUserPool writes with st.MfaConfiguration: the factors
// SetUserPoolMfaConfig chose (prev) stay, and, as in Cognito, ON or
// OPTIONAL with an SmsConfiguration turns SMS MFA on. MFA that is ON or
// OPTIONAL with no factor at all is refused as Cognito refuses it.
func applyPoolMFA(st *PoolSettings, prev *PoolMFA) error {
	next := PoolMFA{}
	if prev != nil {
		next = *prev
	}
	hasSMSConfig := len(st.SmsConfiguration) > 0 && string(st.SmsConfiguration) != "null"
	next.SMS = hasSMSConfig && (next.SMS || st.MfaConfiguration != "OFF")
	if next.Email {
		if err := checkEmailMfaAllowed(st); err != nil {
			return err
		}
	}
	if st.MfaConfiguration != "OFF" && !next.any() {
		return ErrInvalidParameter.WithMessage(msgMfaNeedsSMS)
	}
	st.MFA = nil
	if next.any() {
		st.MFA = &next
	}
	return nil
}
