package sigv4

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// sdkSigned is a ListUserPools request signed by the AWS SDK's signer.
func sdkSigned(t testing.TB, keyID, secret, region, service string, at time.Time) (*http.Request, []byte) {
	body := []byte(`{"MaxResults":10}`)
	r, _ := http.NewRequest(http.MethodPost, "http://localhost:9229/", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/x-amz-json-1.1")
	r.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.ListUserPools")
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: keyID, SecretAccessKey: secret},
		r, hex.EncodeToString(sum[:]), service, region, at); err != nil {
		t.Fatal(err)
	}
	return r, body
}

// TestKeyCacheFollowsTheSecret: the cached signing key is used only for
// the secret it was derived from. Once Lookup answers a rotated secret,
// requests signed with the old one fail at once, though their scope's
// key is cached; once it answers "unknown", the key ID is refused; and
// the new secret works.
func TestKeyCacheFollowsTheSecret(t *testing.T) {
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	secret, known := "old-secret", true
	v := &Verifier{Service: "cognito-idp", Now: func() time.Time { return at },
		Lookup: func(string) (string, bool) { return secret, known }}
	verify := func(signedWith string) error {
		r, body := sdkSigned(t, "AKIDCACHE", signedWith, "eu-west-1", "cognito-idp", at)
		_, err := v.Verify(r, body)
		return err
	}
	for i := range 2 { // the second is served from the cache
		if err := verify("old-secret"); err != nil {
			t.Fatalf("request %d with the current secret: %v", i, err)
		}
	}
	if n := v.keys.len(); n != 1 {
		t.Fatalf("cache holds %d keys after two requests in one scope, want 1", n)
	}
	secret = "new-secret" // rotated
	if err := verify("old-secret"); err == nil || err.(*Error).Type != typeInvalidSignature {
		t.Errorf("old secret after rotation: %v, want InvalidSignatureException", err)
	}
	if err := verify("new-secret"); err != nil {
		t.Errorf("new secret after rotation: %v", err)
	}
	known = false // deleted
	for _, s := range []string{"old-secret", "new-secret"} {
		if err := verify(s); err == nil || err.(*Error).Type != typeUnrecognizedClient {
			t.Errorf("%s after deletion: %v, want UnrecognizedClientException", s, err)
		}
	}
}

// TestKeyCacheScopes: a key cached for one date, region or service is not
// the key of another: each scope gets its own entry, and a signature made
// for one scope does not verify as another's.
func TestKeyCacheScopes(t *testing.T) {
	at := time.Date(2026, 3, 4, 23, 59, 0, 0, time.UTC)
	v := &Verifier{Service: "cognito-idp", Lookup: func(string) (string, bool) { return "secret", true }, MaxSkew: 48 * time.Hour,
		Now: func() time.Time { return at }}
	for _, c := range []struct {
		region string
		at     time.Time
	}{{"eu-west-1", at}, {"us-east-1", at}, {"eu-west-1", at.Add(2 * time.Minute)}} {
		r, body := sdkSigned(t, "AKIDSCOPE", "secret", c.region, "cognito-idp", c.at)
		if _, err := v.Verify(r, body); err != nil {
			t.Fatalf("%s at %s: %v", c.region, c.at, err)
		}
	}
	if n := v.keys.len(); n != 3 {
		t.Errorf("cache holds %d keys for three scopes (two regions, two dates), want 3", n)
	}
	// Cached keys for eu-west-1 do not make a signature for another
	// service, or a tampered region, verify.
	r, body := sdkSigned(t, "AKIDSCOPE", "secret", "eu-west-1", "s3", at)
	if _, err := v.Verify(r, body); err == nil {
		t.Error("a signature scoped to s3 verified for cognito-idp")
	}
	// The direct check: the cache answers each scope's own key.
	for _, sc := range [][3]string{{"20260304", "eu-west-1", "cognito-idp"}, {"20260305", "eu-west-1", "cognito-idp"},
		{"20260304", "us-east-1", "cognito-idp"}, {"20260304", "eu-west-1", "s3"}} {
		got := v.keys.signingKey("AKIDSCOPE", "secret", sc[0], sc[1], sc[2])
		if want := signingKey("secret", sc[0], sc[1], sc[2]); !bytes.Equal(got, want) {
			t.Errorf("scope %v: cached key differs from the derived one", sc)
		}
	}
}

// TestKeyCacheBounded: however many key IDs and scopes pass through, the
// cache holds at most maxCachedKeys, and unknown key IDs are never kept.
func TestKeyCacheBounded(t *testing.T) {
	var c keyCache
	for i := range maxCachedKeys + 10 {
		c.signingKey(fmt.Sprint("AKID", i), "secret", "20260304", "eu-west-1", "cognito-idp")
		if c.len() > maxCachedKeys {
			t.Fatalf("cache holds %d keys, over its bound %d", c.len(), maxCachedKeys)
		}
	}
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	v := &Verifier{Service: "cognito-idp", Now: func() time.Time { return at }, Lookup: func(string) (string, bool) { return "", false }}
	for i := range 20 {
		r, body := sdkSigned(t, fmt.Sprint("AKIDUNKNOWN", i), "secret", "eu-west-1", "cognito-idp", at)
		if _, err := v.Verify(r, body); err == nil {
			t.Fatal("an unknown key verified")
		}
	}
	if n := v.keys.len(); n != 0 {
		t.Errorf("cache holds %d keys of unknown key IDs, want 0", n)
	}
}

// BenchmarkVerify is one signed request's verification, the signing key
// cached (as on every request but a scope's first).
func BenchmarkVerify(b *testing.B) {
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	v := &Verifier{Service: "cognito-idp", Now: func() time.Time { return at }, RequireSigned: []string{"x-amz-target"},
		Lookup: func(string) (string, bool) { return "secret", true }}
	r, body := sdkSigned(b, "AKIDBENCH", "secret", "eu-west-1", "cognito-idp", at)
	r.Header.Set("User-Agent", "aws-sdk-go-v2/1.48.0 os/linux lang/go#1.26.8 md/GOOS#linux md/GOARCH#amd64 api/cognitoidentityprovider#1.61.0")
	r.Header.Set("Accept-Encoding", "identity")
	r.Header.Set("Amz-Sdk-Invocation-Id", "6e9d3d5b-7c73-4e51-9d3f-0f1a2b3c4d5e")
	r.Header.Set("Amz-Sdk-Request", "attempt=1; max=3")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(r, body); err != nil {
			b.Fatal(err)
		}
	}
}
