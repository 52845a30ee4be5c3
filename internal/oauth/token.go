package oauth

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/cognitod/cognitod/internal/cognito"
)

// tokenRequest is a token request parsed once at the edge.
type tokenRequest struct {
	grantType string
	auth      cognito.ClientAuth
	// scope is nil when the request has no scope parameter.
	scope *string
	form  url.Values
}

// The grant types of Cognito's token endpoint.
const (
	grantClientCredentials = "client_credentials"
	grantAuthorizationCode = "authorization_code"
	grantRefreshToken      = "refresh_token"
)

func errInvalidRequest(reason string) error { return ErrInvalidRequest.WithReason(reason) }

// parseTokenRequest reads a token request: "Content-Type: Must always be
// 'application/x-www-form-urlencoded'", client credentials by HTTP Basic
// (RFC 6749 section 2.3.1: each part form-encoded) or in the body, never
// both, and no parameter given twice (section 3.2).
func parseTokenRequest(w http.ResponseWriter, r *http.Request) (*tokenRequest, error) {
	req, err := parseClientRequest(w, r)
	if err != nil {
		return nil, err
	}
	if req.grantType == "" {
		return nil, errInvalidRequest("no grant_type")
	}
	return req, nil
}

// parseClientRequest reads a form request to the token or revocation
// endpoint and its client authentication.
func parseClientRequest(w http.ResponseWriter, r *http.Request) (*tokenRequest, error) {
	if !isFormContentType(r.Header.Get("Content-Type")) {
		return nil, errInvalidRequest("content type is not application/x-www-form-urlencoded")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return nil, errInvalidRequest("unreadable form body")
	}
	form := r.PostForm
	for k, v := range form {
		if len(v) > 1 {
			return nil, errInvalidRequest("parameter " + k + " repeated")
		}
	}
	req := &tokenRequest{grantType: form.Get("grant_type"), form: form}
	if v, ok := form["scope"]; ok {
		req.scope = &v[0]
	}
	if auth := r.Header.Get("Authorization"); auth != "" {
		id, secret, raw, ok := parseBasic(auth)
		if !ok {
			return nil, ErrInvalidClient.WithReason("malformed Basic credentials")
		}
		if _, both := form["client_secret"]; both {
			return nil, errInvalidRequest("client authenticated twice")
		}
		if bodyID, ok := form["client_id"]; ok && bodyID[0] != id {
			return nil, ErrInvalidClient.WithReason("client_id differs from the Basic credentials")
		}
		req.auth = cognito.ClientAuth{ClientID: id, Secret: secret}
		if raw != secret {
			req.auth.SecretAsSent = raw
		}
	} else {
		req.auth = cognito.ClientAuth{ClientID: form.Get("client_id"), Secret: form.Get("client_secret")}
	}
	return req, nil
}

// isFormContentType reports whether a Content-Type names a form body,
// parameters (charset) aside. It does not use mime.ParseMediaType, which
// builds a parameter map on every token request; ParseForm reads the
// parameters it needs.
func isFormContentType(ct string) bool {
	mt, _, _ := strings.Cut(ct, ";")
	return strings.EqualFold(strings.TrimSpace(mt), "application/x-www-form-urlencoded")
}

// parseBasic decodes "Basic base64(urlencode(id):urlencode(secret))"; raw
// is the secret as sent, for clients that do not form-encode.
func parseBasic(header string) (id, secret, raw string, ok bool) {
	const prefix = "basic "
	if len(header) < len(prefix) || !strings.EqualFold(header[:len(prefix)], prefix) {
		return "", "", "", false
	}
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(header[len(prefix):]))
	if err != nil {
		return "", "", "", false
	}
	rawID, rawSecret, found := strings.Cut(string(b), ":")
	if !found {
		return "", "", "", false
	}
	if id, err = url.QueryUnescape(rawID); err != nil {
		id = rawID
	}
	if secret, err = url.QueryUnescape(rawSecret); err != nil {
		secret = rawSecret
	}
	return id, secret, rawSecret, id != ""
}

// token serves POST /oauth2/token. Each grant writes its tokens or
// returns the refusal; the outcome goes to metrics either way.
func (h *Handler) token(w http.ResponseWriter, r *http.Request, poolID string) error {
	req, err := parseTokenRequest(w, r)
	if err != nil {
		h.onToken(grantLabel(r.PostForm.Get("grant_type")), oauthError(kindClient, err).Code)
		return err
	}
	err = h.grant(w, r, poolID, req)
	outcome := outcomeIssued
	if err != nil {
		outcome = oauthError(kindClient, err).Code
	}
	h.onToken(grantLabel(req.grantType), outcome)
	return err
}

func (h *Handler) grant(w http.ResponseWriter, r *http.Request, poolID string, req *tokenRequest) error {
	if err := h.admitClientRequest(r, poolID, req.grantType); err != nil {
		return err
	}
	switch req.grantType {
	case grantClientCredentials:
		return h.clientCredentials(w, r, poolID, req)
	case grantAuthorizationCode:
		return h.authorizationCode(w, r, poolID, req)
	case grantRefreshToken:
		return h.refreshToken(w, r, poolID, req)
	}
	return ErrUnsupportedGrantType.WithReason("grant_type " + req.grantType)
}

// outcomeIssued is the outcome of a token request that got tokens; the
// others are the OAuth error codes.
const outcomeIssued = "issued"

// grantLabel is the grant type as metrics name it: one of the three, or
// "unknown" for whatever else the caller sent.
func grantLabel(grantType string) string {
	switch grantType {
	case grantClientCredentials, grantAuthorizationCode, grantRefreshToken:
		return grantType
	}
	return "unknown"
}

// The token endpoint's fixed header values, shared by every response
// instead of allocated per request by Header.Set. Sharing is safe: no
// one writes into them, and an Add appends to a full slice, which copies.
var (
	hdrJSON    = []string{"application/json;charset=UTF-8"}
	hdrNoStore = []string{"no-store"}
	hdrNoCache = []string{"no-cache"}
)

// setTokenHeaders marks a token endpoint answer as JSON that no cache may
// keep (RFC 6749 section 5.1).
func setTokenHeaders(hd http.Header) {
	hd["Content-Type"] = hdrJSON
	hd["Cache-Control"] = hdrNoStore
	hd["Pragma"] = hdrNoCache
}

// responseBufs are the token responses' scratch buffers: Write copies
// the body into the connection's buffer, so one can be reused at once.
var responseBufs = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

// writeTokenResponse writes a successful token response (RFC 6749 section
// 5.1) in Cognito's member order.
func writeTokenResponse(w http.ResponseWriter, accessToken string, expiresIn int64) {
	bp := responseBufs.Get().(*[]byte)
	b := append((*bp)[:0], `{"access_token":"`...)
	b = append(b, accessToken...)
	b = append(b, `","expires_in":`...)
	b = strconv.AppendInt(b, expiresIn, 10)
	b = append(b, `,"token_type":"Bearer"}`...)
	setTokenHeaders(w.Header())
	w.Write(b)
	if cap(b) <= 16<<10 {
		*bp = b
		responseBufs.Put(bp)
	}
}
