package cognito

import (
	"context"
	"encoding/json"
	"slices"
)

// A user's own MFA: the software token (AssociateSoftwareToken, then
// VerifySoftwareToken), which factors are on and which is preferred
// (SetUserMFAPreference, AdminSetUserMFAPreference), and how GetUser and
// AdminGetUser show them.

// Exceptions of the software token operations.
var (
	ErrSoftwareTokenMFANotFound = &Error{Type: "SoftwareTokenMFANotFoundException"}
	ErrEnableSoftwareTokenMFA   = &Error{Type: "EnableSoftwareTokenMFAException"}
)

// totpPurpose binds a sealed TOTP secret to its user: copied to another
// user's row it does not open.
func totpPurpose(u *User) string { return "totp-secret:" + u.UserPoolID + "/" + u.Sub }

func (s *Service) sealTOTPSecret(u *User, secret []byte) []byte {
	return s.sealer.Seal(totpPurpose(u), secret)
}

func (s *Service) openTOTPSecret(u *User, sealed []byte) ([]byte, error) {
	return s.sealer.Open(totpPurpose(u), sealed)
}

// SoftwareTokenInput is AssociateSoftwareTokenRequest.
type SoftwareTokenInput struct {
	AccessToken string `json:"AccessToken,omitempty"`
	Session     string `json:"Session,omitempty"`
}

// AssociateSoftwareTokenOutput is AssociateSoftwareTokenResponse.
type AssociateSoftwareTokenOutput struct {
	SecretCode string `json:"SecretCode"`
	Session    string `json:"Session,omitempty"`
}

// VerifySoftwareTokenInput is VerifySoftwareTokenRequest.
type VerifySoftwareTokenInput struct {
	AccessToken        string `json:"AccessToken,omitempty"`
	Session            string `json:"Session,omitempty"`
	UserCode           string `json:"UserCode,omitempty"`
	FriendlyDeviceName string `json:"FriendlyDeviceName,omitempty"`
}

// VerifySoftwareTokenOutput is VerifySoftwareTokenResponse.
type VerifySoftwareTokenOutput struct {
	Status  string `json:"Status"`
	Session string `json:"Session,omitempty"`
}

// softwareTokenUser is the user an AssociateSoftwareToken or
// VerifySoftwareToken names, by access token or by an MFA_SETUP session
// (never both), with their pool; sess is nil for the access token form.
func (s *Service) softwareTokenUser(ctx context.Context, token, session string) (*User, *UserPool, *authSession, error) {
	if (token == "") == (session == "") {
		return nil, nil, nil, ErrInvalidParameter.WithMessage(msgTokenOrSession)
	}
	if token != "" {
		_, u, pool, _, err := s.signedInUser(ctx, token)
		return u, pool, nil, err
	}
	sess, err := s.openSession(session)
	if err != nil {
		return nil, nil, nil, err
	}
	if sess.Challenge != challengeMFASetup || sess.Sub == "" {
		return nil, nil, nil, ErrNotAuthorized.WithMessage(msgInvalidSession)
	}
	pool, err := s.LookupPool(ctx, sess.Pool)
	if err != nil {
		return nil, nil, nil, ErrNotAuthorized.WithMessage(msgInvalidSession)
	}
	u, err := s.store.GetUserBySub(ctx, pool.ID, sess.Sub)
	if err != nil {
		return nil, nil, nil, ErrNotAuthorized.WithMessage(msgInvalidSession)
	}
	if err := checkCanSignIn(u, s.now()); err != nil {
		return nil, nil, nil, err
	}
	return u, pool, sess, nil
}

// renewSession is the session an MFA_SETUP step hands back: the same
// sign-in, a new nonce and a fresh expiry.
func (s *Service) renewSession(ctx context.Context, sess *authSession, verified bool) (string, error) {
	client, err := s.LookupClient(ctx, sess.Pool, sess.Client)
	if err != nil {
		return "", ErrNotAuthorized.WithMessage(msgInvalidSession)
	}
	next := *sess
	next.Nonce, next.Verified, next.Expires = newNonce(), verified, s.sessionExpiry(client).Unix()
	return s.sealSession(next), nil
}

