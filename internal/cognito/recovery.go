package cognito

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"sort"
	"time"
)

// ErrPasswordResetRequired answers a sign-in of a user whose password an
// administrator reset (AdminResetUserPassword): they must go through
// ForgotPassword / ConfirmForgotPassword first.
var ErrPasswordResetRequired = &Error{Type: "PasswordResetRequiredException", Message: msgPasswordResetRequired}

// Code lifetimes and bounds.
const (
	// forgotPasswordCodeLifetime: a password reset code is good for one
	// hour (developer guide, "Recovering user accounts").
	forgotPasswordCodeLifetime = time.Hour
	signUpCodeLifetime         = 24 * time.Hour
	// maxCodeAttempts wrong guesses spend a code: with at most
	// maxCodeSends codes an hour, a six-digit code cannot be guessed.
	maxCodeAttempts = lockoutFreeAttempts
	// maxCodeSends bounds the codes an anonymous caller can have sent to
	// one user (ForgotPassword, ResendConfirmationCode) per sendWindow:
	// cognitod must not become a way to flood someone's mailbox.
	maxCodeSends = 5
	sendWindow   = time.Hour
)

// ForgotPasswordInput is ForgotPasswordRequest.
type ForgotPasswordInput struct {
	ClientId       string            `json:"ClientId,omitempty"`
	SecretHash     string            `json:"SecretHash,omitempty"`
	Username       string            `json:"Username,omitempty"`
	ClientMetadata map[string]string `json:"ClientMetadata,omitempty"`
}

// CodeDeliveryOutput is ForgotPasswordResponse,
// ResendConfirmationCodeResponse, GetUserAttributeVerificationCodeResponse
// and the like.
type CodeDeliveryOutput struct {
	CodeDeliveryDetails *CodeDeliveryDetails `json:"CodeDeliveryDetails,omitempty"`
}

// ConfirmForgotPasswordInput is ConfirmForgotPasswordRequest.
type ConfirmForgotPasswordInput struct {
	ClientId         string            `json:"ClientId,omitempty"`
	SecretHash       string            `json:"SecretHash,omitempty"`
	Username         string            `json:"Username,omitempty"`
	ConfirmationCode string            `json:"ConfirmationCode,omitempty"`
	Password         string            `json:"Password,omitempty"`
	ClientMetadata   map[string]string `json:"ClientMetadata,omitempty"`
}

// AdminResetUserPasswordInput is AdminResetUserPasswordRequest.
type AdminResetUserPasswordInput struct {
	UserPoolId     string            `json:"UserPoolId,omitempty"`
	Username       string            `json:"Username,omitempty"`
	ClientMetadata map[string]string `json:"ClientMetadata,omitempty"`
}

// recoveryOption is RecoveryOptionType.
type recoveryOption struct {
	Name     string `json:"Name"`
	Priority int    `json:"Priority"`
}

// recoveryMechanisms are the pool's AccountRecoverySetting by priority.
// Without one, Cognito's legacy order applies: a verified phone number,
// else a verified email address (API reference, ForgotPassword).
func recoveryMechanisms(pool *UserPool) []recoveryOption {
	var st struct {
		RecoveryMechanisms []recoveryOption `json:"RecoveryMechanisms"`
	}
	if len(pool.Settings.AccountRecoverySetting) > 0 {
		json.Unmarshal(pool.Settings.AccountRecoverySetting, &st)
	}
	if len(st.RecoveryMechanisms) == 0 {
		return []recoveryOption{{"verified_phone_number", 1}, {"verified_email", 2}}
	}
	sort.SliceStable(st.RecoveryMechanisms, func(i, j int) bool { return st.RecoveryMechanisms[i].Priority < st.RecoveryMechanisms[j].Priority })
	return st.RecoveryMechanisms
}

func adminOnlyRecovery(pool *UserPool) bool {
	m := recoveryMechanisms(pool)
	return len(m) > 0 && m[0].Name == "admin_only"
}

// recoveryAttribute is where u's reset code goes: the first recovery
// mechanism, by priority, for which u has a verified attribute; "" when
// none.
func recoveryAttribute(pool *UserPool, u *User) string {
	for _, m := range recoveryMechanisms(pool) {
		name := map[string]string{"verified_email": "email", "verified_phone_number": "phone_number"}[m.Name]
		if name == "" {
			continue
		}
		if v, ok := attr(u, name); ok && v != "" {
			if verified, _ := attr(u, name+"_verified"); verified == "true" {
				return name
			}
		}
	}
	return ""
}

