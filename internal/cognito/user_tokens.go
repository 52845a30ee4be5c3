package cognito

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"slices"
	"time"
)

// signOut revokes every token a user holds: refresh tokens now, and
// access tokens through SignedOutAt. Tokens carry whole seconds, so the
// sign-out is recorded at the start of the next second: every token issued
// up to now has an earlier iat.
func (s *Service) signOut(ctx context.Context, tx Tx, u *User) error {
	at := s.now().UTC().Truncate(time.Second).Add(time.Second)
	u.SignedOutAt = at
	if err := tx.UpdateUser(ctx, u); err != nil {
		return err
	}
	return tx.RevokeRefreshTokens(ctx, u.UserPoolID, u.Sub, "", at)
}

// AccessTokenInput is GetUserRequest and GlobalSignOutRequest.
type AccessTokenInput struct {
	AccessToken string `json:"AccessToken,omitempty"`
}

// GetUserOutput is GetUserResponse.
type GetUserOutput struct {
	Username        string      `json:"Username"`
	UserAttributes  []Attribute `json:"UserAttributes"`
	userMFASettings             // mfa_user.go
}

// RevokeTokenInput is RevokeTokenRequest.
type RevokeTokenInput struct {
	Token        string `json:"Token,omitempty"`
	ClientId     string `json:"ClientId,omitempty"`
	ClientSecret string `json:"ClientSecret,omitempty"`
}

// IssueOptions chooses what IssueUserTokens issues.
type IssueOptions struct {
	IDToken bool
	Refresh bool
	Nonce   string
	AtHash  bool
	// AuthTime is the original sign-in (zero: now).
	AuthTime time.Time
	// OriginJTI continues an earlier sign-in (a refresh).
	OriginJTI string
	// Source is the pre token generation trigger source
	// (SourceTokenRefresh, ...); "" means TokenGeneration_Authentication.
	Source string
}

// IssueUserTokens mints a signed-in user's tokens and stores the refresh
// token's hash.
func (s *Service) IssueUserTokens(ctx context.Context, pool *UserPool, client *AppClient, u *User, scopes []string, o IssueOptions) (*AuthenticationResult, error) {
	if s.tokens == nil {
		return nil, asError(errors.New("cognito: no token signer configured"))
	}
	now := s.now().UTC()
	if o.AuthTime.IsZero() {
		o.AuthTime = now
	}
	if o.OriginJTI == "" {
		o.OriginJTI = NewUUID()
	}
	// Groups are read at every issue, so a membership change reaches the
	// next sign-in or refresh.
	gc, err := s.userGroupClaims(ctx, pool.ID, u.Sub)
	if err != nil {
		return nil, err
	}
	accessTTL := time.Duration(client.AccessTokenTTLSeconds()) * time.Second
	req := UserTokens{Groups: gc.groups, Roles: gc.roles, PreferredRole: gc.preferredRole,
		PoolID: pool.ID, ClientID: client.ClientID, User: u, Scopes: scopes, AuthTime: o.AuthTime,
		OriginJTI: o.OriginJTI, EventID: NewUUID(), AccessLifetime: accessTTL,
		IDLifetime: time.Duration(client.IDTokenTTLSeconds()) * time.Second, WithIDToken: o.IDToken,
		IDAttributes: readableAttributes(client, u, scopes), Nonce: o.Nonce, AtHash: o.AtHash}
	if err := s.preTokenGeneration(ctx, pool, o.Source, &req); err != nil { // triggers_tokens.go
		return nil, err
	}
	access, id, err := s.tokens.MintUserTokens(ctx, req)
	if err != nil {
		return nil, asError(err)
	}
	res := &AuthenticationResult{AccessToken: access, ExpiresIn: int64(accessTTL / time.Second), TokenType: "Bearer", IdToken: id}
	if o.Refresh {
		raw := make([]byte, 48)
		rand.Read(raw)
		refresh := base64.RawURLEncoding.EncodeToString(raw)
		rt := &RefreshToken{Hash: hashCode(refresh), UserPoolID: pool.ID, ClientID: client.ClientID, Sub: u.Sub, Scopes: scopes,
			OriginJTI: o.OriginJTI, AuthTime: o.AuthTime, CreationDate: now,
			Expires: now.Add(time.Duration(client.RefreshTokenTTLSeconds()) * time.Second)}
		if err := s.updateUncached(ctx, func(tx Tx) error { return tx.CreateRefreshToken(ctx, rt) }); err != nil {
			return nil, err
		}
		res.RefreshToken = refresh
	}
	return res, nil
}

// readableAttributes are the attributes an ID token carries: every
// attribute the client's ReadAttributes name (all when it names none),
// whatever the OAuth scopes: "the openid scope returns all user attributes
// in the ID token that are readable by the client" (developer guide,
// "Authorize endpoint"). Custom attributes stay strings.
func readableAttributes(c *AppClient, u *User, _ []string) []Attribute {
	var out []Attribute
	for _, a := range u.Attributes {
		if a.Name == "sub" || !clientReads(c, a.Name) {
			continue
		}
		out = append(out, a)
	}
	return out
}

// activeOf keeps the built-in scopes and the custom scopes still defined.
// When the store cannot say which are defined it fails: a deleted scope
// must never reach a token.
func (s *Service) activeOf(ctx context.Context, poolID string, scopes []string) ([]string, error) {
	active, err := s.grants.activeScopes(ctx, s, poolID)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, sc := range scopes {
		if IsBuiltinScope(sc) || active[sc] {
			out = append(out, sc)
		}
	}
	return out, nil
}

