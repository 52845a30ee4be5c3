package verify

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Algorithm names a JWS signature algorithm (RFC 7518).
type Algorithm string

// RS256 is RSASSA-PKCS1-v1_5 with SHA-256, the algorithm Cognito signs with.
// It is the only algorithm a Verifier accepts.
const RS256 Algorithm = "RS256"

// MaxTokenSize is the length, in bytes, of the longest token Verify accepts.
const MaxTokenSize = 64 << 10

// Verifier verifies Cognito (and cognitod) JWTs signed with RS256 against
// the JSON Web Key Set of one issuer.
//
// The fields hold the verifier's expectations; Algorithm, Issuer, TokenUse and
// ClientIDs (or AnyClientID) must be set. The fields are read once, on the
// first call of a method, and must not be changed afterwards. A Verifier must
// not be copied after first use.
//
// A Verifier is safe for concurrent use by multiple goroutines. It fetches the
// JWKS on first use, not when it is created, and caches the parsed keys. When
// a token names a key id (kid) that is not in the cache, it refetches the
// JWKS, at most once per RefreshCooldown; concurrent callers share one fetch.
// If a fetch fails, the keys fetched before keep being used.
type Verifier struct {
	// Algorithm is the JWS algorithm tokens must be signed with. It must be
	// RS256, which is written out so that the choice is visible where the
	// Verifier is built. Tokens whose alg header is anything else ("none",
	// HS256, ...) are rejected with ErrAlgorithm, as are JWKs whose alg
	// member names another algorithm.
	Algorithm Algorithm

	// Issuer is the exact value the iss claim must have, such as
	// "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123" or
	// "https://auth.example.com/eu-west-1_AbCdEf123" for cognitod. It must be
	// an absolute http or https URL.
	Issuer string

	// JWKSURL is the URL of the issuer's JSON Web Key Set. If empty, it is
	// Issuer + "/.well-known/jwks.json" (Cognito's location). Use https
	// outside tests.
	JWKSURL string

	// Keys, if set, supplies the public keys instead of the JWKS: nothing
	// is fetched, and JWKSURL, RefreshCooldown and HTTPClient must be
	// unset. Most resource servers leave it nil.
	Keys KeySource

	// TokenUse is the value the token_use claim must have: AccessToken for
	// resource servers, IDToken for clients checking an ID token.
	TokenUse TokenUse

	// ClientIDs are the app client IDs whose tokens are accepted. For access
	// tokens the client_id claim must be one of them; for ID tokens one of
	// the aud values must be. At least one is required unless AnyClientID is
	// set.
	ClientIDs []string

	// AnyClientID, when true, disables the client check so that tokens of
	// every app client of the issuer are accepted. It is an explicit opt-out
	// and cannot be combined with ClientIDs.
	AnyClientID bool

	// Leeway is the clock skew tolerated when checking times. A token is
	// accepted until exp + Leeway (exclusive), and from iat - Leeway and
	// nbf - Leeway on. Zero means no tolerance; a few seconds is typical.
	// It must not be negative or larger than five minutes.
	Leeway time.Duration

	// RefreshCooldown is the minimum time between two JWKS fetches caused by
	// unknown key ids. Zero means DefaultRefreshCooldown (one minute). While
	// no key set has been fetched yet, a failed fetch is retried at most
	// every five seconds, or every RefreshCooldown if that is shorter.
	RefreshCooldown time.Duration

	// HTTPClient is used to fetch the JWKS. If nil, a client with a timeout
	// of DefaultHTTPTimeout is used. A fetch is also abandoned after 30
	// seconds whatever the client's timeout.
	HTTPClient *http.Client

	// Now returns the current time. If nil, time.Now is used. Tests inject a
	// fixed clock here; it drives the exp, iat and nbf checks and the
	// refresh cool-down.
	Now func() time.Time

	// Realm, if set, is sent as the realm attribute of the
	// WWW-Authenticate challenges written by the middleware. It must not
	// contain double quotes, backslashes or control characters.
	Realm string

	once    sync.Once
	initErr *Error
	cfg     config // the fields as read on first use
	cache   *keyCache
}

