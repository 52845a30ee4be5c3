package oauth

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/cognitod/cognitod/internal/cognito"
)

// The hosted sign-up: /signup posts to the domain's SignUp (its rules,
// exceptions and messages), then /confirm takes the code the message
// sender delivered (ConfirmSignUp; a resend button calls
// ResendConfirmationCode). Confirming a sign-up made in this browser, as
// the sealed flow proves, signs the user in and continues to the
// client's redirect URI with a code, as Cognito's hosted UI does; a
// confirmation without it goes on to the sign-in form. A pool that
// allows only administrators to create users has no sign-up page.

// errSignUpOff is the sign-up page of a pool where only administrators
// create users.
var errSignUpOff = ErrAccessDenied.withPage("Sign-up is not allowed for this user pool.")

func (h *Handler) signUpPage(r *http.Request, poolID string, a *cognito.Authorization, nonce string, form url.Values) page {
	p := h.hostedPage(r, poolID, a, "Sign up")
	p.Action, p.CSRF = base(r, poolID)+"/signup?"+authorizeQuery(r), h.mintCSRF(poolID, nonce)
	p.UsernameLabel, p.UsernameType, p.UsernameAutocomplete = usernameField(a.Pool)
	p.Attributes, p.PasswordRules = signUpFields(a.Pool, form), cognito.HostedPasswordRules(a.Pool)
	if form != nil {
		p.Username = strings.TrimSpace(form.Get("username"))
	}
	return p
}

// signUp serves GET /signup.
func (h *Handler) signUp(w http.ResponseWriter, r *http.Request, poolID string) error {
	a, err := h.checkAuthorize(r, poolID)
	if err != nil {
		return err
	}
	if !cognito.HostedSignUpAllowed(a.Pool) {
		return errSignUpOff.WithReason("AllowAdminCreateUserOnly")
	}
	h.render(w, r, "signup", http.StatusOK, h.signUpPage(r, poolID, a, h.browserNonce(w, r, poolID), nil))
	return nil
}

// signUpSubmit serves POST /signup: username, password and the required
// attributes.
func (h *Handler) signUpSubmit(w http.ResponseWriter, r *http.Request, poolID string) error {
	a, err := h.checkAuthorize(r, poolID)
	if err != nil {
		return err
	}
	if !cognito.HostedSignUpAllowed(a.Pool) {
		return errSignUpOff.WithReason("AllowAdminCreateUserOnly")
	}
	nonce, err := h.postedForm(w, r, poolID, a)
	if err != nil {
		return err
	}
	p := h.signUpPage(r, poolID, a, nonce, r.PostForm)
	if !h.admitHostedPage(r, poolID, "SignUp") {
		p.Error = cognito.MsgRateExceeded
		h.render(w, r, "signup", http.StatusTooManyRequests, p)
		return nil
	}
	in := &cognito.SignUpInput{ClientId: a.Client.ClientID, Username: p.Username, Password: r.PostForm.Get("password")}
	for _, f := range p.Attributes {
		if v := strings.TrimSpace(f.Value); v != "" {
			in.UserAttributes = append(in.UserAttributes, cognito.Attribute{Name: f.Name, Value: v})
		}
	}
	if in.SecretHash, err = h.svc.HostedSecretHash(a.Client, in.Username); err != nil {
		return ErrServerError.WithReason("client secret").WithCause(err)
	}
	out, err := h.svc.SignUp(r.Context(), in)
	if err != nil {
		p.Error = h.userMessage(r, err)
		h.render(w, r, "signup", http.StatusBadRequest, p)
		return nil
	}
	if out.UserConfirmed {
		// The pool's pre sign-up function confirmed the user: nothing to
		// confirm, so the new account signs in, as after a confirmation
		// in this browser (the password was just chosen here).
		if u := h.svc.HostedConfirmedUser(r.Context(), a.Pool, out.UserSub); u != nil {
			return h.secondFactor(w, r, a, nonce, u, h.loginPage(a, r, poolID, h.mintCSRF(poolID, nonce)))
		}
	}
	if out.CodeDeliveryDetails == nil {
		// No attribute the pool verifies: an administrator confirms the
		// user (AdminConfirmSignUp), as in Cognito.
		n := h.hostedPage(r, poolID, a, "Account created")
		n.Message = "Your account was created. An administrator must confirm it before you can sign in."
		h.render(w, r, "notice", http.StatusOK, n)
		return nil
	}
	c := h.confirmPage(r, poolID, a, nonce, in.Username)
	c.Flow = h.sealFlow(poolID, stepConfirmSignUp, a.Client, nonce, in.Username, out.UserSub)
	c.Message = deliveryText(out.CodeDeliveryDetails)
	h.render(w, r, "confirm", http.StatusOK, c)
	return nil
}

