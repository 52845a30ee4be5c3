package oauth

import (
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

// FuzzTokenRequest feeds arbitrary content types, bodies and
// Authorization headers to the token request parser: it must answer with
// a request or an RFC 6749 error, never panic, and credentials it accepts
// from a Basic header must survive re-encoding.
func FuzzTokenRequest(f *testing.F) {
	basic := func(id, secret string) string {
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id)+":"+url.QueryEscape(secret)))
	}
	f.Add("application/x-www-form-urlencoded", "grant_type=client_credentials&scope=com.example.photos%2Fread", basic("client", "secret"))
	f.Add("application/x-www-form-urlencoded; charset=UTF-8", "grant_type=client_credentials&client_id=a&client_secret=b", "")
	f.Add("application/x-www-form-urlencoded", "grant_type=client_credentials&grant_type=x", "")
	f.Add("application/json", `{"grant_type":"client_credentials"}`, "")
	f.Add("application/x-www-form-urlencoded", "%zz=1&scope", "Basic !!!")
	f.Add("application/x-www-form-urlencoded", "grant_type=client_credentials", "Basic "+base64.StdEncoding.EncodeToString([]byte("a%zz:b")))
	f.Add("", "", "bAsIc "+base64.StdEncoding.EncodeToString([]byte(":")))
	f.Fuzz(func(t *testing.T, contentType, body, authorization string) {
		r := httptest.NewRequest(http.MethodPost, "/us-east-1_abc/oauth2/token", strings.NewReader(body))
		r.Header.Set("Content-Type", contentType)
		if authorization != "" {
			r.Header.Set("Authorization", authorization)
		}
		req, err := parseTokenRequest(httptest.NewRecorder(), r)
		if err != nil {
			if !errors.Is(err, ErrInvalidRequest) && !errors.Is(err, ErrInvalidClient) {
				t.Fatalf("got %v, want invalid_request or invalid_client", err)
			}
			return
		}
		if req.grantType == "" {
			t.Fatal("accepted a request without grant_type")
		}
		if authorization != "" {
			id, secret, _, ok := parseBasic(authorization)
			if !ok || id != req.auth.ClientID || secret != req.auth.Secret {
				t.Fatalf("Basic credentials %q/%q not those of the request %q/%q", id, secret, req.auth.ClientID, req.auth.Secret)
			}
			id2, secret2, _, ok := parseBasic(basic(id, secret))
			if !ok || id2 != id || secret2 != secret {
				t.Fatalf("Basic round trip: %q/%q became %q/%q", id, secret, id2, secret2)
			}
		}
	})
}

// FuzzCSRFToken feeds arbitrary nonces and form tokens to the hosted
// form's CSRF check: it must never panic, and it may accept only a token
// minted for that very pool and nonce.
func FuzzCSRFToken(f *testing.F) {
	sealer, err := cognito.NewSealer([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		f.Fatal(err)
	}
	// Fixed clock and nonce: the fuzzing workers are other processes,
	// which must mint the same token.
	h := &Handler{csrfKey: sealer.MACKey(csrfKeyPurpose), now: func() time.Time { return time.Unix(1_800_000_000, 0) }}
	const pool = "us-east-1_abcdefghi"
	const nonce = "aV2p8MauUowrHRTbp9vgmQ1untKGB8BrkbmWTWyHb9k"
	minted := map[string]bool{h.mintCSRF(pool, nonce): true}
	for tok := range minted {
		f.Add(nonce, tok)
		f.Add(nonce, tok[:len(tok)-1]+"A")
		f.Add(tok, nonce)
	}
	f.Add(nonce, nonce)
	f.Add(strings.Repeat("A", 43), strings.Repeat("A", 54))
	f.Add("", "")
	f.Fuzz(func(t *testing.T, nonceIn, token string) {
		if h.checkCSRF(pool, nonceIn, token) && (nonceIn != nonce || !minted[token]) {
			t.Fatalf("accepted nonce %q with token %q, which the test did not mint for it", nonceIn, token)
		}
	})
}
