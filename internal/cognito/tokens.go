package cognito

import (
	"context"
	"errors"
	"time"
)

// UserTokens asks for a signed-in user's tokens.
type UserTokens struct {
	PoolID, ClientID string
	User             *User
	Scopes           []string
	AuthTime         time.Time
	// OriginJTI ties every token issued in one sign-in (and its refreshes)
	// together; EventID names the sign-in.
	OriginJTI, EventID         string
	AccessLifetime, IDLifetime time.Duration
	WithIDToken                bool
	// IDAttributes go into the ID token as claims.
	IDAttributes []Attribute
	Nonce        string
	// AtHash adds at_hash, for ID tokens issued beside an access token at
	// the OAuth endpoints.
	AtHash bool
	// Groups is cognito:groups (access and ID tokens), Roles and
	// PreferredRole cognito:roles and cognito:preferred_role (ID tokens);
	// each is left out when empty.
	Groups, Roles []string
	PreferredRole string
	// IDOverrides and AccessOverrides are a pre token generation
	// function's changes to each token's claims (triggers_tokens.go); nil
	// when none.
	IDOverrides, AccessOverrides *ClaimOverrides
}

// AccessClaims are what a verified access token says.
type AccessClaims struct {
	PoolID, Sub, Username, ClientID string
	JTI, OriginJTI                  string
	Scopes                          []string
	IssuedAt, Expires               time.Time
}

// Tokens signs and checks tokens for the domain; internal/token
// implements it, and Config.Tokens hands it to the Service.
type Tokens interface {
	MintUserTokens(ctx context.Context, t UserTokens) (access, id string, err error)
	// VerifyAccessToken checks an access token's signature and claims
	// (not its revocation, which is the domain's).
	VerifyAccessToken(ctx context.Context, token string) (*AccessClaims, error)
}

// The refusals of Tokens.VerifyAccessToken; CheckAccessToken words them
// for clients.
var (
	ErrAccessTokenInvalid = errors.New("cognito: invalid access token")
	ErrAccessTokenExpired = errors.New("cognito: access token has expired")
)
