package oauth

import (
	"errors"
	"net/http"

	"github.com/cognitod/cognitod/internal/cognito"
)

// Error is an RFC 6749 error response from the token endpoint.
type Error struct {
	Code   string
	Status int
	// Cause is logged, never sent.
	Cause error
}

func (e *Error) Error() string { return "oauth: " + e.Code }

func (e *Error) Unwrap() error { return e.Cause }

// writeTokenError is the one place a token-endpoint error is written.
// Cognito answers every one of them, invalid_client included, with 400 and
// a body holding only the code (developer guide, "Token endpoint").
func (h *Handler) writeTokenError(w http.ResponseWriter, r *http.Request, err error) {
	code, status := "server_error", http.StatusInternalServerError
	var ge *cognito.GrantError
	var oe *Error
	switch {
	case errors.As(err, &ge):
		code, status = ge.Code, http.StatusBadRequest
		h.logger.DebugContext(r.Context(), "token request refused", "error", ge.Code, "reason", ge.Reason)
	case errors.As(err, &oe):
		code, status = oe.Code, oe.Status
		if oe.Cause != nil {
			h.logger.ErrorContext(r.Context(), "token request failed", "error", oe.Code, "err", oe.Cause)
		}
	default:
		h.logger.ErrorContext(r.Context(), "token request failed", "err", err)
	}
	setTokenHeaders(w.Header())
	w.WriteHeader(status)
	w.Write([]byte(`{"error":"` + code + `"}`))
}