// config is the validated copy of a Verifier's fields.
type config struct {
	issuer    string
	tokenUse  TokenUse
	clients   []string
	anyClient bool
	leeway    time.Duration
	realm     string
	now       func() time.Time
	keys      KeySource
}

// init validates the configuration once and derives the internal state.
func (v *Verifier) init() *Error {
	v.once.Do(func() {
		if err := v.validate(); err != nil {
			v.initErr = &Error{Code: codeOf(ErrConfig), Err: ErrConfig, Detail: err.Error()}
			return
		}
		v.cfg = config{
			issuer:    v.Issuer,
			tokenUse:  v.TokenUse,
			clients:   append([]string(nil), v.ClientIDs...),
			anyClient: v.AnyClientID,
			leeway:    v.Leeway,
			realm:     v.Realm,
			now:       v.Now,
			keys:      v.Keys,
		}
		if v.cfg.now == nil {
			v.cfg.now = time.Now
		}
		jwksURL := v.JWKSURL
		if jwksURL == "" {
			jwksURL = strings.TrimSuffix(v.Issuer, "/") + "/.well-known/jwks.json"
		}
		client := v.HTTPClient
		if client == nil {
			client = defaultHTTPClient
		}
		cooldown := v.RefreshCooldown
		if cooldown == 0 {
			cooldown = DefaultRefreshCooldown
		}
		v.cache = &keyCache{url: jwksURL, client: client, cooldown: cooldown, now: v.cfg.now}
	})
	return v.initErr
}

func (v *Verifier) validate() error {
	if v.Algorithm != RS256 {
		return fmt.Errorf("Algorithm is %q, must be %q", v.Algorithm, RS256)
	}
	if err := checkHTTPURL(v.Issuer); err != nil {
		return fmt.Errorf("Issuer: %v", err)
	}
	if v.Keys != nil && (v.JWKSURL != "" || v.RefreshCooldown != 0 || v.HTTPClient != nil) {
		return fmt.Errorf("Keys is set together with JWKSURL, RefreshCooldown or HTTPClient")
	}
	if v.JWKSURL != "" {
		if err := checkHTTPURL(v.JWKSURL); err != nil {
			return fmt.Errorf("JWKSURL: %v", err)
		}
	}
	if v.TokenUse != AccessToken && v.TokenUse != IDToken {
		return fmt.Errorf("TokenUse is %q, must be %q or %q", v.TokenUse, AccessToken, IDToken)
	}
	switch {
	case v.AnyClientID && len(v.ClientIDs) > 0:
		return fmt.Errorf("AnyClientID is set together with ClientIDs")
	case !v.AnyClientID && len(v.ClientIDs) == 0:
		return fmt.Errorf("no ClientIDs (set AnyClientID to accept every client)")
	}
	for _, id := range v.ClientIDs {
		if id == "" {
			return fmt.Errorf("ClientIDs contains an empty string")
		}
	}
	if v.Leeway < 0 || v.Leeway > 5*time.Minute {
		return fmt.Errorf("Leeway %v is outside [0, 5m]", v.Leeway)
	}
	if v.RefreshCooldown < 0 {
		return fmt.Errorf("RefreshCooldown %v is negative", v.RefreshCooldown)
	}
	for _, c := range v.Realm {
		if c == '"' || c == '\\' || c < 0x20 || c == 0x7f {
			return fmt.Errorf("Realm contains %q", c)
		}
	}
	return nil
}

func checkHTTPURL(s string) error {
	if s == "" {
		return fmt.Errorf("empty")
	}
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http(s) URL", s)
	}
	return nil
}

// Validate reports whether the Verifier's fields are valid, as an error
// wrapping ErrConfig. Verify performs the same check on first use; servers
// call Validate at startup to fail fast. It does not fetch the JWKS.
func (v *Verifier) Validate() error {
	if err := v.init(); err != nil {
		return err
	}
	return nil
}

