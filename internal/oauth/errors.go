package oauth

import (
	"errors"
	"net/http"

	"github.com/cognitod/cognitod/internal/cognito"
)

// Error is the one error type of the OAuth and OpenID Connect endpoints:
// an RFC 6749 (section 4.1.2.1, 5.2), RFC 6750 or RFC 7009 error code,
// what the caller may read about it, and what only the log may. Handlers
// return it (or a domain error, which oauthError maps); render.go writes
// it. Copy a sentinel with WithDescription, WithReason or WithCause; the
// sentinels themselves are never changed.
type Error struct {
	// Code is the error code on the wire.
	Code string
	// Description is sent where the response kind carries one: the
	// authorize redirect's error_description, userinfo's body and
	// WWW-Authenticate, the hosted error page. The token and revocation
	// endpoints send only the code, as Cognito does.
	Description string
	// Reason says why, for the log only.
	Reason string
	// Cause is the underlying failure, for the log only.
	Cause error

	// status is the HTTP status; 0 means 400.
	status int
	// page replaces "code: description" as the hosted error page's text.
	page string
	// poolName is the pool the error page names, once the client is
	// known (the pool's name is not shown to whoever knows only its ID).
	poolName string
	// redirect says the request's redirect_uri was checked against the
	// client's callback URLs, so the error may go back to it (set only by
	// oauthError, from the domain's verdict).
	redirect bool
}

func (e *Error) Error() string {
	s := "oauth " + e.Code
	if e.Description != "" {
		s += ": " + e.Description
	}
	if e.Reason != "" {
		s += " (" + e.Reason + ")"
	}
	if e.Cause != nil {
		s += ": " + e.Cause.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Cause }

// Is matches on the code, so that errors.Is(err, ErrInvalidGrant) holds
// whatever the description, reason or cause.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// WithDescription returns a copy of e that tells the caller desc.
func (e *Error) WithDescription(desc string) *Error {
	c := *e
	c.Description = desc
	return &c
}

// WithReason returns a copy of e that logs reason.
func (e *Error) WithReason(reason string) *Error {
	c := *e
	c.Reason = reason
	return &c
}

// WithCause returns a copy of e that logs (and unwraps to) err.
func (e *Error) WithCause(err error) *Error {
	c := *e
	c.Cause = err
	return &c
}

// withPage returns a copy of e whose hosted error page says text.
func (e *Error) withPage(text string) *Error {
	c := *e
	c.page = text
	return &c
}

// Status is the HTTP status e is answered with.
func (e *Error) Status() int {
	if e.status == 0 {
		return http.StatusBadRequest
	}
	return e.status
}

// The error codes the endpoints answer with. Cognito answers every token
// endpoint refusal, invalid_client included, with 400 (developer guide,
// "Token endpoint").
var (
	ErrInvalidRequest          = &Error{Code: "invalid_request"}
	ErrInvalidClient           = &Error{Code: "invalid_client"}
	ErrInvalidGrant            = &Error{Code: "invalid_grant"}
	ErrUnauthorizedClient      = &Error{Code: "unauthorized_client"}
	ErrUnsupportedGrantType    = &Error{Code: "unsupported_grant_type"}
	ErrInvalidScope            = &Error{Code: "invalid_scope"}
	ErrAccessDenied            = &Error{Code: "access_denied", status: http.StatusForbidden}
	ErrUnsupportedResponseType = &Error{Code: "unsupported_response_type"}
	// ErrUnsupportedTokenType is RFC 7009's answer to revoking a token
	// the server does not revoke (Cognito: revocation off for the client).
	ErrUnsupportedTokenType = &Error{Code: "unsupported_token_type"}
	// ErrInvalidToken is userinfo's refusal of a bearer token (RFC 6750
	// section 3.1), with WWW-Authenticate.
	ErrInvalidToken = &Error{Code: "invalid_token", status: http.StatusUnauthorized}
	// ErrTooManyRequests is cognitod's code for a throttled request (see
	// cognito.ErrGrantRateExceeded): 429 with Retry-After.
	ErrTooManyRequests = &Error{Code: cognito.ErrGrantRateExceeded.Code, status: http.StatusTooManyRequests}
	ErrServerError     = &Error{Code: "server_error", status: http.StatusInternalServerError}
	// ErrTemporarilyUnavailable is a store outage or the like: 503, the
	// caller may try again.
	ErrTemporarilyUnavailable = &Error{Code: "temporarily_unavailable", status: http.StatusServiceUnavailable}
)

// byCode finds the sentinel of a code the domain names.
var byCode = func() map[string]*Error {
	m := map[string]*Error{}
	for _, e := range []*Error{ErrInvalidRequest, ErrInvalidClient, ErrInvalidGrant, ErrUnauthorizedClient, ErrUnsupportedGrantType,
		ErrInvalidScope, ErrAccessDenied, ErrUnsupportedResponseType, ErrUnsupportedTokenType, ErrInvalidToken, ErrTooManyRequests,
		ErrServerError, ErrTemporarilyUnavailable} {
		m[e.Code] = e
	}
	return m
}()

func sentinel(code string) *Error {
	if e, ok := byCode[code]; ok {
		return e
	}
	return &Error{Code: code}
}

// oauthError is the one place a domain error becomes an OAuth error, for
// an endpoint answering in the given kind. Anything it does not know is a
// server_error whose cause is logged, never sent.
func oauthError(k kind, err error) *Error {
	var oe *Error
	var ge *cognito.GrantError
	var ae *cognito.AuthorizeError
	var ce *cognito.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &oe):
		return oe
	case errors.Is(err, cognito.ErrStoreUnavailable):
		// The database is down: 503 temporarily_unavailable (RFC 6749's
		// code for the authorization endpoint, the nearest fit) with
		// Retry-After, so that a client retries instead of treating its
		// request as refused. Cognito documents no such answer.
		return ErrTemporarilyUnavailable.WithCause(err).withPage("temporarily_unavailable: please try again")
	case errors.As(err, &ge):
		return sentinel(ge.Code).WithReason(ge.Reason)
	case errors.As(err, &ae):
		e := sentinel(ae.Code).WithDescription(ae.Description)
		e.redirect = ae.Redirect
		return e
	case errors.As(err, &ce) && ce.Type == cognito.ErrInternal.Type:
		return ErrServerError.WithCause(err)
	case k == kindBearer && errors.As(err, &ce):
		// CheckAccessToken's refusals (NotAuthorizedException with
		// "Invalid Access Token" and the like): the token is the problem.
		return ErrInvalidToken.WithDescription(ce.Message)
	case k == kindBearer:
		return ErrInvalidToken.WithDescription(msgMissingToken).WithCause(err)
	case errors.As(err, &ce) && ce.Type == cognito.ErrUnsupportedOperation.Type:
		// RevokeRefreshToken: the client does not allow revocation.
		return ErrUnsupportedTokenType.WithReason(ce.Message)
	case errors.As(err, &ce) && ce.Type == cognito.ErrUnauthorized.Type:
		// RevokeRefreshToken: the token belongs to another client.
		return ErrInvalidClient.WithReason(ce.Message)
	}
	return ErrServerError.WithCause(err)
}

// msgMissingToken is userinfo's description of a missing or unreadable
// bearer token.
const msgMissingToken = "Access token is missing or invalid"
