package console

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/cognitod/cognitod/internal/cognito"
)

// The app client pages.

type scopeChoice struct {
	Scope       string
	Description string
	Checked     bool
	Inactive    bool
}

type clientForm struct {
	Pool           *cognito.UserPoolType
	Client         *cognito.UserPoolClientType
	Editing        bool
	Name           string
	GenerateSecret bool
	OAuthEnabled   bool
	Flows          map[string]bool
	Builtin        []scopeChoice
	Custom         []scopeChoice
	CallbackURLs   string
	LogoutURLs     string
	AccessTokenMin string
	ShowSecret     bool
}

// activeScopes lists every custom scope the pool defines now, with its
// description.
func (h *Handler) activeScopes(r *http.Request, poolID string) (map[string]string, []string, error) {
	desc := map[string]string{}
	var order []string
	token := ""
	for {
		out, err := h.svc.ListResourceServers(r.Context(), &cognito.ListResourceServersInput{UserPoolId: poolID, MaxResults: ptr[int32](50), NextToken: token})
		if err != nil {
			return nil, nil, err
		}
		for _, rs := range out.ResourceServers {
			for _, sc := range rs.Scopes {
				full := rs.Identifier + "/" + sc.ScopeName
				desc[full] = sc.ScopeDescription
				order = append(order, full)
			}
		}
		if out.NextToken == nil {
			return desc, order, nil
		}
		token = *out.NextToken
	}
}