func (h *Handler) confirmPage(r *http.Request, poolID string, a *cognito.Authorization, nonce, username string) page {
	p := h.hostedPage(r, poolID, a, "Confirm your account")
	p.Action, p.CSRF, p.Username = pageURL(r, poolID, "/confirm", nil), h.mintCSRF(poolID, nonce), username
	return p
}

// confirm serves GET /confirm?username=...: the code form.
func (h *Handler) confirm(w http.ResponseWriter, r *http.Request, poolID string) error {
	a, err := h.checkAuthorize(r, poolID)
	if err != nil {
		return err
	}
	p := h.confirmPage(r, poolID, a, h.browserNonce(w, r, poolID), strings.TrimSpace(r.URL.Query().Get("username")))
	h.render(w, r, "confirm", http.StatusOK, p)
	return nil
}

// confirmSubmit serves POST /confirm: the code (ConfirmSignUp), or a
// request for a new one (resend).
func (h *Handler) confirmSubmit(w http.ResponseWriter, r *http.Request, poolID string) error {
	a, err := h.checkAuthorize(r, poolID)
	if err != nil {
		return err
	}
	nonce, err := h.postedForm(w, r, poolID, a)
	if err != nil {
		return err
	}
	flow, inFlow := h.openFlow(r, poolID, stepConfirmSignUp, a.Client, nonce)
	username := strings.TrimSpace(r.PostForm.Get("username"))
	if inFlow {
		username = flow.Username
	}
	p := h.confirmPage(r, poolID, a, nonce, username)
	if inFlow {
		p.Flow = r.PostForm.Get("flow")
	}
	resend := r.PostForm.Get("resend") != ""
	op := "ConfirmSignUp"
	if resend {
		op = "ResendConfirmationCode"
	}
	if !h.admitHostedPage(r, poolID, op) {
		p.Error = cognito.MsgRateExceeded
		h.render(w, r, "confirm", http.StatusTooManyRequests, p)
		return nil
	}
	secretHash, err := h.svc.HostedSecretHash(a.Client, username)
	if err != nil {
		return ErrServerError.WithReason("client secret").WithCause(err)
	}
	if resend {
		out, err := h.svc.ResendConfirmationCode(r.Context(), &cognito.ResendConfirmationCodeInput{ClientId: a.Client.ClientID, SecretHash: secretHash, Username: username})
		status := http.StatusOK
		if err != nil {
			p.Error, status = h.userMessage(r, err), http.StatusBadRequest
		} else {
			p.Message = deliveryText(out.CodeDeliveryDetails)
		}
		h.render(w, r, "confirm", status, p)
		return nil
	}
	_, err = h.svc.ConfirmSignUp(r.Context(), &cognito.ConfirmSignUpInput{ClientId: a.Client.ClientID, SecretHash: secretHash, Username: username,
		ConfirmationCode: strings.TrimSpace(r.PostForm.Get("code"))})
	if err != nil {
		p.Error = h.userMessage(r, err)
		h.render(w, r, "confirm", http.StatusBadRequest, p)
		return nil
	}
	if inFlow {
		if u := h.svc.HostedConfirmedUser(r.Context(), a.Pool, flow.Sub); u != nil {
			// Signing in after a confirmation asks for the second factor
			// as the sign-in form does (an ON pool: the TOTP set-up).
			return h.secondFactor(w, r, a, nonce, u, h.loginPage(a, r, poolID, h.mintCSRF(poolID, nonce)))
		}
	}
	http.Redirect(w, r, base(r, poolID)+"/login?"+authorizeQuery(r), http.StatusFound)
	return nil
}
