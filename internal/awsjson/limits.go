package awsjson

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/sigv4"
)

// errThrottled is Cognito's answer to a call over a quota: HTTP 400,
// TooManyRequestsException, "Rate exceeded". The AWS SDKs classify the
// code as a throttling error and retry it with back-off.
var errThrottled = cognito.ErrTooManyRequests.WithMessage(cognito.MsgRateExceeded)

// signInOperations are the anonymous sign-in attempts the per-source
// limit counts: unsigned, so anyone can send them, and each costs a
// password or SRP computation.
var signInOperations = map[string]bool{"InitiateAuth": true, "RespondToAuthChallenge": true}

// gate applies the per-source limits before anything is read or verified:
// a source that used up its failed authentications is refused every
// operation, and each anonymous sign-in attempt takes a token from its
// source's bucket. These stay on when the quotas are off.
func (h *Handler) gate(r *http.Request, operation string) error {
	if !h.limits.AuthAllowed(r.RemoteAddr) {
		return errThrottled
	}
	if signInOperations[operation] && !h.limits.SignInAttempt(r.RemoteAddr) {
		return errThrottled
	}
	return nil
}

// admit applies the request-rate quota of an operation's category, once
// the caller is known: a signed call counts against the region it was
// signed for, only after the signature is verified (so nobody can spend
// another's quota); a public operation counts against the region of the
// pool its ClientId belongs to, found in the service's client cache.
func (h *Handler) admit(ctx context.Context, operation string, unsigned bool, body []byte) error {
	buckets := cognito.OperationQuota(operation)
	if buckets == nil || !h.limits.QuotasOn() {
		return nil
	}
	var region string
	if unsigned {
		var in struct{ ClientId string }
		json.Unmarshal(body, &in) // a body that does not decode fails later, as Cognito fails it
		var lifted bool
		region, lifted = h.svc.QuotaScopeOfClient(ctx, in.ClientId)
		if lifted {
			return nil
		}
	} else if c, ok := cognito.CallerFrom(ctx); ok {
		region = c.Region
	}
	if !h.limits.Quota(region, buckets...) {
		return errThrottled
	}
	return nil
}

// observe counts the failed client authentications among an operation's
// errors against the caller's source: SigV4 signatures that do not verify
// and wrong SECRET_HASH or ClientSecret values.
func (h *Handler) observe(r *http.Request, err error) {
	if err == nil {
		return
	}
	var se *sigv4.Error
	if errors.As(err, &se) || cognito.IsClientAuthFailure(err) {
		h.limits.AuthFailed(r.RemoteAddr)
	}
}
