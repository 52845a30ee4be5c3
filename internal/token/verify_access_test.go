package token

import (
	"context"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

// TestVerifyAccessToken: a user access token reads back with its claims
// until it expires, then is refused as expired. Everything else is
// refused as invalid, including what the old hand-written parser let
// through (a non-canonical base64 signature, an iat in the future) and
// tokens properly signed by our own key that must not count: an ID
// token, duplicate claims, another issuer, an unknown kid.
func TestVerifyAccessToken(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	u := &cognito.User{UserPoolID: f.poolID, Username: "alice", Sub: "5f1c3a4e-0000-4000-8000-000000000001"}
	access, id, err := f.issuer.MintUserTokens(ctx, cognito.UserTokens{PoolID: f.poolID, ClientID: "client1", User: u, WithIDToken: true,
		Scopes: []string{"openid", "aws.cognito.signin.user.admin"}, AuthTime: f.clock(), OriginJTI: "origin-1", AccessLifetime: time.Hour, IDLifetime: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.issuer.VerifyAccessToken(ctx, access)
	if err != nil {
		t.Fatal(err)
	}
	if c.PoolID != f.poolID || c.Username != "alice" || c.Sub != u.Sub || c.ClientID != "client1" || c.OriginJTI != "origin-1" ||
		strings.Join(c.Scopes, " ") != "openid aws.cognito.signin.user.admin" || !c.IssuedAt.Equal(f.clock()) || !c.Expires.Equal(f.clock().Add(time.Hour)) || c.JTI == "" {
		t.Errorf("claims read back: %+v", c)
	}
	cc, err := f.issuer.MintClientCredentials(ctx, &cognito.ClientGrant{PoolID: f.poolID, ClientID: "m2m", Lifetime: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if c, err := f.issuer.VerifyAccessToken(ctx, cc); err != nil || c.ClientID != "m2m" || c.Sub != "m2m" {
		t.Errorf("client credentials token: %+v, %v", c, err)
	}

	pk, _ := f.keys.pool(ctx, f.poolID)
	signed := func(payload string) string {
		tok, err := sign(pk.active, &scratch{payload: []byte(payload)})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	now := f.clock().Unix()
	claims := func(extra string) string {
		return `{"sub":"s","iss":"http://localhost:9229/` + f.poolID + `","token_use":"access","client_id":"c","exp":` +
			itoa(now+3600) + `,"iat":` + itoa(now) + extra + `}`
	}
	if _, err := f.issuer.VerifyAccessToken(ctx, signed(claims(""))); err != nil {
		t.Fatalf("a well-formed token signed here: %v", err)
	}
	// A signature whose last base64url character carries stray low bits
	// decodes to the same bytes with a lax decoder.
	parts := strings.Split(access, ".")
	sig := parts[2]
	last := strings.IndexByte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", sig[len(sig)-1])
	lax := sig[:len(sig)-1] + string("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[last|1])
	if b, _ := base64.RawURLEncoding.DecodeString(lax); string(b) != mustDecode(t, sig) || lax == sig {
		t.Fatal("test bug: the altered signature is not a non-canonical encoding of the same bytes")
	}
	tampered := access[:len(access)-4] + "AAAA"
	if tampered == access {
		tampered = access[:len(access)-4] + "BBBB"
	}
	otherPool := strings.Replace(claims(""), f.poolID, "us-east-1_OtherPool", 1)
	for name, tok := range map[string]string{
		"tampered":                 tampered,
		"non-canonical signature":  parts[0] + "." + parts[1] + "." + lax,
		"oversized":                access + strings.Repeat("A", 16<<10),
		"not a JWT":                "a.b",
		"ID token":                 id,
		"duplicate sub":            signed(claims(`,"sub":"someone else"`)),
		"iat in the future":        signed(strings.Replace(claims(""), `"iat":`+itoa(now), `"iat":`+itoa(now+600), 1)),
		"another pool's iss":       signed(otherPool),
		"iss of another server":    signed(strings.Replace(claims(""), "http://localhost:9229", "http://evil.example", 1)),
		"unknown kid":              strings.Replace(signed(claims("")), pk.active.header, base64.RawURLEncoding.EncodeToString([]byte(`{"kid":"nope","alg":"RS256"}`)), 1),
		"alg none":                 base64.RawURLEncoding.EncodeToString([]byte(`{"kid":"`+pk.active.kid+`","alg":"none"}`)) + "." + parts[1] + ".",
		"no exp":                   signed(`{"sub":"s","iss":"http://localhost:9229/` + f.poolID + `","token_use":"access"}`),
		"payload not base64":       parts[0] + ".!!!." + parts[2],
		"iss not a pool ID":        signed(strings.Replace(claims(""), f.poolID, "x/../"+f.poolID, 1)),
		"token_use missing":        signed(strings.Replace(claims(""), `"token_use":"access",`, ``, 1)),
		"signature of other input": parts[0] + "." + strings.Split(cc, ".")[1] + "." + parts[2],
	} {
		if _, err := f.issuer.VerifyAccessToken(ctx, tok); !errors.Is(err, cognito.ErrAccessTokenInvalid) {
			t.Errorf("%s: %v, want ErrAccessTokenInvalid", name, err)
		}
	}
	f.advance(time.Hour)
	if _, err := f.issuer.VerifyAccessToken(ctx, access); !errors.Is(err, cognito.ErrAccessTokenExpired) {
		t.Errorf("after its lifetime: %v, want ErrAccessTokenExpired", err)
	}
	// Checking a token reads no key from the store for a pool that has
	// none: a forged iss cannot make one.
	if _, err := f.issuer.VerifyAccessToken(ctx, signed(otherPool)); !errors.Is(err, cognito.ErrAccessTokenInvalid) {
		t.Fatal(err)
	}
	if keys, _ := f.store.ListSigningKeys(ctx, "us-east-1_OtherPool"); len(keys) != 0 {
		t.Errorf("checking a token made %d keys for the pool its iss names", len(keys))
	}
	if _, ok := f.issuer.verifiers.Load("us-east-1_OtherPool"); ok {
		t.Error("a Verifier was cached for a pool without keys")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func mustDecode(t *testing.T, s string) string {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
