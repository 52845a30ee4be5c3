package cognito

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"time"
)

// AttributeVerification is a pending verification of a user's email or
// phone number: the code's SHA-256, when it expires, the wrong codes tried,
// and, in a pool that requires verification before an update, the value
// that replaces the current one once verified.
type AttributeVerification struct {
	Attribute    string    `json:"attribute"`
	CodeHash     string    `json:"code_hash"`
	Expires      time.Time `json:"expires"`
	Failed       int       `json:"failed,omitempty"`
	LockedUntil  time.Time `json:"locked_until,omitzero"`
	PendingValue string    `json:"pending_value,omitempty"`
	// Sent counts the codes sent since SentSince: an hour's worth is
	// bounded, so that no one can have cognitod flood an address.
	Sent      int       `json:"sent,omitempty"`
	SentSince time.Time `json:"sent_since,omitzero"`
}

// attributeCodesPerHour bounds the codes sent for one attribute of one
// user in an hour (cognitod's choice; Cognito's own rate is not published).
const attributeCodesPerHour = 10

// verificationOf returns u's verification record for name, adding an
// empty one. Records are voided, never removed: their counts of codes sent
// and of wrong codes must outlive a change of address.
func verificationOf(u *User, name string) *AttributeVerification {
	for i := range u.Verifications {
		if u.Verifications[i].Attribute == name {
			return &u.Verifications[i]
		}
	}
	u.Verifications = append(u.Verifications, AttributeVerification{Attribute: name})
	return &u.Verifications[len(u.Verifications)-1]
}

// voidVerification forgets the code and pending value of name.
func voidVerification(u *User, name string) {
	for i := range u.Verifications {
		if u.Verifications[i].Attribute == name {
			v := &u.Verifications[i]
			v.CodeHash, v.Expires, v.PendingValue = "", time.Time{}, ""
		}
	}
}

// attributeCodeTTL is how long an attribute verification code is good
// for: 24 hours, as Cognito's verification codes.
const attributeCodeTTL = 24 * time.Hour

// ErrAliasExists is AliasExistsException: the email or phone number is
// another user's sign-in alias.
var ErrAliasExists = &Error{Type: "AliasExistsException", Message: msgAliasExists}

// UpdateUserAttributesInput is UpdateUserAttributesRequest.
type UpdateUserAttributesInput struct {
	UserAttributes []Attribute       `json:"UserAttributes,omitempty"`
	AccessToken    string            `json:"AccessToken,omitempty"`
	ClientMetadata map[string]string `json:"ClientMetadata,omitempty"`
}

// UpdateUserAttributesOutput is UpdateUserAttributesResponse.
type UpdateUserAttributesOutput struct {
	CodeDeliveryDetailsList []CodeDeliveryDetails `json:"CodeDeliveryDetailsList,omitempty"`
}

// GetUserAttributeVerificationCodeInput is
// GetUserAttributeVerificationCodeRequest.
type GetUserAttributeVerificationCodeInput struct {
	AccessToken    string            `json:"AccessToken,omitempty"`
	AttributeName  string            `json:"AttributeName,omitempty"`
	ClientMetadata map[string]string `json:"ClientMetadata,omitempty"`
}

// VerifyUserAttributeInput is VerifyUserAttributeRequest.
type VerifyUserAttributeInput struct {
	AccessToken   string `json:"AccessToken,omitempty"`
	AttributeName string `json:"AttributeName,omitempty"`
	Code          string `json:"Code,omitempty"`
}

// userAttributeUpdateSettings is UserAttributeUpdateSettingsType, kept
// raw in the pool's settings.
type userAttributeUpdateSettings struct {
	AttributesRequireVerificationBeforeUpdate []string
}

// verifiesBeforeUpdate reports whether the pool keeps the old value of
// name until the new one is verified.
func verifiesBeforeUpdate(pool *UserPool, name string) bool {
	var st userAttributeUpdateSettings
	if len(pool.Settings.UserAttributeUpdateSettings) == 0 || json.Unmarshal(pool.Settings.UserAttributeUpdateSettings, &st) != nil {
		return false
	}
	return slices.Contains(st.AttributesRequireVerificationBeforeUpdate, name)
}