// firstRecoveryAttribute is the attribute a phantom answer names: the
// pool's first self-service recovery mechanism whose attribute the pool
// verifies (AutoVerifiedAttributes), where its users' codes most likely
// go, else its first self-service mechanism. (Without the first rule, a
// pool that verifies only email, under the legacy order, would answer
// real users "EMAIL" and unknown names "SMS".)
func firstRecoveryAttribute(pool *UserPool) string {
	for _, m := range recoveryMechanisms(pool) {
		name := map[string]string{"verified_email": "email", "verified_phone_number": "phone_number"}[m.Name]
		if name != "" && slices.Contains(pool.Settings.AutoVerifiedAttributes, name) {
			return name
		}
	}
	for _, m := range recoveryMechanisms(pool) {
		switch m.Name {
		case "verified_phone_number":
			return "phone_number"
		case "verified_email":
			return "email"
		}
	}
	return "email"
}

// countSend records one more code sent to the user for purpose in tx,
// refusing past maxCodeSends in the window; it returns the row, with the
// new code's hash set when codeHash is not "".
func (s *Service) countSend(ctx context.Context, tx Tx, u *User, purpose, codeHash string, lifetime time.Duration, limited bool) error {
	now := s.now().UTC()
	c, err := tx.GetUserCode(ctx, u.UserPoolID, u.Sub, purpose)
	if errors.Is(err, ErrNotFound) {
		c, err = &UserCode{UserPoolID: u.UserPoolID, Sub: u.Sub, Purpose: purpose}, nil
	}
	if err != nil {
		return err
	}
	limit := maxCodeSends
	if !limited {
		limit = math.MaxInt
	}
	if countInWindow(&c.Sends, &c.WindowStart, now, sendWindow, limit) {
		return ErrLimitExceeded.WithMessage(msgConfirmAttempts)
	}
	if codeHash != "" {
		c.CodeHash, c.Expires, c.Attempts = codeHash, now.Add(lifetime), 0
	}
	return tx.PutUserCode(ctx, c)
}

// phantomResetKey names the pretended reset codes of a name that does not
// exist (phantomCodes).
func phantomResetKey(pool *UserPool, name string) string {
	return pool.ID + "/" + CodeForgotPassword + "/" + signInKey(pool, name)
}

// userCodeHash binds a code to its user, so that equal codes of two users
// hash differently at rest.
func userCodeHash(sub, code string) string { return hashCode(sub + ":" + code) }

// ForgotPassword sends a user a code to reset their password with, to the
// verified attribute the pool's AccountRecoverySetting chooses.
func (s *Service) ForgotPassword(ctx context.Context, in *ForgotPasswordInput) (*CodeDeliveryOutput, error) {
	if err := s.validate(ctx, "ForgotPassword", in); err != nil {
		return nil, err
	}
	client, pool, err := s.clientWithSecretHash(ctx, in.ClientId, in.SecretHash, in.Username)
	if err != nil {
		return nil, err
	}
	return s.forgotPassword(ctx, pool, client, in, client.Settings.PreventUserExistenceErrors == "ENABLED")
}

