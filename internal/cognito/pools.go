package cognito

import (
	"context"
	"encoding/json"
	"errors"
)

// CreateUserPoolInput is CreateUserPoolRequest.
type CreateUserPoolInput struct {
	PoolName string `json:"PoolName,omitempty"`
	PoolSettingsInput
	AliasAttributes       []string               `json:"AliasAttributes,omitempty"`
	UsernameAttributes    []string               `json:"UsernameAttributes,omitempty"`
	Schema                []SchemaAttribute      `json:"Schema,omitempty"`
	UsernameConfiguration *UsernameConfiguration `json:"UsernameConfiguration,omitempty"`
}

// PoolSettingsInput holds the members CreateUserPool and UpdateUserPool
// share.
type PoolSettingsInput struct {
	Policies                    *UserPoolPolicy        `json:"Policies,omitempty"`
	DeletionProtection          string                 `json:"DeletionProtection,omitempty"`
	LambdaConfig                json.RawMessage        `json:"LambdaConfig,omitempty"`
	AutoVerifiedAttributes      []string               `json:"AutoVerifiedAttributes,omitempty"`
	SmsVerificationMessage      string                 `json:"SmsVerificationMessage,omitempty"`
	EmailVerificationMessage    string                 `json:"EmailVerificationMessage,omitempty"`
	EmailVerificationSubject    string                 `json:"EmailVerificationSubject,omitempty"`
	VerificationMessageTemplate json.RawMessage        `json:"VerificationMessageTemplate,omitempty"`
	SmsAuthenticationMessage    string                 `json:"SmsAuthenticationMessage,omitempty"`
	UserAttributeUpdateSettings json.RawMessage        `json:"UserAttributeUpdateSettings,omitempty"`
	MfaConfiguration            string                 `json:"MfaConfiguration,omitempty"`
	DeviceConfiguration         json.RawMessage        `json:"DeviceConfiguration,omitempty"`
	EmailConfiguration          json.RawMessage        `json:"EmailConfiguration,omitempty"`
	SmsConfiguration            json.RawMessage        `json:"SmsConfiguration,omitempty"`
	UserPoolTags                map[string]string      `json:"UserPoolTags,omitempty"`
	AdminCreateUserConfig       *AdminCreateUserConfig `json:"AdminCreateUserConfig,omitempty"`
	UserPoolAddOns              json.RawMessage        `json:"UserPoolAddOns,omitempty"`
	AccountRecoverySetting      json.RawMessage        `json:"AccountRecoverySetting,omitempty"`
	UserPoolTier                string                 `json:"UserPoolTier,omitempty"`
}

// UpdateUserPoolInput is UpdateUserPoolRequest. Like Cognito, an update
// replaces the settings: a member left out returns to its default.
type UpdateUserPoolInput struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
	PoolName   string `json:"PoolName,omitempty"`
	PoolSettingsInput
}

// UserPoolType is the pool as DescribeUserPool and CreateUserPool return it.
type UserPoolType struct {
	Id               string    `json:"Id"`
	Name             string    `json:"Name"`
	Arn              string    `json:"Arn"`
	CreationDate     Timestamp `json:"CreationDate"`
	LastModifiedDate Timestamp `json:"LastModifiedDate"`
	PoolSettings
	Domain                 string `json:"Domain,omitempty"`
	EstimatedNumberOfUsers int    `json:"EstimatedNumberOfUsers"`
}

// UserPoolOutput wraps a pool: {"UserPool": {...}}.
type UserPoolOutput struct {
	UserPool *UserPoolType `json:"UserPool"`
}

// UserPoolIDInput is any request naming only a pool.
type UserPoolIDInput struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
}

// ListUserPoolsInput is ListUserPoolsRequest.
type ListUserPoolsInput struct {
	NextToken  string `json:"NextToken,omitempty"`
	MaxResults *int32 `json:"MaxResults,omitempty"`
}

// UserPoolDescription is UserPoolDescriptionType.
type UserPoolDescription struct {
	Id               string          `json:"Id"`
	Name             string          `json:"Name"`
	LambdaConfig     json.RawMessage `json:"LambdaConfig"`
	CreationDate     Timestamp       `json:"CreationDate"`
	LastModifiedDate Timestamp       `json:"LastModifiedDate"`
}

