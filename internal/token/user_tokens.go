package token

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

var _ cognito.Tokens = (*Issuer)(nil)

// accessClaims are the claims of a user's access token, in Cognito's
// order.
type accessClaims struct {
	Sub       string   `json:"sub"`
	Groups    []string `json:"cognito:groups,omitempty"`
	Iss       string   `json:"iss"`
	Version   int      `json:"version"`
	ClientID  string   `json:"client_id"`
	OriginJTI string   `json:"origin_jti"`
	EventID   string   `json:"event_id"`
	TokenUse  string   `json:"token_use"`
	Scope     string   `json:"scope"`
	AuthTime  int64    `json:"auth_time"`
	Exp       int64    `json:"exp"`
	Iat       int64    `json:"iat"`
	JTI       string   `json:"jti"`
	Username  string   `json:"username"`
}

// MintUserTokens signs a user's access token and, when asked, an ID token
// carrying the given attributes (developer guide, "Understanding user pool
// JSON web tokens").
func (i *Issuer) MintUserTokens(ctx context.Context, t cognito.UserTokens) (access, id string, err error) {
	pk, err := i.keys.pool(ctx, t.PoolID)
	if err != nil {
		return "", "", err
	}
	now := i.now()
	iat := now.Unix()
	ac := accessClaims{Sub: t.User.Sub, Iss: i.IssuerURL(t.PoolID), Version: 2, ClientID: t.ClientID, OriginJTI: t.OriginJTI,
		EventID: t.EventID, TokenUse: "access", Scope: strings.Join(t.Scopes, " "), AuthTime: t.AuthTime.Unix(),
		Exp: iat + int64(t.AccessLifetime/time.Second), Iat: iat, JTI: cognito.NewUUID(), Username: t.User.Username,
		Groups: t.Groups}
	payload, err := json.Marshal(ac)
	if err == nil {
		payload, err = applyOverrides(payload, t.AccessOverrides) // overrides.go
	}
	if err != nil {
		return "", "", err
	}
	if access, err = i.signQueued(ctx, pk.active, payload); err != nil {
		return "", "", err
	}
	if !t.WithIDToken {
		return access, "", nil
	}
	claims := map[string]any{}
	for _, a := range t.IDAttributes {
		switch {
		case a.Name == "email_verified" || a.Name == "phone_number_verified":
			// Booleans, as Cognito sends them; custom attributes stay
			// strings whatever their type.
			claims[a.Name] = a.Value == "true"
		case a.Name == "updated_at":
			if n, err := strconv.ParseInt(a.Value, 10, 64); err == nil {
				claims[a.Name] = n
			}
		default:
			claims[a.Name] = a.Value
		}
	}
	claims["sub"] = t.User.Sub
	if len(t.Groups) > 0 {
		claims["cognito:groups"] = t.Groups
	}
	if len(t.Roles) > 0 {
		claims["cognito:roles"] = t.Roles
	}
	if t.PreferredRole != "" {
		claims["cognito:preferred_role"] = t.PreferredRole
	}
	claims["iss"] = ac.Iss
	claims["cognito:username"] = t.User.Username
	claims["origin_jti"] = t.OriginJTI
	claims["aud"] = t.ClientID
	claims["event_id"] = t.EventID
	claims["token_use"] = "id"
	claims["auth_time"] = ac.AuthTime
	claims["exp"] = iat + int64(t.IDLifetime/time.Second)
	claims["iat"] = iat
	claims["jti"] = cognito.NewUUID()
	if t.Nonce != "" {
		claims["nonce"] = t.Nonce
	}
	if t.AtHash {
		// at_hash (OpenID Connect Core 3.1.3.6): the left half of the
		// SHA-256 of the access token, base64url.
		sum := sha256.Sum256([]byte(access))
		claims["at_hash"] = base64.RawURLEncoding.EncodeToString(sum[:16])
	}
	payload, err = json.Marshal(claims)
	if err == nil {
		payload, err = applyOverrides(payload, t.IDOverrides) // overrides.go
	}
	if err != nil {
		return "", "", err
	}
	id, err = i.signQueued(ctx, pk.active, payload)
	return access, id, err
}

// ParseAccessToken checks an access token cognitod issued: RS256 with one
// of its pool's published keys, not expired, token_use "access". It
// refuses with cognito.ErrAccessTokenInvalid or ErrAccessTokenExpired.
func (i *Issuer) ParseAccessToken(ctx context.Context, token string) (*cognito.AccessClaims, error) {
	if len(token) > 16<<10 {
		return nil, cognito.ErrAccessTokenInvalid
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, cognito.ErrAccessTokenInvalid
	}
	enc := base64.RawURLEncoding
	var header struct {
		Alg string `json:"alg"`
		KID string `json:"kid"`
	}
	var claims accessClaims
	hb, err1 := enc.DecodeString(parts[0])
	pb, err2 := enc.DecodeString(parts[1])
	sig, err3 := enc.DecodeString(parts[2])
	if err1 != nil || err2 != nil || err3 != nil || !uniqueNames(hb) || !uniqueNames(pb) ||
		json.Unmarshal(hb, &header) != nil || json.Unmarshal(pb, &claims) != nil || header.Alg != "RS256" {
		return nil, cognito.ErrAccessTokenInvalid
	}
	poolID, ok := strings.CutPrefix(claims.Iss, i.publicURL+"/")
	if !ok || cognito.RegionOfPoolID(poolID) == "" || strings.Contains(poolID, "/") {
		return nil, cognito.ErrAccessTokenInvalid
	}
	pk, err := i.keys.existing(ctx, poolID)
	if err != nil {
		return nil, cognito.ErrAccessTokenInvalid
	}
	pub := pk.public[header.KID]
	if pub == nil {
		return nil, cognito.ErrAccessTokenInvalid
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig) != nil || claims.TokenUse != "access" {
		return nil, cognito.ErrAccessTokenInvalid
	}
	if i.now().Unix() >= claims.Exp {
		return nil, cognito.ErrAccessTokenExpired
	}
	return &cognito.AccessClaims{PoolID: poolID, Sub: claims.Sub, Username: claims.Username, ClientID: claims.ClientID,
		JTI: claims.JTI, OriginJTI: claims.OriginJTI, Scopes: strings.Fields(claims.Scope),
		IssuedAt: time.Unix(claims.Iat, 0), Expires: time.Unix(claims.Exp, 0)}, nil
}
