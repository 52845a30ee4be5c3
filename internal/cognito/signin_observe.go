package cognito

import "errors"

// The flows and reasons Config.OnSignInFailure reports. They are the only
// values it is called with, so a metric may use them as labels.
const (
	// SignInPassword is a password checked by the server: the
	// USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH flows, USER_AUTH's
	// PASSWORD challenge and the hosted sign-in page.
	SignInPassword = "password"
	// SignInSRP is a PASSWORD_VERIFIER answer (USER_SRP_AUTH, and
	// USER_AUTH's PASSWORD_SRP).
	SignInSRP = "srp"
	// SignInMFA is a second factor: a TOTP, SMS or email code.
	SignInMFA = "mfa"

	FailWrongPassword  = "wrong_password"   // or a wrong SRP proof
	FailUnknownUser    = "unknown_user"     // no such user (hidden from the caller or not)
	FailLockedOut      = "locked_out"       // too many failures: the attempt was not checked
	FailDisabled       = "disabled"         // the user is disabled
	FailUnconfirmed    = "unconfirmed"      // the user has not confirmed their sign-up
	FailPasswordExpire = "password_expired" // a temporary password past its validity
	FailResetRequired  = "reset_required"   // an administrator asked for a password reset
	FailReplay         = "replay"           // an SRP proof or MFA session seen before
	FailWrongCode      = "wrong_code"       // a wrong MFA code
)

// SignInFlows and SignInFailureReasons list the values above.
var (
	SignInFlows          = []string{SignInPassword, SignInSRP, SignInMFA}
	SignInFailureReasons = []string{FailWrongPassword, FailUnknownUser, FailLockedOut, FailDisabled,
		FailUnconfirmed, FailPasswordExpire, FailResetRequired, FailReplay, FailWrongCode}
)

// signInFailed reports a failed sign-in to the Config.OnSignInFailure
// hook.
func (s *Service) signInFailed(flow, reason string) {
	if s.onSignInFailure != nil {
		s.onSignInFailure(flow, reason)
	}
}

// gateReason names the refusal of checkCanSignIn or afterProof.
func gateReason(err error) string {
	var e *Error
	switch {
	case errors.Is(err, ErrUserNotConfirmed):
		return FailUnconfirmed
	case errors.Is(err, ErrPasswordResetRequired):
		return FailResetRequired
	case errors.As(err, &e) && e.Message == msgPasswordAttempts:
		return FailLockedOut
	case errors.As(err, &e) && e.Message == msgUserDisabled:
		return FailDisabled
	case errors.As(err, &e) && e.Message == msgTemporaryPasswordExpired:
		return FailPasswordExpire
	}
	return FailWrongPassword
}
