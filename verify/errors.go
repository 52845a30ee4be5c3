package verify

import (
	"errors"
	"strings"
)

// ErrorCode is an OAuth 2.0 bearer token error code as defined by RFC 6750
// section 3.1. It is the value of the error attribute of a
// WWW-Authenticate: Bearer challenge.
type ErrorCode string

// The error codes of RFC 6750 section 3.1.
const (
	// InvalidRequest means the request is malformed: for example it has
	// more than one Authorization header or a Bearer credential with no token.
	// It is answered with 400 Bad Request.
	InvalidRequest ErrorCode = "invalid_request"
	// InvalidToken means the access token is expired, revoked, malformed or
	// invalid for other reasons. It is answered with 401 Unauthorized.
	InvalidToken ErrorCode = "invalid_token"
	// InsufficientScope means the token is valid but lacks a scope the
	// resource requires. It is answered with 403 Forbidden.
	InsufficientScope ErrorCode = "insufficient_scope"
)

// Sentinel errors. Every error returned by [Verifier.Verify] is an [*Error]
// that wraps exactly one of them, so callers can test for a reason with
// [errors.Is]:
//
//	if errors.Is(err, verify.ErrExpired) { ... }
//
// Their messages are fixed ASCII text and are safe to send to clients; the
// middleware uses them, without the "verify: " prefix, as error_description.
var (
	// ErrMissingToken means the request carries no bearer token.
	ErrMissingToken = errors.New("verify: no bearer token")
	// ErrInvalidRequest means the Authorization header is malformed
	// (several Authorization headers, an empty bearer token, ...).
	ErrInvalidRequest = errors.New("verify: malformed authorization header")
	// ErrMalformed means the token is not a well-formed compact JWS with a
	// JSON header and claims set of the expected shape, or a required claim
	// (exp) is missing.
	ErrMalformed = errors.New("verify: token is malformed")
	// ErrAlgorithm means the token's alg header is not RS256 (this includes
	// "none" and HS256), or the JWK selected by kid declares an alg other
	// than RS256.
	ErrAlgorithm = errors.New("verify: token algorithm is not accepted")
	// ErrUnknownKey means no key in the issuer's JWKS has the token's kid,
	// even after a refetch (or the refetch was skipped because of the
	// refresh cool-down).
	ErrUnknownKey = errors.New("verify: token signing key is unknown")
	// ErrKeyRejected means the JWK selected by kid is not usable for
	// verifying signatures: its use is not "sig", its key_ops do not allow
	// "verify", its modulus is shorter than 2048 bits or longer than 8192
	// bits, or its parameters are invalid.
	ErrKeyRejected = errors.New("verify: token signing key is not accepted")
	// ErrSignature means the RS256 signature does not verify.
	ErrSignature = errors.New("verify: token signature is invalid")
	// ErrExpired means the current time is at or after exp plus the leeway.
	ErrExpired = errors.New("verify: token is expired")
	// ErrNotYetValid means iat or nbf is later than the current time plus
	// the leeway.
	ErrNotYetValid = errors.New("verify: token is not valid yet")
	// ErrIssuer means the iss claim is not exactly the configured issuer.
	ErrIssuer = errors.New("verify: token issuer is not accepted")
	// ErrTokenUse means the token_use claim is not the configured one
	// (an ID token presented as an access token, or the reverse).
	ErrTokenUse = errors.New("verify: token use is not accepted")
	// ErrClientID means the client_id claim (access tokens) or the aud
	// claim (ID tokens) is not one of the accepted client IDs.
	ErrClientID = errors.New("verify: token client is not accepted")
	// ErrInsufficientScope means the token lacks a scope required by
	// [Verifier.RequireScopes] or [Verifier.RequireAnyScope].
	ErrInsufficientScope = errors.New("verify: token scope is insufficient")
	// ErrKeySetUnavailable means no JWKS has been fetched successfully yet,
	// so no token can be verified. It is not a fault of the token.
	ErrKeySetUnavailable = errors.New("verify: signing keys are unavailable")
	// ErrConfig means the Verifier's fields are invalid. It is not a fault
	// of the token.
	ErrConfig = errors.New("verify: verifier is misconfigured")
)

// Error is the error type returned by [Verifier.Verify]. It carries the
// RFC 6750 error code that describes the failure to a client, the sentinel
// error that names the reason, and optional details meant for logs.
type Error struct {
	// Code is the RFC 6750 error code. It is empty for ErrMissingToken
	// (RFC 6750 section 3.1: a request without credentials gets no error
	// code) and for failures that are not the token's fault
	// (ErrKeySetUnavailable, ErrConfig).
	Code ErrorCode
	// Err is one of the package's sentinel errors. An Error built without
	// one is treated as ErrMalformed.
	Err error
	// Detail is extra context for logs, such as the claim value that did not
	// match. It may contain token data and is never sent to clients.
	Detail string
	// Cause is the underlying error, if any, such as the HTTP error of a
	// failed JWKS fetch. It may be nil.
	Cause error
}

// Error returns the sentinel's message followed by the detail and cause, if any.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.sentinel().Error())
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	if e.Cause != nil {
		b.WriteString(": ")
		b.WriteString(e.Cause.Error())
	}
	return b.String()
}

// Unwrap returns the sentinel error and, when set, the cause, so that
// [errors.Is] and [errors.As] see both.
func (e *Error) Unwrap() []error {
	if e.Cause == nil {
		return []error{e.sentinel()}
	}
	return []error{e.sentinel(), e.Cause}
}

// Description returns the sentinel's message without the "verify: " prefix.
// It contains no token data and is what the middleware sends as
// error_description.
func (e *Error) Description() string {
	return strings.TrimPrefix(e.sentinel().Error(), "verify: ")
}

// sentinel returns e.Err, or ErrMalformed for an Error built without one.
func (e *Error) sentinel() error {
	if e.Err == nil {
		return ErrMalformed
	}
	return e.Err
}

// codeOf maps a sentinel to its RFC 6750 code.
func codeOf(sentinel error) ErrorCode {
	switch sentinel {
	case ErrMissingToken, ErrKeySetUnavailable, ErrConfig:
		return ""
	case ErrInvalidRequest:
		return InvalidRequest
	case ErrInsufficientScope:
		return InsufficientScope
	default:
		return InvalidToken
	}
}

// newError builds an *Error for sentinel with an optional detail.
func newError(sentinel error, detail string) *Error {
	return &Error{Code: codeOf(sentinel), Err: sentinel, Detail: detail}
}
