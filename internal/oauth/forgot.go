package oauth

import (
	"net/http"
	"strings"

	"github.com/cognitod/cognitod/internal/cognito"
)

// The hosted password reset: /forgotPassword sends a code
// (cognito.HostedForgotPassword: an unknown name gets the same page and a
// pretended code, so the page does not tell which names exist), then
// /confirmForgotPassword takes the code and the new password
// (HostedConfirmForgotPassword) and goes back to the sign-in form.

// errRecoveryOff is the reset page of a pool whose users cannot reset
// their own password (AccountRecoverySetting admin_only).
var errRecoveryOff = ErrAccessDenied.withPage("Password reset is not allowed for this user pool. Ask an administrator.")

func (h *Handler) forgotPage(r *http.Request, poolID string, a *cognito.Authorization, nonce string) page {
	p := h.hostedPage(r, poolID, a, "Forgot your password?")
	p.Action, p.CSRF = pageURL(r, poolID, "/forgotPassword", nil), h.mintCSRF(poolID, nonce)
	p.UsernameLabel, p.UsernameType, p.UsernameAutocomplete = usernameField(a.Pool)
	return p
}

func (h *Handler) resetPage(r *http.Request, poolID string, a *cognito.Authorization, nonce, username string) page {
	p := h.hostedPage(r, poolID, a, "Reset your password")
	p.Action, p.CSRF, p.Username = pageURL(r, poolID, "/confirmForgotPassword", nil), h.mintCSRF(poolID, nonce), username
	p.UsernameLabel, p.UsernameType, p.UsernameAutocomplete = usernameField(a.Pool)
	p.PasswordRules = cognito.HostedPasswordRules(a.Pool)
	return p
}

// recoveryAuthorize is checkAuthorize for the reset pages, which a pool
// that does not let users reset passwords does not have.
func (h *Handler) recoveryAuthorize(r *http.Request, poolID string) (*cognito.Authorization, error) {
	a, err := h.checkAuthorize(r, poolID)
	if err != nil {
		return nil, err
	}
	if !cognito.HostedRecoveryAllowed(a.Pool) {
		return nil, errRecoveryOff.WithReason("AccountRecoverySetting admin_only")
	}
	return a, nil
}

// forgotPassword serves GET /forgotPassword.
func (h *Handler) forgotPassword(w http.ResponseWriter, r *http.Request, poolID string) error {
	a, err := h.recoveryAuthorize(r, poolID)
	if err != nil {
		return err
	}
	h.render(w, r, "forgot_password", http.StatusOK, h.forgotPage(r, poolID, a, h.browserNonce(w, r, poolID)))
	return nil
}

// forgotPasswordSubmit serves POST /forgotPassword: the username.
func (h *Handler) forgotPasswordSubmit(w http.ResponseWriter, r *http.Request, poolID string) error {
	a, err := h.recoveryAuthorize(r, poolID)
	if err != nil {
		return err
	}
	nonce, err := h.postedForm(w, r, poolID, a)
	if err != nil {
		return err
	}
	username := strings.TrimSpace(r.PostForm.Get("username"))
	p := h.forgotPage(r, poolID, a, nonce)
	p.Username = username
	if !h.admitHostedPage(r, poolID, "ForgotPassword") {
		p.Error = cognito.MsgRateExceeded
		h.render(w, r, "forgot_password", http.StatusTooManyRequests, p)
		return nil
	}
	out, err := h.svc.HostedForgotPassword(r.Context(), a.Pool, a.Client, username)
	if err != nil {
		p.Error = h.userMessage(r, err)
		h.render(w, r, "forgot_password", http.StatusBadRequest, p)
		return nil
	}
	c := h.resetPage(r, poolID, a, nonce, username)
	c.Flow = h.sealFlow(poolID, stepConfirmForgotPassword, a.Client, nonce, username, "")
	c.Message = deliveryText(out.CodeDeliveryDetails)
	h.render(w, r, "confirm_forgot_password", http.StatusOK, c)
	return nil
}

// confirmForgotPassword serves GET /confirmForgotPassword?username=...
func (h *Handler) confirmForgotPassword(w http.ResponseWriter, r *http.Request, poolID string) error {
	a, err := h.recoveryAuthorize(r, poolID)
	if err != nil {
		return err
	}
	p := h.resetPage(r, poolID, a, h.browserNonce(w, r, poolID), strings.TrimSpace(r.URL.Query().Get("username")))
	h.render(w, r, "confirm_forgot_password", http.StatusOK, p)
	return nil
}

// confirmForgotPasswordSubmit serves POST /confirmForgotPassword: the
// code and the new password, twice.
func (h *Handler) confirmForgotPasswordSubmit(w http.ResponseWriter, r *http.Request, poolID string) error {
	a, err := h.recoveryAuthorize(r, poolID)
	if err != nil {
		return err
	}
	nonce, err := h.postedForm(w, r, poolID, a)
	if err != nil {
		return err
	}
	flow, inFlow := h.openFlow(r, poolID, stepConfirmForgotPassword, a.Client, nonce)
	username := strings.TrimSpace(r.PostForm.Get("username"))
	if inFlow {
		username = flow.Username
	}
	p := h.resetPage(r, poolID, a, nonce, username)
	if inFlow {
		p.Flow = r.PostForm.Get("flow")
	}
	password := r.PostForm.Get("password")
	if password != r.PostForm.Get("confirm_password") {
		p.Error = msgPasswordsDiffer
		h.render(w, r, "confirm_forgot_password", http.StatusBadRequest, p)
		return nil
	}
	if !h.admitHostedPage(r, poolID, "ConfirmForgotPassword") {
		p.Error = cognito.MsgRateExceeded
		h.render(w, r, "confirm_forgot_password", http.StatusTooManyRequests, p)
		return nil
	}
	err = h.svc.HostedConfirmForgotPassword(r.Context(), a.Pool, a.Client, username, strings.TrimSpace(r.PostForm.Get("code")), password)
	if err != nil {
		p.Error = h.userMessage(r, err)
		h.render(w, r, "confirm_forgot_password", http.StatusBadRequest, p)
		return nil
	}
	http.Redirect(w, r, base(r, poolID)+"/login?"+authorizeQuery(r), http.StatusFound)
	return nil
}

// msgPasswordsDiffer is the reset form's answer to two different
// passwords; the domain never sees them.
const msgPasswordsDiffer = "Passwords do not match."