// ListUserPoolsOutput is ListUserPoolsResponse.
type ListUserPoolsOutput struct {
	UserPools []UserPoolDescription `json:"UserPools"`
	NextToken *string               `json:"NextToken,omitempty"`
}

// Empty is the response of operations that return nothing: {}.
type Empty struct{}

// empty is the answer of an operation that returns nothing but its error.
func empty(err error) (*Empty, error) {
	if err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// CreateUserPool creates a pool in the caller's region.
func (s *Service) CreateUserPool(ctx context.Context, in *CreateUserPoolInput) (*UserPoolOutput, error) {
	if err := s.validate(ctx, "CreateUserPool", in); err != nil {
		return nil, err
	}
	if err := s.checkTags(in.UserPoolTags); err != nil {
		return nil, err
	}
	region, err := s.region(ctx)
	if err != nil {
		return nil, err
	}
	settings, err := newPoolSettings(in, nil, s.checkLambdaConfig)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	pool := &UserPool{Name: in.PoolName, CreationDate: now, LastModifiedDate: now, Settings: settings}
	err = s.update(ctx, func(tx Tx) error {
		n, err := tx.CountUserPools(ctx, region)
		if err != nil {
			return err
		}
		if n >= s.limits.UserPoolsPerRegion {
			return ErrLimitExceeded.WithMessagef(msgLimitUserPools, s.limits.UserPoolsPerRegion)
		}
		// 62^9 IDs make a collision unlikely; retry the rare one.
		for attempt := 0; ; attempt++ {
			pool.ID = NewPoolID(region)
			err := tx.CreateUserPool(ctx, pool)
			if !errors.Is(err, ErrAlreadyExists) || attempt == 5 {
				return err
			}
		}
	})
	if err != nil {
		return nil, err
	}
	if s.poolCreated != nil {
		s.poolCreated(pool.ID)
	}
	return &UserPoolOutput{UserPool: s.describePool(pool, "")}, nil
}

// DescribeUserPool returns a pool.
func (s *Service) DescribeUserPool(ctx context.Context, in *UserPoolIDInput) (*UserPoolOutput, error) {
	if err := s.validate(ctx, "DescribeUserPool", in); err != nil {
		return nil, err
	}
	pool, err := s.getPool(ctx, s.store, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	d, err := s.PoolDomain(ctx, pool.ID)
	if err != nil {
		return nil, err
	}
	domain := ""
	if d != nil {
		domain = d.Domain
	}
	out := &UserPoolOutput{UserPool: s.describePool(pool, domain)}
	if out.UserPool.EstimatedNumberOfUsers, err = s.store.CountUsers(ctx, pool.ID); err != nil {
		return nil, asError(err)
	}
	return out, nil
}

func (s *Service) describePool(p *UserPool, domain string) *UserPoolType {
	st := p.Settings
	st.MFA = nil // GetUserPoolMfaConfig's, not a UserPoolType member
	return &UserPoolType{
		Id: p.ID, Name: p.Name, Arn: s.PoolARN(p.ID),
		CreationDate: Timestamp(p.CreationDate), LastModifiedDate: Timestamp(p.LastModifiedDate),
		PoolSettings: st, Domain: domain,
	}
}

// ListUserPools lists the pools of the caller's region.
func (s *Service) ListUserPools(ctx context.Context, in *ListUserPoolsInput) (*ListUserPoolsOutput, error) {
	if err := s.validate(ctx, "ListUserPools", in); err != nil {
		return nil, err
	}
	region, err := s.region(ctx)
	if err != nil {
		return nil, err
	}
	pools, next, err := page(s, "pools:"+region, in.NextToken, clampMaxResults(in.MaxResults, 60),
		func(after int64, limit int) ([]*UserPool, error) {
			return s.store.ListUserPools(ctx, region, after, limit)
		}, func(p *UserPool) int64 { return p.Seq })
	if err != nil {
		return nil, err
	}
	out := &ListUserPoolsOutput{UserPools: make([]UserPoolDescription, len(pools)), NextToken: next}
	for i, p := range pools {
		lc := p.Settings.LambdaConfig
		if len(lc) == 0 {
			lc = json.RawMessage("{}")
		}
		out.UserPools[i] = UserPoolDescription{Id: p.ID, Name: p.Name, LambdaConfig: lc,
			CreationDate: Timestamp(p.CreationDate), LastModifiedDate: Timestamp(p.LastModifiedDate)}
	}
	return out, nil
}

// UpdateUserPool replaces a pool's settings. Members that only
// CreateUserPool sets (username and alias attributes, schema, username
// case sensitivity) are kept.
func (s *Service) UpdateUserPool(ctx context.Context, in *UpdateUserPoolInput) (*Empty, error) {
	if err := s.validate(ctx, "UpdateUserPool", in); err != nil {
		return nil, err
	}
	if err := s.checkTags(in.UserPoolTags); err != nil {
		return nil, err
	}
	err := s.update(ctx, func(tx Tx) error {
		pool, err := s.getPool(ctx, tx, in.UserPoolId)
		if err != nil {
			return err
		}
		next, err := newPoolSettings(&CreateUserPoolInput{
			PoolSettingsInput:     in.PoolSettingsInput,
			AliasAttributes:       pool.Settings.AliasAttributes,
			UsernameAttributes:    pool.Settings.UsernameAttributes,
			UsernameConfiguration: pool.Settings.UsernameConfiguration,
		}, pool.Settings.MFA, s.checkLambdaConfig)
		if err != nil {
			return err
		}
		next.SchemaAttributes = pool.Settings.SchemaAttributes
		pool.Settings = next
		if in.PoolName != "" {
			pool.Name = in.PoolName
		}
		pool.LastModifiedDate = s.now().UTC()
		return tx.UpdateUserPool(ctx, pool)
	})
	return empty(err)
}

// DeleteUserPool deletes a pool and everything in it, unless deletion
// protection is on.
func (s *Service) DeleteUserPool(ctx context.Context, in *UserPoolIDInput) (*Empty, error) {
	if err := s.validate(ctx, "DeleteUserPool", in); err != nil {
		return nil, err
	}
	err := s.update(ctx, func(tx Tx) error {
		pool, err := s.getPool(ctx, tx, in.UserPoolId)
		if err != nil {
			return err
		}
		if pool.Settings.DeletionProtection == "ACTIVE" {
			return ErrInvalidParameter.WithMessage(msgDeletionProtected)
		}
		// Cognito refuses to delete a pool whose domain still exists;
		// clients and resource servers go with the pool.
		if _, err := tx.GetDomainByPool(ctx, pool.ID); err == nil {
			return ErrInvalidParameter.WithMessage(msgPoolHasDomainOnDelete)
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		return tx.DeleteUserPool(ctx, pool.ID)
	})
	if err != nil {
		return nil, err
	}
	if s.poolDeleted != nil {
		s.poolDeleted(in.UserPoolId)
	}
	return &Empty{}, nil
}

// newPoolSettings applies Cognito's defaults to what the caller sent.
// prevMFA is the pool's factors before an update (nil on create).
func newPoolSettings(in *CreateUserPoolInput, prevMFA *PoolMFA, checkLambda func(json.RawMessage) error) (PoolSettings, error) {
	p := in.PoolSettingsInput
	if err := refuseUnenforced(&p, checkLambda); err != nil {
		return PoolSettings{}, err
	}
	st := PoolSettings{
		Policies: p.Policies, DeletionProtection: p.DeletionProtection, LambdaConfig: p.LambdaConfig,
		AutoVerifiedAttributes: p.AutoVerifiedAttributes, AliasAttributes: in.AliasAttributes,
		UsernameAttributes: in.UsernameAttributes, SmsVerificationMessage: p.SmsVerificationMessage,
		EmailVerificationMessage: p.EmailVerificationMessage, EmailVerificationSubject: p.EmailVerificationSubject,
		VerificationMessageTemplate: p.VerificationMessageTemplate, SmsAuthenticationMessage: p.SmsAuthenticationMessage,
		UserAttributeUpdateSettings: p.UserAttributeUpdateSettings, MfaConfiguration: p.MfaConfiguration,
		DeviceConfiguration: p.DeviceConfiguration, EmailConfiguration: p.EmailConfiguration,
		SmsConfiguration: p.SmsConfiguration, UserPoolTags: p.UserPoolTags,
		AdminCreateUserConfig: p.AdminCreateUserConfig, UserPoolAddOns: p.UserPoolAddOns,
		UsernameConfiguration: in.UsernameConfiguration, AccountRecoverySetting: p.AccountRecoverySetting,
		UserPoolTier: p.UserPoolTier,
	}
	if st.Policies == nil {
		st.Policies = &UserPoolPolicy{}
	}
	if st.Policies.PasswordPolicy == nil {
		st.Policies.PasswordPolicy = &PasswordPolicy{MinimumLength: ptr[int32](8),
			RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true,
			TemporaryPasswordValidityDays: ptr[int32](7)}
	}
	if st.DeletionProtection == "" {
		st.DeletionProtection = "INACTIVE"
	}
	if st.MfaConfiguration == "" {
		st.MfaConfiguration = "OFF"
	}
	if st.LambdaConfig == nil {
		st.LambdaConfig = json.RawMessage("{}")
	}
	if st.AdminCreateUserConfig == nil {
		st.AdminCreateUserConfig = &AdminCreateUserConfig{UnusedAccountValidityDays: ptr[int32](7)}
	}
	if st.VerificationMessageTemplate == nil {
		st.VerificationMessageTemplate = json.RawMessage(`{"DefaultEmailOption":"CONFIRM_WITH_CODE"}`)
	}
	if st.EmailConfiguration == nil {
		st.EmailConfiguration = json.RawMessage(`{"EmailSendingAccount":"COGNITO_DEFAULT"}`)
	}
	if st.UserPoolTier == "" {
		st.UserPoolTier = "ESSENTIALS"
	}
	schema, err := mergeSchema(in.Schema)
	if err != nil {
		return PoolSettings{}, err
	}
	st.SchemaAttributes = schema
	if err := checkAttributeUpdateSettings(&st); err != nil {
		return PoolSettings{}, err
	}
	if err := applyPoolMFA(&st, prevMFA); err != nil {
		return PoolSettings{}, err
	}
	return st, nil
}

func ptr[T any](v T) *T { return &v }

// LookupPool returns a pool for the public endpoints (JWKS, discovery,
// OAuth), which have no caller and so no region: any pool by its ID. It is
// served from memory while nothing has changed.
func (s *Service) LookupPool(ctx context.Context, poolID string) (*UserPool, error) {
	// Only well-formed IDs are ever cached, so a cached pool needs no
	// pattern check: the token endpoint looks a pool up twice per request
	// (the route, then its quota tag) and pays for the regexp at most once.
	if p, ok := peekCached(&s.grants, &s.grants.pools, poolID, s.grants.gen.Load()); ok && p != nil {
		return p, nil
	}
	if !poolIDPattern.MatchString(poolID) {
		// Never looked up, never cached: the caches key on it.
		return nil, ErrResourceNotFound.WithMessagef(msgPoolNotFound, "")
	}
	p, err := cachedLookup(&s.grants, &s.grants.pools, poolID, func() (*UserPool, error) { return s.store.GetUserPool(ctx, poolID) })
	if err == nil && p == nil {
		return nil, ErrResourceNotFound.WithMessagef(msgPoolNotFound, poolID)
	}
	return p, err
}

// LookupDomain returns a prefix domain, served from memory while nothing
// has changed.
func (s *Service) LookupDomain(ctx context.Context, region, prefix string) (*Domain, error) {
	if len(prefix) > 63 || !ValidRegion(region) {
		return nil, ErrResourceNotFound.WithMessagef("Domain %s does not exist.", "")
	}
	d, err := cachedLookup(&s.grants, &s.grants.domains, region+"/"+prefix, func() (*Domain, error) { return s.store.GetDomain(ctx, region, prefix) })
	if err == nil && d == nil {
		return nil, ErrResourceNotFound.WithMessagef("Domain %s does not exist.", prefix)
	}
	return d, err
}

// PoolDomain returns a pool's domain, or nil when it has none.
func (s *Service) PoolDomain(ctx context.Context, poolID string) (*Domain, error) {
	d, err := s.store.GetDomainByPool(ctx, poolID)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	return d, asError(err)
}

// DomainSuffix is the suffix of pool domain hosts.
func (s *Service) DomainSuffix() string { return s.domainSuffix }
