package oauth

import (
	"encoding/json"
	"net/http"

	"github.com/cognitod/cognitod/internal/cognito"
)

// tokenResponse is the token endpoint's answer for user grants.
type tokenResponse struct {
	IDToken      string `json:"id_token,omitempty"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token,omitempty"`
	ExpiresIn    int64  `json:"expires_in"`
	TokenType    string `json:"token_type"`
}

func writeUserTokens(w http.ResponseWriter, res *cognito.AuthenticationResult) {
	b, _ := json.Marshal(tokenResponse{IDToken: res.IdToken, AccessToken: res.AccessToken, RefreshToken: res.RefreshToken,
		ExpiresIn: res.ExpiresIn, TokenType: "Bearer"})
	setTokenHeaders(w.Header())
	w.Write(b)
}

// authorizationCode serves grant_type=authorization_code: code,
// redirect_uri, and code_verifier when the code was issued with PKCE. A
// client with a secret must authenticate.
func (h *Handler) authorizationCode(w http.ResponseWriter, r *http.Request, poolID string, req *tokenRequest) error {
	client, pool, err := h.svc.AuthenticateClient(r.Context(), poolID, req.auth)
	if err != nil {
		return err
	}
	res, err := h.svc.RedeemAuthCode(r.Context(), client, pool, req.form.Get("code"), req.form.Get("redirect_uri"), req.form.Get("code_verifier"))
	if err != nil {
		return err
	}
	writeUserTokens(w, res)
	return nil
}

// refreshToken serves grant_type=refresh_token: new access and ID tokens,
// and a new refresh token when the client rotates them.
func (h *Handler) refreshToken(w http.ResponseWriter, r *http.Request, poolID string, req *tokenRequest) error {
	client, _, err := h.svc.AuthenticateClient(r.Context(), poolID, req.auth)
	if err != nil {
		return err
	}
	res, err := h.svc.RefreshGrant(r.Context(), client, req.form.Get("refresh_token"))
	if err != nil {
		return err
	}
	writeUserTokens(w, res)
	return nil
}
