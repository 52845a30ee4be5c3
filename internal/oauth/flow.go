package oauth

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"

	"github.com/cognitod/cognitod/internal/cognito"
)

// The hosted pages that take more than one step (sign up, then confirm;
// forgot password, then reset) carry their state from page to page in a
// hostedFlow: sealed (encrypted and authenticated, purpose
// "hosted-flow:<pool>"), in the form's hidden "flow" field. It says which
// step comes next, for which client and user, in which browser (the
// XSRF-TOKEN nonce, hashed) and until when; a page opens it only for its
// own step. A new step (an MFA code, a TOTP set-up) is a new flowStep, a
// page that accepts it, and a handler that issues it in front of
// finishSignIn (mfa.go holds the second factor's).

// flowStep names the page a flow continues on.
type flowStep string

const (
	// stepConfirmSignUp: /confirm, after /signup in this browser. Its
	// flow names the new user's sub, so that confirming signs them in.
	stepConfirmSignUp flowStep = "confirm_sign_up"
	// stepConfirmForgotPassword: /confirmForgotPassword, after
	// /forgotPassword.
	stepConfirmForgotPassword flowStep = "confirm_forgot_password"
	// stepMFA: /mfa, the code of a factor (Challenge names it) or the
	// choice of one (SELECT_MFA_TYPE), after a proved password.
	stepMFA flowStep = "mfa"
	// stepMFASetup: /mfa_setup, a new software token's first code.
	stepMFASetup flowStep = "mfa_setup"
)

// flowLifetime is how long a flow lasts: the sign-in form's hour.
const flowLifetime = csrfLifetime

// maxFlowLen bounds the sealed value a form may post (a username is at
// most 128 characters; a flow seals to a few hundred bytes).
const maxFlowLen = 2048

type hostedFlow struct {
	Step     flowStep `json:"s"`
	Client   string   `json:"c"`
	Username string   `json:"u"`
	Sub      string   `json:"b,omitempty"`
	Browser  string   `json:"n"`
	Expires  int64    `json:"e"`
	// The second factor's steps (mfa.go): the domain's challenge and its
	// session, where a code went, the factors to choose from, and the
	// new TOTP secret the set-up page shows again after a wrong code.
	Challenge   string   `json:"ch,omitempty"`
	Session     string   `json:"as,omitempty"`
	Medium      string   `json:"dm,omitempty"`
	Destination string   `json:"dd,omitempty"`
	Choices     []string `json:"cc,omitempty"`
	Secret      string   `json:"ts,omitempty"`
}

func flowPurpose(poolID string) string { return "hosted-flow:" + poolID }

func browserHash(nonce string) string {
	sum := sha256.Sum256([]byte(nonce))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// sealFlow returns the sealed flow for the next step of client's user in
// the browser holding nonce.
func (h *Handler) sealFlow(poolID string, step flowStep, client *cognito.AppClient, nonce, username, sub string) string {
	return h.sealedCookie(flowPurpose(poolID), hostedFlow{Step: step, Client: client.ClientID, Username: username, Sub: sub,
		Browser: browserHash(nonce), Expires: h.now().Add(flowLifetime).Unix()})
}

// sealStep seals f, a flow whose step and fields the caller chose, for
// the browser holding nonce.
func (h *Handler) sealStep(poolID string, f hostedFlow, nonce string) string {
	f.Browser, f.Expires = browserHash(nonce), h.now().Add(flowLifetime).Unix()
	return h.sealedCookie(flowPurpose(poolID), f)
}

// openFlow opens a posted flow for step: sealed by this server for the
// pool, the client and this browser, and not expired.
func (h *Handler) openFlow(r *http.Request, poolID string, step flowStep, client *cognito.AppClient, nonce string) (*hostedFlow, bool) {
	v := r.PostForm.Get("flow")
	if v == "" || len(v) > maxFlowLen {
		return nil, false
	}
	var f hostedFlow
	if !h.openCookie(flowPurpose(poolID), v, &f) {
		return nil, false
	}
	ok := f.Step == step && f.Client == client.ClientID && h.now().Unix() <= f.Expires &&
		subtle.ConstantTimeCompare([]byte(f.Browser), []byte(browserHash(nonce))) == 1
	if !ok {
		return nil, false
	}
	return &f, true
}

// finishSignIn ends a hosted sign-in whose every factor the domain
// passed (a cognito.HostedSignIn, which only HostedSecondFactor and the
// MFA answers make): the session cookie, then the code or the implicit
// flow's tokens to the redirect URI. The password form, the new password,
// a confirmed sign-up and the MFA pages all end here.
func (h *Handler) finishSignIn(w http.ResponseWriter, r *http.Request, a *cognito.Authorization, done *cognito.HostedSignIn) error {
	u := done.User()
	authTime := h.now()
	h.setSession(w, r, a.Pool, u, authTime)
	return h.complete(w, r, a, u, authTime)
}
