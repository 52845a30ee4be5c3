package cognito

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"time"
)

// AuthorizeRequest is a parsed /oauth2/authorize (or /login) request.
type AuthorizeRequest struct {
	ResponseType        string
	ClientID            string
	RedirectURI         string
	State               string
	Scope               *string // nil: no scope parameter
	Nonce               string
	CodeChallenge       string
	CodeChallengeMethod string
	IdentityProvider    string
}

// AuthorizeError is a refusal at the authorization endpoint. When
// Redirect is false the redirect URI cannot be trusted and the error is
// shown on a page; otherwise it goes back to the client as error= (and
// error_description=) with the state.
type AuthorizeError struct {
	Redirect    bool
	Code        string
	Description string
}

func (e *AuthorizeError) Error() string { return "authorize: " + e.Code + " " + e.Description }

// Authorization is an authorize request that passed every rule.
type Authorization struct {
	Pool   *UserPool
	Client *AppClient
	Req    AuthorizeRequest
	// Scopes are the granted scopes: the requested ones (all the client's
	// when none were requested) less custom scopes no longer defined.
	Scopes []string
}

// CheckAuthorize applies Cognito's authorization endpoint rules
// (developer guide, "Authorize endpoint"): the client must exist in the
// pool and the redirect URI match one of its callback URLs exactly before
// anything is redirected; then the response type, flows, scopes and PKCE
// parameters are checked, their errors sent to the redirect URI.
func (s *Service) CheckAuthorize(ctx context.Context, poolID string, req AuthorizeRequest) (*Authorization, error) {
	page := func(code, desc string) error { return &AuthorizeError{Code: code, Description: desc} }
	back := func(code, desc string) error { return &AuthorizeError{Redirect: true, Code: code, Description: desc} }
	if req.ClientID == "" {
		return nil, page("invalid_request", "client_id is missing")
	}
	client, pool, err := s.appClient(ctx, req.ClientID)
	var ce *Error
	if errors.As(err, &ce) && ce.Type == ErrResourceNotFound.Type || err == nil && pool.ID != poolID {
		return nil, page("invalid_client", "unknown client_id")
	}
	if err != nil {
		return nil, err
	}
	if req.RedirectURI == "" || !slices.Contains(client.Settings.CallbackURLs, req.RedirectURI) || !RedirectURLAllowed(req.RedirectURI) {
		return nil, page("redirect_mismatch", "redirect_uri is not one of the client's callback URLs")
	}
	if req.ResponseType != "code" && req.ResponseType != "token" {
		return nil, back("invalid_request", "response_type must be code or token")
	}
	flow := FlowCode
	if req.ResponseType == "token" {
		flow = FlowImplicit
	}
	if !client.Settings.AllowedOAuthFlowsUserPoolClient || !slices.Contains(client.Settings.AllowedOAuthFlows, flow) {
		return nil, back("unauthorized_client", "")
	}
	if req.IdentityProvider != "" && req.IdentityProvider != "COGNITO" {
		return nil, back("invalid_request", "identity_provider must be COGNITO")
	}
	if req.ResponseType == "code" {
		switch {
		case req.CodeChallenge == "" && req.CodeChallengeMethod != "":
			return nil, back("invalid_request", "code_challenge is missing")
		case req.CodeChallenge != "" && req.CodeChallengeMethod != "S256":
			return nil, back("invalid_request", "code_challenge_method must be S256")
		case req.CodeChallenge != "" && (len(req.CodeChallenge) < 43 || len(req.CodeChallenge) > 128):
			return nil, back("invalid_request", "code_challenge must be 43 to 128 characters")
		}
	}
	wanted := client.Settings.AllowedOAuthScopes
	if req.Scope != nil {
		wanted = splitScopes(*req.Scope)
		for _, sc := range wanted {
			if !slices.Contains(client.Settings.AllowedOAuthScopes, sc) {
				// Cognito answers this as error=invalid_request with
				// error_description=invalid_scope (observed), not as
				// error=invalid_scope.
				return nil, back("invalid_request", "invalid_scope")
			}
		}
	}
	// "The email, phone, and profile scopes require openid" (developer
	// guide, "Authorize endpoint").
	if !slices.Contains(wanted, "openid") && slices.ContainsFunc(wanted, func(sc string) bool { return sc == "email" || sc == "phone" || sc == "profile" }) {
		return nil, back("invalid_request", "invalid_scope")
	}
	scopes, err := s.activeOf(ctx, pool.ID, wanted)
	if err != nil {
		return nil, err
	}
	return &Authorization{Pool: pool, Client: client, Req: req, Scopes: scopes}, nil
}

