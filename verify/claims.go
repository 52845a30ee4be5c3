package verify

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// TokenUse is the value of Cognito's token_use claim.
type TokenUse string

// The token uses Cognito issues.
const (
	// AccessToken is an OAuth 2.0 access token, meant for resource servers.
	// Its client is named by the client_id claim and its scopes by scope.
	AccessToken TokenUse = "access"
	// IDToken is an OpenID Connect ID token, meant for the client that
	// requested it. Its client is named by the aud claim.
	IDToken TokenUse = "id"
)

// Claims holds the verified claims of a token.
//
// The registered JWT claims and the claims Cognito puts in its access and ID
// tokens are decoded into typed fields, once, during [Verifier.Verify].
// A claim absent from the token (or null) leaves its field at the zero value.
// Other claims, such as custom attributes ("custom:tenant"), are read with
// [Claims.Get] or [Claims.Decode], which decode the claims set on demand.
//
// A Claims is not modified after Verify returns it and is safe for concurrent
// reads.
type Claims struct {
	Issuer   string   // iss
	Subject  string   // sub
	TokenUse TokenUse // token_use
	// ClientID is the client_id claim of an access token. For ID tokens it
	// is empty; the client is in Audience.
	ClientID string
	Audience []string // aud (a single string in the token becomes one element)
	// Scope is the scope claim split on spaces, in token order.
	Scope []string
	// Username is the username claim of an access token or the
	// cognito:username claim of an ID token. If a token has both,
	// cognito:username wins.
	Username      string
	Groups        []string  // cognito:groups
	ExpiresAt     time.Time // exp
	IssuedAt      time.Time // iat; zero if absent
	NotBefore     time.Time // nbf; zero if absent
	AuthTime      time.Time // auth_time; zero if absent
	JTI           string    // jti
	OriginJTI     string    // origin_jti
	EventID       string    // event_id
	Version       int       // version (access tokens)
	Email         string    // email (ID tokens)
	EmailVerified bool      // email_verified; a "true" string counts as true
	Nonce         string    // nonce (ID tokens)

	// payload is the claims set JSON as it was signed. Strings above that
	// have no escapes are substrings of it.
	payload string
}

// HasScope reports whether scope is one of the token's scopes. The
// comparison is exact and case-sensitive.
func (c *Claims) HasScope(scope string) bool {
	for _, s := range c.Scope {
		if s == scope {
			return true
		}
	}
	return false
}

// InGroup reports whether group is one of the token's cognito:groups.
func (c *Claims) InGroup(group string) bool {
	for _, g := range c.Groups {
		if g == group {
			return true
		}
	}
	return false
}

// Get returns the value of any claim by its exact name, decoded as
// encoding/json decodes into an interface value (string, float64, bool, nil,
// []any or map[string]any). It reports false if the token has no such claim.
// Each call decodes the claims set; to read many custom claims, use
// [Claims.Decode] once.
func (c *Claims) Get(name string) (any, bool) {
	var m map[string]any
	if err := json.Unmarshal([]byte(c.payload), &m); err != nil {
		return nil, false
	}
	v, ok := m[name]
	return v, ok
}

// GetString returns the value of a string claim by its exact name. It reports
// false if the claim is absent or not a string.
func (c *Claims) GetString(name string) (string, bool) {
	v, ok := c.Get(name)
	if !ok {
		return "", false
	}
	s, ok := v.(string)
	return s, ok
}

// Decode unmarshals the claims set into v with [encoding/json]. Use it to read
// custom claims into a struct of your own:
//
//	var attrs struct {
//		Tenant string `json:"custom:tenant"`
//	}
//	err := claims.Decode(&attrs)
func (c *Claims) Decode(v any) error {
	return json.Unmarshal([]byte(c.payload), v)
}

// RawJSON returns a copy of the claims set as the JSON text that was signed.
func (c *Claims) RawJSON() []byte {
	return []byte(c.payload)
}

