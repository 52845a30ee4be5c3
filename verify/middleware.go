package verify

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
)

// RequireScopes returns middleware that admits a request only if it carries a
// valid bearer token that has every one of scopes. With no scopes, any valid
// token is admitted. The handler it wraps finds the verified claims with
// [ClaimsFromContext].
//
// The token is read from the Authorization header ("Bearer" is matched
// case-insensitively); tokens in the query string or form body are not
// accepted. Failures are answered as RFC 6750 section 3 describes:
//
//   - no Authorization header, or one with another scheme: 401 with
//     WWW-Authenticate: Bearer (and realm, if set), without an error code;
//   - several Authorization headers or an empty bearer token: 400 with
//     error="invalid_request";
//   - a token Verify rejects: 401 with error="invalid_token" and an
//     error_description taken from the sentinel error, which contains no
//     token data;
//   - a valid token without the required scopes: 403 with
//     error="insufficient_scope" and scope set to the required scopes;
//   - no JWKS could be fetched yet: 503, and a misconfigured Verifier: 500,
//     both without a challenge.
//
// RequireScopes panics if a scope is empty or contains characters not allowed
// in an OAuth scope token (RFC 6749 section 3.3), such as spaces or quotes.
func (v *Verifier) RequireScopes(scopes ...string) func(http.Handler) http.Handler {
	return v.middleware(scopes, false)
}

// RequireAnyScope returns middleware like [Verifier.RequireScopes], except
// that a token needs only one of scopes. A 403 challenge lists all of them in
// its scope attribute.
//
// RequireAnyScope panics if scopes is empty or a scope is invalid.
func (v *Verifier) RequireAnyScope(scopes ...string) func(http.Handler) http.Handler {
	if len(scopes) == 0 {
		panic("verify: RequireAnyScope needs at least one scope")
	}
	return v.middleware(scopes, true)
}

func (v *Verifier) middleware(scopes []string, anyOf bool) func(http.Handler) http.Handler {
	for _, s := range scopes {
		if !validScopeToken(s) {
			panic("verify: invalid scope " + strconv.Quote(s))
		}
	}
	scopes = append([]string(nil), scopes...)
	scopeAttr := strings.Join(scopes, " ")
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			err := v.init()
			var token string
			if err == nil {
				token, err = bearerToken(r)
			}
			var claims *Claims
			if err == nil {
				claims, err = v.verify(r.Context(), token)
			}
			if err != nil {
				v.fail(w, err, "")
				return
			}
			if !hasScopes(claims, scopes, anyOf) {
				v.fail(w, newError(ErrInsufficientScope, ""), scopeAttr)
				return
			}
			next.ServeHTTP(w, r.WithContext(NewContext(r.Context(), claims)))
		})
	}
}

func hasScopes(c *Claims, scopes []string, anyOf bool) bool {
	if len(scopes) == 0 {
		return true
	}
	for _, s := range scopes {
		has := c.HasScope(s)
		if anyOf && has {
			return true
		}
		if !anyOf && !has {
			return false
		}
	}
	return !anyOf
}

// bearerToken extracts the token of an "Authorization: Bearer" header.
func bearerToken(r *http.Request) (string, *Error) {
	vals := r.Header.Values("Authorization")
	switch len(vals) {
	case 0:
		return "", newError(ErrMissingToken, "")
	case 1:
	default:
		return "", newError(ErrInvalidRequest, "several Authorization headers")
	}
	h := strings.TrimSpace(vals[0])
	const scheme = "bearer"
	if len(h) < len(scheme) || !strings.EqualFold(h[:len(scheme)], scheme) {
		return "", newError(ErrMissingToken, "not a Bearer credential")
	}
	rest := h[len(scheme):]
	if rest == "" {
		return "", newError(ErrInvalidRequest, "empty bearer token")
	}
	if rest[0] != ' ' && rest[0] != '\t' {
		// A scheme that merely starts with "bearer", such as "Bearerx".
		return "", newError(ErrMissingToken, "not a Bearer credential")
	}
	token := strings.TrimLeft(rest, " \t")
	if token == "" || strings.ContainsAny(token, " \t") {
		return "", newError(ErrInvalidRequest, "bearer token is empty or has spaces")
	}
	return token, nil
}

// fail writes the response for err. scope is the scope attribute of an
// insufficient_scope challenge.
func (v *Verifier) fail(w http.ResponseWriter, err *Error, scope string) {
	var status int
	switch {
	case errors.Is(err.Err, ErrConfig):
		status = http.StatusInternalServerError
	case errors.Is(err.Err, ErrKeySetUnavailable):
		status = http.StatusServiceUnavailable
	case err.Code == InvalidRequest:
		status = http.StatusBadRequest
	case err.Code == InsufficientScope:
		status = http.StatusForbidden
	default: // missing or invalid token
		status = http.StatusUnauthorized
	}
	if status != http.StatusInternalServerError && status != http.StatusServiceUnavailable {
		w.Header().Set("WWW-Authenticate", v.challenge(err, scope))
	}
	http.Error(w, http.StatusText(status), status)
}

// challenge builds the WWW-Authenticate value for err.
func (v *Verifier) challenge(err *Error, scope string) string {
	var b strings.Builder
	b.WriteString("Bearer")
	sep := " "
	attr := func(name, value string) {
		b.WriteString(sep)
		b.WriteString(name)
		b.WriteString(`="`)
		b.WriteString(value) // values are checked to need no escaping
		b.WriteString(`"`)
		sep = ", "
	}
	if v.cfg.realm != "" {
		attr("realm", v.cfg.realm)
	}
	switch err.Code {
	case "":
		// RFC 6750 section 3.1: no error information without credentials.
	case InsufficientScope:
		attr("error", string(err.Code))
		attr("scope", scope)
	default:
		attr("error", string(err.Code))
		attr("error_description", err.Description())
	}
	return b.String()
}

// validScopeToken reports whether s is a scope-token: 1*NQCHAR, where
// NQCHAR = %x21 / %x23-5B / %x5D-7E (RFC 6749 section 3.3).
func validScopeToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x21 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}
