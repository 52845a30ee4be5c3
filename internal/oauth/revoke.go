package oauth

import (
	"net/http"
)

// revoke serves POST /oauth2/revoke (RFC 7009): it revokes a refresh
// token and the access tokens issued with it or from it. The domain's
// refusals (revocation off for the client, another client's token) map to
// unsupported_token_type and invalid_client in oauthError.
func (h *Handler) revoke(w http.ResponseWriter, r *http.Request, poolID string) error {
	req, err := parseClientRequest(w, r)
	if err != nil {
		return err
	}
	token := req.form.Get("token")
	if token == "" {
		return errInvalidRequest("no token")
	}
	if err := h.admitClientRequest(r, poolID, ""); err != nil {
		return err
	}
	client, _, err := h.svc.AuthenticateClient(r.Context(), poolID, req.auth)
	if err != nil {
		return err
	}
	if err := h.svc.RevokeRefreshToken(r.Context(), client, token); err != nil {
		return err
	}
	// 200 with an empty body: net/http writes the status when the
	// handler returns.
	w.Header().Set("Cache-Control", "no-store")
	return nil
}
