package verify_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/cognitod/cognitod/verify"
)

func ExampleVerifier_RequireScopes() {
	is := newIssuer()
	defer is.Close()

	v := &verify.Verifier{
		Algorithm: verify.RS256,
		Issuer:    is.URL,
		TokenUse:  verify.AccessToken,
		ClientIDs: []string{"1example23456789"},
		Realm:     "photos",
	}
	list := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		claims, _ := verify.ClaimsFromContext(r.Context())
		fmt.Fprintf(w, "photos of %s", claims.Username)
	})
	mux := http.NewServeMux()
	mux.Handle("GET /photos", v.RequireScopes("com.example.photos/read")(list))
	mux.Handle("DELETE /photos", v.RequireScopes("com.example.photos/delete")(list))

	now := time.Now()
	token := is.Sign(map[string]any{
		"sub": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "username": "jdoe",
		"iss": is.URL, "token_use": "access", "client_id": "1example23456789",
		"scope": "com.example.photos/read", "iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
	})
	for _, req := range []struct{ method, auth string }{
		{"GET", "Bearer " + token},
		{"DELETE", "Bearer " + token},
		{"GET", ""},
		{"GET", "Bearer " + token[:len(token)-4] + "AAAA"},
	} {
		r := httptest.NewRequest(req.method, "/photos", nil)
		if req.auth != "" {
			r.Header.Set("Authorization", req.auth)
		}
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		if w.Code == http.StatusOK {
			fmt.Println(w.Code, w.Body.String())
		} else {
			fmt.Println(w.Code, w.Header().Get("WWW-Authenticate"))
		}
	}
	// Output:
	// 200 photos of jdoe
	// 403 Bearer realm="photos", error="insufficient_scope", scope="com.example.photos/delete"
	// 401 Bearer realm="photos"
	// 401 Bearer realm="photos", error="invalid_token", error_description="token signature is invalid"
}

// An ID token is checked against aud instead of client_id; custom
// attributes are decoded into a struct of your own.
func ExampleClaims_Decode() {
	is := newIssuer()
	defer is.Close()

	v := &verify.Verifier{
		Algorithm: verify.RS256,
		Issuer:    is.URL,
		TokenUse:  verify.IDToken,
		ClientIDs: []string{"1example23456789"},
	}
	now := time.Now()
	token := is.Sign(map[string]any{
		"sub": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "cognito:username": "jdoe",
		"aud": "1example23456789", "iss": is.URL, "token_use": "id",
		"email": "jdoe@example.com", "email_verified": true,
		"custom:tenant": "acme", "custom:seats": 12,
		"auth_time": now.Unix(), "iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
	})
	claims, err := v.Verify(context.Background(), token)
	if err != nil {
		fmt.Println(err)
		return
	}
	var attrs struct {
		Tenant string `json:"custom:tenant"`
		Seats  int    `json:"custom:seats"`
	}
	if err := claims.Decode(&attrs); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(claims.Username, claims.Email, claims.EmailVerified, attrs.Tenant, attrs.Seats)
	// Output:
	// jdoe jdoe@example.com true acme 12
}
