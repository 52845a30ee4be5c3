package cognito

import (
	"context"
	"slices"
	"strings"
)

// DeleteUserAttributesInput is DeleteUserAttributesRequest.
type DeleteUserAttributesInput struct {
	UserAttributeNames []string `json:"UserAttributeNames,omitempty"`
	AccessToken        string   `json:"AccessToken,omitempty"`
}

// AdminDeleteUserAttributesInput is AdminDeleteUserAttributesRequest.
type AdminDeleteUserAttributesInput struct {
	UserPoolId         string   `json:"UserPoolId,omitempty"`
	Username           string   `json:"Username,omitempty"`
	UserAttributeNames []string `json:"UserAttributeNames,omitempty"`
}

// checkDeletable refuses to delete attributes the schema does not have,
// required ones, and immutable ones (sub among them).
func checkDeletable(pool *UserPool, names []string) error {
	var lines []string
	for _, n := range names {
		sa := schemaAttribute(pool.Settings.SchemaAttributes, n)
		switch {
		case sa == nil:
			lines = append(lines, n+": "+msgProblemNotInSchema)
		case isRequired(sa):
			lines = append(lines, n+": "+msgProblemRequiredDelete)
		case !isMutable(sa):
			lines = append(lines, n+": "+msgProblemImmutableDelete)
		}
	}
	if len(lines) > 0 {
		return ErrInvalidParameter.WithMessage(msgInvalidUserAttributes + strings.Join(lines, "\n"))
	}
	return nil
}

// DeleteUserAttributes deletes attributes of the signed-in user, as far as
// the client may write them.
func (s *Service) DeleteUserAttributes(ctx context.Context, in *DeleteUserAttributesInput) (*Empty, error) {
	if err := s.validate(ctx, "DeleteUserAttributes", in); err != nil {
		return nil, err
	}
	c, _, pool, client, err := s.signedInUser(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	if err := checkClientWrite(client, in.UserAttributeNames); err != nil {
		return nil, err
	}
	if err := checkDeletable(pool, in.UserAttributeNames); err != nil {
		return nil, err
	}
	_, err = s.changeSignedInUser(ctx, c, func(_ Tx, u *User) error {
		removeAttributes(u, in.UserAttributeNames...)
		return nil
	})
	return empty(err)
}

// AdminDeleteUserAttributes deletes attributes of a user. Tokens already
// issued keep them; the next ones do not.
func (s *Service) AdminDeleteUserAttributes(ctx context.Context, in *AdminDeleteUserAttributesInput) (*Empty, error) {
	if err := s.validate(ctx, "AdminDeleteUserAttributes", in); err != nil {
		return nil, err
	}
	err := s.changeUser(ctx, in.UserPoolId, in.Username, func(pool *UserPool, u *User) error {
		if err := checkDeletable(pool, in.UserAttributeNames); err != nil {
			return err
		}
		removeAttributes(u, in.UserAttributeNames...)
		return nil
	})
	return empty(err)
}

// attributesToGet keeps of attrs the ones ListUsers' AttributesToGet
// names, which must be attributes of the schema; nil names keeps all.
func checkAttributesToGet(pool *UserPool, names []string) error {
	for _, n := range names {
		if schemaAttribute(pool.Settings.SchemaAttributes, n) == nil {
			return ErrInvalidParameter.WithMessagef(msgAttributesToGetUnknown, n)
		}
	}
	return nil
}

func keepAttributes(attrs []Attribute, names []string) []Attribute {
	if names == nil {
		return attrs
	}
	var kept []Attribute
	for _, a := range attrs {
		if slices.Contains(names, a.Name) {
			kept = append(kept, a)
		}
	}
	return kept
}
