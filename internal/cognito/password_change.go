package cognito

import (
	"context"
	"errors"
	"time"
)

// ChangePasswordInput is ChangePasswordRequest.
type ChangePasswordInput struct {
	PreviousPassword string `json:"PreviousPassword,omitempty"`
	ProposedPassword string `json:"ProposedPassword,omitempty"`
	AccessToken      string `json:"AccessToken,omitempty"`
}

// newPassword is a password ready to be stored: everything derived from
// the plaintext (the argon2id hash) is computed once, outside any
// transaction (it is slow and memory-hard, and the store has one writer).
// Every password the recovery and self-service operations set goes
// through preparePassword and setOn, so that whatever else must be
// derived from a new password (an SRP verifier) is derived in one place.
type newPassword struct {
	hash string
}

// preparePassword derives what a user's record keeps of password.
func (s *Service) preparePassword(ctx context.Context, pool *UserPool, password string) (*newPassword, error) {
	hash, err := hashPassword(ctx, password)
	if err != nil {
		return nil, err
	}
	return &newPassword{hash: hash}, nil
}

// setOn makes p the user's password.
func (p *newPassword) setOn(u *User) {
	u.PasswordHash = p.hash
}

// ChangePassword changes the signed-in user's password, given the current
// one. Wrong current passwords count towards the user's lockout, as
// failed sign-ins do. Tokens already issued stay valid, as in Cognito.
func (s *Service) ChangePassword(ctx context.Context, in *ChangePasswordInput) (*Empty, error) {
	if err := Validate("ChangePassword", in); err != nil {
		return nil, err
	}
	c, u, err := s.CheckAccessToken(ctx, in.AccessToken, ScopeAdmin)
	if err != nil {
		return nil, err
	}
	pool, err := s.LookupPool(ctx, c.PoolID)
	if err != nil {
		return nil, err
	}
	if err := checkPasswordPolicy(passwordPolicy(pool), in.ProposedPassword, msgPasswordPolicyChange); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	if now.Before(u.LockedUntil) {
		return nil, ErrLimitExceeded.WithMessage(msgChangePasswordLocked)
	}
	ok, err := checkPassword(ctx, u.PasswordHash, in.PreviousPassword)
	if err != nil {
		return nil, err
	}
	var pw *newPassword
	if ok {
		if pw, err = s.preparePassword(ctx, pool, in.ProposedPassword); err != nil {
			return nil, err
		}
	}
	var refused error
	err = s.updateUncached(ctx, func(tx Tx) error {
		refused = nil
		cur, err := tx.GetUserBySub(ctx, pool.ID, u.Sub)
		if errors.Is(err, ErrNotFound) {
			return ErrUserNotFound
		}
		if err != nil {
			return err
		}
		switch {
		case !ok && now.Before(cur.LockedUntil):
			return ErrLimitExceeded.WithMessage(msgChangePasswordLocked) // no extension during a lockout
		case !ok:
			failSignIn(&cur.FailedSignIns, &cur.LockedUntil, now)
			refused = ErrNotAuthorized.WithMessage(msgIncorrectPassword)
			return tx.UpdateUser(ctx, cur) // commit the count, then refuse
		case cur.PasswordHash != u.PasswordHash:
			// Changed since it was checked: the previous password
			// proved was not the current one.
			return ErrNotAuthorized.WithMessage(msgIncorrectPassword)
		}
		pw.setOn(cur)
		cur.FailedSignIns, cur.LockedUntil = 0, time.Time{}
		if cur.Status == StatusForceChangePassword || cur.Status == StatusResetRequired {
			cur.Status, cur.PasswordExpires = StatusConfirmed, time.Time{}
		}
		cur.LastModifiedDate = now
		return tx.UpdateUser(ctx, cur)
	})
	if err == nil {
		err = refused
	}
	return empty(err)
}
