package server

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// FuzzCORS: whatever a browser (or anyone) sends as path, host, method,
// target and preflight headers, CORS never allows credentials, never lets
// a page send the SigV4 headers to POST /, never marks a signed
// operation's or the console's or the hosted pages' responses readable,
// and grants only the headers that were asked for.
func FuzzCORS(f *testing.F) {
	f.Add("/", "localhost", "OPTIONS", "POST", "content-type,x-amz-target", "")
	f.Add("/", "localhost", "OPTIONS", "POST", "authorization,x-amz-date", "")
	f.Add("/", "localhost", "POST", "", "", "AWSCognitoIdentityProviderService.AdminCreateUser")
	f.Add("/", "localhost", "POST", "", "", "AWSCognitoIdentityProviderService.InitiateAuth")
	f.Add("/us-east-1_abc/oauth2/token", "localhost", "OPTIONS", "POST", "Authorization", "")
	f.Add("/console/pools", "localhost", "GET", "", "", "")
	f.Add("/login", "app.auth.us-east-1.localhost", "GET", "", "", "")
	f.Add("/oauth2/userInfo", "app.auth.us-east-1.localhost", "OPTIONS", "GET", "authorization", "")
	isDomain := func(h string) bool { return strings.HasSuffix(h, ".auth.us-east-1.localhost") }
	h := withCORS(isDomain, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) }))
	f.Fuzz(func(t *testing.T, path, host, method, reqMethod, reqHeaders, target string) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, "?# ") {
			return
		}
		r, err := http.NewRequest(method, "http://x"+path, nil)
		if err != nil {
			return
		}
		r.Host = host
		r.Header.Set("Origin", "https://evil.example")
		if reqMethod != "" {
			r.Header.Set("Access-Control-Request-Method", reqMethod)
		}
		if reqHeaders != "" {
			r.Header.Set("Access-Control-Request-Headers", reqHeaders)
		}
		if target != "" {
			r.Header.Set("X-Amz-Target", target)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		got := w.Header()
		if got.Get("Access-Control-Allow-Credentials") != "" {
			t.Fatal("credentials allowed")
		}
		if got.Get("Access-Control-Allow-Origin") == "" {
			return
		}
		if got.Get("Access-Control-Allow-Origin") != "*" {
			t.Fatalf("origin %q granted", got.Get("Access-Control-Allow-Origin"))
		}
		domain := isDomain(host)
		p := r.URL.Path
		if strings.HasPrefix(p, "/console") && !domain || p == "/login" || strings.HasSuffix(p, "/login") || strings.Contains(p, "authorize") {
			t.Fatalf("%s %s on %s made readable cross-origin", method, p, host)
		}
		if !domain && p == "/" {
			if signedOperation(target) && w.Code == http.StatusTeapot {
				t.Fatalf("signed operation %q made readable cross-origin", target)
			}
			for _, name := range requestedHeaders([]string{got.Get("Access-Control-Allow-Headers")}) {
				if slices.Contains([]string{"authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"}, name) {
					t.Fatalf("a page may send %s to POST /", name)
				}
			}
		}
		asked := requestedHeaders([]string{reqHeaders})
		for _, name := range requestedHeaders([]string{got.Get("Access-Control-Allow-Headers")}) {
			if !slices.Contains(asked, name) {
				t.Fatalf("granted %s, which was not asked for", name)
			}
		}
	})
}
