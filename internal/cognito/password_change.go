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

// ChangePassword changes the signed-in user's password, given the current
// one. Wrong current passwords count towards the user's lockout, as
// failed sign-ins do. Tokens already issued stay valid, as in Cognito.
func (s *Service) ChangePassword(ctx context.Context, in *ChangePasswordInput) (*Empty, error) {
	if err := s.validate(ctx, "ChangePassword", in); err != nil {
		return nil, err
	}
	_, u, pool, _, err := s.signedInUser(ctx, in.AccessToken)
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
	var pw UserPassword
	if ok {
		if pw, err = s.DerivePassword(ctx, pool.ID, u.Username, u.Sub, in.ProposedPassword); err != nil {
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
		if err := pw.Set(cur); err != nil {
			return err
		}
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
