package cognito

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strings"
)

// OAuth flows and the scopes Cognito defines itself.
const (
	FlowCode              = "code"
	FlowImplicit          = "implicit"
	FlowClientCredentials = "client_credentials"
)

// BuiltinScopes are the scopes every pool has; all other scopes are
// custom scopes "<resource server identifier>/<scope name>".
var BuiltinScopes = []string{"openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"}

// IsBuiltinScope reports whether s is one of BuiltinScopes.
func IsBuiltinScope(s string) bool { return slices.Contains(BuiltinScopes, s) }

// ClientInput holds the members CreateUserPoolClient and
// UpdateUserPoolClient share. Pointers tell "absent" from zero, because an
// absent member takes Cognito's default.
type ClientInput struct {
	RefreshTokenValidity                     *int32                `json:"RefreshTokenValidity,omitempty"`
	AccessTokenValidity                      *int32                `json:"AccessTokenValidity,omitempty"`
	IdTokenValidity                          *int32                `json:"IdTokenValidity,omitempty"`
	TokenValidityUnits                       *TokenValidityUnits   `json:"TokenValidityUnits,omitempty"`
	ReadAttributes                           []string              `json:"ReadAttributes,omitempty"`
	WriteAttributes                          []string              `json:"WriteAttributes,omitempty"`
	ExplicitAuthFlows                        []string              `json:"ExplicitAuthFlows,omitempty"`
	SupportedIdentityProviders               []string              `json:"SupportedIdentityProviders,omitempty"`
	CallbackURLs                             []string              `json:"CallbackURLs,omitempty"`
	LogoutURLs                               []string              `json:"LogoutURLs,omitempty"`
	DefaultRedirectURI                       *string               `json:"DefaultRedirectURI,omitempty"`
	AllowedOAuthFlows                        []string              `json:"AllowedOAuthFlows,omitempty"`
	AllowedOAuthScopes                       []string              `json:"AllowedOAuthScopes,omitempty"`
	AllowedOAuthFlowsUserPoolClient          *bool                 `json:"AllowedOAuthFlowsUserPoolClient,omitempty"`
	AnalyticsConfiguration                   json.RawMessage       `json:"AnalyticsConfiguration,omitempty"`
	PreventUserExistenceErrors               *string               `json:"PreventUserExistenceErrors,omitempty"`
	EnableTokenRevocation                    *bool                 `json:"EnableTokenRevocation,omitempty"`
	EnablePropagateAdditionalUserContextData *bool                 `json:"EnablePropagateAdditionalUserContextData,omitempty"`
	AuthSessionValidity                      *int32                `json:"AuthSessionValidity,omitempty"`
	RefreshTokenRotation                     *RefreshTokenRotation `json:"RefreshTokenRotation,omitempty"`
}

// Input is the ClientInput that, sent to UpdateUserPoolClient, keeps
// every setting as it is (UpdateUserPoolClient resets what it omits): for
// editors that change only some fields.
func (st *ClientSettings) Input() ClientInput {
	in := ClientInput{
		RefreshTokenValidity: ptr(st.RefreshTokenValidity), ReadAttributes: st.ReadAttributes, WriteAttributes: st.WriteAttributes,
		ExplicitAuthFlows: st.ExplicitAuthFlows, SupportedIdentityProviders: st.SupportedIdentityProviders,
		CallbackURLs: st.CallbackURLs, LogoutURLs: st.LogoutURLs, AllowedOAuthFlows: st.AllowedOAuthFlows, AllowedOAuthScopes: st.AllowedOAuthScopes,
		AllowedOAuthFlowsUserPoolClient: ptr(st.AllowedOAuthFlowsUserPoolClient), AnalyticsConfiguration: st.AnalyticsConfiguration,
		EnableTokenRevocation: ptr(st.EnableTokenRevocation), EnablePropagateAdditionalUserContextData: ptr(st.EnablePropagateAdditionalUserContextData),
		AuthSessionValidity: ptr(st.AuthSessionValidity), RefreshTokenRotation: st.RefreshTokenRotation,
	}
	if st.AccessTokenValidity != nil {
		in.AccessTokenValidity = ptr(*st.AccessTokenValidity)
	}
	if st.IdTokenValidity != nil {
		in.IdTokenValidity = ptr(*st.IdTokenValidity)
	}
	if st.TokenValidityUnits != nil {
		in.TokenValidityUnits = ptr(*st.TokenValidityUnits)
	}
	if st.DefaultRedirectURI != "" {
		in.DefaultRedirectURI = ptr(st.DefaultRedirectURI)
	}
	if st.PreventUserExistenceErrors != "" {
		in.PreventUserExistenceErrors = ptr(st.PreventUserExistenceErrors)
	}
	return in
}