// checkAttributeUpdateSettings refuses verification before an update for
// attributes the pool does not verify: the setting would otherwise be
// accepted and never applied.
func checkAttributeUpdateSettings(st *PoolSettings) error {
	if len(st.UserAttributeUpdateSettings) == 0 {
		return nil
	}
	var us userAttributeUpdateSettings
	if err := json.Unmarshal(st.UserAttributeUpdateSettings, &us); err != nil {
		return ErrSerialization.WithMessage(msgUpdateSettingsShape)
	}
	for _, a := range us.AttributesRequireVerificationBeforeUpdate {
		if !slices.Contains(st.AutoVerifiedAttributes, a) {
			return ErrInvalidParameter.WithMessage(msgVerifyBeforeUpdateNotAuto)
		}
	}
	return nil
}

// pendingCode is a code to send once the transaction that stored it has
// committed.
type pendingCode struct {
	attribute, to, code string
}

// newAttributeCode replaces u's code for name with a new one, keeping the
// count of wrong codes (a new code does not buy more guesses) and, unless
// pending is given, the pending value.
func newAttributeCode(u *User, name string, pending *string, now time.Time) (pendingCode, error) {
	v := verificationOf(u, name)
	if countInWindow(&v.Sent, &v.SentSince, now, time.Hour, attributeCodesPerHour) {
		return pendingCode{}, ErrLimitExceeded.WithMessage(msgConfirmAttempts)
	}
	if pending != nil {
		v.PendingValue = *pending
	}
	code := newConfirmationCode()
	v.CodeHash, v.Expires = hashCode(code), now.Add(attributeCodeTTL)
	to, _ := attr(u, name)
	if v.PendingValue != "" {
		to = v.PendingValue
	}
	return pendingCode{attribute: name, to: to, code: code}, nil
}

// send delivers codes to u and returns their delivery details.
func (s *Service) send(ctx context.Context, pool *UserPool, u *User, codes []pendingCode) []CodeDeliveryDetails {
	var out []CodeDeliveryDetails
	for _, c := range codes {
		dest := *u
		dest.Attributes = setAttr(slices.Clone(u.Attributes), c.attribute, c.to)
		if d := s.deliver(ctx, pool, &dest, Delivery{Kind: DeliverAttributeCode, Attribute: c.attribute, Code: c.code}); d != nil {
			out = append(out, *d)
		}
	}
	return out
}

// changeSignedInUser runs fn on the token's user in one transaction and
// saves the user.
func (s *Service) changeSignedInUser(ctx context.Context, c *AccessClaims, fn func(tx Tx, u *User) error) (*User, error) {
	var user *User
	err := s.updateUncached(ctx, func(tx Tx) error {
		u, err := tx.GetUserBySub(ctx, c.PoolID, c.Sub)
		if errors.Is(err, ErrNotFound) {
			return ErrUserNotFound
		}
		if err != nil {
			return err
		}
		if err := fn(tx, u); err != nil {
			return err
		}
		u.LastModifiedDate = s.now().UTC()
		user = u
		return tx.UpdateUser(ctx, u)
	})
	if errors.Is(err, ErrAlreadyExists) {
		return nil, ErrAliasExists
	}
	return user, err
}

