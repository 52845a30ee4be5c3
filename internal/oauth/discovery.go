package oauth

import (
	"encoding/json"
	"net/http"
)

// discoveryDoc is the OpenID Provider Metadata a pool publishes (OpenID
// Connect Discovery 1.0, section 3), listing the endpoints cognitod serves.
type discoveryDoc struct {
	Issuer                            string   `json:"issuer"`
	AuthorizationEndpoint             string   `json:"authorization_endpoint"`
	EndSessionEndpoint                string   `json:"end_session_endpoint"`
	JWKSURI                           string   `json:"jwks_uri"`
	TokenEndpoint                     string   `json:"token_endpoint"`
	UserInfoEndpoint                  string   `json:"userinfo_endpoint"`
	RevocationEndpoint                string   `json:"revocation_endpoint"`
	ScopesSupported                   []string `json:"scopes_supported"`
	CodeChallengeMethodsSupported     []string `json:"code_challenge_methods_supported"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
	GrantTypesSupported               []string `json:"grant_types_supported"`
	ResponseTypesSupported            []string `json:"response_types_supported"`
	SubjectTypesSupported             []string `json:"subject_types_supported"`
	IDTokenSigningAlgValuesSupported  []string `json:"id_token_signing_alg_values_supported"`
}

func (h *Handler) discovery(w http.ResponseWriter, r *http.Request, poolID string) error {
	base, err := h.endpointBase(r, poolID)
	if err != nil {
		return err
	}
	issuer := h.issuer.IssuerURL(poolID)
	doc, _ := json.Marshal(discoveryDoc{
		Issuer:                            issuer,
		AuthorizationEndpoint:             base + "/oauth2/authorize",
		EndSessionEndpoint:                base + "/logout",
		JWKSURI:                           issuer + "/.well-known/jwks.json",
		TokenEndpoint:                     base + "/oauth2/token",
		UserInfoEndpoint:                  base + "/oauth2/userInfo",
		RevocationEndpoint:                base + "/oauth2/revoke",
		ScopesSupported:                   []string{"openid", "email", "phone", "profile"},
		CodeChallengeMethodsSupported:     []string{"S256"},
		TokenEndpointAuthMethodsSupported: []string{"client_secret_basic", "client_secret_post"},
		GrantTypesSupported:               []string{"authorization_code", "client_credentials", "refresh_token"},
		ResponseTypesSupported:            []string{"code", "token"},
		SubjectTypesSupported:             []string{"public"},
		IDTokenSigningAlgValuesSupported:  []string{"RS256"},
	})
	w.Header().Set("Content-Type", "application/json")
	w.Write(doc)
	return nil
}