// CheckAccessToken verifies an access token and that it is not revoked
// (GlobalSignOut, RevokeToken), and returns its claims and user.
func (s *Service) CheckAccessToken(ctx context.Context, token string, requiredScope string) (*AccessClaims, *User, error) {
	if s.tokens == nil {
		return nil, nil, asError(errors.New("cognito: no token checker configured"))
	}
	c, err := s.tokens.VerifyAccessToken(ctx, token)
	if err != nil {
		if errors.Is(err, ErrAccessTokenExpired) {
			return nil, nil, ErrNotAuthorized.WithMessage(msgAccessTokenExpired)
		}
		return nil, nil, ErrNotAuthorized.WithMessage(msgInvalidAccessToken)
	}
	if c.OriginJTI == "" || c.Username == "" {
		return nil, nil, ErrNotAuthorized.WithMessage(msgInvalidAccessToken) // a client credentials token
	}
	if requiredScope != "" && !slices.Contains(c.Scopes, requiredScope) {
		return nil, nil, ErrNotAuthorized.WithMessage(msgAccessTokenScopes)
	}
	u, err := s.store.GetUserBySub(ctx, c.PoolID, c.Sub)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, ErrUserNotFound
	}
	if err != nil {
		return nil, nil, asError(err)
	}
	// Sign-out is recorded at the start of the second after it happened;
	// tokens count whole seconds, so a token from before has an earlier iat.
	if !u.Enabled {
		return nil, nil, ErrNotAuthorized.WithMessage(msgUserDisabled)
	}
	revoked := !u.SignedOutAt.IsZero() && c.IssuedAt.Before(u.SignedOutAt)
	if rt, err := s.store.GetRefreshTokenByOriginJTI(ctx, c.PoolID, c.OriginJTI); err == nil && !rt.RevokedAt.IsZero() {
		revoked = true
	}
	if revoked {
		return nil, nil, ErrNotAuthorized.WithMessage(msgAccessTokenRevoked)
	}
	return c, u, nil
}

// signedInUser checks an access token with aws.cognito.signin.user.admin
// (CheckAccessToken: signature, expiry, revocation, an enabled user) and
// returns its claims, user, pool and client: the one check behind every
// operation a user calls with their access token.
func (s *Service) signedInUser(ctx context.Context, token string) (*AccessClaims, *User, *UserPool, *AppClient, error) {
	c, u, err := s.CheckAccessToken(ctx, token, ScopeAdmin)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	pool, err := s.LookupPool(ctx, c.PoolID)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	client, err := s.LookupClient(ctx, c.PoolID, c.ClientID)
	if err != nil {
		return nil, nil, nil, nil, ErrNotAuthorized.WithMessage(msgInvalidAccessToken) // the client is gone
	}
	return c, u, pool, client, nil
}

// GetUser returns the signed-in user's own attributes.
func (s *Service) GetUser(ctx context.Context, in *AccessTokenInput) (*GetUserOutput, error) {
	if err := s.validate(ctx, "GetUser", in); err != nil {
		return nil, err
	}
	_, u, _, client, err := s.signedInUser(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	mfa, err := s.mfaSettingsOf(ctx, u)
	if err != nil {
		return nil, err
	}
	// The client sees only the attributes it may read (sub always).
	out := &GetUserOutput{Username: u.Username, UserAttributes: []Attribute{}, userMFASettings: mfa}
	for _, a := range u.Attributes {
		if a.Name == "sub" || clientReads(client, a.Name) {
			out.UserAttributes = append(out.UserAttributes, a)
		}
	}
	return out, nil
}

// GlobalSignOut revokes every token of the signed-in user.
func (s *Service) GlobalSignOut(ctx context.Context, in *AccessTokenInput) (*Empty, error) {
	if err := s.validate(ctx, "GlobalSignOut", in); err != nil {
		return nil, err
	}
	c, u, err := s.CheckAccessToken(ctx, in.AccessToken, ScopeAdmin)
	if err != nil {
		return nil, err
	}
	err = s.updateUncached(ctx, func(tx Tx) error {
		cur, err := tx.GetUserBySub(ctx, c.PoolID, u.Sub)
		if err != nil {
			return err
		}
		return s.signOut(ctx, tx, cur)
	})
	return empty(err)
}

// RevokeToken revokes a refresh token and the access and ID tokens issued
// with it or from it.
func (s *Service) RevokeToken(ctx context.Context, in *RevokeTokenInput) (*Empty, error) {
	if err := s.validate(ctx, "RevokeToken", in); err != nil {
		return nil, err
	}
	if _, _, err := s.appClient(ctx, in.ClientId); err != nil {
		return nil, err
	}
	c, err := s.authenticateClient(ctx, "", ClientAuth{ClientID: in.ClientId, Secret: in.ClientSecret})
	if refused := (*GrantError)(nil); errors.As(err, &refused) {
		return nil, ErrUnauthorized.WithMessage(msgRevokeBadClient)
	}
	if err != nil {
		return nil, err
	}
	return empty(s.RevokeRefreshToken(ctx, c.client, in.Token))
}

// RevokeRefreshToken revokes token for an authenticated client; it is
// shared by RevokeToken and /oauth2/revoke. An unknown token is not an
// error (RFC 7009 section 2.2).
func (s *Service) RevokeRefreshToken(ctx context.Context, client *AppClient, token string) error {
	if !client.Settings.EnableTokenRevocation {
		return ErrUnsupportedOperation.WithMessage(msgRevocationDisabled)
	}
	rt, err := s.store.GetRefreshToken(ctx, hashCode(token))
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return asError(err)
	}
	if rt.ClientID != client.ClientID {
		return ErrUnauthorized.WithMessage(msgRevokeBadClient)
	}
	return s.updateUncached(ctx, func(tx Tx) error {
		return tx.RevokeRefreshTokens(ctx, rt.UserPoolID, rt.Sub, rt.Hash, s.now().UTC())
	})
}
