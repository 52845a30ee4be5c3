package cognito

import (
	"context"
	"slices"
	"strconv"
	"strings"
)

// Attribute data types (AttributeDataType).
const (
	TypeString   = "String"
	TypeNumber   = "Number"
	TypeDateTime = "DateTime"
	TypeBoolean  = "Boolean"
)

// customAttributesPerPool is Cognito's hard quota on custom attributes
// (developer guide, "Quotas in Amazon Cognito": 50, not adjustable).
const customAttributesPerPool = 50

// maxStringAttributeLength bounds string constraints and values (model:
// AttributeType.Value is at most 2048 characters).
const maxStringAttributeLength = 2048

// AddCustomAttributesInput is AddCustomAttributesRequest.
type AddCustomAttributesInput struct {
	UserPoolId       string            `json:"UserPoolId,omitempty"`
	CustomAttributes []SchemaAttribute `json:"CustomAttributes,omitempty"`
}

// AddCustomAttributes adds custom attributes to a pool's schema. Like
// Cognito, they cannot be required and cannot be removed afterwards.
func (s *Service) AddCustomAttributes(ctx context.Context, in *AddCustomAttributesInput) (*Empty, error) {
	if err := s.validate(ctx, "AddCustomAttributes", in); err != nil {
		return nil, err
	}
	err := s.update(ctx, func(tx Tx) error {
		pool, err := s.getPool(ctx, tx, in.UserPoolId)
		if err != nil {
			return err
		}
		schema := slices.Clone(pool.Settings.SchemaAttributes)
		for _, a := range in.CustomAttributes {
			c, err := newCustomAttribute(a)
			if err != nil {
				return err
			}
			if schemaAttribute(schema, c.Name) != nil {
				return ErrInvalidParameter.WithMessagef(msgAttributeExists, "custom:"+a.Name, c.Name)
			}
			schema = append(schema, c)
		}
		if err := checkCustomCount(schema); err != nil {
			return err
		}
		pool.Settings.SchemaAttributes = schema
		pool.LastModifiedDate = s.now().UTC()
		return tx.UpdateUserPool(ctx, pool)
	})
	return empty(err)
}

// mergeSchema returns the pool schema CreateUserPool makes of the caller's
// Schema: the standard attributes, changed where the caller names one,
// then the caller's custom attributes, named "custom:<name>" (or
// "dev:custom:<name>" when developer-only). Like Cognito, a name that is
// not a standard attribute is a custom one, even if it already starts with
// "custom:" (it becomes "custom:custom:...").
func mergeSchema(in []SchemaAttribute) ([]SchemaAttribute, error) {
	out := standardAttributes()
	seen := map[string]bool{}
	for _, a := range in {
		if i := slices.IndexFunc(out, func(sa SchemaAttribute) bool { return sa.Name == a.Name }); i >= 0 && !isVerifiedFlag(a.Name) {
			if seen[a.Name] {
				return nil, ErrInvalidParameter.WithMessagef(msgDuplicateSchemaAttribute, a.Name)
			}
			seen[a.Name] = true
			if err := applyStandard(&out[i], a); err != nil {
				return nil, err
			}
			continue
		}
		c, err := newCustomAttribute(a)
		if err != nil {
			return nil, err
		}
		if seen[c.Name] {
			return nil, ErrInvalidParameter.WithMessagef(msgDuplicateSchemaAttribute, c.Name)
		}
		seen[c.Name] = true
		out = append(out, c)
	}
	if err := checkCustomCount(out); err != nil {
		return nil, err
	}
	return out, nil
}

func isVerifiedFlag(name string) bool {
	return name == "email_verified" || name == "phone_number_verified"
}

