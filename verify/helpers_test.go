package verify

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

const (
	testPool     = "eu-west-1_AbCdEf123"
	testClientID = "1example23456789abcdefghij"
	testKID1     = "kid-one"
	testKID2     = "kid-two"
	testKID3     = "kid-rotated"
)

// testNow is the fixed clock of the tests: tokens are issued at testNow-5m
// and expire at testNow+55m unless a case says otherwise.
var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

var (
	keysOnce sync.Once
	key1     *rsa.PrivateKey
	key2     *rsa.PrivateKey
	key3     *rsa.PrivateKey
	smallKey *rsa.PrivateKey // 1024 bits
	ecKey    *ecdsa.PrivateKey
)

// testKeys generates the RSA keys once per test binary.
func testKeys(tb testing.TB) {
	tb.Helper()
	keysOnce.Do(func() {
		gen := func(bits int) *rsa.PrivateKey {
			k, err := rsa.GenerateKey(rand.Reader, bits)
			if err != nil {
				panic(err)
			}
			return k
		}
		key1, key2, key3 = gen(2048), gen(2048), gen(2048)
		smallKey = gen(1024)
		var err error
		ecKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			panic(err)
		}
	})
}

// jwksServer serves a JWKS built with go-jose and counts fetches.
type jwksServer struct {
	*httptest.Server
	fetches atomic.Int64
	mu      sync.Mutex
	body    []byte
	status  int           // 0 means 200
	delay   time.Duration // sleep before answering
}

func newJWKSServer(tb testing.TB, keys ...jose.JSONWebKey) *jwksServer {
	tb.Helper()
	s := &jwksServer{}
	s.setKeys(tb, keys...)
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/"+testPool+"/.well-known/jwks.json" {
			http.NotFound(w, r)
			return
		}
		s.fetches.Add(1)
		s.mu.Lock()
		body, status, delay := s.body, s.status, s.delay
		s.mu.Unlock()
		if delay > 0 {
			time.Sleep(delay)
		}
		if status != 0 {
			http.Error(w, "unavailable", status)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	tb.Cleanup(s.Close)
	return s
}

func (s *jwksServer) setKeys(tb testing.TB, keys ...jose.JSONWebKey) {
	tb.Helper()
	body, err := json.Marshal(jose.JSONWebKeySet{Keys: keys})
	if err != nil {
		tb.Fatal(err)
	}
	s.mu.Lock()
	s.body = body
	s.mu.Unlock()
}

func (s *jwksServer) setRaw(body string) {
	s.mu.Lock()
	s.body = []byte(body)
	s.mu.Unlock()
}

func (s *jwksServer) setStatus(status int) {
	s.mu.Lock()
	s.status = status
	s.mu.Unlock()
}

func (s *jwksServer) issuer() string { return s.URL + "/" + testPool }

// pubJWK is the JWK of a public key as Cognito publishes it.
func pubJWK(k *rsa.PrivateKey, kid string) jose.JSONWebKey {
	return jose.JSONWebKey{Key: &k.PublicKey, KeyID: kid, Algorithm: "RS256", Use: "sig"}
}

// defaultKeys is the two-key JWKS of a Cognito user pool.
func defaultKeys(tb testing.TB) []jose.JSONWebKey {
	testKeys(tb)
	return []jose.JSONWebKey{pubJWK(key1, testKID1), pubJWK(key2, testKID2)}
}

// clock is an adjustable clock for Verifier.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *clock { return &clock{t: t} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// newTestVerifier returns an access-token Verifier for srv with a fixed clock.
func newTestVerifier(srv *jwksServer, now func() time.Time) *Verifier {
	if now == nil {
		now = func() time.Time { return testNow }
	}
	return &Verifier{
		Algorithm: RS256,
		Issuer:    srv.issuer(),
		TokenUse:  AccessToken,
		ClientIDs: []string{testClientID},
		Now:       now,
	}
}

// accessClaims returns the claims of a real-shaped Cognito user access token.
func accessClaims(issuer string) map[string]any {
	return map[string]any{
		"sub":            "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
		"cognito:groups": []string{"admin", "editors"},
		"iss":            issuer,
		"version":        2,
		"client_id":      testClientID,
		"origin_jti":     "11111111-2222-3333-4444-555555555555",
		"event_id":       "66666666-7777-8888-9999-000000000000",
		"token_use":      "access",
		"scope":          "aws.cognito.signin.user.admin com.example.photos/read com.example.photos/write",
		"auth_time":      testNow.Add(-5 * time.Minute).Unix(),
		"exp":            testNow.Add(55 * time.Minute).Unix(),
		"iat":            testNow.Add(-5 * time.Minute).Unix(),
		"jti":            "abcdef01-2345-6789-abcd-ef0123456789",
		"username":       "jdoe",
	}
}

// idClaims returns the claims of a real-shaped Cognito ID token.
func idClaims(issuer string) map[string]any {
	return map[string]any{
		"at_hash":          "HjYEmYTxTXAJEvB3UoL2EQ",
		"sub":              "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
		"cognito:groups":   []string{"admin"},
		"email_verified":   true,
		"iss":              issuer,
		"cognito:username": "jdoe",
		"origin_jti":       "11111111-2222-3333-4444-555555555555",
		"aud":              testClientID,
		"event_id":         "66666666-7777-8888-9999-000000000000",
		"token_use":        "id",
		"auth_time":        testNow.Add(-5 * time.Minute).Unix(),
		"nonce":            "n-0S6_WzA2Mj",
		"exp":              testNow.Add(55 * time.Minute).Unix(),
		"iat":              testNow.Add(-5 * time.Minute).Unix(),
		"jti":              "abcdef01-2345-6789-abcd-ef0123456789",
		"email":            "jdoe@example.com",
		"custom:tenant":    "acme",
	}
}

// joseSign mints a token with go-jose: alg is a go-jose algorithm, key a
// signing key it accepts, kid the kid header ("" for none).
func joseSign(tb testing.TB, alg jose.SignatureAlgorithm, key any, kid string, claims any) string {
	tb.Helper()
	opts := &jose.SignerOptions{}
	if kid != "" {
		opts.WithHeader("kid", kid)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts)
	if err != nil {
		tb.Fatal(err)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		tb.Fatal(err)
	}
	obj, err := signer.Sign(payload)
	if err != nil {
		tb.Fatal(err)
	}
	tok, err := obj.CompactSerialize()
	if err != nil {
		tb.Fatal(err)
	}
	return tok
}

// rawSign builds a token from literal header and payload JSON, signed RS256
// with k (or with no signature if k is nil).
func rawSign(k *rsa.PrivateKey, header, payload string) string {
	enc := base64.RawURLEncoding
	input := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(payload))
	if k == nil {
		return input + "."
	}
	d := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(nil, k, crypto.SHA256, d[:])
	if err != nil {
		panic(err)
	}
	return input + "." + enc.EncodeToString(sig)
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// with returns a copy of m with the given key/value pairs set (a nil value
// deletes the key).
func with(m map[string]any, kv ...any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		k := kv[i].(string)
		if kv[i+1] == nil {
			delete(out, k)
		} else {
			out[k] = kv[i+1]
		}
	}
	return out
}
