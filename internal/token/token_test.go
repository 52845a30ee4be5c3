package token

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/sqlite"
)

type fixture struct {
	store  cognito.Store
	sealer *cognito.Sealer
	keys   *Keys
	issuer *Issuer
	poolID string
	now    time.Time
	mu     sync.Mutex
}

func (f *fixture) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fixture) advance(d time.Duration) {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.mu.Unlock()
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	return newFixtureWith(t, nil)
}

// newFixtureWith is newFixture with the keys signing through newSigner
// (nil: GoSigner).
func newFixtureWith(t testing.TB, newSigner NewSigner) *fixture {
	t.Helper()
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	sealer, _ := cognito.NewSealer(bytes.Repeat([]byte{3}, 32))
	f := &fixture{store: store, sealer: sealer, now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), poolID: "us-east-1_TestPool1"}
	err = store.Update(ctx, func(tx cognito.Tx) error {
		return tx.CreateUserPool(ctx, &cognito.UserPool{ID: f.poolID, Name: "p", CreationDate: f.now, LastModifiedDate: f.now})
	})
	if err != nil {
		t.Fatal(err)
	}
	f.keys = NewKeys(store, sealer, f.clock, newSigner)
	f.issuer = NewIssuer(IssuerConfig{Keys: f.keys, PublicURL: "http://localhost:9229", Now: f.clock})
	return f
}

