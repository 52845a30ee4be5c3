package verify

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

func TestMiddleware(t *testing.T) {
	srv := newJWKSServer(t, defaultKeys(t)...)
	iss := srv.issuer()
	ac := accessClaims(iss) // scopes: aws.cognito.signin.user.admin com.example.photos/read com.example.photos/write
	good := joseSign(t, jose.RS256, key1, testKID1, ac)
	expired := joseSign(t, jose.RS256, key1, testKID1, with(ac, "exp", testNow.Add(-time.Minute).Unix()))
	tampered := good[:len(good)-10] + "AAAAAAAAAA"
	idTok := joseSign(t, jose.RS256, key1, testKID1, idClaims(iss))

	v := newTestVerifier(srv, nil)
	realmV := newTestVerifier(srv, nil)
	realmV.Realm = "photos"
	idV := newTestVerifier(srv, nil)
	idV.TokenUse = IDToken
	badV := newTestVerifier(srv, nil)
	badV.ClientIDs = nil
	downSrv := newJWKSServer(t, defaultKeys(t)...)
	downSrv.setStatus(http.StatusBadGateway)
	downV := newTestVerifier(downSrv, nil)
	downV.Issuer = iss
	downV.JWKSURL = downSrv.issuer() + "/.well-known/jwks.json"

	const (
		read   = "com.example.photos/read"
		write  = "com.example.photos/write"
		delete = "com.example.photos/delete"
	)
	type mw = func(http.Handler) http.Handler
	cases := []struct {
		name       string
		mw         mw
		auth       []string // Authorization header values
		wantStatus int
		wantAuth   string // exact WWW-Authenticate, "" for none
	}{
		{"ok", v.RequireScopes(read), []string{"Bearer " + good}, 200, ""},
		{"ok/all-of", v.RequireScopes(read, write), []string{"Bearer " + good}, 200, ""},
		{"ok/no-scopes", v.RequireScopes(), []string{"Bearer " + good}, 200, ""},
		{"ok/any-of", v.RequireAnyScope(delete, write), []string{"Bearer " + good}, 200, ""},
		{"ok/scheme-lowercase", v.RequireScopes(read), []string{"bearer " + good}, 200, ""},
		{"ok/scheme-uppercase", v.RequireScopes(read), []string{"BEARER " + good}, 200, ""},
		{"ok/extra-spaces", v.RequireScopes(read), []string{"Bearer   " + good + " "}, 200, ""},
		{"ok/id-token", idV.RequireScopes(), []string{"Bearer " + idTok}, 200, ""},

		{"fail/missing", v.RequireScopes(read), nil, 401, `Bearer`},
		{"fail/missing-with-realm", realmV.RequireScopes(read), nil, 401, `Bearer realm="photos"`},
		{"fail/basic-scheme", v.RequireScopes(read), []string{"Basic dXNlcjpwYXNz"}, 401, `Bearer`},
		{"fail/bearer-prefix-scheme", v.RequireScopes(read), []string{"Bearerx " + good}, 401, `Bearer`},
		{"fail/empty-bearer", v.RequireScopes(read), []string{"Bearer"}, 400,
			`Bearer error="invalid_request", error_description="malformed authorization header"`},
		{"fail/empty-bearer-with-space", v.RequireScopes(read), []string{"Bearer   "}, 400,
			`Bearer error="invalid_request", error_description="malformed authorization header"`},
		{"fail/token-with-space", v.RequireScopes(read), []string{"Bearer " + good + " x"}, 400,
			`Bearer error="invalid_request", error_description="malformed authorization header"`},
		{"fail/two-headers", v.RequireScopes(read), []string{"Bearer " + good, "Bearer " + good}, 400,
			`Bearer error="invalid_request", error_description="malformed authorization header"`},
		{"fail/expired", v.RequireScopes(read), []string{"Bearer " + expired}, 401,
			`Bearer error="invalid_token", error_description="token is expired"`},
		{"fail/expired-with-realm", realmV.RequireScopes(read), []string{"Bearer " + expired}, 401,
			`Bearer realm="photos", error="invalid_token", error_description="token is expired"`},
		{"fail/tampered", v.RequireScopes(), []string{"Bearer " + tampered}, 401,
			`Bearer error="invalid_token", error_description="token signature is invalid"`},
		{"fail/garbage", v.RequireScopes(), []string{`Bearer "><script>`}, 401,
			`Bearer error="invalid_token", error_description="token is malformed"`},
		{"fail/id-token-as-access-token", v.RequireScopes(), []string{"Bearer " + idTok}, 401,
			`Bearer error="invalid_token", error_description="token use is not accepted"`},
		{"fail/insufficient-scope", v.RequireScopes(read, delete), []string{"Bearer " + good}, 403,
			`Bearer error="insufficient_scope", scope="com.example.photos/read com.example.photos/delete"`},
		{"fail/insufficient-scope-with-realm", realmV.RequireScopes(delete), []string{"Bearer " + good}, 403,
			`Bearer realm="photos", error="insufficient_scope", scope="com.example.photos/delete"`},
		{"fail/insufficient-any-scope", v.RequireAnyScope(delete, "com.example.photos/admin"), []string{"Bearer " + good}, 403,
			`Bearer error="insufficient_scope", scope="com.example.photos/delete com.example.photos/admin"`},
		{"fail/scope-is-case-sensitive", v.RequireScopes("COM.EXAMPLE.PHOTOS/READ"), []string{"Bearer " + good}, 403,
			`Bearer error="insufficient_scope", scope="COM.EXAMPLE.PHOTOS/READ"`},
		{"fail/id-token-has-no-scope", idV.RequireScopes(read), []string{"Bearer " + idTok}, 403,
			`Bearer error="insufficient_scope", scope="com.example.photos/read"`},
		{"fail/jwks-unavailable", downV.RequireScopes(read), []string{"Bearer " + good}, 503, ""},
		{"fail/misconfigured", badV.RequireScopes(read), []string{"Bearer " + good}, 500, ""},
		{"fail/misconfigured-missing-token", badV.RequireScopes(read), nil, 500, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			called := false
			h := tc.mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				called = true
				c, ok := ClaimsFromContext(r.Context())
				if !ok {
					t.Errorf("got no claims in the context, want claims")
					return
				}
				if got, want := c.Subject, "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"; got != want {
					t.Errorf("got %v, want %v", got, want)
				}
				w.WriteHeader(http.StatusOK)
			}))
			req := httptest.NewRequest("GET", "/photos", nil)
			for _, a := range tc.auth {
				req.Header.Add("Authorization", a)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if got, want := rec.Code, tc.wantStatus; got != want {
				t.Fatalf("got %v, want %v (body %q)", got, want, rec.Body.String())
			}
			if got, want := called, tc.wantStatus == 200; got != want {
				t.Errorf("got handler called %v, want %v", got, want)
			}
			if got, want := rec.Header().Get("WWW-Authenticate"), tc.wantAuth; got != want {
				t.Errorf("got %v, want %v", got, want)
			}
			if n := len(rec.Header().Values("WWW-Authenticate")); n > 1 {
				t.Errorf("got %d WWW-Authenticate headers, want at most 1", n)
			}
		})
	}
}