// CreateUserPoolClientInput is CreateUserPoolClientRequest.
type CreateUserPoolClientInput struct {
	UserPoolId     string  `json:"UserPoolId,omitempty"`
	ClientName     string  `json:"ClientName,omitempty"`
	GenerateSecret *bool   `json:"GenerateSecret,omitempty"`
	ClientSecret   *string `json:"ClientSecret,omitempty"`
	ClientInput
}

// UpdateUserPoolClientInput is UpdateUserPoolClientRequest. As in
// Cognito, it replaces the client's settings: members left out return to
// their defaults (the name is kept when omitted).
type UpdateUserPoolClientInput struct {
	UserPoolId string  `json:"UserPoolId,omitempty"`
	ClientId   string  `json:"ClientId,omitempty"`
	ClientName *string `json:"ClientName,omitempty"`
	ClientInput
}

// ClientIDInput names one client of a pool.
type ClientIDInput struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
	ClientId   string `json:"ClientId,omitempty"`
}

// UserPoolClientType is an app client as Cognito returns it.
type UserPoolClientType struct {
	UserPoolId       string    `json:"UserPoolId"`
	ClientId         string    `json:"ClientId"`
	ClientSecret     *string   `json:"ClientSecret,omitempty"`
	LastModifiedDate Timestamp `json:"LastModifiedDate"`
	CreationDate     Timestamp `json:"CreationDate"`
	ClientSettings
}

// UserPoolClientOutput wraps a client: {"UserPoolClient": {...}}.
type UserPoolClientOutput struct {
	UserPoolClient *UserPoolClientType `json:"UserPoolClient"`
}

// ListUserPoolClientsInput is ListUserPoolClientsRequest.
type ListUserPoolClientsInput struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
	MaxResults *int32 `json:"MaxResults,omitempty"`
	NextToken  string `json:"NextToken,omitempty"`
}

// UserPoolClientDescription is UserPoolClientDescription.
type UserPoolClientDescription struct {
	ClientId   string `json:"ClientId"`
	UserPoolId string `json:"UserPoolId"`
	ClientName string `json:"ClientName"`
}

// ListUserPoolClientsOutput is ListUserPoolClientsResponse.
type ListUserPoolClientsOutput struct {
	UserPoolClients []UserPoolClientDescription `json:"UserPoolClients"`
	NextToken       *string                     `json:"NextToken,omitempty"`
}

func clientSecretPurpose(clientID string) string { return "client-secret:" + clientID }