// authCodeLifetime: "The authorization code is valid for five minutes."
const authCodeLifetime = 5 * time.Minute

// IssueAuthCode stores a single-use code for a signed-in user.
func (s *Service) IssueAuthCode(ctx context.Context, a *Authorization, u *User, authTime time.Time) (string, error) {
	raw := make([]byte, 32)
	rand.Read(raw)
	code := base64.RawURLEncoding.EncodeToString(raw)
	now := s.now().UTC()
	c := &AuthCode{Hash: hashCode(code), UserPoolID: a.Pool.ID, ClientID: a.Client.ClientID, RedirectURI: a.Req.RedirectURI,
		Sub: u.Sub, Scopes: a.Scopes, Nonce: a.Req.Nonce, CodeChallenge: a.Req.CodeChallenge, AuthTime: authTime,
		CreationDate: now, Expires: now.Add(authCodeLifetime)}
	if err := s.updateUncached(ctx, func(tx Tx) error { return tx.CreateAuthCode(ctx, c) }); err != nil {
		return "", err
	}
	return code, nil
}

// IssueImplicit mints the tokens of the implicit flow: an access token,
// an ID token when openid was granted, never a refresh token.
func (s *Service) IssueImplicit(ctx context.Context, a *Authorization, u *User, authTime time.Time) (*AuthenticationResult, error) {
	openid := slices.Contains(a.Scopes, "openid")
	return s.IssueUserTokens(ctx, a.Pool, a.Client, u, a.Scopes, IssueOptions{IDToken: openid, Nonce: a.Req.Nonce, AtHash: openid, AuthTime: authTime, Source: SourceTokenHostedAuth})
}

// AuthenticateClient checks the client authentication of a token request:
// a client with a secret must present it; a public client presents only
// its ID.
func (s *Service) AuthenticateClient(ctx context.Context, poolID string, auth ClientAuth) (*AppClient, *UserPool, error) {
	c, err := s.authenticateClient(ctx, poolID, auth)
	if err != nil {
		return nil, nil, err
	}
	pool, err := s.LookupPool(ctx, c.client.UserPoolID)
	if err != nil {
		return nil, nil, grantError(ErrGrantInvalidClient, "pool gone")
	}
	return c.client, pool, nil
}

// RedeemAuthCode exchanges an authorization code for tokens (RFC 6749
// section 4.1.3, RFC 7636 section 4.6). A code is good once: a second use
// fails and revokes the tokens the first use issued.
func (s *Service) RedeemAuthCode(ctx context.Context, client *AppClient, pool *UserPool, code, redirectURI, verifier string) (*AuthenticationResult, error) {
	if !client.Settings.AllowedOAuthFlowsUserPoolClient || !slices.Contains(client.Settings.AllowedOAuthFlows, FlowCode) {
		return nil, grantError(ErrGrantUnauthorizedClient, "client does not allow the code flow")
	}
	if code == "" {
		return nil, grantError(ErrGrantInvalidRequest, "no code")
	}
	now := s.now().UTC()
	originJTI := NewUUID()
	var ac *AuthCode
	var replay *AuthCode
	err := s.updateUncached(ctx, func(tx Tx) error {
		ac, replay = nil, nil
		c, err := tx.GetAuthCode(ctx, hashCode(code))
		if errors.Is(err, ErrNotFound) {
			return grantError(ErrGrantInvalidGrant, "unknown code")
		}
		if err != nil {
			return err
		}
		if c.ClientID != client.ClientID || c.UserPoolID != pool.ID {
			return grantError(ErrGrantInvalidGrant, "code of another client")
		}
		if !c.UsedAt.IsZero() {
			replay = c
			return nil
		}
		if !now.Before(c.Expires) {
			return grantError(ErrGrantInvalidGrant, "code expired")
		}
		if c.RedirectURI != redirectURI {
			return grantError(ErrGrantInvalidGrant, "redirect_uri differs from the authorization request")
		}
		if c.CodeChallenge != "" {
			sum := sha256.Sum256([]byte(verifier))
			if verifier == "" || subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(c.CodeChallenge)) != 1 {
				return grantError(ErrGrantInvalidGrant, "code_verifier does not match the code_challenge")
			}
		}
		ac = c
		return tx.RedeemAuthCode(ctx, c.Hash, now, originJTI)
	})
	if err != nil {
		return nil, err
	}
	if replay != nil {
		// RFC 6749 section 4.1.2: a code used twice revokes what it gave.
		s.updateUncached(ctx, func(tx Tx) error {
			if rt, err := tx.GetRefreshTokenByOriginJTI(ctx, replay.UserPoolID, replay.OriginJTI); err == nil {
				return tx.RevokeRefreshTokens(ctx, replay.UserPoolID, rt.Sub, rt.Hash, now)
			}
			return nil
		})
		return nil, grantError(ErrGrantInvalidGrant, "code already used")
	}
	u, err := s.store.GetUserBySub(ctx, pool.ID, ac.Sub)
	if err != nil || !u.Enabled || (!u.SignedOutAt.IsZero() && ac.AuthTime.Before(u.SignedOutAt)) {
		return nil, grantError(ErrGrantInvalidGrant, "user gone, disabled or signed out")
	}
	openid := slices.Contains(ac.Scopes, "openid")
	scopes, err := s.activeOf(ctx, pool.ID, ac.Scopes)
	if err != nil {
		return nil, err
	}
	return s.IssueUserTokens(ctx, pool, client, u, scopes, IssueOptions{
		IDToken: openid, Refresh: true, Nonce: ac.Nonce, AtHash: openid, AuthTime: ac.AuthTime, OriginJTI: originJTI, Source: SourceTokenHostedAuth})
}