// forgotPassword is ForgotPassword once the client is known; prevent
// answers an unknown name (or one with nowhere to send a code) as a known
// one, with a pretended delivery.
func (s *Service) forgotPassword(ctx context.Context, pool *UserPool, client *AppClient, in *ForgotPasswordInput, prevent bool) (*CodeDeliveryOutput, error) {
	if adminOnlyRecovery(pool) {
		return nil, ErrNotAuthorized.WithMessage(msgAdminOnlyRecovery)
	}
	phantom := func() (*CodeDeliveryOutput, error) {
		return s.phantomDelivery(ctx, pool, phantomResetKey(pool, in.Username), in.Username, firstRecoveryAttribute(pool))
	}
	code := newConfirmationCode()
	var u *User
	var to string
	send := func(tx Tx) error {
		var err error
		if u, err = s.findUser(ctx, tx, pool, in.Username); err != nil {
			return err
		}
		if !u.Enabled {
			return ErrNotAuthorized.WithMessage(msgUserDisabled)
		}
		if u.Status == StatusForceChangePassword {
			return ErrNotAuthorized.WithMessage(msgCannotResetState)
		}
		if to = recoveryAttribute(pool, u); to == "" {
			return ErrInvalidParameter.WithMessage(msgNoRecoveryDestination)
		}
		return s.countSend(ctx, tx, u, CodeForgotPassword, userCodeHash(u.Sub, code), forgotPasswordCodeLifetime, true)
	}
	err := s.updateUncached(ctx, send)
	if errors.Is(err, ErrUserNotFound) {
		if _, err = s.migrateUser(ctx, pool, client, in.Username, "", in.ClientMetadata); err == nil { // triggers_migration.go
			err = s.updateUncached(ctx, send)
		}
	}
	switch {
	case errors.Is(err, ErrUserNotFound) && prevent:
		return phantom()
	case errors.Is(err, ErrInvalidParameter) && prevent:
		// Telling "no verified address" from "sent" would tell which
		// names exist.
		return phantom()
	case err != nil:
		return nil, err
	}
	return &CodeDeliveryOutput{CodeDeliveryDetails: s.deliver(ctx, pool, u, Delivery{Kind: DeliverForgotPasswordCode, Attribute: to, Code: code})}, nil
}

// ConfirmForgotPassword sets a new password with the code ForgotPassword
// or AdminResetUserPassword sent. Refresh tokens already issued stay
// valid, as in Cognito (GlobalSignOut ends them).
func (s *Service) ConfirmForgotPassword(ctx context.Context, in *ConfirmForgotPasswordInput) (*Empty, error) {
	if err := s.validate(ctx, "ConfirmForgotPassword", in); err != nil {
		return nil, err
	}
	client, pool, err := s.clientWithSecretHash(ctx, in.ClientId, in.SecretHash, in.Username)
	if err != nil {
		return nil, err
	}
	return s.confirmForgotPassword(ctx, pool, in, client.Settings.PreventUserExistenceErrors == "ENABLED")
}

// confirmForgotPassword is ConfirmForgotPassword once the client is
// known; prevent answers an unknown name as a wrong code would be.
func (s *Service) confirmForgotPassword(ctx context.Context, pool *UserPool, in *ConfirmForgotPasswordInput, prevent bool) (*Empty, error) {
	if err := checkPasswordPolicy(passwordPolicy(pool), in.Password, msgPasswordPolicyChange); err != nil {
		return nil, err
	}
	// The code is checked (and a wrong one counted) before the slow,
	// memory-hard hash of the new password, so that guessing codes costs
	// the server nothing; the transaction that sets the password checks
	// the code again and spends it, so it is good once.
	sub, err := s.checkResetCode(ctx, pool, in.Username, in.ConfirmationCode)
	if errors.Is(err, ErrUserNotFound) && prevent {
		// Answered as a real user's code would be (none asked for, wrong,
		// spent), or the answer would tell which names exist.
		return nil, s.phantomCodes.confirm(ctx, phantomResetKey(pool, in.Username), s.now().UTC())
	}
	if err != nil {
		return nil, err
	}
	target, err := s.store.GetUserBySub(ctx, pool.ID, sub)
	if errors.Is(err, ErrNotFound) {
		return nil, ErrUserNotFound
	}
	if err != nil {
		return nil, asError(err)
	}
	pw, err := s.DerivePassword(ctx, pool.ID, target.Username, sub, in.Password)
	if err != nil {
		return nil, err
	}
	err = s.updateUncached(ctx, func(tx Tx) error {
		u, err := tx.GetUserBySub(ctx, pool.ID, sub)
		if errors.Is(err, ErrNotFound) {
			return ErrUserNotFound
		}
		if err != nil {
			return err
		}
		c, err := tx.GetUserCode(ctx, pool.ID, sub, CodeForgotPassword)
		if errors.Is(err, ErrNotFound) || (err == nil && c.CodeHash == "") {
			return ErrExpiredCode // spent by a concurrent request
		}
		if err != nil {
			return err
		}
		if subtle.ConstantTimeCompare([]byte(c.CodeHash), []byte(userCodeHash(sub, in.ConfirmationCode))) != 1 {
			return ErrExpiredCode // replaced by a newer code meanwhile
		}
		c.CodeHash, c.Expires, c.Attempts = "", time.Time{}, 0
		if err := tx.PutUserCode(ctx, c); err != nil {
			return err
		}
		if err := pw.Set(u); err != nil {
			return err
		}
		// The code proves the user holds the recovery address: an
		// unconfirmed or reset user is confirmed, and the lockout ends.
		u.Status, u.PasswordExpires = StatusConfirmed, time.Time{}
		u.FailedSignIns, u.LockedUntil = 0, time.Time{}
		u.LastModifiedDate = s.now().UTC()
		target = u
		return tx.UpdateUser(ctx, u)
	})
	if err == nil {
		err = s.postConfirmation(ctx, pool, in.ClientId, sourcePostConfirmForgot, target, in.ClientMetadata) // triggers_signup.go
	}
	return empty(err)
}

