package server

import (
	"net/http"
	"slices"
	"strings"

	"github.com/cognitod/cognitod/internal/cognito"
)

// CORS, as Cognito's public endpoints answer it: a single-page app on any
// origin may call the unsigned user operations on POST / (what the SDKs
// call without SigV4) and the OAuth endpoints a browser uses (token,
// userInfo, revoke, JWKS, discovery), on the issuer path and on a pool
// domain host. Admin operations are SigV4-signed and stay same-origin:
// their responses carry no CORS headers, and a preflight asking to send
// the SigV4 headers (authorization, x-amz-date, x-amz-security-token) to
// POST / is refused, so a page can never hand a browser's request to a
// signed operation. The console is not listed and stays same-origin.
//
// No endpoint uses cookies across origins, so the origin granted is "*"
// and credentials are never allowed.

const (
	// corsMaxAge is how long a browser may keep a preflight answer: AWS's
	// endpoints send 172800 (two days; browsers cap it lower).
	corsMaxAge = "172800"
	// corsExpose are the response headers the SDKs read on errors.
	corsExpose = "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date"
)

// corsPolicy is what one endpoint grants.
type corsPolicy struct {
	methods string
	// headers are the request headers a page may send (lower case).
	headers []string
	// api marks POST /, where the operation decides (signed: no CORS).
	api bool
}

var (
	// The headers amazon-cognito-identity-js, Amplify v6 and the AWS SDK
	// for JavaScript v3 send to an unsigned operation.
	corsAPI = corsPolicy{methods: "POST", api: true,
		headers: []string{"content-type", "x-amz-target", "x-amz-user-agent", "cache-control", "amz-sdk-invocation-id", "amz-sdk-request"}}
	// authorization carries the client's Basic credentials (token,
	// revoke) or the bearer access token (userInfo).
	corsToken    = corsPolicy{methods: "POST", headers: []string{"authorization", "content-type", "cache-control", "x-amz-user-agent"}}
	corsUserInfo = corsPolicy{methods: "GET,POST", headers: []string{"authorization", "content-type", "cache-control", "x-amz-user-agent"}}
	corsKeys     = corsPolicy{methods: "GET", headers: []string{"content-type", "cache-control", "x-amz-user-agent"}}
)

// corsEndpoints are the OAuth paths under an issuer (/<pool>) or at the
// root of a pool domain host.
var corsEndpoints = map[string]*corsPolicy{
	"/oauth2/token":                     &corsToken,
	"/oauth2/revoke":                    &corsToken,
	"/oauth2/userInfo":                  &corsUserInfo,
	"/.well-known/jwks.json":            &corsKeys,
	"/.well-known/openid-configuration": &corsKeys,
}

// corsPolicyFor returns the policy of a request's endpoint, or nil.
func corsPolicyFor(r *http.Request, isDomainHost func(string) bool) *corsPolicy {
	p := r.URL.Path
	if isDomainHost(r.Host) {
		return corsEndpoints[p]
	}
	if p == "/" {
		return &corsAPI
	}
	// /<pool>/<endpoint>: the pool is one segment; the mux checks it.
	rest := strings.TrimPrefix(p, "/")
	i := strings.IndexByte(rest, '/')
	if i <= 0 || rest[:i] == "console" {
		return nil
	}
	return corsEndpoints[rest[i:]]
}

// withCORS answers preflights and marks actual responses of the public
// endpoints; every other request passes through untouched.
func withCORS(isDomainHost func(string) bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" {
			next.ServeHTTP(w, r) // not a cross-origin browser request
			return
		}
		pol := corsPolicyFor(r, isDomainHost)
		if pol == nil {
			next.ServeHTTP(w, r)
			return
		}
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			preflight(w, r, pol)
			return
		}
		if !pol.api || !signedOperation(r.Header.Get("X-Amz-Target")) {
			// Set before the handler runs, so errors carry them too and the
			// page can read the exception.
			h := w.Header()
			h.Set("Access-Control-Allow-Origin", "*")
			h.Set("Access-Control-Expose-Headers", corsExpose)
		}
		next.ServeHTTP(w, r)
	})
}

// preflight grants the request a page announced if the endpoint allows
// its method and every header it means to send; otherwise it answers 403
// with no CORS headers, which the browser reports as a CORS failure.
func preflight(w http.ResponseWriter, r *http.Request, pol *corsPolicy) {
	method := r.Header.Get("Access-Control-Request-Method")
	requested := requestedHeaders(r.Header.Values("Access-Control-Request-Headers"))
	ok := slices.Contains(strings.Split(pol.methods, ","), method)
	for _, h := range requested {
		ok = ok && slices.Contains(pol.headers, h)
	}
	if !ok {
		w.WriteHeader(http.StatusForbidden)
		return
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Methods", pol.methods)
	if len(requested) > 0 {
		h.Set("Access-Control-Allow-Headers", strings.Join(requested, ","))
	}
	h.Set("Access-Control-Max-Age", corsMaxAge)
	h.Set("Access-Control-Expose-Headers", corsExpose)
	h.Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
}

// requestedHeaders splits Access-Control-Request-Headers into lower-case
// names. It is bounded by the server's header size limit.
func requestedHeaders(values []string) []string {
	var out []string
	for _, v := range values {
		for _, name := range strings.Split(v, ",") {
			if name = strings.ToLower(strings.TrimSpace(name)); name != "" && !slices.Contains(out, name) {
				out = append(out, name)
			}
		}
	}
	return out
}

// signedOperation reports whether X-Amz-Target names an operation that
// requires SigV4. Unknown targets are not: their error is for the page.
func signedOperation(target string) bool {
	name, ok := strings.CutPrefix(target, "AWSCognitoIdentityProviderService.")
	if !ok {
		return false
	}
	info, known := cognito.LookupOperation(name)
	return known && !info.Unsigned
}