func (f *fixture) jwks(t testing.TB) jose.JSONWebKeySet {
	t.Helper()
	raw, err := f.keys.JWKS(context.Background(), f.poolID)
	if err != nil {
		t.Fatal(err)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(raw, &set); err != nil {
		t.Fatalf("JWKS does not parse with go-jose: %v", err)
	}
	return set
}

// verifyWithJose checks a token with go-jose, an implementation other than
// ours, against the JWKS, and returns its header kid and claims.
func verifyWithJose(t testing.TB, token string, set jose.JSONWebKeySet) (string, map[string]any) {
	t.Helper()
	jws, err := jose.ParseSignedCompact(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	kid := jws.Signatures[0].Header.KeyID
	keys := set.Key(kid)
	if len(keys) != 1 {
		t.Fatalf("kid %q: %d keys in the JWKS, want 1", kid, len(keys))
	}
	payload, err := jws.Verify(keys[0].Key)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatal(err)
	}
	return kid, claims
}

func TestClientCredentialsClaims(t *testing.T) {
	f := newFixture(t)
	tok, err := f.issuer.MintClientCredentials(context.Background(), &cognito.ClientGrant{
		PoolID: f.poolID, ClientID: "abcdefghijklmnopqrstuvwxyz", Scopes: []string{"com.example.photos/read", `https://api.example.com/we"ird`}, Lifetime: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	set := f.jwks(t)
	if len(set.Keys) != 2 {
		t.Errorf("JWKS has %d keys, want 2 (active and next)", len(set.Keys))
	}
	for _, k := range set.Keys {
		if k.Algorithm != "RS256" || k.Use != "sig" || k.Key.(*rsa.PublicKey).N.BitLen() != KeyBits {
			t.Errorf("JWK %s: alg %s use %s", k.KeyID, k.Algorithm, k.Use)
		}
	}
	header := strings.Split(tok, ".")[0]
	kid, claims := verifyWithJose(t, tok, set)
	if want := f.keys.pools[f.poolID].active.header; header != want {
		t.Errorf("header %s, want the precomputed %s", header, want)
	}
	now := float64(f.now.Unix())
	want := map[string]any{
		"sub": "abcdefghijklmnopqrstuvwxyz", "token_use": "access", "scope": `com.example.photos/read https://api.example.com/we"ird`,
		"auth_time": now, "iss": "http://localhost:9229/" + f.poolID, "exp": now + 3600, "iat": now,
		"version": float64(2), "client_id": "abcdefghijklmnopqrstuvwxyz",
	}
	for k, v := range want {
		if claims[k] != v {
			t.Errorf("claim %s = %v, want %v", k, claims[k], v)
		}
	}
	if jti, _ := claims["jti"].(string); len(jti) != 36 || jti[14] != '4' {
		t.Errorf("jti %q is not a v4 UUID", jti)
	}
	if len(claims) != len(want)+1 {
		t.Errorf("token has %d claims, want %d: %v", len(claims), len(want)+1, claims)
	}
	if kid == "" {
		t.Error("no kid")
	}
}

func TestRotation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	mint := func() string {
		tok, err := f.issuer.MintClientCredentials(ctx, &cognito.ClientGrant{PoolID: f.poolID, ClientID: "c", Lifetime: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	before := mint()
	oldKid, _ := verifyWithJose(t, before, f.jwks(t))
	nextKid := ""
	for _, k := range f.jwks(t).Keys {
		if k.KeyID != oldKid {
			nextKid = k.KeyID
		}
	}
	promoted, err := f.keys.Rotate(ctx, f.poolID)
	if err != nil {
		t.Fatal(err)
	}
	if promoted != nextKid {
		t.Errorf("Rotate promoted %s, want the published next key %s", promoted, nextKid)
	}
	after := mint()
	set := f.jwks(t)
	if len(set.Keys) != 3 {
		t.Errorf("JWKS after rotation has %d keys, want 3 (retired, active, next)", len(set.Keys))
	}
	if kid, _ := verifyWithJose(t, after, set); kid != nextKid {
		t.Errorf("new tokens signed by %s, want %s", kid, nextKid)
	}
	verifyWithJose(t, before, set) // the old token still verifies

	// A day later the retired key leaves the JWKS; a second rotation
	// deletes it from the store.
	f.advance(MaxTokenLifetime + time.Minute)
	f.keys.Forget(f.poolID)
	if n := len(f.jwks(t).Keys); n != 2 {
		t.Errorf("JWKS a day after rotation has %d keys, want 2", n)
	}
	if _, err := f.keys.Rotate(ctx, f.poolID); err != nil {
		t.Fatal(err)
	}
	stored, _ := f.store.ListSigningKeys(ctx, f.poolID)
	if len(stored) != 3 {
		t.Errorf("store holds %d keys after the second rotation, want 3", len(stored))
	}
}

func TestPrivateKeysSealedAtRest(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.keys.JWKS(ctx, f.poolID); err != nil {
		t.Fatal(err)
	}
	stored, err := f.store.ListSigningKeys(ctx, f.poolID)
	if err != nil || len(stored) != 2 {
		t.Fatalf("stored keys: %d, %v", len(stored), err)
	}
	other, _ := cognito.NewSealer(bytes.Repeat([]byte{4}, 32))
	for _, sk := range stored {
		der, err := f.sealer.Open(keyPurpose(f.poolID, sk.KID), sk.SealedPrivateKey)
		if err != nil {
			t.Fatalf("key %s does not open with its master key: %v", sk.KID, err)
		}
		key, err := x509.ParsePKCS8PrivateKey(der)
		if err != nil {
			t.Fatalf("key %s opens to no PKCS #8 key: %v", sk.KID, err)
		}
		// Neither the key's encoding nor its secret prime is in the row.
		if bytes.Contains(sk.SealedPrivateKey, der[len(der)/2:len(der)/2+32]) {
			t.Errorf("key %s: the stored row holds its PKCS #8 bytes", sk.KID)
		}
		if p := key.(*rsa.PrivateKey).Primes[0].Bytes(); bytes.Contains(sk.SealedPrivateKey, p[:32]) {
			t.Errorf("key %s: the stored row holds its prime", sk.KID)
		}
		if _, err := other.Open(keyPurpose(f.poolID, sk.KID), sk.SealedPrivateKey); err == nil {
			t.Errorf("key %s opened with another master key", sk.KID)
		}
	}
	// Nor can a key set built on another master key use them.
	if _, err := NewKeys(f.store, other, f.clock, nil).JWKS(ctx, f.poolID); err == nil {
		t.Error("keys opened with the wrong master key")
	}
}

func TestConcurrentFirstUseCreatesOnePair(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Separate key sets: like separate instances.
			if _, err := NewKeys(f.store, f.sealer, f.clock, nil).JWKS(ctx, f.poolID); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	stored, _ := f.store.ListSigningKeys(ctx, f.poolID)
	if len(stored) != 2 {
		t.Errorf("%d keys after concurrent first use, want 2", len(stored))
	}
}

func BenchmarkMintClientCredentials(b *testing.B) {
	for _, sg := range benchSigners(b) {
		b.Run(sg.name, func(b *testing.B) { benchmarkMintClientCredentials(b, sg.newSigner) })
	}
}

func benchmarkMintClientCredentials(b *testing.B, newSigner NewSigner) {
	f := newFixtureWith(b, newSigner)
	f.now = time.Now()
	ctx := context.Background()
	c := &cognito.ClientGrant{PoolID: f.poolID, ClientID: "abcdefghijklmnopqrstuvwxyz", Scopes: []string{"com.example.photos/read", "com.example.photos/write"}, Lifetime: time.Hour}
	if _, err := f.issuer.MintClientCredentials(ctx, c); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := f.issuer.MintClientCredentials(ctx, c); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRS256SignBaseline is a bare 2048-bit RS256 signature, the floor
// BenchmarkMintClientCredentials is compared with.
func BenchmarkRS256SignBaseline(b *testing.B) {
	key, err := rsa.GenerateKey(rand.Reader, KeyBits)
	if err != nil {
		b.Fatal(err)
	}
	key.Precompute()
	digest := sha256.Sum256([]byte("payload"))
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, digest[:]); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestKeylessPoolBurstMakesOnePair: a burst of first requests for a pool
// without keys generates one pair, not one per request.
func TestKeylessPoolBurstMakesOnePair(t *testing.T) {
	f := newFixture(t)
	var generated atomic.Int32
	gen := f.keys.generate
	f.keys.generate = func() (*rsa.PrivateKey, error) { generated.Add(1); return gen() }
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.keys.JWKS(context.Background(), f.poolID); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := generated.Load(); n != 2 {
		t.Errorf("%d keys generated for one keyless pool, want 2", n)
	}
}

// TestReloadReusesParsedKeys: the periodic reload of a pool's keys reads
// the rows again but does not unseal and parse keys it already holds; a
// rotation brings in the new key.
func TestReloadReusesParsedKeys(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	before, err := f.keys.pool(ctx, f.poolID)
	if err != nil {
		t.Fatal(err)
	}
	f.advance(cacheTTL + time.Second)
	after, err := f.keys.pool(ctx, f.poolID)
	if err != nil {
		t.Fatal(err)
	}
	if after == before {
		t.Fatal("the stale entry was not reloaded")
	}
	if after.active != before.active || len(after.private) != 2 {
		t.Errorf("reload parsed the active key again (or lost one): %d keys", len(after.private))
	}
	promoted, err := f.keys.Rotate(ctx, f.poolID)
	if err != nil {
		t.Fatal(err)
	}
	rotated, err := f.keys.pool(ctx, f.poolID)
	if err != nil {
		t.Fatal(err)
	}
	if rotated.active.kid != promoted || rotated.active.kid == before.active.kid {
		t.Errorf("after rotation the active key is %s, want %s", rotated.active.kid, promoted)
	}
}
