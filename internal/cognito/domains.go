package cognito

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// CreateUserPoolDomainInput is CreateUserPoolDomainRequest.
type CreateUserPoolDomainInput struct {
	Domain              string          `json:"Domain,omitempty"`
	UserPoolId          string          `json:"UserPoolId,omitempty"`
	ManagedLoginVersion *int32          `json:"ManagedLoginVersion,omitempty"`
	CustomDomainConfig  *map[string]any `json:"CustomDomainConfig,omitempty"`
}

// CreateUserPoolDomainOutput is CreateUserPoolDomainResponse.
type CreateUserPoolDomainOutput struct {
	ManagedLoginVersion int32  `json:"ManagedLoginVersion"`
	CloudFrontDomain    string `json:"CloudFrontDomain,omitempty"`
}

// DomainInput names a domain, and for deletion its pool.
type DomainInput struct {
	Domain     string `json:"Domain,omitempty"`
	UserPoolId string `json:"UserPoolId,omitempty"`
}

// DomainDescriptionType is DomainDescriptionType.
type DomainDescriptionType struct {
	UserPoolId             string `json:"UserPoolId,omitempty"`
	AWSAccountId           string `json:"AWSAccountId,omitempty"`
	Domain                 string `json:"Domain,omitempty"`
	S3Bucket               string `json:"S3Bucket,omitempty"`
	CloudFrontDistribution string `json:"CloudFrontDistribution,omitempty"`
	Version                string `json:"Version,omitempty"`
	Status                 string `json:"Status,omitempty"`
	ManagedLoginVersion    *int32 `json:"ManagedLoginVersion,omitempty"`
}

// DescribeUserPoolDomainOutput is DescribeUserPoolDomainResponse. For a
// domain that does not exist Cognito answers 200 with an empty
// DomainDescription, and so does cognitod.
type DescribeUserPoolDomainOutput struct {
	DomainDescription DomainDescriptionType `json:"DomainDescription"`
}

// Region is the region the domain belongs to, its pool's.
func (d *Domain) Region() string { return RegionOfPoolID(d.UserPoolID) }

// reservedDomainWords may not appear in a prefix domain (developer guide,
// "Using the Amazon Cognito domain").
var reservedDomainWords = []string{"aws", "amazon", "cognito"}

// DomainHost is the host name a pool's prefix domain answers on:
// <prefix>.auth.<region>.<suffix>.
func (s *Service) DomainHost(d *Domain) string {
	return fmt.Sprintf("%s.auth.%s.%s", d.Domain, RegionOfPoolID(d.UserPoolID), s.domainSuffix)
}