// checkResetCode checks a password reset code of the named user, counting
// a wrong one, and returns the user's sub. It does not spend the code.
func (s *Service) checkResetCode(ctx context.Context, pool *UserPool, username, code string) (string, error) {
	var sub string
	var refused error
	err := s.updateUncached(ctx, func(tx Tx) error {
		refused = nil
		u, err := s.findUser(ctx, tx, pool, username)
		if err != nil {
			return err
		}
		if !u.Enabled {
			return ErrNotAuthorized.WithMessage(msgUserDisabled)
		}
		c, err := tx.GetUserCode(ctx, pool.ID, u.Sub, CodeForgotPassword)
		if errors.Is(err, ErrNotFound) || (err == nil && c.CodeHash == "" && c.Attempts == 0) {
			return ErrExpiredCode // no code was sent, or it was used
		}
		if err != nil {
			return err
		}
		if c.Attempts >= maxCodeAttempts {
			return ErrLimitExceeded.WithMessage(msgConfirmAttempts)
		}
		if subtle.ConstantTimeCompare([]byte(c.CodeHash), []byte(userCodeHash(u.Sub, code))) != 1 {
			c.Attempts++
			if c.Attempts >= maxCodeAttempts {
				c.CodeHash = "" // spent: the user must ask for a new one
			}
			refused = ErrCodeMismatch
			return tx.PutUserCode(ctx, c) // commit the count, then refuse
		}
		if !s.now().Before(c.Expires) {
			return ErrExpiredCode
		}
		sub = u.Sub
		return nil
	})
	if err == nil {
		err = refused
	}
	return sub, err
}

// AdminResetUserPassword makes a user reset their password: their status
// becomes RESET_REQUIRED, sign-in answers PasswordResetRequiredException,
// and a reset code is sent as ForgotPassword sends it.
func (s *Service) AdminResetUserPassword(ctx context.Context, in *AdminResetUserPasswordInput) (*Empty, error) {
	if err := s.validate(ctx, "AdminResetUserPassword", in); err != nil {
		return nil, err
	}
	code := newConfirmationCode()
	var pool *UserPool
	var u *User
	var to string
	err := s.withUser(ctx, in.UserPoolId, in.Username, func(tx Tx, p *UserPool, usr *User) error {
		pool, u = p, usr
		if u.Status == StatusForceChangePassword || u.Status == StatusUnconfirmed {
			return ErrNotAuthorized.WithMessage(msgCannotResetState)
		}
		// admin_only pools reset through the administrator too; the code
		// then goes to a verified address in the legacy order.
		to = recoveryAttribute(pool, u)
		if to == "" && adminOnlyRecovery(pool) {
			to = recoveryAttribute(&UserPool{ID: pool.ID}, u)
		}
		if to == "" {
			return ErrInvalidParameter.WithMessage(msgNoRecoveryDestination)
		}
		u.Status, u.LastModifiedDate = StatusResetRequired, s.now().UTC()
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		// An administrator is not the anonymous caller the send bound is
		// for.
		return s.countSend(ctx, tx, u, CodeForgotPassword, userCodeHash(u.Sub, code), forgotPasswordCodeLifetime, false)
	})
	if err != nil {
		return nil, err
	}
	s.deliver(ctx, pool, u, Delivery{Kind: DeliverForgotPasswordCode, Attribute: to, Code: code})
	return &Empty{}, nil
}
