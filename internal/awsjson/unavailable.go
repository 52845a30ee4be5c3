package awsjson

import (
	"net/http"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/sigv4"
)

// verify checks the request's SigV4 signature, looking its access key up
// in the store. A key the store could not be asked about (the database is
// down) is not an unknown key: the request fails with
// InternalErrorException, which SDKs retry, rather than
// UnrecognizedClientException, which they do not, and it is not counted
// as a failed authentication against the caller's source (observe only
// counts SigV4 errors), so an outage does not throttle every client.
func (h *Handler) verify(r *http.Request, body []byte) (sigv4.Identity, error) {
	v := *h.verifier
	var lookupErr error
	v.Lookup = func(id string) (string, bool) {
		secret, ok, err := h.svc.AccessKeySecret(r.Context(), id)
		if err != nil {
			lookupErr = err
			return "", false
		}
		return secret, ok
	}
	id, err := v.Verify(r, body)
	if err != nil && lookupErr != nil {
		return id, &cognito.Error{Type: cognito.ErrInternal.Type, Message: cognito.ErrInternal.Message, Cause: lookupErr}
	}
	return id, err
}