// CreateUserPoolClient creates an app client.
func (s *Service) CreateUserPoolClient(ctx context.Context, in *CreateUserPoolClientInput) (*UserPoolClientOutput, error) {
	if err := s.validate(ctx, "CreateUserPoolClient", in); err != nil {
		return nil, err
	}
	secret := ""
	switch {
	case in.ClientSecret != nil:
		if in.GenerateSecret != nil && !*in.GenerateSecret {
			return nil, ErrInvalidParameter.WithMessage(msgSecretWithoutGenerate)
		}
		secret = *in.ClientSecret
	case in.GenerateSecret != nil && *in.GenerateSecret:
		secret = NewClientSecret()
	}
	now := s.now().UTC()
	client := &AppClient{UserPoolID: in.UserPoolId, CreationDate: now, LastModifiedDate: now}
	err := s.update(ctx, func(tx Tx) error {
		pool, err := s.getPool(ctx, tx, in.UserPoolId)
		if err != nil {
			return err
		}
		settings, err := s.clientSettings(ctx, tx, pool, in.ClientName, &in.ClientInput, secret != "")
		if err != nil {
			return err
		}
		client.Settings = settings
		n, err := tx.CountAppClients(ctx, pool.ID)
		if err != nil {
			return err
		}
		if n >= s.limits.AppClientsPerPool {
			return ErrLimitExceeded.WithMessagef(msgLimitAppClients, s.limits.AppClientsPerPool)
		}
		for attempt := 0; ; attempt++ {
			client.ClientID = NewClientID()
			client.SealedSecret = nil
			if secret != "" {
				client.SealedSecret = s.sealer.Seal(clientSecretPurpose(client.ClientID), []byte(secret))
			}
			err := tx.CreateAppClient(ctx, client)
			if !errors.Is(err, ErrAlreadyExists) || attempt == 5 {
				return err
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return &UserPoolClientOutput{UserPoolClient: describeClient(client, secret)}, nil
}

// DescribeUserPoolClient returns a client, with its secret.
func (s *Service) DescribeUserPoolClient(ctx context.Context, in *ClientIDInput) (*UserPoolClientOutput, error) {
	if err := s.validate(ctx, "DescribeUserPoolClient", in); err != nil {
		return nil, err
	}
	c, err := s.getClient(ctx, s.store, in.UserPoolId, in.ClientId)
	if err != nil {
		return nil, err
	}
	secret, err := s.ClientSecret(c)
	if err != nil {
		return nil, err
	}
	return &UserPoolClientOutput{UserPoolClient: describeClient(c, secret)}, nil
}

// ClientSecret opens a client's sealed secret ("" for a public client).
func (s *Service) ClientSecret(c *AppClient) (string, error) {
	if !c.HasSecret() {
		return "", nil
	}
	b, err := s.sealer.Open(clientSecretPurpose(c.ClientID), c.SealedSecret)
	if err != nil {
		return "", asError(err)
	}
	return string(b), nil
}

func describeClient(c *AppClient, secret string) *UserPoolClientType {
	out := &UserPoolClientType{UserPoolId: c.UserPoolID, ClientId: c.ClientID,
		CreationDate: Timestamp(c.CreationDate), LastModifiedDate: Timestamp(c.LastModifiedDate), ClientSettings: c.Settings}
	if secret != "" {
		out.ClientSecret = &secret
	}
	return out
}

// UpdateUserPoolClient replaces a client's settings.
func (s *Service) UpdateUserPoolClient(ctx context.Context, in *UpdateUserPoolClientInput) (*UserPoolClientOutput, error) {
	if err := s.validate(ctx, "UpdateUserPoolClient", in); err != nil {
		return nil, err
	}
	var client *AppClient
	err := s.update(ctx, func(tx Tx) error {
		c, err := s.getClient(ctx, tx, in.UserPoolId, in.ClientId)
		if err != nil {
			return err
		}
		pool, err := s.getPool(ctx, tx, in.UserPoolId)
		if err != nil {
			return err
		}
		name := c.Settings.ClientName
		if in.ClientName != nil {
			name = *in.ClientName
		}
		settings, err := s.clientSettings(ctx, tx, pool, name, &in.ClientInput, c.HasSecret())
		if err != nil {
			return updatingClient(err)
		}
		c.Settings = settings
		c.LastModifiedDate = s.now().UTC()
		client = c
		return tx.UpdateAppClient(ctx, c)
	})
	if err != nil {
		return nil, err
	}
	secret, err := s.ClientSecret(client)
	if err != nil {
		return nil, err
	}
	return &UserPoolClientOutput{UserPoolClient: describeClient(client, secret)}, nil
}

// ListUserPoolClients lists a pool's clients.
func (s *Service) ListUserPoolClients(ctx context.Context, in *ListUserPoolClientsInput) (*ListUserPoolClientsOutput, error) {
	if err := s.validate(ctx, "ListUserPoolClients", in); err != nil {
		return nil, err
	}
	pool, err := s.getPool(ctx, s.store, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	clients, next, err := page(s, "clients:"+pool.ID, in.NextToken, clampMaxResults(in.MaxResults, 60),
		func(after int64, limit int) ([]*AppClient, error) {
			return s.store.ListAppClients(ctx, pool.ID, after, limit)
		}, func(c *AppClient) int64 { return c.Seq })
	if err != nil {
		return nil, err
	}
	out := &ListUserPoolClientsOutput{UserPoolClients: make([]UserPoolClientDescription, len(clients)), NextToken: next}
	for i, c := range clients {
		out.UserPoolClients[i] = UserPoolClientDescription{ClientId: c.ClientID, UserPoolId: c.UserPoolID, ClientName: c.Settings.ClientName}
	}
	return out, nil
}

// DeleteUserPoolClient deletes a client.
func (s *Service) DeleteUserPoolClient(ctx context.Context, in *ClientIDInput) (*Empty, error) {
	if err := s.validate(ctx, "DeleteUserPoolClient", in); err != nil {
		return nil, err
	}
	err := s.update(ctx, func(tx Tx) error {
		if _, err := s.getClient(ctx, tx, in.UserPoolId, in.ClientId); err != nil {
			return err
		}
		// The client's hosted-UI customization goes with it.
		if err := tx.DeleteUICustomization(ctx, in.UserPoolId, in.ClientId); err != nil {
			return err
		}
		return tx.DeleteAppClient(ctx, in.UserPoolId, in.ClientId)
	})
	return empty(err)
}

// getClient returns a client of a pool visible to the caller.
func (s *Service) getClient(ctx context.Context, r Reader, poolID, clientID string) (*AppClient, error) {
	if _, err := s.getPool(ctx, r, poolID); err != nil {
		return nil, err
	}
	c, err := r.GetAppClient(ctx, clientID)
	if errors.Is(err, ErrNotFound) || (err == nil && c.UserPoolID != poolID) {
		return nil, ErrResourceNotFound.WithMessagef(msgClientNotFound, clientID)
	}
	if err != nil {
		return nil, asError(err)
	}
	return c, nil
}

// clientSettings applies Cognito's defaults and cross-field rules to a
// create or update request.
func (s *Service) clientSettings(ctx context.Context, r Reader, pool *UserPool, name string, in *ClientInput, hasSecret bool) (ClientSettings, error) {
	st := ClientSettings{
		ClientName:                 name,
		RefreshTokenValidity:       30,
		AccessTokenValidity:        in.AccessTokenValidity,
		IdTokenValidity:            in.IdTokenValidity,
		TokenValidityUnits:         in.TokenValidityUnits,
		ReadAttributes:             in.ReadAttributes,
		WriteAttributes:            in.WriteAttributes,
		ExplicitAuthFlows:          in.ExplicitAuthFlows,
		SupportedIdentityProviders: in.SupportedIdentityProviders,
		CallbackURLs:               in.CallbackURLs,
		LogoutURLs:                 in.LogoutURLs,
		AllowedOAuthFlows:          in.AllowedOAuthFlows,
		AllowedOAuthScopes:         in.AllowedOAuthScopes,
		AnalyticsConfiguration:     in.AnalyticsConfiguration,
		EnableTokenRevocation:      true,
		AuthSessionValidity:        3,
		RefreshTokenRotation:       in.RefreshTokenRotation,
	}
	// RefreshTokenValidity 0 means the default, 30 days (service model).
	if in.RefreshTokenValidity != nil && *in.RefreshTokenValidity != 0 {
		st.RefreshTokenValidity = *in.RefreshTokenValidity
	}
	if in.DefaultRedirectURI != nil {
		st.DefaultRedirectURI = *in.DefaultRedirectURI
	}
	if in.AllowedOAuthFlowsUserPoolClient != nil {
		st.AllowedOAuthFlowsUserPoolClient = *in.AllowedOAuthFlowsUserPoolClient
	}
	if in.PreventUserExistenceErrors != nil {
		st.PreventUserExistenceErrors = *in.PreventUserExistenceErrors
	}
	if in.EnableTokenRevocation != nil {
		st.EnableTokenRevocation = *in.EnableTokenRevocation
	}
	if in.EnablePropagateAdditionalUserContextData != nil {
		st.EnablePropagateAdditionalUserContextData = *in.EnablePropagateAdditionalUserContextData
	}
	if in.AuthSessionValidity != nil {
		st.AuthSessionValidity = *in.AuthSessionValidity
	}
	if err := checkTokenValidity(&st); err != nil {
		return st, err
	}
	if err := checkExplicitAuthFlows(st.ExplicitAuthFlows, st.RefreshTokenRotation); err != nil {
		return st, err
	}
	if err := checkAttributes(pool, st.ReadAttributes, msgInvalidReadAttributes); err != nil {
		return st, err
	}
	if err := checkAttributes(pool, st.WriteAttributes, msgInvalidWriteAttributes); err != nil {
		return st, err
	}
	for _, p := range st.SupportedIdentityProviders {
		if p != "COGNITO" {
			return st, ErrInvalidParameter.WithMessagef(msgUnknownIdentityProvider, p, pool.ID)
		}
	}
	for _, list := range [][]string{st.CallbackURLs, st.LogoutURLs} {
		for _, u := range list {
			if err := checkRedirectURL(u); err != nil {
				return st, err
			}
		}
	}
	if st.DefaultRedirectURI != "" {
		if err := checkRedirectURL(st.DefaultRedirectURI); err != nil {
			return st, err
		}
		if !slices.Contains(st.CallbackURLs, st.DefaultRedirectURI) {
			return st, ErrInvalidParameter.WithMessage(msgDefaultRedirectNotInList)
		}
	}
	if err := checkOAuthFlows(&st, hasSecret); err != nil {
		return st, err
	}
	// Scopes must exist when they are attached; a scope deleted later
	// stays on the client, inactive (see ResolveScopes).
	for _, sc := range st.AllowedOAuthScopes {
		if IsBuiltinScope(sc) {
			continue
		}
		ok, err := customScopeExists(ctx, r, pool.ID, sc)
		if err != nil {
			return st, err
		}
		if !ok {
			return st, ErrScopeDoesNotExist.WithMessagef(msgInvalidScope, sc)
		}
	}
	return st, nil
}

func checkOAuthFlows(st *ClientSettings, hasSecret bool) error {
	if st.AllowedOAuthFlowsUserPoolClient && (len(st.AllowedOAuthFlows) == 0 || len(st.AllowedOAuthScopes) == 0) {
		return ErrInvalidParameter.WithMessage(msgOAuthNeedsFlowsAndScopes)
	}
	cc := slices.Contains(st.AllowedOAuthFlows, FlowClientCredentials)
	interactive := slices.Contains(st.AllowedOAuthFlows, FlowCode) || slices.Contains(st.AllowedOAuthFlows, FlowImplicit)
	if cc {
		if !hasSecret {
			return ErrInvalidOAuthFlow.WithMessage(msgClientCredentialsSecret)
		}
		if interactive {
			return ErrInvalidOAuthFlow.WithMessage(msgClientCredentialsAlone)
		}
		for _, sc := range st.AllowedOAuthScopes {
			if IsBuiltinScope(sc) {
				return ErrInvalidOAuthFlow.WithMessagef(msgClientCredentialsBuiltin, sc)
			}
		}
	}
	if interactive && len(st.CallbackURLs) == 0 {
		return ErrInvalidOAuthFlow.WithMessage(msgCallbackURLsRequired)
	}
	return nil
}

// checkRedirectURL applies Cognito's callback and sign-out URL rules:
// absolute, no fragment, and HTTPS except for http://localhost,
// http://127.0.0.1 and http://[::1] on any port; app schemes such as
// myapp://callback are allowed.
// SafeRedirectScheme reports whether a URL scheme may be a callback or
// logout URL: https, http (checkRedirectURL limits it to loopback hosts) and
// app schemes (myapp://...), but never a scheme a browser runs or reads
// locally when it follows the redirect: javascript: and vbscript: run
// script in the hosted UI's origin, data: renders attacker content, file:
// reads the user's disk. The match is case-insensitive, as browsers' is.
func SafeRedirectScheme(scheme string) bool {
	switch strings.ToLower(scheme) {
	case "javascript", "vbscript", "data", "file":
		return false
	}
	return scheme != ""
}

// RedirectURLAllowed reports whether raw passes the rules a callback or
// logout URL is held to when a client is written. The redirecting
// endpoints check it again, so that a URL stored before these rules (or
// written into the database by hand) is still never followed.
func RedirectURLAllowed(raw string) bool { return checkRedirectURL(raw) == nil }

func checkRedirectURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || (u.Host == "" && u.Opaque == "" && u.Path == "") {
		return ErrInvalidParameter.WithMessagef(msgURLInvalid, raw)
	}
	if u.Fragment != "" || strings.Contains(raw, "#") {
		return ErrInvalidParameter.WithMessagef(msgURLFragment, raw)
	}
	if !SafeRedirectScheme(u.Scheme) {
		return ErrInvalidParameter.WithMessagef(msgURLUnsafeScheme, raw, strings.ToUpper(u.Scheme))
	}
	if strings.EqualFold(u.Scheme, "http") {
		switch u.Hostname() {
		case "localhost", "127.0.0.1", "::1":
		default:
			return ErrInvalidParameter.WithMessagef(msgURLNoHTTP, raw)
		}
	}
	if (strings.EqualFold(u.Scheme, "http") || strings.EqualFold(u.Scheme, "https")) && u.Host == "" {
		return ErrInvalidParameter.WithMessagef(msgURLInvalid, raw)
	}
	return nil
}

// Token lifetimes: access and ID tokens 5 minutes to 1 day, refresh tokens
// 1 hour to 10 years (Cognito developer guide, "Quotas"). Units default to
// hours for access and ID tokens and days for refresh tokens.
func checkTokenValidity(st *ClientSettings) error {
	const minute, hour, day = 60, 3600, 86400
	c := &AppClient{Settings: *st}
	access, id, refresh := c.AccessTokenTTLSeconds(), c.IDTokenTTLSeconds(), c.RefreshTokenTTLSeconds()
	switch {
	case st.AccessTokenValidity != nil && (access < 5*minute || access > day),
		st.IdTokenValidity != nil && (id < 5*minute || id > day),
		refresh < hour || refresh > 3650*day:
		return ErrInvalidParameter.WithMessage(msgTokenValidityRange)
	case refresh < access || refresh < id:
		return ErrInvalidParameter.WithMessage(msgRefreshShorterThanTokens)
	}
	return nil
}

func unitSeconds(unit string) int64 {
	switch unit {
	case "seconds":
		return 1
	case "minutes":
		return 60
	case "days":
		return 86400
	default:
		return 3600
	}
}

// AccessTokenTTLSeconds is the lifetime of the client's access tokens.
func (c *AppClient) AccessTokenTTLSeconds() int64 {
	return tokenTTL(c.Settings.AccessTokenValidity, c.Settings.TokenValidityUnits, func(u *TokenValidityUnits) string { return u.AccessToken })
}

// IDTokenTTLSeconds is the lifetime of the client's ID tokens.
func (c *AppClient) IDTokenTTLSeconds() int64 {
	return tokenTTL(c.Settings.IdTokenValidity, c.Settings.TokenValidityUnits, func(u *TokenValidityUnits) string { return u.IdToken })
}

// RefreshTokenTTLSeconds is the lifetime of the client's refresh tokens.
func (c *AppClient) RefreshTokenTTLSeconds() int64 {
	unit := "days"
	if u := c.Settings.TokenValidityUnits; u != nil && u.RefreshToken != "" {
		unit = u.RefreshToken
	}
	return int64(c.Settings.RefreshTokenValidity) * unitSeconds(unit)
}

func tokenTTL(v *int32, units *TokenValidityUnits, pick func(*TokenValidityUnits) string) int64 {
	if v == nil {
		return 3600
	}
	unit := "hours"
	if units != nil && pick(units) != "" {
		unit = pick(units)
	}
	return int64(*v) * unitSeconds(unit)
}

// legacyAuthFlows are the pre-2019 ExplicitAuthFlows values, which cannot
// be mixed with the ALLOW_ ones.
var legacyAuthFlows = []string{"ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH"}

// checkExplicitAuthFlows refuses lists Cognito refuses: legacy and ALLOW_
// values mixed, and ALLOW_ values without ALLOW_REFRESH_TOKEN_AUTH ("should
// always be allowed", so every client that signs in can refresh). A client
// that rotates refresh tokens refreshes through GetTokensFromRefreshToken,
// which does not need the flag.
func checkExplicitAuthFlows(flows []string, rotation *RefreshTokenRotation) error {
	legacy, modern := false, false
	for _, f := range flows {
		if slices.Contains(legacyAuthFlows, f) {
			legacy = true
		} else {
			modern = true
		}
	}
	if legacy && modern {
		return ErrInvalidParameter.WithMessage(msgMixedExplicitAuthFlows)
	}
	rotates := rotation != nil && rotation.Feature == "ENABLED"
	if modern && !rotates && !slices.Contains(flows, "ALLOW_REFRESH_TOKEN_AUTH") {
		return ErrInvalidParameter.WithMessage(msgRefreshAlwaysAllowed)
	}
	return nil
}

func checkAttributes(pool *UserPool, attrs []string, msg string) error {
	for _, a := range attrs {
		found := false
		for _, sa := range pool.Settings.SchemaAttributes {
			if sa.Name == a {
				found = true
				break
			}
		}
		if !found {
			return ErrInvalidParameter.WithMessage(msg)
		}
	}
	return nil
}
