package cognito

import (
	"context"
	"errors"
	"slices"
)

// ResendConfirmationCodeInput is ResendConfirmationCodeRequest.
type ResendConfirmationCodeInput struct {
	ClientId       string            `json:"ClientId,omitempty"`
	SecretHash     string            `json:"SecretHash,omitempty"`
	Username       string            `json:"Username,omitempty"`
	ClientMetadata map[string]string `json:"ClientMetadata,omitempty"`
}

// AdminUserGlobalSignOutInput is AdminUserGlobalSignOutRequest.
type AdminUserGlobalSignOutInput = AdminUserInput

// signUpVerifiedAttribute is the attribute a sign-up code goes to: one the
// pool verifies (AutoVerifiedAttributes) and the user has, the phone
// number first when the pool verifies both, as Cognito does; "" when the
// pool verifies none of the user's.
func signUpVerifiedAttribute(pool *UserPool, u *User) string {
	for _, name := range []string{"phone_number", "email"} {
		if !slices.Contains(pool.Settings.AutoVerifiedAttributes, name) {
			continue
		}
		if v, ok := attr(u, name); ok && v != "" {
			return name
		}
	}
	return ""
}

// ResendConfirmationCode sends an unconfirmed user a new sign-up code,
// replacing the old one.
func (s *Service) ResendConfirmationCode(ctx context.Context, in *ResendConfirmationCodeInput) (*CodeDeliveryOutput, error) {
	if err := s.validate(ctx, "ResendConfirmationCode", in); err != nil {
		return nil, err
	}
	client, pool, err := s.clientWithSecretHash(ctx, in.ClientId, in.SecretHash, in.Username)
	if err != nil {
		return nil, err
	}
	code := newConfirmationCode()
	var u *User
	var to string
	err = s.updateUncached(ctx, func(tx Tx) error {
		var err error
		if u, err = s.findUser(ctx, tx, pool, in.Username); err != nil {
			return err
		}
		if u.Status != StatusUnconfirmed {
			return ErrInvalidParameter.WithMessage(msgAlreadyConfirmed)
		}
		if to = signUpVerifiedAttribute(pool, u); to == "" {
			return ErrInvalidParameter.WithMessage(msgAutoVerifyOff)
		}
		if err := s.countSend(ctx, tx, u, CodeSignUpResend, "", 0, true); err != nil {
			return err
		}
		// The count of wrong codes (and a lockout) carries over: a new
		// code must not buy a guesser five more tries at once.
		now := s.now().UTC()
		u.CodeHash, u.CodeExpires, u.LastModifiedDate = hashCode(code), now.Add(signUpCodeLifetime), now
		return tx.UpdateUser(ctx, u)
	})
	if errors.Is(err, ErrUserNotFound) && client.Settings.PreventUserExistenceErrors == "ENABLED" {
		attrName := "email"
		if slices.Contains(pool.Settings.AutoVerifiedAttributes, "phone_number") && !slices.Contains(pool.Settings.AutoVerifiedAttributes, "email") {
			attrName = "phone_number"
		}
		return s.phantomDelivery(ctx, pool, pool.ID+"/"+CodeSignUpResend+"/"+signInKey(pool, in.Username), in.Username, attrName)
	}
	if err != nil {
		return nil, err
	}
	return &CodeDeliveryOutput{CodeDeliveryDetails: s.deliver(ctx, pool, u, Delivery{Kind: DeliverSignUpCode, Attribute: to, Code: code, Trigger: SourceMessageResendCode})}, nil
}

// DeleteUser deletes the signed-in user, with their tokens and codes.
func (s *Service) DeleteUser(ctx context.Context, in *AccessTokenInput) (*Empty, error) {
	if err := s.validate(ctx, "DeleteUser", in); err != nil {
		return nil, err
	}
	c, u, err := s.CheckAccessToken(ctx, in.AccessToken, ScopeAdmin)
	if err != nil {
		return nil, err
	}
	err = s.updateUncached(ctx, func(tx Tx) error {
		err := tx.DeleteUser(ctx, c.PoolID, u.Sub)
		if errors.Is(err, ErrNotFound) {
			return ErrUserNotFound
		}
		return err
	})
	return empty(err)
}

// AdminUserGlobalSignOut revokes every token of a user, as GlobalSignOut
// does for the signed-in user.
func (s *Service) AdminUserGlobalSignOut(ctx context.Context, in *AdminUserGlobalSignOutInput) (*Empty, error) {
	if err := s.validate(ctx, "AdminUserGlobalSignOut", in); err != nil {
		return nil, err
	}
	err := s.withUser(ctx, in.UserPoolId, in.Username, func(tx Tx, _ *UserPool, u *User) error {
		return s.signOut(ctx, tx, u)
	})
	return empty(err)
}