// parseClaims decodes the claims set JSON in payload (already checked to be
// valid UTF-8) into c.
func parseClaims(payload string, c *Claims) error {
	c.payload = payload
	r := jsonReader{s: payload}
	var cognitoUsername string
	haveCognitoUsername := false
	err := r.readObject(func(name string) error {
		var err error
		switch name {
		case "iss":
			c.Issuer, err = r.readStringOrNull()
		case "sub":
			c.Subject, err = r.readStringOrNull()
		case "token_use":
			var s string
			s, err = r.readStringOrNull()
			c.TokenUse = TokenUse(s)
		case "client_id":
			c.ClientID, err = r.readStringOrNull()
		case "aud":
			if r.peek() == '"' {
				var s string
				s, err = r.readString()
				c.Audience = []string{s}
			} else {
				c.Audience, err = r.readStrings()
			}
		case "scope":
			var s string
			s, err = r.readStringOrNull()
			c.Scope = splitScope(s)
		case "username":
			c.Username, err = r.readStringOrNull()
		case "cognito:username":
			cognitoUsername, err = r.readStringOrNull()
			haveCognitoUsername = cognitoUsername != ""
		case "cognito:groups":
			c.Groups, err = r.readStrings()
		case "exp":
			c.ExpiresAt, err = r.readTime()
		case "iat":
			c.IssuedAt, err = r.readTime()
		case "nbf":
			c.NotBefore, err = r.readTime()
		case "auth_time":
			c.AuthTime, err = r.readTime()
		case "jti":
			c.JTI, err = r.readStringOrNull()
		case "origin_jti":
			c.OriginJTI, err = r.readStringOrNull()
		case "event_id":
			c.EventID, err = r.readStringOrNull()
		case "version":
			c.Version, err = r.readInt()
		case "email":
			c.Email, err = r.readStringOrNull()
		case "email_verified":
			switch r.peek() {
			case 't':
				c.EmailVerified, err = true, r.literal("true")
			case 'f':
				c.EmailVerified, err = false, r.literal("false")
			case 'n':
				c.EmailVerified, err = false, r.literal("null")
			default:
				var s string
				s, err = r.readString()
				c.EmailVerified = s == "true"
			}
		case "nonce":
			c.Nonce, err = r.readStringOrNull()
		default:
			err = r.skipValue(1)
		}
		if err != nil {
			return fmt.Errorf("claim %q: %w", name, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if haveCognitoUsername {
		c.Username = cognitoUsername
	}
	return r.end()
}

// readTime reads a NumericDate; null yields the zero time.
func (r *jsonReader) readTime() (time.Time, error) {
	sec, nsec, ok, err := r.readNumericDate()
	if err != nil || !ok {
		return time.Time{}, err
	}
	return time.Unix(sec, nsec).UTC(), nil
}

// splitScope splits a space-delimited scope string (RFC 6749 section 3.3)
// into substrings of s without copying them.
func splitScope(s string) []string {
	if s == "" {
		return nil
	}
	n := strings.Count(s, " ") + 1
	out := make([]string, 0, n)
	for s != "" {
		i := strings.IndexByte(s, ' ')
		if i < 0 {
			out = append(out, s)
			break
		}
		if i > 0 {
			out = append(out, s[:i])
		}
		s = s[i+1:]
	}
	return out
}

type claimsKey struct{}

// NewContext returns a copy of ctx that carries c. The middleware uses it;
// it is exported so that handlers can be tested without minting tokens.
func NewContext(ctx context.Context, c *Claims) context.Context {
	return context.WithValue(ctx, claimsKey{}, c)
}

// ClaimsFromContext returns the verified claims stored in ctx by the
// middleware of [Verifier.RequireScopes] or [Verifier.RequireAnyScope], or by
// [NewContext]. It reports false if there are none.
func ClaimsFromContext(ctx context.Context) (*Claims, bool) {
	c, ok := ctx.Value(claimsKey{}).(*Claims)
	return c, ok && c != nil
}
