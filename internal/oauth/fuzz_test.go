package oauth

import (
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

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
			var ge *cognito.GrantError
			if !errors.As(err, &ge) || (ge.Code != "invalid_request" && ge.Code != "invalid_client") {
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
