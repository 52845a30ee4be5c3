package cognito

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"time"
)

// SignUpInput is SignUpRequest.
type SignUpInput struct {
	ClientId       string      `json:"ClientId,omitempty"`
	SecretHash     string      `json:"SecretHash,omitempty"`
	Username       string      `json:"Username,omitempty"`
	Password       string      `json:"Password,omitempty"`
	UserAttributes []Attribute `json:"UserAttributes,omitempty"`
	// ValidationData and ClientMetadata go to the pre sign-up trigger.
	ValidationData []Attribute       `json:"ValidationData,omitempty"`
	ClientMetadata map[string]string `json:"ClientMetadata,omitempty"`
}

// CodeDeliveryDetails is CodeDeliveryDetailsType.
type CodeDeliveryDetails struct {
	Destination    string `json:"Destination,omitempty"`
	DeliveryMedium string `json:"DeliveryMedium,omitempty"`
	AttributeName  string `json:"AttributeName,omitempty"`
}

// SignUpOutput is SignUpResponse.
type SignUpOutput struct {
	UserConfirmed       bool                 `json:"UserConfirmed"`
	UserSub             string               `json:"UserSub"`
	CodeDeliveryDetails *CodeDeliveryDetails `json:"CodeDeliveryDetails,omitempty"`
}

// ConfirmSignUpInput is ConfirmSignUpRequest.
type ConfirmSignUpInput struct {
	ClientId         string            `json:"ClientId,omitempty"`
	SecretHash       string            `json:"SecretHash,omitempty"`
	Username         string            `json:"Username,omitempty"`
	ConfirmationCode string            `json:"ConfirmationCode,omitempty"`
	ClientMetadata   map[string]string `json:"ClientMetadata,omitempty"`
}

func hashCode(code string) string {
	sum := sha256.Sum256([]byte(code))
	return hex.EncodeToString(sum[:])
}

func newConfirmationCode() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(1_000_000))
	return fmt.Sprintf("%06d", n.Int64())
}

