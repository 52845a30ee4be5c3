package cognito

import "context"

// UserMFA is a user's multi-factor state, kept beside the user (one row
// per user; deleting the user or the pool deletes it). The TOTP secrets
// are sealed, bound to the user (see totpPurpose): the store never sees
// them in the clear.
type UserMFA struct {
	UserPoolID string
	Sub        string
	// TOTPSecret is the verified authenticator secret (empty: none);
	// TOTPPending the one AssociateSoftwareToken issued last, until
	// VerifySoftwareToken confirms it and it replaces TOTPSecret.
	TOTPSecret  []byte
	TOTPPending []byte
	// TOTPLastStep is the 30-second step of the last code accepted for
	// the verified secret: a code of that step or an earlier one is
	// refused, so a code works at most once.
	TOTPLastStep int64
	// The factors the user turned on (SetUserMFAPreference), and the one
	// they prefer: "", MFASoftwareToken, MFASMS or MFAEmail.
	TOTPEnabled  bool
	SMSEnabled   bool
	EmailEnabled bool
	Preferred    string
}

// UserMFAReader is the read side of users' MFA state (part of Reader).
type UserMFAReader interface {
	// GetUserMFA returns the user's MFA state, or ErrNotFound when the
	// user has none.
	GetUserMFA(ctx context.Context, poolID, sub string) (*UserMFA, error)
}

// UserMFAWriter is the write side of users' MFA state (part of Tx).
type UserMFAWriter interface {
	// PutUserMFA inserts or replaces the MFA state of (pool, sub); the
	// user must exist (ErrNotFound otherwise).
	PutUserMFA(ctx context.Context, m *UserMFA) error
}