// RefreshGrant serves grant_type=refresh_token at the token endpoint.
func (s *Service) RefreshGrant(ctx context.Context, client *AppClient, token string) (*AuthenticationResult, error) {
	res, err := s.refresh(ctx, client, token, nil)
	var ce *Error
	if errors.As(err, &ce) && (ce.Type == ErrNotAuthorized.Type || ce.Type == ErrRefreshTokenReuse.Type) {
		return nil, grantError(ErrGrantInvalidGrant, ce.Message)
	}
	return res, err
}

// UserInfo returns the claims /oauth2/userInfo shows for an access token
// with the openid scope: sub, and the attributes its scopes release.
func (s *Service) UserInfo(ctx context.Context, poolID, token string) (map[string]any, error) {
	c, u, err := s.CheckAccessToken(ctx, token, "openid")
	if err != nil {
		return nil, err
	}
	if c.PoolID != poolID {
		return nil, ErrNotAuthorized.WithMessage(msgInvalidAccessToken)
	}
	client, err := s.LookupClient(ctx, poolID, c.ClientID)
	if err != nil {
		return nil, ErrNotAuthorized.WithMessage(msgInvalidAccessToken) // the client is gone
	}
	out := map[string]any{"sub": u.Sub, "username": u.Username}
	for _, a := range u.Attributes {
		if a.Name == "sub" || !userInfoReleases(c.Scopes, a.Name) || !clientReads(client, a.Name) {
			continue
		}
		out[a.Name] = a.Value // *_verified stay strings, as Cognito's userInfo sends them
	}
	return out, nil
}

// profileClaims are the attributes the profile scope releases at userInfo.
var profileClaims = map[string]bool{"name": true, "family_name": true, "given_name": true, "middle_name": true, "nickname": true,
	"preferred_username": true, "profile": true, "picture": true, "website": true, "gender": true, "birthdate": true,
	"zoneinfo": true, "locale": true, "updated_at": true}

// userInfoReleases reports whether an access token's scopes release an
// attribute at userInfo (developer guide, "The user attributes
// endpoint"): openid alone releases every attribute the client can read;
// profile (the OIDC profile claims and custom attributes), email and
// phone each release their own; aws.cognito.signin.user.admin changes
// nothing.
func userInfoReleases(scopes []string, name string) bool {
	profile, email, phone := slices.Contains(scopes, "profile"), slices.Contains(scopes, "email"), slices.Contains(scopes, "phone")
	switch {
	case !profile && !email && !phone:
		return true
	case name == "email" || name == "email_verified":
		return email
	case name == "phone_number" || name == "phone_number_verified":
		return phone
	}
	return profile && (profileClaims[name] || strings.HasPrefix(name, "custom:"))
}
