package oauth

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/cognitod/cognitod/internal/cognito"
)

// The hosted pages beyond sign-in: /signup, /confirm, /forgotPassword
// and /confirmForgotPassword, at Cognito's classic hosted UI paths, with
// the authorize parameters (client_id, response_type, scope,
// redirect_uri, state, ...) carried through in the query from page to
// page, as Cognito's pages carry them. Every page checks them as
// /oauth2/authorize does (checkAuthorize), every POST is checked as the
// sign-in form's is (postedForm: CSRF token, cookie, origin) and admitted
// by the per-source limit and the operation's quota (admitHostedPage).

// attrField is an attribute input of the sign-up form.
type attrField struct {
	Name, Label, Type, Autocomplete, Value string
}

// hostedPage returns the page fields every hosted page shares: the pool,
// the links to the other pages (as the pool allows them), the client's
// branding.
func (h *Handler) hostedPage(r *http.Request, poolID string, a *cognito.Authorization, title string) page {
	b := base(r, poolID)
	q := authorizeQuery(r)
	p := page{Title: title, PoolName: a.Pool.Name, Base: b, LoginURL: b + "/login?" + q}
	if cognito.HostedSignUpAllowed(a.Pool) {
		p.SignUpURL = b + "/signup?" + q
	}
	if cognito.HostedRecoveryAllowed(a.Pool) {
		p.ForgotURL = b + "/forgotPassword?" + q
	}
	p.CustomCSS, p.Logo = h.branding(r, poolID, a.Client.ClientID)
	return p
}

// authorizeQuery is the request's query less what a page adds to it
// (username), so that the links carry only the authorize parameters.
func authorizeQuery(r *http.Request) string {
	q := r.URL.Query()
	if !q.Has("username") {
		return r.URL.RawQuery
	}
	q.Del("username")
	return q.Encode()
}

// pageURL is a hosted page's URL with the authorize parameters and
// extra ones.
func pageURL(r *http.Request, poolID, path string, extra url.Values) string {
	q, _ := url.ParseQuery(authorizeQuery(r))
	for k, v := range extra {
		q[k] = v
	}
	return base(r, poolID) + path + "?" + q.Encode()
}

// postedForm checks a hosted form's POST as the sign-in form's is: the
// body bounded, the origin this site's, the CSRF token minted for this
// pool and this browser's nonce. It returns the nonce.
func (h *Handler) postedForm(w http.ResponseWriter, r *http.Request, poolID string, a *cognito.Authorization) (string, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	cookie, err := r.Cookie(csrfCookie)
	if err != nil || !h.sameSiteRequest(r) || r.ParseForm() != nil || !h.checkCSRF(poolID, cookie.Value, r.PostForm.Get("_csrf")) {
		e := errFormExpired.WithReason("CSRF token, cookie or origin refused")
		e.poolName = a.Pool.Name
		return "", e
	}
	return cookie.Value, nil
}

// usernameField is how the sign-up and reset forms ask for the
// username: per the pool's UsernameAttributes, an email address, a phone
// number, either, or a username.
func usernameField(pool *cognito.UserPool) (label, typ, autocomplete string) {
	ua := pool.Settings.UsernameAttributes
	switch {
	case len(ua) == 1 && ua[0] == "email":
		return "Email", "email", "email"
	case len(ua) == 1 && ua[0] == "phone_number":
		return "Phone number", "tel", "tel"
	case len(ua) == 2:
		return "Email or phone number", "text", "username"
	}
	return "Username", "text", "username"
}

// attributeLabels are the sign-up form's labels of standard attributes.
var attributeLabels = map[string]string{
	"email": "Email", "phone_number": "Phone number", "name": "Name", "given_name": "Given name", "family_name": "Family name",
	"middle_name": "Middle name", "nickname": "Nickname", "preferred_username": "Preferred username", "birthdate": "Birthdate",
	"address": "Address", "gender": "Gender", "locale": "Locale", "picture": "Picture", "profile": "Profile", "website": "Website",
	"zoneinfo": "Zone info", "updated_at": "Updated at",
}

func signUpFields(pool *cognito.UserPool, form url.Values) []attrField {
	var out []attrField
	for _, name := range cognito.HostedSignUpAttributes(pool) {
		f := attrField{Name: name, Label: attributeLabels[name], Type: "text"}
		if f.Label == "" {
			f.Label = strings.TrimPrefix(name, "custom:")
		}
		switch name {
		case "email":
			f.Type, f.Autocomplete = "email", "email"
		case "phone_number":
			f.Type, f.Autocomplete = "tel", "tel"
		case "birthdate":
			f.Type = "date"
		}
		if form != nil {
			f.Value = form.Get(attrFormName(name))
		}
		out = append(out, f)
	}
	return out
}

// attrFormName is an attribute's field name in the sign-up form.
func attrFormName(name string) string { return "requiredAttributes[" + name + "]" }

// deliveryText says where a code went, as Cognito's pages say it.
func deliveryText(d *cognito.CodeDeliveryDetails) string {
	if d == nil {
		return ""
	}
	medium := "email"
	if d.DeliveryMedium == "SMS" {
		medium = "text message"
	}
	return "We have sent a code by " + medium + " to " + d.Destination + ". Enter it below."
}
