package oauth

import (
	"context"
	"net/http"

	"github.com/cognitod/cognitod/internal/cognito"
)

// quota takes a token from a pool's region's quota bucket, unless the
// quotas are off or the pool carries cognitod:quotas=off. The pool lookup
// is the service's cached one that withPool already made.
func (h *Handler) quota(ctx context.Context, poolID string, buckets []string) bool {
	if !h.limits.QuotasOn() {
		return true
	}
	if p, err := h.svc.LookupPool(ctx, poolID); err == nil && cognito.QuotasLifted(p) {
		return true
	}
	return h.limits.Quota(cognito.RegionOfPoolID(poolID), buckets...)
}

// grantQuota is the quota bucket list a token request's grant draws from.
func grantQuota(grantType string) []string {
	switch grantType {
	case grantClientCredentials:
		return cognito.QuotaClientCredentialsGrant
	case grantAuthorizationCode:
		return cognito.QuotaAuthorizationCodeGrant
	case grantRefreshToken:
		return cognito.QuotaRefreshTokenGrant
	}
	return nil
}

// admitClientRequest applies the limits to a token or revocation request
// before its client is authenticated: the per-source failed-authentication
// limit, the per-source sign-in limit for the grant that checks a code,
// and the grant's quota. It returns the refusal when the request may not
// go on.
func (h *Handler) admitClientRequest(r *http.Request, poolID, grantType string) error {
	ok := h.limits.AuthAllowed(r.RemoteAddr) &&
		(grantType != grantAuthorizationCode || h.limits.SignInAttempt(r.RemoteAddr)) &&
		h.quota(r.Context(), poolID, grantQuota(grantType))
	if !ok {
		return ErrTooManyRequests
	}
	return nil
}

// admitHostedSignIn applies the per-source sign-in limit and the
// UserAuthentication quota to a hosted-page sign-in.
func (h *Handler) admitHostedSignIn(r *http.Request, poolID string) bool {
	return h.limits.SignInAttempt(r.RemoteAddr) && h.quota(r.Context(), poolID, cognito.QuotaHostedSignIn)
}

// admitHostedPage applies the per-source sign-in limit and the quota of
// the operation a hosted page's POST calls (SignUp, ConfirmSignUp,
// ResendConfirmationCode, ForgotPassword, ConfirmForgotPassword), as a
// sign-in is admitted: an anonymous caller spends the same budget on any
// of them.
func (h *Handler) admitHostedPage(r *http.Request, poolID, operation string) bool {
	return h.limits.SignInAttempt(r.RemoteAddr) && h.quota(r.Context(), poolID, cognito.OperationQuota(operation))
}