// tokenChars classifies the bytes of a compact JWS: 1 for the base64url
// alphabet, 2 for the dot, 0 for anything else.
var tokenChars = func() (t [256]byte) {
	for _, c := range []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") {
		t[c] = 1
	}
	t['.'] = 2
	return t
}()

// b64 decodes base64url without padding and rejects non-canonical encodings.
var b64 = base64.RawURLEncoding.Strict()

// Verify checks token and returns its claims. It returns an [*Error] that
// wraps one of the package's sentinel errors if the token is not a
// well-formed RS256 JWS, its signature does not verify with the issuer's key
// named by its kid header, or its claims do not meet the Verifier's
// expectations: iss, token_use, client_id (access tokens) or aud (ID tokens),
// exp, and iat and nbf when present.
//
// ctx bounds the wait for a JWKS fetch, if one is needed. A fetch that the
// caller stops waiting for keeps running for the other callers.
func (v *Verifier) Verify(ctx context.Context, token string) (*Claims, error) {
	c, err := v.verify(ctx, token)
	if err != nil {
		return nil, err // not a typed nil
	}
	return c, nil
}

func (v *Verifier) verify(ctx context.Context, token string) (*Claims, *Error) {
	if err := v.init(); err != nil {
		return nil, err
	}
	if len(token) > MaxTokenSize {
		return nil, newError(ErrMalformed, "token too long")
	}
	// Compact serialization: three base64url segments. Checking the
	// alphabet up front also rules out the line breaks and padding the
	// base64 decoder would otherwise skip or accept.
	dot1, dot2 := -1, -1
	for i := 0; i < len(token); i++ {
		switch tokenChars[token[i]] {
		case 1:
		case 2:
			if dot1 < 0 {
				dot1 = i
			} else if dot2 < 0 {
				dot2 = i
			} else {
				return nil, newError(ErrMalformed, "more than three segments")
			}
		default:
			return nil, newError(ErrMalformed, "invalid character in token")
		}
	}
	if dot2 < 0 {
		return nil, newError(ErrMalformed, "not three segments")
	}
	h64, p64, s64 := token[:dot1], token[dot1+1:dot2], token[dot2+1:]

	// Decode header and payload into one buffer, converted to one string.
	var stack [2048]byte
	hn, pn := b64.DecodedLen(len(h64)), b64.DecodedLen(len(p64))
	var buf []byte
	if hn+pn <= len(stack) {
		buf = stack[:hn+pn]
	} else {
		buf = make([]byte, hn+pn)
	}
	hn, err := b64.Decode(buf, []byte(h64))
	if err != nil {
		return nil, newError(ErrMalformed, "header is not base64url")
	}
	pn2, err := b64.Decode(buf[hn:], []byte(p64))
	if err != nil {
		return nil, newError(ErrMalformed, "payload is not base64url")
	}
	if !utf8.Valid(buf[:hn+pn2]) {
		return nil, newError(ErrMalformed, "header or payload is not UTF-8")
	}
	text := string(buf[:hn+pn2])
	header, payload := text[:hn], text[hn:]

	alg, kid, herr := parseHeader(header)
	if herr != nil {
		return nil, herr
	}
	if alg != string(RS256) {
		return nil, newError(ErrAlgorithm, fmt.Sprintf("alg %q", alg))
	}

	var k *key
	var kerr *Error
	if v.cfg.keys != nil {
		k, kerr = v.sourceKey(ctx, kid)
	} else {
		k, kerr = v.cache.lookup(ctx, kid)
	}
	if kerr != nil {
		return nil, kerr
	}
	if k.pub == nil {
		return nil, newError(k.err, fmt.Sprintf("kid %q: %s", kid, k.why))
	}

	var sigBuf [maxRSABits / 8]byte
	size := k.pub.Size()
	if b64.DecodedLen(len(s64)) != size {
		return nil, newError(ErrSignature, "signature length does not match key")
	}
	if _, err := b64.Decode(sigBuf[:size], []byte(s64)); err != nil {
		return nil, newError(ErrMalformed, "signature is not base64url")
	}
	// Hash a stack copy of the signing input: passing the token's bytes
	// directly would make the compiler copy them to the heap.
	var inputBuf [4096]byte
	var digest [sha256.Size]byte
	if dot2 <= len(inputBuf) {
		n := copy(inputBuf[:], token[:dot2])
		digest = sha256.Sum256(inputBuf[:n])
	} else {
		digest = sha256.Sum256([]byte(token[:dot2]))
	}
	if err := rsa.VerifyPKCS1v15(k.pub, crypto.SHA256, digest[:], sigBuf[:size]); err != nil {
		return nil, newError(ErrSignature, "")
	}

	c := new(Claims)
	if err := parseClaims(payload, c); err != nil {
		return nil, newError(ErrMalformed, "claims set: "+err.Error())
	}
	if err := v.checkClaims(c); err != nil {
		return nil, err
	}
	return c, nil
}

