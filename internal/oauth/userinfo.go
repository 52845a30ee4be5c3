package oauth

import (
	"encoding/json"
	"net/http"
	"strings"
)

// userInfo serves /oauth2/userInfo (OpenID Connect Core section 5.3): the
// attributes an access token with the openid scope may see. A refused
// token is invalid_token with the domain's message (oauthError).
func (h *Handler) userInfo(w http.ResponseWriter, r *http.Request, poolID string) error {
	token, ok := bearer(r)
	if !ok {
		return ErrInvalidToken.WithDescription(msgMissingToken).WithReason("no bearer token")
	}
	claims, err := h.svc.UserInfo(r.Context(), poolID, token)
	if err != nil {
		return err
	}
	b, _ := json.Marshal(claims)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Write(b)
	return nil
}

// bearer reads "Authorization: Bearer <token>".
func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	if len(h) < 7 || !strings.EqualFold(h[:7], "bearer ") {
		return "", false
	}
	tok := strings.TrimSpace(h[7:])
	return tok, tok != ""
}
