package token

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/verify"
)

// maxCheckedToken bounds the access tokens VerifyAccessToken reads: ours
// are well under 4 KiB even with many groups and scopes.
const maxCheckedToken = 16 << 10

// VerifyAccessToken checks an access token cognitod issued, with the
// public verify package over this process's in-memory keys: the same
// checks a resource server makes (RS256 with one of the pool's published
// keys, canonical base64url, no duplicate claims, iss, token_use
// "access", exp, iat and nbf). It refuses with
// cognito.ErrAccessTokenInvalid or ErrAccessTokenExpired.
func (i *Issuer) VerifyAccessToken(ctx context.Context, token string) (*cognito.AccessClaims, error) {
	if len(token) > maxCheckedToken {
		return nil, cognito.ErrAccessTokenInvalid
	}
	// The pool, and so the Verifier, is named by the token's iss, read
	// before the signature is checked; Verify then requires iss to be
	// exactly that pool's issuer and the signature to be by its key.
	poolID, ok := i.unverifiedPool(token)
	if !ok {
		return nil, cognito.ErrAccessTokenInvalid
	}
	v, err := i.verifier(ctx, poolID)
	if err != nil {
		return nil, cognito.ErrAccessTokenInvalid
	}
	c, err := v.Verify(ctx, token)
	if errors.Is(err, verify.ErrExpired) {
		return nil, cognito.ErrAccessTokenExpired
	}
	if err != nil {
		return nil, cognito.ErrAccessTokenInvalid
	}
	return &cognito.AccessClaims{PoolID: poolID, Sub: c.Subject, Username: c.Username, ClientID: c.ClientID,
		JTI: c.JTI, OriginJTI: c.OriginJTI, Scopes: c.Scope, IssuedAt: c.IssuedAt, Expires: c.ExpiresAt}, nil
}

// unverifiedPool returns the pool ID in a token's iss claim, if it is
// one of ours (<public URL>/<pool ID>).
func (i *Issuer) unverifiedPool(token string) (string, bool) {
	_, rest, ok := strings.Cut(token, ".")
	if !ok {
		return "", false
	}
	p64, _, ok := strings.Cut(rest, ".")
	if !ok {
		return "", false
	}
	payload, err := base64.RawURLEncoding.DecodeString(p64)
	if err != nil {
		return "", false
	}
	var claims struct {
		Iss string `json:"iss"`
	}
	if json.Unmarshal(payload, &claims) != nil {
		return "", false
	}
	poolID, ok := strings.CutPrefix(claims.Iss, i.publicURL+"/")
	if !ok || cognito.RegionOfPoolID(poolID) == "" || strings.Contains(poolID, "/") {
		return "", false
	}
	return poolID, true
}

// verifier returns the pool's Verifier, made on first use. Only pools
// that have keys get one, so forged iss claims do not grow the map; a
// deleted pool's is dropped with its keys (Keys.Forget).
func (i *Issuer) verifier(ctx context.Context, poolID string) (*verify.Verifier, error) {
	if v, ok := i.verifiers.Load(poolID); ok {
		return v.(*verify.Verifier), nil
	}
	if _, err := i.keys.existing(ctx, poolID); err != nil {
		return nil, err
	}
	v := &verify.Verifier{Algorithm: verify.RS256, Issuer: i.IssuerURL(poolID), TokenUse: verify.AccessToken,
		// Which clients' tokens an operation accepts is the domain's
		// decision (internal/cognito), not the signature check's.
		AnyClientID: true, Now: i.now, Keys: poolKeySource{i.keys, poolID}}
	if err := v.Validate(); err != nil {
		return nil, err
	}
	got, _ := i.verifiers.LoadOrStore(poolID, v)
	return got.(*verify.Verifier), nil
}

// poolKeySource is a verify.KeySource over one pool's cached keys: every
// published key (active, next, recently retired) by kid.
type poolKeySource struct {
	keys   *Keys
	poolID string
}

func (s poolKeySource) PublicKey(ctx context.Context, kid string) (*rsa.PublicKey, error) {
	pk, err := s.keys.existing(ctx, s.poolID)
	if errors.Is(err, errNoKeys) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return pk.public[kid], nil
}