// scopeChoices lays out the scope checkboxes: built-in scopes, the
// pool's custom scopes, and scopes still on the client whose definition
// was deleted (inactive).
func (h *Handler) scopeChoices(r *http.Request, poolID string, selected []string) (builtin, custom []scopeChoice, err error) {
	desc, order, err := h.activeScopes(r, poolID)
	if err != nil {
		return nil, nil, err
	}
	for _, sc := range cognito.BuiltinScopes {
		builtin = append(builtin, scopeChoice{Scope: sc, Checked: slices.Contains(selected, sc)})
	}
	for _, sc := range order {
		custom = append(custom, scopeChoice{Scope: sc, Description: desc[sc], Checked: slices.Contains(selected, sc)})
	}
	for _, sc := range selected {
		if _, ok := desc[sc]; !ok && !cognito.IsBuiltinScope(sc) {
			custom = append(custom, scopeChoice{Scope: sc, Inactive: true, Checked: true})
		}
	}
	return builtin, custom, nil
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// clientInputFromForm reads the OAuth settings of the client form.
func clientInputFromForm(r *http.Request) (cognito.ClientInput, error) {
	f := r.PostForm
	in := cognito.ClientInput{
		AllowedOAuthFlowsUserPoolClient: ptr(f.Get("oauth_enabled") != ""),
		AllowedOAuthFlows:               f["flow"],
		AllowedOAuthScopes:              f["scope"],
		CallbackURLs:                    lines(f.Get("callback_urls")),
		LogoutURLs:                      lines(f.Get("logout_urls")),
	}
	if v := strings.TrimSpace(f.Get("access_token_minutes")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 1<<20 {
			return in, fmt.Errorf("Access token validity must be a whole number of minutes.")
		}
		in.AccessTokenValidity = ptr(int32(n))
		in.TokenValidityUnits = &cognito.TokenValidityUnits{AccessToken: "minutes"}
	}
	return in, nil
}

func (h *Handler) formFromRequest(r *http.Request, p *cognito.UserPoolType, in cognito.ClientInput) clientForm {
	f := clientForm{Pool: p, Name: r.PostForm.Get("name"), GenerateSecret: r.PostForm.Get("generate_secret") != "",
		OAuthEnabled: *in.AllowedOAuthFlowsUserPoolClient, Flows: map[string]bool{},
		CallbackURLs: strings.Join(in.CallbackURLs, "\n"), LogoutURLs: strings.Join(in.LogoutURLs, "\n"),
		AccessTokenMin: r.PostForm.Get("access_token_minutes")}
	for _, fl := range in.AllowedOAuthFlows {
		f.Flows[fl] = true
	}
	f.Builtin, f.Custom, _ = h.scopeChoices(r, p.Id, in.AllowedOAuthScopes)
	return f
}

func (h *Handler) newClientPage(w http.ResponseWriter, r *http.Request, s *session) {
	p, ok := h.loadPool(w, r, s)
	if !ok {
		return
	}
	f := clientForm{Pool: p, GenerateSecret: true, Flows: map[string]bool{}}
	var err error
	if f.Builtin, f.Custom, err = h.scopeChoices(r, p.Id, nil); err != nil {
		h.serverError(w, r, err)
		return
	}
	h.render(w, r, "client_form", http.StatusOK, page{Title: "Create an app client", Session: s, Data: f})
}

func (h *Handler) createClient(w http.ResponseWriter, r *http.Request, s *session) {
	p, ok := h.loadPool(w, r, s)
	if !ok {
		return
	}
	ci, formErr := clientInputFromForm(r)
	in := &cognito.CreateUserPoolClientInput{UserPoolId: p.Id, ClientName: strings.TrimSpace(r.PostForm.Get("name")),
		GenerateSecret: ptr(r.PostForm.Get("generate_secret") != ""), ClientInput: ci}
	var out *cognito.UserPoolClientOutput
	err := formErr
	if err == nil {
		out, err = h.svc.CreateUserPoolClient(r.Context(), in)
	}
	if err != nil {
		msg := err.Error()
		if formErr == nil {
			msg = h.message(r.Context(), err)
		}
		h.render(w, r, "client_form", http.StatusBadRequest, page{Title: "Create an app client", Session: s, Error: msg, Data: h.formFromRequest(r, p, ci)})
		return
	}
	h.redirect(w, r, s, "/console/pools/"+p.Id+"/clients/"+out.UserPoolClient.ClientId, "App client "+in.ClientName+" created.")
}

func (h *Handler) loadClient(w http.ResponseWriter, r *http.Request, s *session) (*cognito.UserPoolType, *cognito.UserPoolClientType, bool) {
	p, ok := h.loadPool(w, r, s)
	if !ok {
		return nil, nil, false
	}
	out, err := h.svc.DescribeUserPoolClient(r.Context(), &cognito.ClientIDInput{UserPoolId: p.Id, ClientId: r.PathValue("client")})
	if err != nil {
		h.render(w, r, "notfound", http.StatusNotFound, page{Title: "Not found", Session: s, Error: h.message(r.Context(), err)})
		return nil, nil, false
	}
	return p, out.UserPoolClient, true
}

func (h *Handler) clientFormFor(r *http.Request, p *cognito.UserPoolType, c *cognito.UserPoolClientType) (clientForm, error) {
	f := clientForm{Pool: p, Client: c, Editing: true, Name: c.ClientName, OAuthEnabled: c.AllowedOAuthFlowsUserPoolClient,
		Flows: map[string]bool{}, CallbackURLs: strings.Join(c.CallbackURLs, "\n"), LogoutURLs: strings.Join(c.LogoutURLs, "\n")}
	for _, fl := range c.AllowedOAuthFlows {
		f.Flows[fl] = true
	}
	f.AccessTokenMin = accessTokenMinutes(c)
	var err error
	f.Builtin, f.Custom, err = h.scopeChoices(r, p.Id, c.AllowedOAuthScopes)
	return f, err
}

// accessTokenMinutes is the access token validity as the form shows it,
// in minutes; "" when the client keeps the default.
func accessTokenMinutes(c *cognito.UserPoolClientType) string {
	if c.AccessTokenValidity == nil {
		return ""
	}
	return strconv.FormatInt((&cognito.AppClient{Settings: c.ClientSettings}).AccessTokenTTLSeconds()/60, 10)
}

func (h *Handler) clientPage(w http.ResponseWriter, r *http.Request, s *session) {
	h.renderClient(w, r, s, false)
}

// showSecret shows the client secret: a POST, so that the secret never
// sits in a URL, history or a cache.
func (h *Handler) showSecret(w http.ResponseWriter, r *http.Request, s *session) {
	h.renderClient(w, r, s, true)
}

// loadClientForm loads the client the path names and its form; when it
// cannot, it has answered the request and ok is false.
func (h *Handler) loadClientForm(w http.ResponseWriter, r *http.Request, s *session) (clientForm, bool) {
	p, c, ok := h.loadClient(w, r, s)
	if !ok {
		return clientForm{}, false
	}
	f, err := h.clientFormFor(r, p, c)
	if err != nil {
		h.serverError(w, r, err)
		return clientForm{}, false
	}
	return f, true
}

func (h *Handler) renderClient(w http.ResponseWriter, r *http.Request, s *session, showSecret bool) {
	f, ok := h.loadClientForm(w, r, s)
	if !ok {
		return
	}
	f.ShowSecret = showSecret
	h.render(w, r, "client", http.StatusOK, page{Title: f.Client.ClientName, Session: s, Data: f})
}

func (h *Handler) editClientPage(w http.ResponseWriter, r *http.Request, s *session) {
	f, ok := h.loadClientForm(w, r, s)
	if !ok {
		return
	}
	h.render(w, r, "client_form", http.StatusOK, page{Title: "Edit " + f.Client.ClientName, Session: s, Data: f})
}

func (h *Handler) updateClient(w http.ResponseWriter, r *http.Request, s *session) {
	p, c, ok := h.loadClient(w, r, s)
	if !ok {
		return
	}
	form, formErr := clientInputFromForm(r)
	// The form edits some settings; the others are kept as stored.
	ci := c.ClientSettings.Input()
	ci.AllowedOAuthFlowsUserPoolClient, ci.AllowedOAuthFlows, ci.AllowedOAuthScopes = form.AllowedOAuthFlowsUserPoolClient, form.AllowedOAuthFlows, form.AllowedOAuthScopes
	ci.CallbackURLs, ci.LogoutURLs = form.CallbackURLs, form.LogoutURLs
	// A validity field left as shown keeps the stored value and unit
	// (which may be seconds or hours, while the form shows minutes); a
	// changed one is in minutes, an emptied one goes back to the default.
	if r.PostForm.Get("access_token_minutes") != accessTokenMinutes(c) {
		ci.AccessTokenValidity = form.AccessTokenValidity
		units := cognito.TokenValidityUnits{}
		if ci.TokenValidityUnits != nil {
			units = *ci.TokenValidityUnits
		}
		units.AccessToken = ""
		if form.AccessTokenValidity != nil {
			units.AccessToken = "minutes"
		}
		ci.TokenValidityUnits = &units
		if units == (cognito.TokenValidityUnits{}) {
			ci.TokenValidityUnits = nil
		}
	}
	if ci.DefaultRedirectURI != nil && !slices.Contains(ci.CallbackURLs, *ci.DefaultRedirectURI) {
		ci.DefaultRedirectURI = nil
	}
	name := strings.TrimSpace(r.PostForm.Get("name"))
	err := formErr
	if err == nil {
		_, err = h.svc.UpdateUserPoolClient(r.Context(), &cognito.UpdateUserPoolClientInput{UserPoolId: p.Id, ClientId: c.ClientId, ClientName: &name, ClientInput: ci})
	}
	if err != nil {
		msg := err.Error()
		if formErr == nil {
			msg = h.message(r.Context(), err)
		}
		f := h.formFromRequest(r, p, ci)
		f.Client, f.Editing = c, true
		h.render(w, r, "client_form", http.StatusBadRequest, page{Title: "Edit " + c.ClientName, Session: s, Error: msg, Data: f})
		return
	}
	h.redirect(w, r, s, "/console/pools/"+p.Id+"/clients/"+c.ClientId, "App client "+name+" saved.")
}

func (h *Handler) deleteClient(w http.ResponseWriter, r *http.Request, s *session) {
	pool, client := r.PathValue("pool"), r.PathValue("client")
	if _, err := h.svc.DeleteUserPoolClient(r.Context(), &cognito.ClientIDInput{UserPoolId: pool, ClientId: client}); err != nil {
		h.renderAppIntegration(w, r, s, http.StatusBadRequest, h.message(r.Context(), err), "")
		return
	}
	h.redirect(w, r, s, "/console/pools/"+pool+"/app-integration", "App client deleted.")
}
