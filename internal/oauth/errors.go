package oauth

import (
	"errors"
	"net/http"

	"github.com/cognitod/cognitod/internal/cognito"
)

// writeTokenError is the one place a token-endpoint error is written.
// Cognito answers every one of them, invalid_client included, with 400 and
// a body holding only the code (developer guide, "Token endpoint"). It
// returns the code, the request's outcome for metrics.
func (h *Handler) writeTokenError(w http.ResponseWriter, r *http.Request, err error) string {
	code, status := "server_error", http.StatusInternalServerError
	var ge *cognito.GrantError
	if cognito.IsClientAuthFailure(err) {
		h.limits.AuthFailed(r.RemoteAddr) // the per-source failure limit (limits.go)
	}
	switch {
	case errors.Is(err, cognito.ErrStoreUnavailable):
		// The database is down: 503 temporarily_unavailable (RFC 6749's
		// code for the authorization endpoint, the nearest fit), so that
		// a client retries instead of treating its request as refused.
		code, status = codeTemporarilyUnavailable, http.StatusServiceUnavailable
		w.Header().Set("Retry-After", "1")
		h.logger.WarnContext(r.Context(), "token request failed: storage unavailable", "err", err)
	case errors.Is(err, cognito.ErrGrantRateExceeded):
		// Throttled: 429, as Cognito's hosted endpoints answer (see
		// cognito.ErrGrantRateExceeded), with when to try again.
		code, status = cognito.ErrGrantRateExceeded.Code, http.StatusTooManyRequests
		w.Header().Set("Retry-After", "1")
	case errors.As(err, &ge):
		code, status = ge.Code, http.StatusBadRequest
		h.logger.DebugContext(r.Context(), "token request refused", "error", ge.Code, "reason", ge.Reason)
	default:
		h.logger.ErrorContext(r.Context(), "token request failed", "err", err)
	}
	setTokenHeaders(w.Header())
	w.WriteHeader(status)
	w.Write([]byte(`{"error":"` + code + `"}`))
	return code
}

// codeTemporarilyUnavailable answers any OAuth request that failed because
// the storage could not be reached.
const codeTemporarilyUnavailable = "temporarily_unavailable"
