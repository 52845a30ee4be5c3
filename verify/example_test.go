package verify_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/cognitod/cognitod/verify"
)

// issuer stands in for cognitod or a Cognito user pool: it publishes a JWKS
// over HTTP and signs tokens with the matching private key.
type issuer struct {
	srv *httptest.Server
	key *rsa.PrivateKey
	URL string // the issuer, as in the iss claim
}

const (
	poolID = "eu-west-1_AbCdEf123"
	kid    = "example-key"
)

func newIssuer() *issuer {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	b64 := base64.RawURLEncoding.EncodeToString
	jwks, _ := json.Marshal(map[string]any{"keys": []map[string]string{{
		"kid": kid, "alg": "RS256", "kty": "RSA", "use": "sig",
		"n": b64(key.N.Bytes()), "e": b64(big.NewInt(int64(key.E)).Bytes()),
	}}})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /"+poolID+"/.well-known/jwks.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(jwks)
	})
	srv := httptest.NewServer(mux)
	return &issuer{srv: srv, key: key, URL: srv.URL + "/" + poolID}
}

func (is *issuer) Close() { is.srv.Close() }

// Sign returns a compact RS256 JWS of claims, shaped like Cognito's.
func (is *issuer) Sign(claims map[string]any) string {
	b64 := base64.RawURLEncoding.EncodeToString
	header, _ := json.Marshal(map[string]string{"kid": kid, "alg": "RS256"})
	payload, _ := json.Marshal(claims)
	input := b64(header) + "." + b64(payload)
	digest := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(nil, is.key, crypto.SHA256, digest[:])
	if err != nil {
		panic(err)
	}
	return input + "." + b64(sig)
}

func Example() {
	is := newIssuer()
	defer is.Close()

	v := &verify.Verifier{
		Algorithm: verify.RS256,
		Issuer:    is.URL, // such as "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123"
		TokenUse:  verify.AccessToken,
		ClientIDs: []string{"1example23456789"},
		Leeway:    5 * time.Second,
	}

	now := time.Now()
	access := map[string]any{
		"sub":            "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
		"cognito:groups": []string{"editors"},
		"iss":            is.URL,
		"version":        2,
		"client_id":      "1example23456789",
		"token_use":      "access",
		"scope":          "com.example.photos/read com.example.photos/write",
		"auth_time":      now.Unix(),
		"iat":            now.Unix(),
		"exp":            now.Add(time.Hour).Unix(),
		"jti":            "abcdef01-2345-6789-abcd-ef0123456789",
		"username":       "jdoe",
	}
	claims, err := v.Verify(context.Background(), is.Sign(access))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(claims.Username, claims.Groups, claims.Scope)
	fmt.Println(claims.HasScope("com.example.photos/write"))

	// An expired token.
	access["exp"] = now.Add(-time.Minute).Unix()
	_, err = v.Verify(context.Background(), is.Sign(access))
	fmt.Println(errors.Is(err, verify.ErrExpired))

	// A token minted for another app client of the same pool.
	access["exp"] = now.Add(time.Hour).Unix()
	access["client_id"] = "another-client"
	_, err = v.Verify(context.Background(), is.Sign(access))
	var e *verify.Error
	if errors.As(err, &e) {
		fmt.Println(e.Code, e.Description())
	}

	// Output:
	// jdoe [editors] [com.example.photos/read com.example.photos/write]
	// true
	// true
	// invalid_token token client is not accepted
}
