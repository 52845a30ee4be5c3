package verify

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// verifyCase is one row of TestVerify.
type verifyCase struct {
	name  string
	token string
	cfg   func(*Verifier) // adjusts the Verifier; nil uses the shared one
	want  error           // sentinel, nil for success
	check func(t *testing.T, c *Claims)
}

func TestVerify(t *testing.T) {
	testKeys(t)
	srv := newJWKSServer(t, append(defaultKeys(t),
		jose.JSONWebKey{Key: &key3.PublicKey, KeyID: "kid-alg-rs512", Algorithm: "RS512", Use: "sig"},
		jose.JSONWebKey{Key: &key3.PublicKey, KeyID: "kid-use-enc", Algorithm: "RS256", Use: "enc"},
		jose.JSONWebKey{Key: &key3.PublicKey, KeyID: "kid-no-alg-no-use"},
		jose.JSONWebKey{Key: &smallKey.PublicKey, KeyID: "kid-small", Algorithm: "RS256", Use: "sig"},
		jose.JSONWebKey{Key: &ecKey.PublicKey, KeyID: "kid-ec", Algorithm: "ES256", Use: "sig"},
	)...)
	iss := srv.issuer()
	ac := accessClaims(iss)
	ic := idClaims(iss)
	rs := func(claims map[string]any) string { return joseSign(t, jose.RS256, key1, testKID1, claims) }
	hdr := `{"kid":"` + testKID1 + `","alg":"RS256"}`
	raw := func(payload string) string { return rawSign(key1, hdr, payload) }
	good := rs(ac)
	parts := strings.Split(good, ".")
	enc := base64.RawURLEncoding.EncodeToString

	// Secrets an attacker could use for HS256 alg confusion.
	der, err := x509.MarshalPKIXPublicKey(&key1.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	pkcs1 := x509.MarshalPKCS1PublicKey(&key1.PublicKey)
	jwkJSON, err := json.Marshal(pubJWK(key1, testKID1))
	if err != nil {
		t.Fatal(err)
	}

	tamper := func(tok string, part int, f func(string) string) string {
		p := strings.Split(tok, ".")
		p[part] = f(p[part])
		return strings.Join(p, ".")
	}
	flip := func(s string) string {
		b := []byte(s)
		if b[10] == 'A' {
			b[10] = 'B'
		} else {
			b[10] = 'A'
		}
		return string(b)
	}
	expAt := func(d time.Duration) map[string]any { return with(ac, "exp", testNow.Add(d).Unix()) }
	leeway := func(d time.Duration) func(*Verifier) { return func(v *Verifier) { v.Leeway = d } }
	idVerifier := func(v *Verifier) { v.TokenUse = IDToken }

	cases := []verifyCase{
		{name: "ok", token: good, check: func(t *testing.T, c *Claims) {
			want := Claims{
				Issuer:    iss,
				Subject:   "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
				TokenUse:  AccessToken,
				ClientID:  testClientID,
				Scope:     []string{"aws.cognito.signin.user.admin", "com.example.photos/read", "com.example.photos/write"},
				Username:  "jdoe",
				Groups:    []string{"admin", "editors"},
				ExpiresAt: testNow.Add(55 * time.Minute),
				IssuedAt:  testNow.Add(-5 * time.Minute),
				AuthTime:  testNow.Add(-5 * time.Minute),
				JTI:       "abcdef01-2345-6789-abcd-ef0123456789",
				OriginJTI: "11111111-2222-3333-4444-555555555555",
				EventID:   "66666666-7777-8888-9999-000000000000",
				Version:   2,
			}
			got := *c
			got.payload = ""
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %+v, want %+v", got, want)
			}
			if !c.HasScope("com.example.photos/read") || c.HasScope("com.example.photos") {
				t.Errorf("got HasScope wrong for %v", c.Scope)
			}
			if !c.InGroup("editors") || c.InGroup("Editors") {
				t.Errorf("got InGroup wrong for %v", c.Groups)
			}
		}},
		{name: "ok/hand-built-cognito-access-token", token: rawSign(key1, hdr,
			`{"sub":"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee","cognito:groups":["admin"],"iss":"`+iss+`","version":2,`+
				`"client_id":"`+testClientID+`","origin_jti":"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee","event_id":"cccccccc-dddd-eeee-ffff-aaaaaaaaaaaa",`+
				`"token_use":"access","scope":"phone openid profile email","auth_time":1772362500,"exp":1772369700,`+
				`"iat":1772366100,"jti":"bbbbbbbb-cccc-dddd-eeee-ffffffffffff","username":"my-test-user"}`),
			check: func(t *testing.T, c *Claims) {
				if got, want := c.Scope, []string{"phone", "openid", "profile", "email"}; !reflect.DeepEqual(got, want) {
					t.Errorf("got %v, want %v", got, want)
				}
				if got, want := c.Username, "my-test-user"; got != want {
					t.Errorf("got %v, want %v", got, want)
				}
				if got, want := c.ExpiresAt, time.Unix(1772369700, 0).UTC(); !got.Equal(want) {
					t.Errorf("got %v, want %v", got, want)
				}
			}},
		{name: "ok/client-credentials-token", token: raw(mustJSON(map[string]any{
			"sub": testClientID, "token_use": "access", "scope": "com.example.photos/read", "auth_time": testNow.Unix(),
			"iss": iss, "exp": testNow.Add(time.Hour).Unix(), "iat": testNow.Unix(), "version": 2,
			"jti": "j", "client_id": testClientID})),
			check: func(t *testing.T, c *Claims) {
				if got, want := c.Subject, testClientID; got != want {
					t.Errorf("got %v, want %v", got, want)
				}
			}},
		{name: "ok/typ-header", token: rawSign(key1, `{"typ":"JWT","alg":"RS256","kid":"`+testKID1+`"}`, mustJSON(ac))},
		{name: "ok/second-key", token: joseSign(t, jose.RS256, key2, testKID2, ac)},
		{name: "ok/jwk-without-alg-and-use", token: joseSign(t, jose.RS256, key3, "kid-no-alg-no-use", ac)},
		{name: "ok/id-token", cfg: idVerifier, token: rs(ic), check: func(t *testing.T, c *Claims) {
			if got, want := c.Audience, []string{testClientID}; !reflect.DeepEqual(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
			if c.Username != "jdoe" || c.Email != "jdoe@example.com" || !c.EmailVerified || c.Nonce != "n-0S6_WzA2Mj" {
				t.Errorf("got %+v, want cognito:username, email, email_verified and nonce", c)
			}
			if got, ok := c.GetString("custom:tenant"); !ok || got != "acme" {
				t.Errorf("got %v, %v, want acme, true", got, ok)
			}
		}},
		{name: "ok/id-token-aud-array", cfg: idVerifier, token: rs(with(ic, "aud", []string{"other", testClientID}))},
		{name: "ok/id-token-email-verified-string", cfg: idVerifier, token: rs(with(ic, "email_verified", "true")),
			check: func(t *testing.T, c *Claims) {
				if !c.EmailVerified {
					t.Errorf("got %v, want true", c.EmailVerified)
				}
			}},
		{name: "ok/second-client", cfg: func(v *Verifier) { v.ClientIDs = []string{"other", testClientID} }, token: good},
		{name: "ok/any-client", cfg: func(v *Verifier) { v.ClientIDs = nil; v.AnyClientID = true },
			token: rs(with(ac, "client_id", "someone-else"))},
		{name: "ok/leeway", cfg: leeway(5 * time.Second), token: rs(expAt(-4 * time.Second))},
		{name: "ok/leeway-future-iat", cfg: leeway(5 * time.Second), token: rs(with(ac, "iat", testNow.Add(5*time.Second).Unix()))},
		{name: "ok/leeway-future-nbf", cfg: leeway(5 * time.Second), token: rs(with(ac, "nbf", testNow.Add(5*time.Second).Unix()))},
		{name: "ok/expires-in-one-second", token: rs(expAt(time.Second))},
		{name: "ok/iat-now", token: rs(with(ac, "iat", testNow.Unix()))},
		{name: "ok/no-iat", token: rs(with(ac, "iat", nil))},
		{name: "ok/fractional-exp", token: rs(with(ac, "exp", json.RawMessage(strconv.FormatInt(testNow.Unix()+60, 10)+".25"))),
			check: func(t *testing.T, c *Claims) {
				if got, want := c.ExpiresAt, testNow.Add(60250*time.Millisecond); !got.Equal(want) {
					t.Errorf("got %v, want %v", got, want)
				}
			}},
		// A member named twice is refused wherever it is, even when it is
		// signed: parsers disagree on which copy counts.
		{name: "fail/duplicate-exp", token: raw(strings.Replace(mustJSON(ac), `"exp":`, `"exp":1.5e0,"exp":`, 1)), want: ErrMalformed},
		{name: "fail/duplicate-sub-escaped", token: raw(strings.Replace(mustJSON(ac), `"sub":`, `"s\u0075b":"attacker","sub":`, 1)), want: ErrMalformed},
		{name: "fail/duplicate-nested-claim", token: raw(strings.Replace(mustJSON(ac), `"exp":`, `"custom:x":{"a":[{"b":1,"b":2}]},"exp":`, 1)), want: ErrMalformed},
		{name: "fail/duplicate-header-kid", token: rawSign(key1, `{"kid":"`+testKID2+`","alg":"RS256","kid":"`+testKID1+`"}`, mustJSON(ac)), want: ErrMalformed},
		{name: "fail/duplicate-header-alg", token: rawSign(key1, `{"alg":"none","kid":"`+testKID1+`","alg":"RS256"}`, mustJSON(ac)), want: ErrMalformed},
		{name: "fail/duplicate-header-nested", token: rawSign(key1, `{"alg":"RS256","kid":"`+testKID1+`","x":{"y":1,"y":1}}`, mustJSON(ac)), want: ErrMalformed},
		{name: "ok/same-name-in-sibling-objects", token: raw(strings.Replace(mustJSON(ac), `"exp":`, `"custom:x":[{"a":1},{"a":1}],"custom:y":{"a":{"a":1}},"exp":`, 1))},
		{name: "ok/escaped-strings", token: raw(`{"iss":"` + strings.ReplaceAll(iss, "/", `\/`) + `","token_use":"\u0061ccess",` +
			`"client_id":"` + testClientID + `","exp":` + mustJSON(testNow.Add(time.Minute).Unix()) +
			`,"username":"j\u00f6rg \ud83d\ude00\n","custom:x":{"a":[1,2.5e-3,true,false,null,"\""]}}`),
			check: func(t *testing.T, c *Claims) {
				if got, want := c.Username, "jörg 😀\n"; got != want {
					t.Errorf("got %q, want %q", got, want)
				}
				if got, ok := c.Get("custom:x"); !ok || !reflect.DeepEqual(got, map[string]any{"a": []any{1.0, 2.5e-3, true, false, nil, `"`}}) {
					t.Errorf("got %v, %v, want the nested object", got, ok)
				}
			}},
		{name: "ok/null-optional-claims", token: rs(with(ac, "username", json.RawMessage("null"), "cognito:groups", json.RawMessage("null")))},

		{name: "fail/expired", token: rs(expAt(-time.Second)), want: ErrExpired},
		{name: "fail/expired-exactly-now", token: rs(expAt(0)), want: ErrExpired},
		{name: "fail/expired-beyond-leeway", cfg: leeway(5 * time.Second), token: rs(expAt(-5 * time.Second)), want: ErrExpired},
		{name: "fail/exp-zero", token: rs(with(ac, "exp", 0)), want: ErrExpired},
		{name: "fail/missing-exp", token: rs(with(ac, "exp", nil)), want: ErrMalformed},
		{name: "fail/future-iat", token: rs(with(ac, "iat", testNow.Add(time.Second).Unix())), want: ErrNotYetValid},
		{name: "fail/future-iat-beyond-leeway", cfg: leeway(5 * time.Second), token: rs(with(ac, "iat", testNow.Add(6*time.Second).Unix())), want: ErrNotYetValid},
		{name: "fail/future-nbf", token: rs(with(ac, "nbf", testNow.Add(time.Minute).Unix())), want: ErrNotYetValid},

		{name: "fail/tampered-payload", token: parts[0] + "." + enc([]byte(mustJSON(with(ac, "scope", "admin")))) + "." + parts[2], want: ErrSignature},
		{name: "fail/tampered-payload-bit", token: tamper(good, 1, flip), want: ErrSignature},
		{name: "fail/tampered-header-kid", token: enc([]byte(`{"alg":"RS256","kid":"`+testKID2+`"}`)) + "." + parts[1] + "." + parts[2], want: ErrSignature},
		{name: "fail/tampered-signature", token: tamper(good, 2, flip), want: ErrSignature},
		{name: "fail/signed-by-other-key", token: joseSign(t, jose.RS256, key2, testKID1, ac), want: ErrSignature},
		{name: "fail/signature-truncated", token: tamper(good, 2, func(s string) string { return s[:len(s)-4] }), want: ErrSignature},
		{name: "fail/signature-empty", token: parts[0] + "." + parts[1] + ".", want: ErrSignature},

		{name: "fail/alg-none", token: rawSign(nil, `{"alg":"none","kid":"`+testKID1+`"}`, mustJSON(ac)), want: ErrAlgorithm},
		{name: "fail/alg-none-no-kid", token: rawSign(nil, `{"alg":"none"}`, mustJSON(ac)), want: ErrAlgorithm},
		{name: "fail/alg-None", token: rawSign(nil, `{"alg":"None","kid":"`+testKID1+`"}`, mustJSON(ac)), want: ErrAlgorithm},
		{name: "fail/alg-none-with-rs256-signature", token: rawSign(nil, `{"alg":"none","kid":"`+testKID1+`"}`, mustJSON(ac)) + parts[2], want: ErrAlgorithm},
		{name: "fail/alg-lowercase-rs256", token: rawSign(key1, `{"alg":"rs256","kid":"`+testKID1+`"}`, mustJSON(ac)), want: ErrAlgorithm},
		{name: "fail/alg-missing", token: rawSign(key1, `{"kid":"`+testKID1+`"}`, mustJSON(ac)), want: ErrMalformed},
		{name: "fail/alg-not-a-string", token: rawSign(key1, `{"alg":["RS256"],"kid":"`+testKID1+`"}`, mustJSON(ac)), want: ErrMalformed},
		{name: "fail/hs256-with-public-key/pem", token: joseSign(t, jose.HS256, pemBytes, testKID1, ac), want: ErrAlgorithm},
		{name: "fail/hs256-with-public-key/pkix-der", token: joseSign(t, jose.HS256, der, testKID1, ac), want: ErrAlgorithm},
		{name: "fail/hs256-with-public-key/pkcs1-der", token: joseSign(t, jose.HS256, pkcs1, testKID1, ac), want: ErrAlgorithm},
		{name: "fail/hs256-with-public-key/n-bytes", token: joseSign(t, jose.HS256, key1.N.Bytes(), testKID1, ac), want: ErrAlgorithm},
		{name: "fail/hs256-with-public-key/jwk-json", token: joseSign(t, jose.HS256, jwkJSON, testKID1, ac), want: ErrAlgorithm},
		{name: "fail/hs512", token: joseSign(t, jose.HS512, pemBytes, testKID1, ac), want: ErrAlgorithm},
		{name: "fail/rs512", token: joseSign(t, jose.RS512, key1, testKID1, ac), want: ErrAlgorithm},
		{name: "fail/ps256", token: joseSign(t, jose.PS256, key1, testKID1, ac), want: ErrAlgorithm},
		{name: "fail/es256", token: joseSign(t, jose.ES256, ecKey, "kid-ec", ac), want: ErrAlgorithm},

		{name: "fail/jwk-alg-mismatch", token: joseSign(t, jose.RS256, key3, "kid-alg-rs512", ac), want: ErrAlgorithm},
		{name: "fail/jwk-use-enc", token: joseSign(t, jose.RS256, key3, "kid-use-enc", ac), want: ErrKeyRejected},
		{name: "fail/jwk-1024-bit-key", token: joseSign(t, jose.RS256, smallKey, "kid-small", ac), want: ErrKeyRejected},
		{name: "fail/jwk-kty-ec-ignored", token: joseSign(t, jose.RS256, key1, "kid-ec", ac), want: ErrUnknownKey},
		{name: "fail/unknown-kid", token: joseSign(t, jose.RS256, key3, "kid-nobody-knows", ac), want: ErrUnknownKey},
		{name: "fail/missing-kid", token: joseSign(t, jose.RS256, key1, "", ac), want: ErrMalformed},
		{name: "fail/kid-not-a-string", token: rawSign(key1, `{"alg":"RS256","kid":1}`, mustJSON(ac)), want: ErrMalformed},
		{name: "fail/crit-header", token: rawSign(key1, `{"alg":"RS256","kid":"`+testKID1+`","crit":["exp"],"exp":1}`, mustJSON(ac)), want: ErrMalformed},

		{name: "fail/wrong-issuer", token: rs(with(ac, "iss", "https://cognito-idp.eu-west-1.amazonaws.com/"+testPool)), want: ErrIssuer},
		{name: "fail/wrong-issuer-trailing-slash", token: rs(with(ac, "iss", iss+"/")), want: ErrIssuer},
		{name: "fail/wrong-issuer-other-pool", token: rs(with(ac, "iss", srv.URL+"/eu-west-1_Other")), want: ErrIssuer},
		{name: "fail/missing-issuer", token: rs(with(ac, "iss", nil)), want: ErrIssuer},
		{name: "fail/wrong-token-use", token: rs(with(ac, "token_use", "id")), want: ErrTokenUse},
		{name: "fail/wrong-token-use-id-token-as-access", token: rs(ic), want: ErrTokenUse},
		{name: "fail/wrong-token-use-access-token-as-id", cfg: idVerifier, token: good, want: ErrTokenUse},
		{name: "fail/missing-token-use", token: rs(with(ac, "token_use", nil)), want: ErrTokenUse},
		{name: "fail/wrong-client", token: rs(with(ac, "client_id", "someone-else")), want: ErrClientID},
		{name: "fail/missing-client", token: rs(with(ac, "client_id", nil)), want: ErrClientID},
		{name: "fail/wrong-client-aud-ignored-for-access", token: rs(with(ac, "client_id", "x", "aud", testClientID)), want: ErrClientID},
		{name: "fail/wrong-client-id-token-aud", cfg: idVerifier, token: rs(with(ic, "aud", "someone-else")), want: ErrClientID},
		{name: "fail/wrong-client-id-token-client-id-ignored", cfg: idVerifier, token: rs(with(ic, "aud", nil, "client_id", testClientID)), want: ErrClientID},

		{name: "fail/malformed/empty", token: "", want: ErrMalformed},
		{name: "fail/malformed/one-segment", token: parts[0], want: ErrMalformed},
		{name: "fail/malformed/two-segments", token: parts[0] + "." + parts[1], want: ErrMalformed},
		{name: "fail/malformed/four-segments", token: good + ".", want: ErrMalformed},
		{name: "fail/malformed/dots", token: "..", want: ErrMalformed},
		{name: "fail/malformed/padding", token: parts[0] + "=." + parts[1] + "." + parts[2], want: ErrMalformed},
		{name: "fail/malformed/std-base64-alphabet", token: strings.NewReplacer("-", "+", "_", "/").Replace(good) + "+/", want: ErrMalformed},
		{name: "fail/malformed/newline-in-signature", token: parts[0] + "." + parts[1] + "." + parts[2][:20] + "\n" + parts[2][20:], want: ErrMalformed},
		{name: "fail/malformed/space", token: " " + good, want: ErrMalformed},
		{name: "fail/malformed/bearer-prefix", token: "Bearer " + good, want: ErrMalformed},
		{name: "fail/malformed/non-canonical-base64", token: tamper(good, 2, func(s string) string { return s[:len(s)-1] + "B" }), want: ErrMalformed},
		{name: "fail/malformed/header-not-json", token: enc([]byte("RS256")) + "." + parts[1] + "." + parts[2], want: ErrMalformed},
		{name: "fail/malformed/header-array", token: enc([]byte(`["RS256"]`)) + "." + parts[1] + "." + parts[2], want: ErrMalformed},
		{name: "fail/malformed/header-trailing-data", token: rawSign(key1, hdr+"{}", mustJSON(ac)), want: ErrMalformed},
		{name: "fail/malformed/header-invalid-utf8", token: rawSign(key1, `{"alg":"RS256","kid":"`+testKID1+`","x":"`+"\xff"+`"}`, mustJSON(ac)), want: ErrMalformed},
		{name: "fail/malformed/payload-not-json", token: raw("not json"), want: ErrMalformed},
		{name: "fail/malformed/payload-array", token: raw(`[` + mustJSON(ac) + `]`), want: ErrMalformed},
		{name: "fail/malformed/payload-trailing-data", token: raw(mustJSON(ac) + `x`), want: ErrMalformed},
		{name: "fail/malformed/payload-truncated", token: raw(mustJSON(ac)[:40]), want: ErrMalformed},
		{name: "fail/malformed/payload-invalid-utf8", token: raw(strings.Replace(mustJSON(ac), "jdoe", "jd\xffe", 1)), want: ErrMalformed},
		{name: "fail/malformed/payload-control-char", token: raw(strings.Replace(mustJSON(ac), "jdoe", "jd\x01e", 1)), want: ErrMalformed},
		{name: "fail/malformed/payload-bad-escape", token: raw(strings.Replace(mustJSON(ac), "jdoe", `jd\x`, 1)), want: ErrMalformed},
		{name: "fail/malformed/payload-too-deep", token: raw(strings.Replace(mustJSON(ac), `"jdoe"`, strings.Repeat("[", 100)+strings.Repeat("]", 100), 1)), want: ErrMalformed},
		{name: "fail/malformed/iss-not-string", token: rs(with(ac, "iss", 42)), want: ErrMalformed},
		{name: "fail/malformed/scope-array", token: rs(with(ac, "scope", []string{"a"})), want: ErrMalformed},
		{name: "fail/malformed/groups-string", token: rs(with(ac, "cognito:groups", "admin")), want: ErrMalformed},
		{name: "fail/malformed/groups-numbers", token: rs(with(ac, "cognito:groups", []int{1})), want: ErrMalformed},
		{name: "fail/malformed/aud-number", cfg: idVerifier, token: rs(with(ic, "aud", 7)), want: ErrMalformed},
		{name: "fail/malformed/exp-string", token: rs(with(ac, "exp", "1772369700")), want: ErrMalformed},
		{name: "fail/malformed/exp-huge", token: raw(strings.Replace(mustJSON(ac), `"exp":`, `"exp":1e300,"x":`, 1)), want: ErrMalformed},
		{name: "fail/malformed/exp-negative", token: rs(with(ac, "exp", -1)), want: ErrMalformed},
		{name: "fail/malformed/version-fraction", token: rs(with(ac, "version", 2.5)), want: ErrMalformed},
		{name: "fail/malformed/too-long", token: parts[0] + "." + strings.Repeat("A", MaxTokenSize) + "." + parts[2], want: ErrMalformed},
	}

	shared := newTestVerifier(srv, nil)
	seen := map[string]bool{}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if seen[tc.name] {
				t.Fatalf("duplicate case name %q", tc.name)
			}
			seen[tc.name] = true
			v := shared
			if tc.cfg != nil {
				v = newTestVerifier(srv, nil)
				tc.cfg(v)
			}
			c, err := v.Verify(context.Background(), tc.token)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("got %v, want success", err)
				}
				if c == nil {
					t.Fatalf("got nil claims, want claims")
				}
				if tc.check != nil {
					tc.check(t, c)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			t.Logf("error: %v", err)
			if c != nil {
				t.Errorf("got claims %+v, want nil", c)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %T, want *Error", err)
			}
			if got, want := e.Code, InvalidToken; got != want {
				t.Errorf("got code %v, want %v", got, want)
			}
			if !strings.HasPrefix(err.Error(), "verify: ") {
				t.Errorf("got %q, want a \"verify: \" prefix", err.Error())
			}
		})
	}
	// All of the shared Verifier's cases ran on one fetch plus at most one
	// refetch for the unknown kids (the cool-down blocks the rest).
	if got := shared.cache.fetches; got > 2 {
		t.Errorf("got %d fetches by the shared verifier, want at most 2", got)
	}
}