// UpdateUserAttributes changes the signed-in user's attributes. A new
// email or phone number that the pool verifies is sent a code; with
// AttributesRequireVerificationBeforeUpdate the old value stays until the
// code is verified.
func (s *Service) UpdateUserAttributes(ctx context.Context, in *UpdateUserAttributesInput) (*UpdateUserAttributesOutput, error) {
	if err := s.validate(ctx, "UpdateUserAttributes", in); err != nil {
		return nil, err
	}
	c, _, pool, client, err := s.signedInUser(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	if err := checkClientWrite(client, attributeNames(in.UserAttributes)); err != nil {
		return nil, err
	}
	var codes []pendingCode
	u, err := s.changeSignedInUser(ctx, c, func(_ Tx, u *User) (err error) {
		codes = nil
		if err := checkUserAttributes(pool, u, in.UserAttributes, writeUpdate); err != nil {
			return err
		}
		now := s.now().UTC()
		var apply []Attribute
		for _, a := range in.UserAttributes {
			old, _ := attr(u, a.Name)
			verified := (a.Name == "email" || a.Name == "phone_number") && a.Value != "" && a.Value != old &&
				slices.Contains(pool.Settings.AutoVerifiedAttributes, a.Name)
			switch {
			case verified && verifiesBeforeUpdate(pool, a.Name):
				pc, err := newAttributeCode(u, a.Name, &a.Value, now)
				if err != nil {
					return err
				}
				codes = append(codes, pc)
			case verified:
				apply = append(apply, a)
				codes = append(codes, pendingCode{attribute: a.Name})
			default:
				apply = append(apply, a)
			}
		}
		applyAttributes(u, apply)
		for i, pc := range codes {
			if pc.code == "" {
				none := ""
				if codes[i], err = newAttributeCode(u, pc.attribute, &none, now); err != nil {
					return err
				}
			}
		}
		followSignInAttributes(pool, u, apply)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &UpdateUserAttributesOutput{CodeDeliveryDetailsList: s.send(ctx, pool, u, codes)}, nil
}

// followSignInAttributes keeps the sign-in key of a pool that signs in
// with email or phone number on the changed address.
func followSignInAttributes(pool *UserPool, u *User, changed []Attribute) {
	if len(pool.Settings.UsernameAttributes) == 0 || u.Username != u.Sub {
		return
	}
	for _, name := range pool.Settings.UsernameAttributes {
		if v, ok := attr(u, name); ok && namesAttribute(changed, name) {
			u.UsernameKey = signInKey(pool, v)
		}
	}
}

// checkVerifiable refuses attributes other than email and phone_number.
func checkVerifiable(name string) error {
	if name != "email" && name != "phone_number" {
		return ErrInvalidParameter.WithMessage(msgNotVerifiable)
	}
	return nil
}

// GetUserAttributeVerificationCode sends the signed-in user a new code for
// their email or phone number (the pending value, if one waits).
func (s *Service) GetUserAttributeVerificationCode(ctx context.Context, in *GetUserAttributeVerificationCodeInput) (*CodeDeliveryOutput, error) {
	if err := s.validate(ctx, "GetUserAttributeVerificationCode", in); err != nil {
		return nil, err
	}
	if err := checkVerifiable(in.AttributeName); err != nil {
		return nil, err
	}
	c, _, pool, _, err := s.signedInUser(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	var code pendingCode
	u, err := s.changeSignedInUser(ctx, c, func(_ Tx, u *User) (err error) {
		_, has := attr(u, in.AttributeName)
		pending := slices.ContainsFunc(u.Verifications, func(v AttributeVerification) bool {
			return v.Attribute == in.AttributeName && v.PendingValue != ""
		})
		if !has && !pending {
			return ErrInvalidParameter.WithMessagef(msgNoAttributeToVerify, in.AttributeName)
		}
		code, err = newAttributeCode(u, in.AttributeName, nil, s.now().UTC())
		return err
	})
	if err != nil {
		return nil, err
	}
	out := &CodeDeliveryOutput{}
	if d := s.send(ctx, pool, u, []pendingCode{code}); len(d) > 0 {
		out.CodeDeliveryDetails = &d[0]
	}
	return out, nil
}

// VerifyUserAttribute checks a code sent to the signed-in user's email or
// phone number and marks it verified, moving a pending value in. A code is
// good once; wrong codes are counted, and after five the attribute cannot
// be verified for a while, whatever new codes are sent.
func (s *Service) VerifyUserAttribute(ctx context.Context, in *VerifyUserAttributeInput) (*Empty, error) {
	if err := s.validate(ctx, "VerifyUserAttribute", in); err != nil {
		return nil, err
	}
	if err := checkVerifiable(in.AttributeName); err != nil {
		return nil, err
	}
	c, _, pool, _, err := s.signedInUser(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	var refused error
	_, err = s.changeSignedInUser(ctx, c, func(tx Tx, u *User) error {
		refused = nil
		now := s.now().UTC()
		i := slices.IndexFunc(u.Verifications, func(v AttributeVerification) bool { return v.Attribute == in.AttributeName })
		if i < 0 || u.Verifications[i].CodeHash == "" {
			return ErrCodeMismatch
		}
		v := &u.Verifications[i]
		var err error
		if refused, err = checkLockedCode(v.CodeHash, in.Code, v.Expires, &v.Failed, &v.LockedUntil, now); refused != nil || err != nil {
			return err // a mismatch commits the count, then refuses
		}
		pending := v.PendingValue
		v.CodeHash, v.Expires, v.PendingValue = "", time.Time{}, ""
		if pending != "" {
			u.Attributes = setAttr(u.Attributes, in.AttributeName, pending)
			followSignInAttributes(pool, u, []Attribute{{Name: in.AttributeName, Value: pending}})
		}
		u.Attributes = setAttr(u.Attributes, in.AttributeName+"_verified", "true")
		return nil
	})
	if err == nil {
		err = refused
	}
	return empty(err)
}
