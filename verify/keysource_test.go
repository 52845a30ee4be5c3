package verify

import (
	"context"
	"crypto/rsa"
	"errors"
	"net/http"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// mapSource is a KeySource over a fixed map, counting lookups.
type mapSource struct {
	keys  map[string]*rsa.PublicKey
	err   error
	calls int
}

func (m *mapSource) PublicKey(_ context.Context, kid string) (*rsa.PublicKey, error) {
	m.calls++
	return m.keys[kid], m.err
}

const sourceIssuer = "https://auth.example.com/" + testPool

func sourceVerifier(src KeySource) *Verifier {
	return &Verifier{Algorithm: RS256, Issuer: sourceIssuer, TokenUse: AccessToken, ClientIDs: []string{testClientID},
		Now: func() time.Time { return testNow }, Keys: src}
}

// TestKeySource: with Keys set, a token verifies against the source's key
// without any fetch; the checks are the JWKS path's: an unknown kid is
// ErrUnknownKey, a short key ErrKeyRejected, a source failure
// ErrKeySetUnavailable, a signature by another key ErrSignature, and the
// claims are checked as ever (iss).
func TestKeySource(t *testing.T) {
	testKeys(t)
	src := &mapSource{keys: map[string]*rsa.PublicKey{testKID1: &key1.PublicKey, "small": &smallKey.PublicKey, testKID2: &key1.PublicKey}}
	v := sourceVerifier(src)
	good := joseSign(t, jose.RS256, key1, testKID1, accessClaims(sourceIssuer))
	c, err := v.Verify(context.Background(), good)
	if err != nil {
		t.Fatal(err)
	}
	if c.Username != "jdoe" || src.calls != 1 {
		t.Errorf("claims %+v after %d lookups", c, src.calls)
	}
	cases := []struct {
		name  string
		token string
		want  error
	}{
		{"unknown kid", joseSign(t, jose.RS256, key1, "nope", accessClaims(sourceIssuer)), ErrUnknownKey},
		{"short key", joseSign(t, jose.RS256, smallKey, "small", accessClaims(sourceIssuer)), ErrKeyRejected},
		{"other key's signature", joseSign(t, jose.RS256, key2, testKID2, accessClaims(sourceIssuer)), ErrSignature},
		{"other issuer", joseSign(t, jose.RS256, key1, testKID1, accessClaims("https://evil.example/"+testPool)), ErrIssuer},
	}
	for _, tc := range cases {
		if _, err := v.Verify(context.Background(), tc.token); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	failing := sourceVerifier(&mapSource{err: errors.New("store down")})
	if _, err := failing.Verify(context.Background(), good); !errors.Is(err, ErrKeySetUnavailable) {
		t.Errorf("failing source: %v, want ErrKeySetUnavailable", err)
	}
}

// TestKeySourceExcludesFetching: Keys with any of the fetch settings is a
// configuration error, not a silent choice of one.
func TestKeySourceExcludesFetching(t *testing.T) {
	for name, set := range map[string]func(*Verifier){
		"JWKSURL":         func(v *Verifier) { v.JWKSURL = "https://auth.example.com/jwks.json" },
		"RefreshCooldown": func(v *Verifier) { v.RefreshCooldown = 1 },
		"HTTPClient":      func(v *Verifier) { v.HTTPClient = http.DefaultClient },
	} {
		v := sourceVerifier(&mapSource{})
		set(v)
		if err := v.Validate(); !errors.Is(err, ErrConfig) {
			t.Errorf("Keys with %s: %v, want ErrConfig", name, err)
		}
	}
	if err := sourceVerifier(&mapSource{}).Validate(); err != nil {
		t.Errorf("Keys alone: %v", err)
	}
}
