package oauth

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/cognitod/cognitod/internal/cognito"
)

// userInfo serves /oauth2/userInfo (OpenID Connect Core section 5.3): the
// attributes an access token with the openid scope may see.
func (h *Handler) userInfo(w http.ResponseWriter, r *http.Request, poolID string) {
	token, ok := bearer(r)
	var claims map[string]any
	err := errors.New("no bearer token")
	if ok {
		claims, err = h.svc.UserInfo(r.Context(), poolID, token)
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	if err != nil {
		var ce *cognito.Error
		if errors.As(err, &ce) && ce.Type == cognito.ErrInternal.Type {
			h.serverError(w, r, err)
			return
		}
		desc := "Access token is missing or invalid"
		if errors.As(err, &ce) {
			desc = ce.Message
		}
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token", error_description="`+strings.ReplaceAll(desc, `"`, `'`)+`"`)
		w.WriteHeader(http.StatusUnauthorized)
		b, _ := json.Marshal(map[string]string{"error": "invalid_token", "error_description": desc})
		w.Write(b)
		return
	}
	b, _ := json.Marshal(claims)
	w.Write(b)
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
