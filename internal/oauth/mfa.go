package oauth

import (
	"bytes"
	"encoding/base64"
	"errors"
	"html/template"
	"image/png"
	"net/http"
	"slices"
	"strings"

	"github.com/pquerna/otp"

	"github.com/cognitod/cognitod/internal/cognito"
)

// The second factor of a hosted sign-in. After a proved password (the
// sign-in form, a new password, a confirmed sign-up) secondFactor asks
// the domain what follows (HostedSecondFactor): nothing, and the sign-in
// ends in finishSignIn; or a challenge, whose page this file shows:
//
//   - /mfa: the code of SOFTWARE_TOKEN_MFA, SMS_MFA or EMAIL_OTP (the SMS
//     and email codes were sent as the challenge was issued), or the
//     choice of SELECT_MFA_TYPE, whose answer issues the chosen factor's
//     challenge;
//   - /mfa_setup: MFA_SETUP, a new software token: the secret as a QR
//     code (a PNG data: URI drawn here, so no script and no other origin),
//     as text and as an otpauth:// URI, and a field for its first code.
//
// The challenge's session, the user and the secret travel in the sealed
// flow (flow.go), never in fields the browser could change; every POST is
// checked as the sign-in form's is and admitted by the per-source limit
// and RespondToAuthChallenge's quota. The answers are the domain's: a
// wrong code is its CodeMismatchException and counts toward the user's
// lockout; an expired, used or locked-out session sends the browser back
// to the sign-in form with the domain's message.

// mfaLabels name the factors on the pages.
var mfaLabels = map[string]string{
	cognito.MFASoftwareToken: "Authenticator app",
	cognito.MFASMS:           "Text message (SMS)",
	cognito.MFAEmail:         "Email",
}

// mfaChoice is a button of the SELECT_MFA_TYPE page.
type mfaChoice struct{ Value, Label string }

// totpSetup is what the set-up page shows of a new software token.
type totpSetup struct {
	Secret string
	// URI and QR are URLs html/template would refuse (otpauth: and data:
	// schemes); both are built here from escaped parts.
	URI template.URL
	QR  template.URL
}

// qrSize is the QR code's width and height in pixels.
const qrSize = 200

// secondFactor continues a sign-in whose password is proved: the domain's
// challenge page, or finishSignIn. A refusal (a pool with no factor the
// user can use, a code that could not be sent) is shown on login, the
// sign-in form.
func (h *Handler) secondFactor(w http.ResponseWriter, r *http.Request, a *cognito.Authorization, nonce string, u *cognito.User, login page) error {
	done, ch, err := h.svc.HostedSecondFactor(r.Context(), a.Pool, a.Client, u)
	if err != nil {
		login.Error = h.userMessage(r, err)
		h.render(w, r, "login", formStatus(err), login)
		return nil
	}
	if done != nil {
		return h.finishSignIn(w, r, a, done)
	}
	return h.showChallenge(w, r, a, nonce, u.Username, ch, login)
}

// showChallenge shows the page of the domain's challenge ch for username.
func (h *Handler) showChallenge(w http.ResponseWriter, r *http.Request, a *cognito.Authorization, nonce, username string, ch *cognito.HostedChallenge, login page) error {
	f := hostedFlow{Step: stepMFA, Client: a.Client.ClientID, Username: username, Challenge: ch.Name, Session: ch.Session,
		Medium: ch.Medium, Destination: ch.Destination, Choices: ch.Choices}
	if ch.Name == "MFA_SETUP" {
		secret, session, err := h.svc.HostedAssociateTOTP(r.Context(), a.Pool, a.Client, ch.Session)
		if err != nil {
			login.Error = h.userMessage(r, err)
			h.render(w, r, "login", formStatus(err), login)
			return nil
		}
		f.Step, f.Session, f.Secret = stepMFASetup, session, secret
	}
	return h.renderChallenge(w, r, a, nonce, &f, http.StatusOK, "")
}

