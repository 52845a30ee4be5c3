package token

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

var _ cognito.Tokens = (*Issuer)(nil)

// MintUserTokens signs a user's access token and, when asked, an ID token
// carrying the given attributes (developer guide, "Understanding user pool
// JSON web tokens").
func (i *Issuer) MintUserTokens(ctx context.Context, t cognito.UserTokens) (access, id string, err error) {
	iat := i.now().Unix()
	ac := accessClaims{Sub: t.User.Sub, Iss: i.issuerOf(t.PoolID), Version: 2, ClientID: t.ClientID, OriginJTI: t.OriginJTI,
		EventID: t.EventID, TokenUse: "access", Scope: strings.Join(t.Scopes, " "), AuthTime: t.AuthTime.Unix(),
		Exp: iat + int64(t.AccessLifetime/time.Second), Iat: iat, JTI: cognito.NewUUID(), Username: t.User.Username,
		Groups: t.Groups}
	if access, err = i.mint(ctx, t.PoolID, &ac, nil, overrideExtras(t.AccessOverrides)); err != nil { // overrides.go
		return "", "", err
	}
	if !t.WithIDToken {
		return access, "", nil
	}
	ic := idClaims{Sub: t.User.Sub, Groups: t.Groups, Roles: t.Roles, PreferredRole: t.PreferredRole, Iss: ac.Iss,
		Username: t.User.Username, OriginJTI: t.OriginJTI, Aud: t.ClientID, EventID: t.EventID, TokenUse: "id",
		AuthTime: ac.AuthTime, Exp: iat + int64(t.IDLifetime/time.Second), Iat: iat, JTI: cognito.NewUUID(), Nonce: t.Nonce}
	if t.AtHash {
		// at_hash (OpenID Connect Core 3.1.3.6): the left half of the
		// SHA-256 of the access token, base64url.
		sum := sha256.Sum256([]byte(access))
		ic.AtHash = base64.RawURLEncoding.EncodeToString(sum[:16])
	}
	id, err = i.mint(ctx, t.PoolID, &ic, attributeClaims(t.IDAttributes), overrideExtras(t.IDOverrides))
	return access, id, err
}

// attributeClaims are a user's attributes as ID token claims, the ID
// token's own extras: an attribute named like a standard claim (sub)
// does not replace it (see Extras).
func attributeClaims(attrs []cognito.Attribute) Extras {
	claims := make(Extras, len(attrs))
	for _, a := range attrs {
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
	return claims
}
