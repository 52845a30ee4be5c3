package verify

import (
	"context"
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
)

// FuzzVerify feeds arbitrary token strings to Verify. It must never panic,
// every failure must be an *Error with the invalid_token code, and it may
// succeed only for the exact tokens the test signed: since the signing
// input is hashed as sent and the base64url decoding is canonical, no other
// string can carry a valid signature.
func FuzzVerify(f *testing.F) {
	srv := newJWKSServer(f, append(defaultKeys(f),
		jose.JSONWebKey{Key: &key3.PublicKey, KeyID: "kid-alg-rs512", Algorithm: "RS512", Use: "sig"},
		jose.JSONWebKey{Key: &smallKey.PublicKey, KeyID: "kid-small"},
	)...)
	v := newTestVerifier(srv, nil)
	ac := accessClaims(srv.issuer())
	valid := map[string]bool{}
	for _, tok := range []string{
		joseSign(f, jose.RS256, key1, testKID1, ac),
		joseSign(f, jose.RS256, key2, testKID2, ac),
		rawSign(key1, `{"kid":"`+testKID1+`","alg":"RS256"}`, `{"iss":"`+srv.issuer()+`","token_use":"access","client_id":"`+testClientID+`","exp":1900000000,"scope":"a b","x":[{"y":"\u00e9"}]}`),
	} {
		if _, err := v.Verify(context.Background(), tok); err != nil {
			f.Fatalf("seed does not verify: %v", err)
		}
		valid[tok] = true
		f.Add(tok)
		p := strings.Split(tok, ".")
		f.Add(p[0] + "." + p[1] + ".")
		f.Add(p[0] + "." + p[2] + "." + p[1])
		f.Add(p[0] + ".." + p[2])
	}
	for _, tok := range []string{
		joseSign(f, jose.RS256, key1, testKID1, idClaims(srv.issuer())),
		joseSign(f, jose.RS256, key1, testKID1, with(ac, "exp", 1)),
		joseSign(f, jose.HS256, key1.N.Bytes(), testKID1, ac),
		joseSign(f, jose.RS256, key3, "kid-alg-rs512", ac),
		joseSign(f, jose.RS256, smallKey, "kid-small", ac),
		joseSign(f, jose.RS256, key3, "unknown", ac),
		rawSign(nil, `{"alg":"none"}`, mustJSON(ac)),
		rawSign(key1, `{"kid":"`+testKID1+`","alg":"RS256","crit":["b64"]}`, mustJSON(ac)),
		rawSign(key1, `{"kid":"`+testKID1+`","alg":"RS256"}`, `{"exp":1e400}`),
		// Validly signed, but naming a member twice: refused.
		rawSign(key1, `{"kid":"`+testKID1+`","alg":"RS256","kid":"`+testKID1+`"}`, mustJSON(ac)),
		rawSign(key1, `{"kid":"`+testKID1+`","alg":"RS256"}`, strings.Replace(mustJSON(ac), `"exp":`, `"exp":1,"exp":`, 1)),
		rawSign(key1, `{"kid":"`+testKID1+`","alg":"RS256"}`, strings.Replace(mustJSON(ac), `"exp":`, `"x":{"a":[{"b":1,"\u0062":2}]},"exp":`, 1)),
		rawSign(key1, `{"kid":"`+testKID1+`","alg":"RS256"}`, `[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]`),
		"", ".", "..", "...", "a.b.c", "eyJ.eyJ.AAAA", "\x00", "é.é.é",
	} {
		f.Add(tok)
	}
	f.Fuzz(func(t *testing.T, token string) {
		c, err := v.Verify(context.Background(), token)
		if err == nil {
			if !valid[token] {
				t.Fatalf("Verify accepted a token the test did not sign: %q", token)
			}
			if c == nil {
				t.Fatalf("got nil claims and nil error")
			}
			return
		}
		e, ok := err.(*Error)
		if !ok {
			t.Fatalf("got %T %v, want *Error", err, err)
		}
		if e.Code != InvalidToken {
			t.Fatalf("got code %q for %v, want %q", e.Code, err, InvalidToken)
		}
		if c != nil {
			t.Fatalf("got claims with error %v", err)
		}
	})
}