func TestVerifierConfig(t *testing.T) {
	base := func() *Verifier {
		return &Verifier{
			Algorithm: RS256,
			Issuer:    "https://cognito-idp.eu-west-1.amazonaws.com/" + testPool,
			TokenUse:  AccessToken,
			ClientIDs: []string{testClientID},
		}
	}
	cases := []struct {
		name string
		cfg  func(*Verifier)
		ok   bool
	}{
		{"ok", func(v *Verifier) {}, true},
		{"ok/any-client", func(v *Verifier) { v.ClientIDs = nil; v.AnyClientID = true }, true},
		{"ok/id-token", func(v *Verifier) { v.TokenUse = IDToken }, true},
		{"ok/explicit-jwks-url", func(v *Verifier) { v.JWKSURL = "https://example.com/keys" }, true},
		{"ok/realm", func(v *Verifier) { v.Realm = "photos api" }, true},
		{"fail/no-algorithm", func(v *Verifier) { v.Algorithm = "" }, false},
		{"fail/hs256-algorithm", func(v *Verifier) { v.Algorithm = "HS256" }, false},
		{"fail/no-issuer", func(v *Verifier) { v.Issuer = "" }, false},
		{"fail/relative-issuer", func(v *Verifier) { v.Issuer = testPool }, false},
		{"fail/ftp-issuer", func(v *Verifier) { v.Issuer = "ftp://example.com/x" }, false},
		{"fail/bad-jwks-url", func(v *Verifier) { v.JWKSURL = "/keys" }, false},
		{"fail/no-token-use", func(v *Verifier) { v.TokenUse = "" }, false},
		{"fail/bad-token-use", func(v *Verifier) { v.TokenUse = "refresh" }, false},
		{"fail/no-client-ids", func(v *Verifier) { v.ClientIDs = nil }, false},
		{"fail/empty-client-id", func(v *Verifier) { v.ClientIDs = []string{""} }, false},
		{"fail/any-client-and-client-ids", func(v *Verifier) { v.AnyClientID = true }, false},
		{"fail/negative-leeway", func(v *Verifier) { v.Leeway = -time.Second }, false},
		{"fail/huge-leeway", func(v *Verifier) { v.Leeway = time.Hour }, false},
		{"fail/negative-cooldown", func(v *Verifier) { v.RefreshCooldown = -time.Second }, false},
		{"fail/realm-with-quote", func(v *Verifier) { v.Realm = `a"b` }, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := base()
			tc.cfg(v)
			err := v.Validate()
			if tc.ok {
				if err != nil {
					t.Fatalf("got %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, ErrConfig) {
				t.Fatalf("got %v, want %v", err, ErrConfig)
			}
			// Verify reports the same error without any network access.
			if _, verr := v.Verify(context.Background(), "x.y.z"); !errors.Is(verr, ErrConfig) {
				t.Errorf("got %v, want %v", verr, ErrConfig)
			}
		})
	}
}

func TestJWKSURLDerivation(t *testing.T) {
	v := &Verifier{Algorithm: RS256, Issuer: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool", TokenUse: AccessToken, ClientIDs: []string{"c"}}
	if err := v.Validate(); err != nil {
		t.Fatal(err)
	}
	if got, want := v.cache.url, "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool/.well-known/jwks.json"; got != want {
		t.Errorf("got %v, want %v", got, want)
	}
	if got := v.cache.fetches; got != 0 {
		t.Errorf("got %d fetches after Validate, want 0", got)
	}
}

func TestErrorType(t *testing.T) {
	e := &Error{Code: InvalidToken, Err: ErrExpired, Detail: "exp 2026-01-01T00:00:00Z"}
	if got, want := e.Error(), "verify: token is expired: exp 2026-01-01T00:00:00Z"; got != want {
		t.Errorf("got %v, want %v", got, want)
	}
	if got, want := e.Description(), "token is expired"; got != want {
		t.Errorf("got %v, want %v", got, want)
	}
	cause := errors.New("connection refused")
	e2 := &Error{Err: ErrKeySetUnavailable, Cause: cause}
	if !errors.Is(e2, cause) || !errors.Is(e2, ErrKeySetUnavailable) {
		t.Errorf("got errors.Is false for %v, want true for sentinel and cause", e2)
	}
	for _, s := range []error{ErrMissingToken, ErrInvalidRequest, ErrMalformed, ErrAlgorithm, ErrUnknownKey,
		ErrKeyRejected, ErrSignature, ErrExpired, ErrNotYetValid, ErrIssuer, ErrTokenUse, ErrClientID,
		ErrInsufficientScope, ErrKeySetUnavailable, ErrConfig} {
		msg := s.Error()
		if !strings.HasPrefix(msg, "verify: ") || strings.ToLower(msg) != msg && !strings.Contains(msg, "JWKS") {
			t.Errorf("got %q, want a lowercase \"verify: \" message", msg)
		}
		for _, c := range msg {
			if c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
				t.Errorf("got %q, want a message safe for a quoted-string", msg)
			}
		}
	}
}
