package oauth

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/cognitod/cognitod/internal/cognito"
)

// kind is how an endpoint answers an error. Each endpoint is registered
// with its kind (handler.go); handlers return errors and writeError picks
// the renderer, so no handler writes an error status itself
// (TestHandlersDoNotWriteErrors).
type kind int

const (
	// kindJSON: JWKS and discovery, {"error":code}.
	kindJSON kind = iota
	// kindClient: the token and revocation endpoints, {"error":code} as
	// Cognito sends it; failed client authentications count towards the
	// per-source limit.
	kindClient
	// kindBearer: userinfo, {"error":code,"error_description":...} with
	// WWW-Authenticate (RFC 6750 section 3).
	kindBearer
	// kindBrowser: authorize, login and logout. An error goes back to the
	// request's redirect_uri when the domain validated it, else it is
	// shown on a page.
	kindBrowser
)

// poolHandler is an endpoint of a resolved pool: it writes its answer, or
// returns the error for writeError to write.
type poolHandler func(w http.ResponseWriter, r *http.Request, poolID string) error

// writeError is the one place an endpoint's error becomes a response.
func (h *Handler) writeError(w http.ResponseWriter, r *http.Request, k kind, poolID string, err error) {
	oe := oauthError(k, err)
	if k == kindClient && (oe.Code == ErrInvalidClient.Code || cognito.IsClientAuthFailure(err)) {
		h.limits.AuthFailed(r.RemoteAddr) // the per-source failure limit (limits.go)
	}
	h.logError(r, oe)
	switch {
	case k == kindBrowser && oe.redirect:
		redirectError(w, r, oe)
	case k == kindBrowser && oe.Code != ErrServerError.Code:
		// A server_error from a hosted page keeps the JSON body it always
		// had; the hosted UI's own page for it is for later.
		h.errorPage(w, r, poolID, oe)
	default:
		jsonError(w, oe)
	}
}

// jsonError writes e as the token, revocation, userinfo, JWKS and
// discovery endpoints answer: Cognito's status, {"error":code} and the
// description where there is one, never cached.
func jsonError(w http.ResponseWriter, e *Error) {
	hd := w.Header()
	setTokenHeaders(hd)
	if e.Code == ErrInvalidToken.Code {
		hd.Set("WWW-Authenticate", `Bearer error="invalid_token", error_description="`+strings.ReplaceAll(e.Description, `"`, `'`)+`"`)
	}
	if st := e.Status(); st == http.StatusTooManyRequests || st == http.StatusServiceUnavailable {
		// Throttled, as Cognito's hosted endpoints answer (see
		// cognito.ErrGrantRateExceeded), or the database is down: when to
		// try again.
		hd.Set("Retry-After", "1")
	}
	w.WriteHeader(e.Status())
	if e.Description == "" && plainCode(e.Code) {
		// The token endpoint's answer, on its hot refusal path: no encoder.
		w.Write([]byte(`{"error":"` + e.Code + `"}`))
		return
	}
	body, _ := json.Marshal(struct {
		Error       string `json:"error"`
		Description string `json:"error_description,omitempty"`
	}{e.Code, e.Description})
	w.Write(body)
}

// plainCode reports whether code needs no JSON escaping: RFC 6749 codes
// are %x20-21 / %x23-5B / %x5D-7E, and ours are lower case and '_'.
func plainCode(code string) bool {
	for i := 0; i < len(code); i++ {
		if c := code[i]; (c < 'a' || c > 'z') && c != '_' {
			return false
		}
	}
	return true
}

// redirectError sends an authorize error back to the request's
// redirect_uri (RFC 6749 section 4.1.2.1), in the fragment for the
// implicit flow (section 4.2.2.1), with the state. Only errors whose
// redirect_uri the domain matched against the client's callback URLs get
// here.
func redirectError(w http.ResponseWriter, r *http.Request, e *Error) {
	q := r.URL.Query()
	v := url.Values{"error": {e.Code}}
	if e.Description != "" {
		v.Set("error_description", e.Description)
	}
	if s := q.Get("state"); s != "" {
		v.Set("state", s)
	}
	redirectTo(w, r, q.Get("redirect_uri"), q.Get("response_type") == "token", v)
}

// errorPage shows e on the hosted error page: the redirect URI or the
// client cannot be trusted, or there is nowhere to send the browser.
func (h *Handler) errorPage(w http.ResponseWriter, r *http.Request, poolID string, e *Error) {
	if e.Status() == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "1")
	}
	h.render(w, r, "error", e.Status(), page{Title: "Error", PoolName: e.poolName, Base: base(r, poolID), Error: errorPageText(e)})
}

func errorPageText(e *Error) string {
	switch {
	case e.page != "":
		return e.page
	case e.Code == "redirect_mismatch":
		return "redirect_mismatch: the redirect_uri is not registered for this app client."
	case e.Code == ErrInvalidClient.Code:
		return "invalid_client: the app client does not exist in this user pool."
	}
	return e.Code + ": " + e.Description
}

// maxLogText bounds what a log line takes from a reason or cause: a
// reason can quote a caller's parameter name or grant type.
const maxLogText = 256

func bounded(s string) string {
	if len(s) > maxLogText {
		return s[:maxLogText] + "..."
	}
	return s
}

// logError logs the reason and cause of an error, which the caller never
// sees: server errors at error level, refusals at debug level.
func (h *Handler) logError(r *http.Request, e *Error) {
	level := slog.LevelDebug
	if e.Status() >= http.StatusInternalServerError {
		level = slog.LevelError
	}
	// A flood of refusals (429s) costs no log work when debug is off.
	if !h.logger.Enabled(r.Context(), level) {
		return
	}
	attrs := []any{"path", bounded(r.URL.Path), "error", e.Code}
	if e.Reason != "" {
		attrs = append(attrs, "reason", bounded(e.Reason))
	}
	if e.Cause != nil {
		attrs = append(attrs, "err", bounded(e.Cause.Error()))
	}
	msg := "oauth request refused"
	if level == slog.LevelError {
		msg = "oauth request failed"
	}
	h.logger.Log(r.Context(), level, msg, attrs...)
}

// writeNotFound answers a path naming no pool (or a host no pool owns) as
// Cognito's gateway does.
func writeNotFound(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(http.StatusNotFound)
	w.Write([]byte(`{"message":"Not Found"}`))
}
