package cognito

import (
	"context"
	"crypto/subtle"
	"time"
)

// Purposes of a UserCode.
const (
	// CodeForgotPassword is a password reset code (ForgotPassword,
	// AdminResetUserPassword), redeemed by ConfirmForgotPassword.
	CodeForgotPassword = "forgot-password"
	// CodeSignUpResend counts ResendConfirmationCode sends; the sign-up
	// code itself stays on the user (User.CodeHash).
	CodeSignUpResend = "sign-up-resend"
)

// UserCode is a one-time code sent to a user for one purpose, kept as a
// SHA-256 hash, with the count of wrong guesses against it and of the
// messages sent in the current window (to bound mail an anonymous caller
// can make cognitod send).
type UserCode struct {
	UserPoolID string
	Sub        string
	Purpose    string
	// CodeHash is "" when no code is pending (only the send count is).
	CodeHash string
	Expires  time.Time
	// Attempts counts wrong guesses against the pending code.
	Attempts int
	// Sends counts the codes sent since WindowStart.
	Sends       int
	WindowStart time.Time
}

// UserCodeReader is the read side of one-time codes (part of Reader).
type UserCodeReader interface {
	// GetUserCode returns the user's code for purpose, or ErrNotFound.
	GetUserCode(ctx context.Context, poolID, sub, purpose string) (*UserCode, error)
}

// UserCodeWriter is the write side of one-time codes (part of Tx).
// Deleting a user deletes their codes.
type UserCodeWriter interface {
	// PutUserCode inserts or replaces the code of (pool, sub, purpose); the
	// user must exist.
	PutUserCode(ctx context.Context, c *UserCode) error
	// DeleteUserCode deletes it; ErrNotFound when there is none.
	DeleteUserCode(ctx context.Context, poolID, sub, purpose string) error
}

// countInWindow counts one message at now against a bound of limit per
// window, in the count *n of the window that began at *start (an ended
// window starts afresh at now). It reports whether the bound refuses the
// message, which is then not counted. Every bound on the codes cognitod
// sends (password reset, sign-up resend, attribute codes, and the
// pretended sends to unknown names) counts with it.
func countInWindow(n *int, start *time.Time, now time.Time, window time.Duration, limit int) (refused bool) {
	if now.Sub(*start) >= window {
		*n, *start = 0, now
	}
	if *n >= limit {
		return true
	}
	*n++
	return false
}

// checkLockedCode checks code against hash, a code stored on the user
// that wrong guesses lock (ConfirmSignUp, VerifyUserAttribute): during a
// lockout it is LimitExceededException; a wrong code counts in *failed,
// and the lockoutFreeAttempts-th locks guessing for lockoutMax (the count
// outlives new codes, so that asking for one buys no guesses); a right
// but expired code is ExpiredCodeException; a right one clears the
// count. A wrong code returns mismatch with err nil: the caller commits
// the count, then refuses with it.
func checkLockedCode(hash, code string, expires time.Time, failed *int, lockedUntil *time.Time, now time.Time) (mismatch, err error) {
	if now.Before(*lockedUntil) {
		return nil, ErrLimitExceeded.WithMessage(msgConfirmAttempts)
	}
	if subtle.ConstantTimeCompare([]byte(hashCode(code)), []byte(hash)) != 1 {
		*failed++
		if *failed >= lockoutFreeAttempts {
			*lockedUntil, *failed = now.Add(lockoutMax), 0
		}
		return ErrCodeMismatch, nil
	}
	if now.After(expires) {
		return nil, ErrExpiredCode
	}
	*failed, *lockedUntil = 0, time.Time{}
	return nil, nil
}
