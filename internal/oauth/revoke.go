package oauth

import (
	"errors"
	"net/http"

	"github.com/cognitod/cognitod/internal/cognito"
)

// revoke serves POST /oauth2/revoke (RFC 7009): it revokes a refresh
// token and the access tokens issued with it or from it.
func (h *Handler) revoke(w http.ResponseWriter, r *http.Request, poolID string) {
	req, err := parseClientRequest(w, r)
	if err != nil {
		h.writeTokenError(w, r, err)
		return
	}
	token := req.form.Get("token")
	if token == "" {
		h.writeTokenError(w, r, errInvalidRequest("no token"))
		return
	}
	if !h.admitClientRequest(w, r, poolID, "") {
		return
	}
	client, _, err := h.svc.AuthenticateClient(r.Context(), poolID, req.auth)
	if err != nil {
		h.writeTokenError(w, r, err)
		return
	}
	if err := h.svc.RevokeRefreshToken(r.Context(), client, token); err != nil {
		var ce *cognito.Error
		switch {
		case errors.As(err, &ce) && ce.Type == cognito.ErrUnsupportedOperation.Type:
			h.writeTokenError(w, r, &cognito.GrantError{Code: "unsupported_token_type", Reason: ce.Message})
		case errors.As(err, &ce) && ce.Type == cognito.ErrUnauthorized.Type:
			h.writeTokenError(w, r, &cognito.GrantError{Code: cognito.ErrGrantInvalidClient.Code, Reason: ce.Message})
		default:
			h.writeTokenError(w, r, err)
		}
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
}