// renderChallenge renders the page of flow f, sealed anew for this
// browser, with msg as its error.
func (h *Handler) renderChallenge(w http.ResponseWriter, r *http.Request, a *cognito.Authorization, nonce string, f *hostedFlow, status int, msg string) error {
	poolID := a.Pool.ID
	p := h.hostedPage(r, poolID, a, "Multi-factor authentication")
	p.CSRF, p.Username, p.Error, p.Flow = h.mintCSRF(poolID, nonce), f.Username, msg, h.sealStep(poolID, *f, nonce)
	p.Challenge = f.Challenge
	switch {
	case f.Step == stepMFASetup:
		p.Title, p.Action = "Set up an authenticator app", pageURL(r, poolID, "/mfa_setup", nil)
		setup, err := h.totpSetup(a.Pool.Name, f.Username, f.Secret)
		if err != nil {
			return ErrServerError.WithReason("drawing the TOTP QR code").WithCause(err)
		}
		p.TOTP, p.inlineImage = setup, true
		h.render(w, r, "mfa_setup", status, p)
	case f.Challenge == "SELECT_MFA_TYPE":
		p.Title, p.Action = "Choose a sign-in method", pageURL(r, poolID, "/mfa", nil)
		for _, c := range f.Choices {
			label := mfaLabels[c]
			if label == "" {
				label = c
			}
			p.Choices = append(p.Choices, mfaChoice{Value: c, Label: label})
		}
		h.render(w, r, "select_mfa", status, p)
	default:
		p.Action = pageURL(r, poolID, "/mfa", nil)
		if f.Challenge == cognito.MFASoftwareToken {
			p.Message = "Enter the code from your authenticator app."
		} else {
			p.Message = deliveryText(&cognito.CodeDeliveryDetails{DeliveryMedium: f.Medium, Destination: f.Destination})
		}
		h.render(w, r, "mfa", status, p)
	}
	return nil
}

// totpSetup draws a new software token for the set-up page: the otpauth
// URI (issuer the pool's name), and its QR code as a PNG data: URI
// (pquerna/otp's Key.Image, which draws with boombuler/barcode).
func (h *Handler) totpSetup(issuer, username, secret string) (*totpSetup, error) {
	uri := cognito.TOTPKeyURI(issuer, username, secret)
	key, err := otp.NewKeyFromURL(uri)
	if err != nil {
		return nil, err
	}
	img, err := key.Image(qrSize, qrSize)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return &totpSetup{Secret: secret, URI: template.URL(uri),
		// The page's CSP allows data: images on this page only (render).
		QR: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()))}, nil
}

// challengeForm checks an MFA page's POST and opens its flow for step. A
// flow that does not open (expired, another browser's, forged) sends the
// browser back to the sign-in form.
func (h *Handler) challengeForm(w http.ResponseWriter, r *http.Request, poolID string, step flowStep) (*cognito.Authorization, string, *hostedFlow, error) {
	a, err := h.checkAuthorize(r, poolID)
	if err != nil {
		return nil, "", nil, err
	}
	nonce, err := h.postedForm(w, r, poolID, a)
	if err != nil {
		return nil, "", nil, err
	}
	f, ok := h.openFlow(r, poolID, step, a.Client, nonce)
	if !ok {
		p := h.loginPage(a, r, poolID, h.mintCSRF(poolID, nonce))
		p.Action = pageURL(r, poolID, "/login", nil)
		p.Error = msgSignInAgain
		h.render(w, r, "login", http.StatusBadRequest, p)
		return nil, "", nil, nil
	}
	return a, nonce, f, nil
}

// msgSignInAgain is shown when an MFA step can no longer go on (cognitod's
// own wording).
const msgSignInAgain = "Your sign-in expired. Please sign in again."

// mfaGet serves GET /mfa and /mfa_setup: the steps exist only as answers
// to a POST, so a reload or a bookmark goes to the sign-in form.
func (h *Handler) mfaGet(w http.ResponseWriter, r *http.Request, poolID string) error {
	if _, err := h.checkAuthorize(r, poolID); err != nil {
		return err
	}
	http.Redirect(w, r, pageURL(r, poolID, "/login", nil), http.StatusFound)
	return nil
}