// SignUp registers an unconfirmed user and sends the confirmation code to
// the attribute the pool verifies.
func (s *Service) SignUp(ctx context.Context, in *SignUpInput) (*SignUpOutput, error) {
	if err := s.validate(ctx, "SignUp", in); err != nil {
		return nil, err
	}
	client, pool, err := s.clientWithSecretHash(ctx, in.ClientId, in.SecretHash, in.Username)
	if err != nil {
		return nil, err
	}
	if pool.Settings.AdminCreateUserConfig != nil && pool.Settings.AdminCreateUserConfig.AllowAdminCreateUserOnly {
		return nil, ErrNotAuthorized.WithMessage(msgSignUpNotAllowed)
	}
	if err := checkPasswordPolicy(passwordPolicy(pool), in.Password, msgPasswordPolicySignUp); err != nil {
		return nil, err
	}
	if err := checkClientWrite(client, attributeNames(in.UserAttributes)); err != nil {
		return nil, err
	}
	username, key, sub, attrs, err := newUserIdentity(pool, in.Username, in.UserAttributes)
	if err != nil {
		return nil, err
	}
	// Checked with the username's email or phone number in: it supplies
	// a required attribute. attrs[0] is the new sub.
	if err := checkUserAttributes(pool, nil, attrs[1:], writeSignUp); err != nil {
		return nil, err
	}
	exists := func() error {
		if username == sub {
			return ErrUsernameExists.WithMessage(msgAliasExists)
		}
		return ErrUsernameExists.WithMessage(msgSignUpExists)
	}
	// A taken name is refused before the (slow, memory-hard) hash.
	if _, err := s.store.GetUser(ctx, pool.ID, key); err == nil {
		return nil, exists()
	}
	trigger, err := s.preSignUp(ctx, pool, client.ClientID, sourcePreSignUpSignUp, username, in.UserAttributes, in.ValidationData, in.ClientMetadata) // triggers_signup.go
	if err != nil {
		return nil, err
	}
	password, err := s.DerivePassword(ctx, pool.ID, username, sub, in.Password)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	u := &User{UserPoolID: pool.ID, Username: username, UsernameKey: key, Sub: sub, Attributes: attrs,
		Status: StatusUnconfirmed, Enabled: true, CreationDate: now, LastModifiedDate: now}
	if err := password.Set(u); err != nil {
		return nil, err
	}
	// A code is made and sent only when the pool verifies an attribute
	// the user has (AutoVerifiedAttributes); otherwise an administrator
	// confirms the user (AdminConfirmSignUp), as in Cognito.
	trigger.apply(u, true)
	verify, code := signUpVerifiedAttribute(pool, u), ""
	if verify != "" && u.Status == StatusUnconfirmed {
		code = newConfirmationCode()
		u.CodeHash, u.CodeExpires = hashCode(code), now.Add(signUpCodeLifetime)
	}
	err = s.updateUncached(ctx, func(tx Tx) error {
		if s.subTaken(ctx, tx, pool.ID, key) {
			return exists()
		}
		err := tx.CreateUser(ctx, u)
		if errors.Is(err, ErrAlreadyExists) {
			return exists()
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	out := &SignUpOutput{UserSub: sub, UserConfirmed: u.Status == StatusConfirmed}
	if code != "" {
		out.CodeDeliveryDetails = s.deliver(ctx, pool, u, Delivery{Kind: DeliverSignUpCode, Attribute: verify, Code: code})
	}
	if out.UserConfirmed {
		// The pre sign-up function confirmed the user: this is their
		// confirmation, and post confirmation runs for it (the developer
		// guide lists SignUp among the operations whose ClientMetadata
		// reaches the post confirmation function). As for ConfirmSignUp,
		// a failing function fails the call; the user stays confirmed.
		if err := s.postConfirmation(ctx, pool, client.ClientID, sourcePostConfirmSignUp, u, in.ClientMetadata); err != nil { // triggers_signup.go
			return nil, err
		}
	}
	return out, nil
}

// ConfirmSignUp confirms a user with the code SignUp sent.
func (s *Service) ConfirmSignUp(ctx context.Context, in *ConfirmSignUpInput) (*Empty, error) {
	if err := s.validate(ctx, "ConfirmSignUp", in); err != nil {
		return nil, err
	}
	client, pool, err := s.clientWithSecretHash(ctx, in.ClientId, in.SecretHash, in.Username)
	if err != nil {
		return nil, err
	}
	// Wrong codes are counted like wrong passwords: after five, the user
	// is locked out of confirming for a while; a 6-digit code cannot be
	// guessed by brute force.
	var refused error
	var confirmed *User
	err = s.changePoolUser(ctx, pool, in.Username, func(u *User) error {
		now := s.now().UTC()
		if u.Status != StatusUnconfirmed {
			return ErrNotAuthorized.WithMessagef(msgCannotConfirm, u.Status)
		}
		var err error
		if refused, err = checkLockedCode(u.CodeHash, in.ConfirmationCode, u.CodeExpires, &u.FailedSignIns, &u.LockedUntil, now); refused != nil || err != nil {
			return err // a mismatch commits the count, then refuses
		}
		u.Status, u.CodeHash, u.CodeExpires = StatusConfirmed, "", time.Time{}
		if _, ok := attr(u, "email"); ok {
			u.Attributes = setAttr(u.Attributes, "email_verified", "true")
		}
		confirmed = u
		return nil
	})
	if errors.Is(err, ErrUserNotFound) && client.Settings.PreventUserExistenceErrors == "ENABLED" {
		// Wrong, and locking as a real user's wrong codes lock, or the
		// sixth try would tell which names exist.
		return nil, s.phantomCodes.confirmSignUp(ctx, pool.ID+"/confirm-sign-up/"+signInKey(pool, in.Username), s.now().UTC())
	}
	if err == nil {
		err = refused
	}
	if err == nil {
		err = s.postConfirmation(ctx, pool, client.ClientID, sourcePostConfirmSignUp, confirmed, in.ClientMetadata) // triggers_signup.go
	}
	return empty(err)
}