// CreateUserPoolDomain gives a pool its prefix domain.
func (s *Service) CreateUserPoolDomain(ctx context.Context, in *CreateUserPoolDomainInput) (*CreateUserPoolDomainOutput, error) {
	if err := s.validate(ctx, "CreateUserPoolDomain", in); err != nil {
		return nil, err
	}
	if in.CustomDomainConfig != nil || strings.Contains(in.Domain, ".") {
		return nil, ErrInvalidParameter.WithMessage(msgCustomDomainUnsupported)
	}
	if err := checkLoginVersion(in.ManagedLoginVersion); err != nil {
		return nil, err
	}
	for _, w := range reservedDomainWords {
		if strings.Contains(in.Domain, w) {
			return nil, ErrInvalidParameter.WithMessagef(msgDomainReservedWord, w)
		}
	}
	version := int32(1)
	if in.ManagedLoginVersion != nil {
		version = *in.ManagedLoginVersion
	}
	d := &Domain{Domain: in.Domain, UserPoolID: in.UserPoolId, CreationDate: s.now().UTC(), ManagedLoginVersion: version}
	err := s.update(ctx, func(tx Tx) error {
		if _, err := s.getPool(ctx, tx, in.UserPoolId); err != nil {
			return err
		}
		if _, err := tx.GetDomainByPool(ctx, in.UserPoolId); err == nil {
			return ErrInvalidParameter.WithMessage(msgPoolHasDomain)
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		if err := tx.CreateDomain(ctx, d); errors.Is(err, ErrAlreadyExists) {
			return ErrInvalidParameter.WithMessage(msgDomainTaken)
		} else if err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &CreateUserPoolDomainOutput{ManagedLoginVersion: version, CloudFrontDomain: s.DomainHost(d)}, nil
}

// DescribeUserPoolDomain describes a domain of the caller's region.
func (s *Service) DescribeUserPoolDomain(ctx context.Context, in *DomainInput) (*DescribeUserPoolDomainOutput, error) {
	if err := s.validate(ctx, "DescribeUserPoolDomain", in); err != nil {
		return nil, err
	}
	region, err := s.region(ctx)
	if err != nil {
		return nil, err
	}
	d, err := s.store.GetDomain(ctx, region, in.Domain)
	if errors.Is(err, ErrNotFound) {
		return &DescribeUserPoolDomainOutput{}, nil
	}
	if err != nil {
		return nil, asError(err)
	}
	v := d.ManagedLoginVersion
	return &DescribeUserPoolDomainOutput{DomainDescription: DomainDescriptionType{
		UserPoolId: d.UserPoolID, AWSAccountId: s.accountID, Domain: d.Domain,
		CloudFrontDistribution: s.DomainHost(d), Version: "1", Status: "ACTIVE", ManagedLoginVersion: &v,
	}}, nil
}

// DeleteUserPoolDomain removes a pool's domain.
func (s *Service) DeleteUserPoolDomain(ctx context.Context, in *DomainInput) (*Empty, error) {
	if err := s.validate(ctx, "DeleteUserPoolDomain", in); err != nil {
		return nil, err
	}
	err := s.update(ctx, func(tx Tx) error {
		if _, err := s.getPool(ctx, tx, in.UserPoolId); err != nil {
			return err
		}
		d, err := tx.GetDomain(ctx, RegionOfPoolID(in.UserPoolId), in.Domain)
		if errors.Is(err, ErrNotFound) || (err == nil && d.UserPoolID != in.UserPoolId) {
			return ErrInvalidParameter.WithMessage(msgDomainNotOfPool)
		}
		if err != nil {
			return err
		}
		return tx.DeleteDomain(ctx, d.Region(), in.Domain)
	})
	return empty(err)
}

// UpdateUserPoolDomainInput is UpdateUserPoolDomainRequest, which has the
// members of CreateUserPoolDomainRequest.
type UpdateUserPoolDomainInput CreateUserPoolDomainInput

// UpdateUserPoolDomainOutput is UpdateUserPoolDomainResponse. Cognito
// adds CloudFrontDomain only for custom domains, which cognitod does not
// serve, so the member is left out.
type UpdateUserPoolDomainOutput struct {
	ManagedLoginVersion *int32 `json:"ManagedLoginVersion,omitempty"`
}

// checkLoginVersion refuses a branding version other than 1 (hosted UI,
// classic) and 2 (managed login).
func checkLoginVersion(v *int32) error {
	if v != nil && *v != 1 && *v != 2 {
		return ErrInvalidParameter.WithMessage(msgLoginVersion)
	}
	return nil
}

// UpdateUserPoolDomain changes a prefix domain's managed login version;
// left out, the version stays. Certificates belong to custom domains,
// which cognitod refuses as CreateUserPoolDomain does.
func (s *Service) UpdateUserPoolDomain(ctx context.Context, in *UpdateUserPoolDomainInput) (*UpdateUserPoolDomainOutput, error) {
	if err := s.validate(ctx, "UpdateUserPoolDomain", in); err != nil {
		return nil, err
	}
	if in.CustomDomainConfig != nil || strings.Contains(in.Domain, ".") {
		return nil, ErrInvalidParameter.WithMessage(msgCustomDomainUnsupported)
	}
	if err := checkLoginVersion(in.ManagedLoginVersion); err != nil {
		return nil, err
	}
	var version int32
	err := s.update(ctx, func(tx Tx) error {
		if _, err := s.getPool(ctx, tx, in.UserPoolId); err != nil {
			return err
		}
		d, err := tx.GetDomain(ctx, RegionOfPoolID(in.UserPoolId), in.Domain)
		if errors.Is(err, ErrNotFound) || (err == nil && d.UserPoolID != in.UserPoolId) {
			return ErrInvalidParameter.WithMessage(msgDomainNotOfPool)
		}
		if err != nil {
			return err
		}
		if in.ManagedLoginVersion != nil {
			d.ManagedLoginVersion = *in.ManagedLoginVersion
		}
		version = d.ManagedLoginVersion
		return tx.UpdateDomain(ctx, d)
	})
	if err != nil {
		return nil, err
	}
	return &UpdateUserPoolDomainOutput{ManagedLoginVersion: &version}, nil
}