func TestMiddlewarePanics(t *testing.T) {
	v := &Verifier{}
	cases := []struct {
		name string
		f    func()
	}{
		{"any-scope-empty", func() { v.RequireAnyScope() }},
		{"empty-scope", func() { v.RequireScopes("") }},
		{"scope-with-space", func() { v.RequireScopes("a b") }},
		{"scope-with-quote", func() { v.RequireAnyScope(`a"b`) }},
		{"scope-with-backslash", func() { v.RequireScopes(`a\b`) }},
		{"scope-non-ascii", func() { v.RequireScopes("é") }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if r == nil {
					t.Fatalf("got no panic, want one")
				}
				if s, _ := r.(string); !strings.HasPrefix(s, "verify: ") {
					t.Errorf("got panic %v, want a \"verify: \" message", r)
				}
			}()
			tc.f()
		})
	}
}

func TestClaimsContext(t *testing.T) {
	if c, ok := ClaimsFromContext(context.Background()); ok || c != nil {
		t.Errorf("got %v, %v, want nil, false", c, ok)
	}
	if c, ok := ClaimsFromContext(NewContext(context.Background(), nil)); ok || c != nil {
		t.Errorf("got %v, %v, want nil, false", c, ok)
	}
	want := &Claims{Subject: "s"}
	if got, ok := ClaimsFromContext(NewContext(context.Background(), want)); !ok || got != want {
		t.Errorf("got %v, %v, want %v, true", got, ok, want)
	}
}