// applyStandard changes a standard attribute's settings: whether it is
// required and mutable and, for strings, its length bounds. Its type and
// developer-only flag are Cognito's.
func applyStandard(sa *SchemaAttribute, a SchemaAttribute) error {
	if (a.AttributeDataType != "" && a.AttributeDataType != sa.AttributeDataType) || (a.DeveloperOnlyAttribute != nil && *a.DeveloperOnlyAttribute) {
		return ErrInvalidParameter.WithMessagef(msgStandardAttributeType, sa.Name)
	}
	if sa.Name == "sub" {
		// sub is Cognito's: always required, never changed.
		if (a.Mutable != nil && *a.Mutable) || (a.Required != nil && !*a.Required) {
			return ErrInvalidParameter.WithMessage(msgSubSchemaFixed)
		}
		return nil
	}
	if a.Required != nil {
		sa.Required = ptr(*a.Required)
	}
	if a.Mutable != nil {
		sa.Mutable = ptr(*a.Mutable)
	}
	switch sa.AttributeDataType {
	case TypeString:
		if a.StringAttributeConstraints != nil {
			c, err := stringConstraints(sa.Name, a.StringAttributeConstraints)
			if err != nil {
				return err
			}
			sa.StringAttributeConstraints = c
		}
	case TypeNumber:
		if a.NumberAttributeConstraints != nil {
			c, err := numberConstraints(sa.Name, a.NumberAttributeConstraints)
			if err != nil {
				return err
			}
			sa.NumberAttributeConstraints = c
		}
	}
	return nil
}

// newCustomAttribute checks a custom attribute of CreateUserPool or
// AddCustomAttributes and applies Cognito's defaults.
func newCustomAttribute(a SchemaAttribute) (SchemaAttribute, error) {
	name := "custom:" + a.Name
	if a.DeveloperOnlyAttribute != nil && *a.DeveloperOnlyAttribute {
		name = "dev:" + name
	}
	if a.AttributeDataType == "" {
		return SchemaAttribute{}, ErrInvalidParameter.WithMessage(msgAttributeDataTypeMissing)
	}
	if a.Required != nil && *a.Required {
		return SchemaAttribute{}, ErrInvalidParameter.WithMessage(msgCustomAttributeRequired)
	}
	c := SchemaAttribute{Name: name, AttributeDataType: a.AttributeDataType,
		DeveloperOnlyAttribute: ptr(a.DeveloperOnlyAttribute != nil && *a.DeveloperOnlyAttribute),
		Mutable:                ptr(a.Mutable == nil || *a.Mutable), Required: ptr(false)}
	var err error
	switch a.AttributeDataType {
	case TypeString:
		c.StringAttributeConstraints = &AttributeConstraints{}
		if a.StringAttributeConstraints != nil {
			c.StringAttributeConstraints, err = stringConstraints(name, a.StringAttributeConstraints)
		}
	case TypeNumber:
		c.NumberAttributeConstraints = &AttributeConstraints{}
		if a.NumberAttributeConstraints != nil {
			c.NumberAttributeConstraints, err = numberConstraints(name, a.NumberAttributeConstraints)
		}
	}
	return c, err
}

func checkCustomCount(schema []SchemaAttribute) error {
	n := 0
	for _, a := range schema {
		if isCustomName(a.Name) {
			n++
		}
	}
	if n > customAttributesPerPool {
		return ErrLimitExceeded.WithMessagef(msgLimitCustomAttributes, customAttributesPerPool)
	}
	return nil
}

func isCustomName(name string) bool {
	return strings.HasPrefix(name, "custom:") || strings.HasPrefix(name, "dev:")
}

// bound parses a constraint bound: a whole number, not negative for
// lengths. Number bounds may be negative.
func bound(v *string, signed bool) (int64, bool, bool) {
	if v == nil || *v == "" {
		return 0, false, true
	}
	n, err := strconv.ParseInt(*v, 10, 64)
	if err != nil || (!signed && n < 0) {
		return 0, true, false
	}
	return n, true, true
}