// AssociateSoftwareToken gives the user a new TOTP secret, pending until
// VerifySoftwareToken confirms a code from it (the user's current token,
// if any, keeps working until then).
func (s *Service) AssociateSoftwareToken(ctx context.Context, in *SoftwareTokenInput) (*AssociateSoftwareTokenOutput, error) {
	if err := s.validate(ctx, "AssociateSoftwareToken", in); err != nil {
		return nil, err
	}
	u, pool, sess, err := s.softwareTokenUser(ctx, in.AccessToken, in.Session)
	if err != nil {
		return nil, err
	}
	if !poolFactors(pool).SoftwareToken {
		return nil, ErrSoftwareTokenMFANotFound.WithMessage(msgTOTPPoolOff)
	}
	raw, code := newTOTPSecret()
	sealed := s.sealTOTPSecret(u, raw)
	err = s.updateUncached(ctx, func(tx Tx) error {
		m, err := s.userMFA(ctx, tx, u)
		if err != nil {
			return err
		}
		m.TOTPPending = sealed
		return tx.PutUserMFA(ctx, m)
	})
	if err != nil {
		return nil, asError(err)
	}
	out := &AssociateSoftwareTokenOutput{SecretCode: code}
	if sess != nil {
		if out.Session, err = s.renewSession(ctx, sess, false); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// VerifySoftwareToken confirms the pending secret with a code from it: the
// secret becomes the user's software token (replacing any earlier one) and
// the code's step is used. FriendlyDeviceName is accepted and not kept:
// no cognito-idp operation returns it.
func (s *Service) VerifySoftwareToken(ctx context.Context, in *VerifySoftwareTokenInput) (*VerifySoftwareTokenOutput, error) {
	if err := s.validate(ctx, "VerifySoftwareToken", in); err != nil {
		return nil, err
	}
	u, pool, sess, err := s.softwareTokenUser(ctx, in.AccessToken, in.Session)
	if err != nil {
		return nil, err
	}
	if !poolFactors(pool).SoftwareToken {
		return nil, ErrSoftwareTokenMFANotFound.WithMessage(msgTOTPPoolOff)
	}
	now := s.now()
	err = s.updateUncached(ctx, func(tx Tx) error {
		m, err := s.userMFA(ctx, tx, u)
		if err != nil {
			return err
		}
		if len(m.TOTPPending) == 0 {
			return ErrSoftwareTokenMFANotFound.WithMessage(msgTOTPNotForUser)
		}
		secret, err := s.openTOTPSecret(u, m.TOTPPending)
		if err != nil {
			return err
		}
		step, ok := checkTOTP(secret, in.UserCode, now, 0)
		if !ok {
			return ErrEnableSoftwareTokenMFA.WithMessage(msgTOTPVerifyMismatch)
		}
		m.TOTPSecret, m.TOTPPending, m.TOTPLastStep = m.TOTPPending, nil, step
		return tx.PutUserMFA(ctx, m)
	})
	if err != nil {
		return nil, asError(err)
	}
	out := &VerifySoftwareTokenOutput{Status: "SUCCESS"}
	if sess != nil {
		if out.Session, err = s.renewSession(ctx, sess, true); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// MfaSettings is SMSMfaSettingsType, SoftwareTokenMfaSettingsType and
// EmailMfaSettingsType.
type MfaSettings struct {
	Enabled      bool `json:"Enabled,omitempty"`
	PreferredMfa bool `json:"PreferredMfa,omitempty"`
}

// MFAPreferenceSettings are the members SetUserMFAPreference and
// AdminSetUserMFAPreference share.
type MFAPreferenceSettings struct {
	SMSMfaSettings           *MfaSettings    `json:"SMSMfaSettings,omitempty"`
	SoftwareTokenMfaSettings *MfaSettings    `json:"SoftwareTokenMfaSettings,omitempty"`
	EmailMfaSettings         *MfaSettings    `json:"EmailMfaSettings,omitempty"`
	WebAuthnMfaSettings      json.RawMessage `json:"WebAuthnMfaSettings,omitempty"`
}

// SetUserMFAPreferenceInput is SetUserMFAPreferenceRequest.
type SetUserMFAPreferenceInput struct {
	AccessToken string `json:"AccessToken,omitempty"`
	MFAPreferenceSettings
}

// AdminSetUserMFAPreferenceInput is AdminSetUserMFAPreferenceRequest.
type AdminSetUserMFAPreferenceInput struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
	Username   string `json:"Username,omitempty"`
	MFAPreferenceSettings
}

// SetUserMFAPreference sets the signed-in user's MFA factors.
func (s *Service) SetUserMFAPreference(ctx context.Context, in *SetUserMFAPreferenceInput) (*Empty, error) {
	if err := s.validate(ctx, "SetUserMFAPreference", in); err != nil {
		return nil, err
	}
	_, u, pool, _, err := s.signedInUser(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	return empty(s.setMFAPreference(ctx, pool, u, &in.MFAPreferenceSettings))
}

// AdminSetUserMFAPreference sets a user's MFA factors.
func (s *Service) AdminSetUserMFAPreference(ctx context.Context, in *AdminSetUserMFAPreferenceInput) (*Empty, error) {
	if err := s.validate(ctx, "AdminSetUserMFAPreference", in); err != nil {
		return nil, err
	}
	pool, u, err := s.getUser(ctx, s.store, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	return empty(s.setMFAPreference(ctx, pool, u, &in.MFAPreferenceSettings))
}

// setMFAPreference applies settings to u: a block left out leaves its
// factor as it is; PreferredMfa turns the factor on too. Turning a factor
// on needs what it sends to (a verified software token, a phone number,
// an email address) and a pool that offers it; in an ON pool the user
// cannot turn their last factor off.
func (s *Service) setMFAPreference(ctx context.Context, pool *UserPool, u *User, in *MFAPreferenceSettings) error {
	if len(in.WebAuthnMfaSettings) > 0 {
		var w struct{ Enabled bool }
		if json.Unmarshal(in.WebAuthnMfaSettings, &w) == nil && w.Enabled {
			return ErrInvalidParameter.WithMessage(msgWebAuthnRefused)
		}
	}
	type factor struct {
		name    string
		set     *MfaSettings
		enabled *bool
		// canUse: the user has what the factor sends to; offered: the
		// pool offers it (a software token, once verified, needs no
		// offer: it keeps working when the pool stops offering TOTP).
		canUse, offered bool
	}
	preferred := 0
	for _, f := range []*MfaSettings{in.SMSMfaSettings, in.SoftwareTokenMfaSettings, in.EmailMfaSettings} {
		if f != nil && f.PreferredMfa {
			preferred++
		}
	}
	if preferred > 1 {
		return ErrInvalidParameter.WithMessage(msgOnePreferredMfa)
	}
	pf := poolFactors(pool)
	return s.updateUncached(ctx, func(tx Tx) error {
		cur, err := tx.GetUserBySub(ctx, pool.ID, u.Sub)
		if err != nil {
			return err
		}
		m, err := s.userMFA(ctx, tx, cur)
		if err != nil {
			return err
		}
		had := len(userFactors(pool, cur, m)) > 0
		_, hasPhone := attr(cur, "phone_number")
		_, hasEmail := attr(cur, "email")
		for _, f := range []factor{
			{MFASMS, in.SMSMfaSettings, &m.SMSEnabled, hasPhone, pf.SMS},
			{MFASoftwareToken, in.SoftwareTokenMfaSettings, &m.TOTPEnabled, len(m.TOTPSecret) > 0, true},
			{MFAEmail, in.EmailMfaSettings, &m.EmailEnabled, hasEmail, pf.Email},
		} {
			if f.set == nil {
				continue
			}
			on := f.set.Enabled || f.set.PreferredMfa
			if on && !*f.enabled {
				if !f.canUse {
					return ErrInvalidParameter.WithMessagef(msgNoDeliveryConfig, f.name)
				}
				if !f.offered {
					return ErrInvalidParameter.WithMessagef(msgFactorNotOffered, f.name)
				}
			}
			*f.enabled = on
			switch {
			case f.set.PreferredMfa:
				m.Preferred = f.name
			case m.Preferred == f.name && !on:
				m.Preferred = ""
			case m.Preferred == f.name && f.set.Enabled && !f.set.PreferredMfa && preferred == 0:
				// PreferredMfa false unsets the preference (Cognito's
				// settings say whether the factor "is the preferred" one).
				m.Preferred = ""
			}
		}
		if mfaMode(pool) == "ON" && had && len(userFactors(pool, cur, m)) == 0 {
			return ErrInvalidParameter.WithMessage(msgCannotDisableRequired)
		}
		return tx.PutUserMFA(ctx, m)
	})
}

// userMFASettings are the MFA members of GetUser and AdminGetUser.
type userMFASettings struct {
	MFAOptions          []MFAOption `json:"MFAOptions,omitempty"`
	PreferredMfaSetting string      `json:"PreferredMfaSetting,omitempty"`
	UserMFASettingList  []string    `json:"UserMFASettingList,omitempty"`
}

// MFAOption is MFAOptionType: the legacy view of SMS MFA.
type MFAOption struct {
	DeliveryMedium string `json:"DeliveryMedium"`
	AttributeName  string `json:"AttributeName"`
}

// mfaSettingsOf is what GetUser and AdminGetUser show of u's MFA: the
// factors u turned on, the preferred one, and, for SMS, the legacy
// MFAOptions entry Cognito still shows.
func (s *Service) mfaSettingsOf(ctx context.Context, u *User) (userMFASettings, error) {
	m, err := s.userMFA(ctx, s.store, u)
	if err != nil {
		return userMFASettings{}, err
	}
	var out userMFASettings
	if m.SMSEnabled {
		out.UserMFASettingList = append(out.UserMFASettingList, MFASMS)
		out.MFAOptions = []MFAOption{{DeliveryMedium: "SMS", AttributeName: "phone_number"}}
	}
	if m.TOTPEnabled && len(m.TOTPSecret) > 0 {
		out.UserMFASettingList = append(out.UserMFASettingList, MFASoftwareToken)
	}
	if m.EmailEnabled {
		out.UserMFASettingList = append(out.UserMFASettingList, MFAEmail)
	}
	if slices.Contains(out.UserMFASettingList, m.Preferred) {
		out.PreferredMfaSetting = m.Preferred
	}
	return out, nil
}
