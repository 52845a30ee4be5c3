package oauth

import (
	"net/http"
	"time"
)

// clientCredentials serves grant_type=client_credentials: the domain
// decides the scopes, the issuer signs.
func (h *Handler) clientCredentials(w http.ResponseWriter, r *http.Request, poolID string, req *tokenRequest) error {
	grant, err := h.svc.ClientCredentials(r.Context(), poolID, req.auth, req.scope)
	if err != nil {
		return err
	}
	jwt, err := h.issuer.MintClientCredentials(r.Context(), grant)
	if err != nil {
		return err
	}
	writeTokenResponse(w, jwt, int64(grant.Lifetime/time.Second))
	return nil
}