// stringConstraints checks MinLength and MaxLength: whole numbers from 0
// to 2048, the minimum no greater than the maximum.
func stringConstraints(name string, in *AttributeConstraints) (*AttributeConstraints, error) {
	lo, hasLo, ok1 := bound(in.MinLength, false)
	hi, hasHi, ok2 := bound(in.MaxLength, false)
	if !ok1 || !ok2 {
		return nil, ErrInvalidParameter.WithMessagef(msgInvalidConstraint, "StringAttributeConstraints", name)
	}
	if lo > maxStringAttributeLength || hi > maxStringAttributeLength {
		return nil, ErrInvalidParameter.WithMessagef(msgStringLengthTooLong, name)
	}
	if hasLo && hasHi && lo > hi {
		return nil, ErrInvalidParameter.WithMessagef(msgMinLengthAboveMax, name)
	}
	out := &AttributeConstraints{}
	if hasLo {
		out.MinLength = ptr(strconv.FormatInt(lo, 10))
	}
	if hasHi {
		out.MaxLength = ptr(strconv.FormatInt(hi, 10))
	}
	return out, nil
}

// numberConstraints checks MinValue and MaxValue: whole numbers, the
// minimum no greater than the maximum.
func numberConstraints(name string, in *AttributeConstraints) (*AttributeConstraints, error) {
	lo, hasLo, ok1 := bound(in.MinValue, true)
	hi, hasHi, ok2 := bound(in.MaxValue, true)
	if !ok1 || !ok2 {
		return nil, ErrInvalidParameter.WithMessagef(msgInvalidConstraint, "NumberAttributeConstraints", name)
	}
	if hasLo && hasHi && lo > hi {
		return nil, ErrInvalidParameter.WithMessagef(msgMinValueAboveMax, name)
	}
	out := &AttributeConstraints{}
	if hasLo {
		out.MinValue = ptr(strconv.FormatInt(lo, 10))
	}
	if hasHi {
		out.MaxValue = ptr(strconv.FormatInt(hi, 10))
	}
	return out, nil
}

// schemaAttribute returns the schema entry named name, or nil.
func schemaAttribute(schema []SchemaAttribute, name string) *SchemaAttribute {
	for i := range schema {
		if schema[i].Name == name {
			return &schema[i]
		}
	}
	return nil
}

// standardAttributes is the schema every Cognito pool starts with.
func standardAttributes() []SchemaAttribute {
	str := func(name string, mutable, required bool, minLen, maxLen string) SchemaAttribute {
		return SchemaAttribute{Name: name, AttributeDataType: TypeString, DeveloperOnlyAttribute: ptr(false),
			Mutable: ptr(mutable), Required: ptr(required),
			StringAttributeConstraints: &AttributeConstraints{MinLength: ptr(minLen), MaxLength: ptr(maxLen)}}
	}
	boolean := func(name string) SchemaAttribute {
		return SchemaAttribute{Name: name, AttributeDataType: TypeBoolean, DeveloperOnlyAttribute: ptr(false),
			Mutable: ptr(true), Required: ptr(false)}
	}
	out := []SchemaAttribute{str("sub", false, true, "1", "2048")}
	for _, n := range []string{"name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile", "picture", "website", "email"} {
		out = append(out, str(n, true, false, "0", "2048"))
	}
	out = append(out, boolean("email_verified"), str("gender", true, false, "0", "2048"),
		str("birthdate", true, false, "10", "10"), str("zoneinfo", true, false, "0", "2048"),
		str("locale", true, false, "0", "2048"), str("phone_number", true, false, "0", "2048"),
		boolean("phone_number_verified"), str("address", true, false, "0", "2048"),
		SchemaAttribute{Name: "updated_at", AttributeDataType: TypeNumber, DeveloperOnlyAttribute: ptr(false),
			Mutable: ptr(true), Required: ptr(false), NumberAttributeConstraints: &AttributeConstraints{MinValue: ptr("0")}})
	return out
}