// parseHeader reads the JOSE header and returns alg and kid. A header with a
// crit member is rejected: no extension is understood (RFC 7515 4.1.11).
func parseHeader(h string) (alg, kid string, e *Error) {
	r := jsonReader{s: h}
	crit := false
	err := r.readObject(func(name string) error {
		var err error
		switch name {
		case "alg":
			alg, err = r.readString()
		case "kid":
			kid, err = r.readString()
		case "crit":
			crit = true
			err = r.skipValue(1)
		default:
			err = r.skipValue(1)
		}
		return err
	})
	if err == nil {
		err = r.end()
	}
	switch {
	case err != nil:
		return "", "", newError(ErrMalformed, "header: "+err.Error())
	case crit:
		return "", "", newError(ErrMalformed, "header has crit")
	case alg == "":
		return "", "", newError(ErrMalformed, "header has no alg")
	case kid == "" && alg == string(RS256):
		return "", "", newError(ErrMalformed, "header has no kid")
	}
	return alg, kid, nil
}

// checkClaims applies the Verifier's expectations to signed claims.
func (v *Verifier) checkClaims(c *Claims) *Error {
	if c.Issuer != v.cfg.issuer {
		return newError(ErrIssuer, fmt.Sprintf("iss %q", c.Issuer))
	}
	if c.TokenUse != v.cfg.tokenUse {
		return newError(ErrTokenUse, fmt.Sprintf("token_use %q", c.TokenUse))
	}
	if !v.cfg.anyClient {
		if v.cfg.tokenUse == AccessToken {
			if !contains(v.cfg.clients, c.ClientID) {
				return newError(ErrClientID, fmt.Sprintf("client_id %q", c.ClientID))
			}
		} else if !containsAny(v.cfg.clients, c.Audience) {
			return newError(ErrClientID, fmt.Sprintf("aud %q", c.Audience))
		}
	}
	if c.ExpiresAt.IsZero() {
		return newError(ErrMalformed, "no exp claim")
	}
	now := v.cfg.now()
	if !now.Before(c.ExpiresAt.Add(v.cfg.leeway)) {
		return newError(ErrExpired, "exp "+c.ExpiresAt.Format(time.RFC3339))
	}
	if !c.IssuedAt.IsZero() && c.IssuedAt.After(now.Add(v.cfg.leeway)) {
		return newError(ErrNotYetValid, "iat "+c.IssuedAt.Format(time.RFC3339))
	}
	if !c.NotBefore.IsZero() && c.NotBefore.After(now.Add(v.cfg.leeway)) {
		return newError(ErrNotYetValid, "nbf "+c.NotBefore.Format(time.RFC3339))
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func containsAny(list, values []string) bool {
	for _, s := range values {
		if contains(list, s) {
			return true
		}
	}
	return false
}