// mfaSubmit serves POST /mfa: the factor's code (field "code"), or the
// factor chosen (field "mfa_type") for SELECT_MFA_TYPE.
func (h *Handler) mfaSubmit(w http.ResponseWriter, r *http.Request, poolID string) error {
	a, nonce, f, err := h.challengeForm(w, r, poolID, stepMFA)
	if err != nil || f == nil {
		return err
	}
	if !h.admitHostedPage(r, poolID, "RespondToAuthChallenge") {
		return h.renderChallenge(w, r, a, nonce, f, http.StatusTooManyRequests, cognito.MsgRateExceeded)
	}
	answer := strings.TrimSpace(r.PostForm.Get("code"))
	if f.Challenge == "SELECT_MFA_TYPE" {
		answer = r.PostForm.Get("mfa_type")
		if !slices.Contains(f.Choices, answer) {
			return h.renderChallenge(w, r, a, nonce, f, http.StatusBadRequest, "Choose one of the methods below.")
		}
	} else if len(answer) > maxCodeLen {
		answer = answer[:maxCodeLen] // a wrong code still, counted as one
	}
	done, next, err := h.svc.HostedAnswerMFA(r.Context(), a.Pool, a.Client, f.Challenge, f.Session, f.Username, answer)
	if err != nil {
		return h.challengeRefused(w, r, a, nonce, f, err)
	}
	if done != nil {
		return h.finishSignIn(w, r, a, done)
	}
	return h.showChallenge(w, r, a, nonce, f.Username, next, h.loginPage(a, r, poolID, h.mintCSRF(poolID, nonce)))
}

// maxCodeLen bounds a posted code before it reaches the domain (a TOTP,
// SMS or email code is 6 digits: a longer one is wrong either way).
const maxCodeLen = 16

// maxDeviceNameLen is VerifySoftwareToken's FriendlyDeviceName bound.
const maxDeviceNameLen = 256

// mfaSetupSubmit serves POST /mfa_setup: the new software token's first
// code ("code") and a device name ("deviceName").
func (h *Handler) mfaSetupSubmit(w http.ResponseWriter, r *http.Request, poolID string) error {
	a, nonce, f, err := h.challengeForm(w, r, poolID, stepMFASetup)
	if err != nil || f == nil {
		return err
	}
	if !h.admitHostedPage(r, poolID, "VerifySoftwareToken") {
		return h.renderChallenge(w, r, a, nonce, f, http.StatusTooManyRequests, cognito.MsgRateExceeded)
	}
	code := strings.TrimSpace(r.PostForm.Get("code"))
	if len(code) > maxCodeLen {
		code = code[:maxCodeLen]
	}
	device := strings.TrimSpace(r.PostForm.Get("deviceName"))
	if len(device) > maxDeviceNameLen {
		device = device[:maxDeviceNameLen]
	}
	done, err := h.svc.HostedVerifyTOTP(r.Context(), a.Pool, a.Client, f.Session, f.Username, code, device)
	if err != nil {
		return h.challengeRefused(w, r, a, nonce, f, err)
	}
	return h.finishSignIn(w, r, a, done)
}

// challengeRefused shows the domain's refusal of an MFA answer: on the
// same page when the step can be tried again (a wrong code, a code of the
// wrong shape, the database down), on the sign-in form when its session
// is spent (expired, used, the user locked out or disabled).
func (h *Handler) challengeRefused(w http.ResponseWriter, r *http.Request, a *cognito.Authorization, nonce string, f *hostedFlow, err error) error {
	var ce *cognito.Error
	if errors.As(err, &ce) && ce.Type == cognito.ErrNotAuthorized.Type {
		p := h.loginPage(a, r, a.Pool.ID, h.mintCSRF(a.Pool.ID, nonce))
		p.Action, p.Username, p.Error = pageURL(r, a.Pool.ID, "/login", nil), f.Username, h.userMessage(r, err)
		h.render(w, r, "login", http.StatusBadRequest, p)
		return nil
	}
	return h.renderChallenge(w, r, a, nonce, f, formStatus(err), h.userMessage(r, err))
}
