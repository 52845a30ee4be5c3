package console

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/cognitod/cognitod/internal/cognito"
)

// ---- sign-in

type signInData struct {
	CSRF, Next, AccessKeyID, Region string
}

func (h *Handler) setPreSession(w http.ResponseWriter) string {
	token := randomToken()
	http.SetCookie(w, &http.Cookie{Name: preSessionCookie, Value: token, Path: "/console", HttpOnly: true,
		Secure: h.secure, SameSite: http.SameSiteStrictMode, MaxAge: 3600})
	return token
}

func (h *Handler) signInPage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if h.sessions.get(r) != nil {
		http.Redirect(w, r, "/console/pools", http.StatusSeeOther)
		return
	}
	h.render(w, r, "signin", http.StatusOK, page{Title: "Sign in", Data: signInData{
		CSRF: h.setPreSession(w), Next: safeNext(r.URL.Query().Get("next")), Region: "us-east-1"}})
}

// safeNext keeps a post-sign-in redirect inside the console.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/console/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/console/pools"
	}
	return next
}

func (h *Handler) signIn(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	cookie, err := r.Cookie(preSessionCookie)
	if err != nil || !sameOrigin(r) || r.ParseForm() != nil || !tokensEqual(r.PostForm.Get("_csrf"), cookie.Value) {
		h.forbidden(w, r)
		return
	}
	id, secret := strings.TrimSpace(r.PostForm.Get("access_key_id")), r.PostForm.Get("secret_access_key")
	region := r.PostForm.Get("region")
	if !cognito.ValidRegion(region) {
		region = "us-east-1"
	}
	stored, ok, err := h.svc.AccessKeySecret(r.Context(), id)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if !ok || !tokensEqual(secret, stored) {
		logged := id
		if len(logged) > 32 || strings.IndexFunc(logged, func(c rune) bool { return !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') }) >= 0 {
			logged = "(not shaped like an access key ID; not logged in case it is a secret)"
		}
		h.logger.WarnContext(r.Context(), "console sign-in failed", "access_key_id", logged)
		h.render(w, r, "signin", http.StatusUnauthorized, page{Title: "Sign in",
			Error: "The access key ID or the secret access key is not correct.",
			Data:  signInData{CSRF: h.setPreSession(w), Next: safeNext(r.PostForm.Get("next")), AccessKeyID: id, Region: region}})
		return
	}
	s := h.sessions.create(id, region)
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: s.ID, Path: "/console", HttpOnly: true,
		Secure: h.secure, SameSite: http.SameSiteStrictMode, MaxAge: int(sessionLifetime.Seconds())})
	http.SetCookie(w, &http.Cookie{Name: preSessionCookie, Value: "", Path: "/console", MaxAge: -1})
	http.Redirect(w, r, safeNext(r.PostForm.Get("next")), http.StatusSeeOther)
}

func (h *Handler) signOut(w http.ResponseWriter, r *http.Request, s *session) {
	h.sessions.delete(s.ID)
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/console", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: h.secure})
	http.Redirect(w, r, "/console/signin", http.StatusSeeOther)
}

func (h *Handler) setRegion(w http.ResponseWriter, r *http.Request, s *session) {
	if region := r.PostForm.Get("region"); cognito.ValidRegion(region) {
		h.sessions.change(s.ID, func(ss *session) { ss.Region = region })
	}
	h.redirect(w, r, s, "/console/pools", "")
}

// ---- user pools

type poolsData struct {
	Pools   []cognito.UserPoolDescription
	Next    string
	NewName string
	HasPrev bool
}

func (h *Handler) poolsPage(w http.ResponseWriter, r *http.Request, s *session) {
	h.renderPools(w, r, s, http.StatusOK, "", "")
}

func (h *Handler) renderPools(w http.ResponseWriter, r *http.Request, s *session, status int, errMsg, newName string) {
	next := r.URL.Query().Get("next")
	out, err := h.svc.ListUserPools(r.Context(), &cognito.ListUserPoolsInput{MaxResults: ptr[int32](20), NextToken: next})
	if err != nil {
		errMsg = h.message(r.Context(), err)
		out = &cognito.ListUserPoolsOutput{}
	}
	d := poolsData{Pools: out.UserPools, NewName: newName, HasPrev: next != ""}
	if out.NextToken != nil {
		d.Next = *out.NextToken
	}
	h.render(w, r, "pools", status, page{Title: "User pools", Session: s, Error: errMsg, Data: d})
}

func ptr[T any](v T) *T { return &v }

func (h *Handler) createPool(w http.ResponseWriter, r *http.Request, s *session) {
	name := strings.TrimSpace(r.PostForm.Get("name"))
	out, err := h.svc.CreateUserPool(r.Context(), &cognito.CreateUserPoolInput{PoolName: name})
	if err != nil {
		h.renderPools(w, r, s, http.StatusBadRequest, h.message(r.Context(), err), name)
		return
	}
	h.redirect(w, r, s, "/console/pools/"+out.UserPool.Id, "User pool "+name+" created.")
}

type poolData struct {
	Pool        *cognito.UserPoolType
	Issuer      string
	DomainHost  string
	Tab         string
	NewDomain   string
	Servers     []cognito.ResourceServerType
	ServersNext string
	Clients     []cognito.UserPoolClientDescription
	ClientsNext string
}

func (h *Handler) loadPool(w http.ResponseWriter, r *http.Request, s *session) (*cognito.UserPoolType, bool) {
	out, err := h.svc.DescribeUserPool(r.Context(), &cognito.UserPoolIDInput{UserPoolId: r.PathValue("pool")})
	if err != nil {
		h.render(w, r, "notfound", http.StatusNotFound, page{Title: "Not found", Session: s, Error: h.message(r.Context(), err)})
		return nil, false
	}
	return out.UserPool, true
}

func (h *Handler) poolData(r *http.Request, p *cognito.UserPoolType, tab string) poolData {
	d := poolData{Pool: p, Issuer: h.publicURL + "/" + p.Id, Tab: tab}
	if p.Domain != "" {
		d.DomainHost = h.svc.DomainHost(&cognito.Domain{Domain: p.Domain, UserPoolID: p.Id})
	}
	return d
}

func (h *Handler) poolPage(w http.ResponseWriter, r *http.Request, s *session) {
	p, ok := h.loadPool(w, r, s)
	if !ok {
		return
	}
	h.render(w, r, "pool", http.StatusOK, page{Title: p.Name, Session: s, Data: h.poolData(r, p, "overview")})
}

func (h *Handler) deletePoolPage(w http.ResponseWriter, r *http.Request, s *session) {
	p, ok := h.loadPool(w, r, s)
	if !ok {
		return
	}
	h.render(w, r, "delete_pool", http.StatusOK, page{Title: "Delete " + p.Name, Session: s, Data: h.poolData(r, p, "")})
}

func (h *Handler) deletePool(w http.ResponseWriter, r *http.Request, s *session) {
	p, ok := h.loadPool(w, r, s)
	if !ok {
		return
	}
	if r.PostForm.Get("confirm") != p.Name {
		h.render(w, r, "delete_pool", http.StatusBadRequest, page{Title: "Delete " + p.Name, Session: s,
			Error: "Type the pool's name to confirm.", Data: h.poolData(r, p, "")})
		return
	}
	if _, err := h.svc.DeleteUserPool(r.Context(), &cognito.UserPoolIDInput{UserPoolId: p.Id}); err != nil {
		h.render(w, r, "delete_pool", http.StatusBadRequest, page{Title: "Delete " + p.Name, Session: s,
			Error: h.message(r.Context(), err), Data: h.poolData(r, p, "")})
		return
	}
	h.redirect(w, r, s, "/console/pools", "User pool "+p.Name+" deleted.")
}

// ---- app integration: resource servers, app clients, domain

func (h *Handler) appIntegrationPage(w http.ResponseWriter, r *http.Request, s *session) {
	h.renderAppIntegration(w, r, s, http.StatusOK, "", "")
}

func (h *Handler) renderAppIntegration(w http.ResponseWriter, r *http.Request, s *session, status int, errMsg, newDomain string) {
	p, ok := h.loadPool(w, r, s)
	if !ok {
		return
	}
	d := h.poolData(r, p, "app-integration")
	d.NewDomain = newDomain
	q := r.URL.Query()
	servers, err := h.svc.ListResourceServers(r.Context(), &cognito.ListResourceServersInput{UserPoolId: p.Id, MaxResults: ptr[int32](20), NextToken: q.Get("servers_next")})
	if err != nil {
		errMsg = h.message(r.Context(), err)
	} else {
		d.Servers = servers.ResourceServers
		if servers.NextToken != nil {
			d.ServersNext = *servers.NextToken
		}
	}
	clients, err := h.svc.ListUserPoolClients(r.Context(), &cognito.ListUserPoolClientsInput{UserPoolId: p.Id, MaxResults: ptr[int32](20), NextToken: q.Get("clients_next")})
	if err != nil {
		errMsg = h.message(r.Context(), err)
	} else {
		d.Clients = clients.UserPoolClients
		if clients.NextToken != nil {
			d.ClientsNext = *clients.NextToken
		}
	}
	h.render(w, r, "app_integration", status, page{Title: p.Name + ": App integration", Session: s, Error: errMsg, Data: d})
}

func (h *Handler) createDomain(w http.ResponseWriter, r *http.Request, s *session) {
	prefix := strings.TrimSpace(r.PostForm.Get("domain"))
	_, err := h.svc.CreateUserPoolDomain(r.Context(), &cognito.CreateUserPoolDomainInput{UserPoolId: r.PathValue("pool"), Domain: prefix})
	if err != nil {
		h.renderAppIntegration(w, r, s, http.StatusBadRequest, h.message(r.Context(), err), prefix)
		return
	}
	h.redirect(w, r, s, "/console/pools/"+r.PathValue("pool")+"/app-integration", "Domain "+prefix+" created.")
}

func (h *Handler) deleteDomain(w http.ResponseWriter, r *http.Request, s *session) {
	_, err := h.svc.DeleteUserPoolDomain(r.Context(), &cognito.DomainInput{UserPoolId: r.PathValue("pool"), Domain: r.PostForm.Get("domain")})
	if err != nil {
		h.renderAppIntegration(w, r, s, http.StatusBadRequest, h.message(r.Context(), err), "")
		return
	}
	h.redirect(w, r, s, "/console/pools/"+r.PathValue("pool")+"/app-integration", "Domain deleted.")
}

// ---- resource servers

type scopeRow struct {
	Index             int
	Name, Description string
}

type resourceServerForm struct {
	Pool             *cognito.UserPoolType
	Editing          bool
	Identifier, Name string
	Scopes           []scopeRow
}

// blankScopeRows is how many empty scope rows a form offers (more with
// JavaScript's "Add another scope").
const blankScopeRows = 3

func withBlankRows(rows []scopeRow) []scopeRow {
	for range blankScopeRows {
		rows = append(rows, scopeRow{})
	}
	for i := range rows {
		rows[i].Index = i
	}
	return rows
}

// scopesFromForm reads the scope rows; a row with its Remove box ticked,
// or with neither name nor description, is left out.
func scopesFromForm(r *http.Request) ([]cognito.ResourceServerScope, []scopeRow) {
	var scopes []cognito.ResourceServerScope
	var rows []scopeRow
	for i := 0; i < 200; i++ {
		key := strconv.Itoa(i)
		name, hasName := r.PostForm["scope_name_"+key]
		desc := r.PostForm.Get("scope_description_" + key)
		if !hasName {
			if i > 100 {
				break
			}
			continue
		}
		n := strings.TrimSpace(name[0])
		if r.PostForm.Get("scope_remove_"+key) != "" || (n == "" && strings.TrimSpace(desc) == "") {
			continue
		}
		scopes = append(scopes, cognito.ResourceServerScope{ScopeName: n, ScopeDescription: desc})
		rows = append(rows, scopeRow{Name: n, Description: desc})
	}
	return scopes, rows
}

func (h *Handler) newResourceServerPage(w http.ResponseWriter, r *http.Request, s *session) {
	p, ok := h.loadPool(w, r, s)
	if !ok {
		return
	}
	h.render(w, r, "resource_server", http.StatusOK, page{Title: "Create a resource server", Session: s,
		Data: resourceServerForm{Pool: p, Scopes: withBlankRows(nil)}})
}

func (h *Handler) createResourceServer(w http.ResponseWriter, r *http.Request, s *session) {
	p, ok := h.loadPool(w, r, s)
	if !ok {
		return
	}
	scopes, rows := scopesFromForm(r)
	in := &cognito.ResourceServerInput{UserPoolId: p.Id, Identifier: strings.TrimSpace(r.PostForm.Get("identifier")),
		Name: strings.TrimSpace(r.PostForm.Get("name")), Scopes: scopes}
	if _, err := h.svc.CreateResourceServer(r.Context(), in); err != nil {
		h.render(w, r, "resource_server", http.StatusBadRequest, page{Title: "Create a resource server", Session: s, Error: h.message(r.Context(), err),
			Data: resourceServerForm{Pool: p, Identifier: in.Identifier, Name: in.Name, Scopes: withBlankRows(rows)}})
		return
	}
	h.redirect(w, r, s, "/console/pools/"+p.Id+"/app-integration", "Resource server "+in.Name+" created.")
}

func (h *Handler) editResourceServerPage(w http.ResponseWriter, r *http.Request, s *session) {
	p, ok := h.loadPool(w, r, s)
	if !ok {
		return
	}
	out, err := h.svc.DescribeResourceServer(r.Context(), &cognito.ResourceServerIDInput{UserPoolId: p.Id, Identifier: r.URL.Query().Get("identifier")})
	if err != nil {
		h.render(w, r, "notfound", http.StatusNotFound, page{Title: "Not found", Session: s, Error: h.message(r.Context(), err)})
		return
	}
	rows := make([]scopeRow, len(out.ResourceServer.Scopes))
	for i, sc := range out.ResourceServer.Scopes {
		rows[i] = scopeRow{Name: sc.ScopeName, Description: sc.ScopeDescription}
	}
	h.render(w, r, "resource_server", http.StatusOK, page{Title: "Edit " + out.ResourceServer.Name, Session: s,
		Data: resourceServerForm{Pool: p, Editing: true, Identifier: out.ResourceServer.Identifier, Name: out.ResourceServer.Name, Scopes: withBlankRows(rows)}})
}

func (h *Handler) updateResourceServer(w http.ResponseWriter, r *http.Request, s *session) {
	p, ok := h.loadPool(w, r, s)
	if !ok {
		return
	}
	scopes, rows := scopesFromForm(r)
	in := &cognito.ResourceServerInput{UserPoolId: p.Id, Identifier: r.URL.Query().Get("identifier"),
		Name: strings.TrimSpace(r.PostForm.Get("name")), Scopes: scopes}
	if _, err := h.svc.UpdateResourceServer(r.Context(), in); err != nil {
		h.render(w, r, "resource_server", http.StatusBadRequest, page{Title: "Edit " + in.Name, Session: s, Error: h.message(r.Context(), err),
			Data: resourceServerForm{Pool: p, Editing: true, Identifier: in.Identifier, Name: in.Name, Scopes: withBlankRows(rows)}})
		return
	}
	h.redirect(w, r, s, "/console/pools/"+p.Id+"/app-integration", "Resource server "+in.Name+" saved.")
}

func (h *Handler) deleteResourceServer(w http.ResponseWriter, r *http.Request, s *session) {
	id := r.URL.Query().Get("identifier")
	if _, err := h.svc.DeleteResourceServer(r.Context(), &cognito.ResourceServerIDInput{UserPoolId: r.PathValue("pool"), Identifier: id}); err != nil {
		h.renderAppIntegration(w, r, s, http.StatusBadRequest, h.message(r.Context(), err), "")
		return
	}
	h.redirect(w, r, s, "/console/pools/"+r.PathValue("pool")+"/app-integration", "Resource server "+id+" deleted.")
}

// ---- app clients

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

func (h *Handler) renderClient(w http.ResponseWriter, r *http.Request, s *session, showSecret bool) {
	p, c, ok := h.loadClient(w, r, s)
	if !ok {
		return
	}
	f, err := h.clientFormFor(r, p, c)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	f.ShowSecret = showSecret
	h.render(w, r, "client", http.StatusOK, page{Title: c.ClientName, Session: s, Data: f})
}

func (h *Handler) editClientPage(w http.ResponseWriter, r *http.Request, s *session) {
	p, c, ok := h.loadClient(w, r, s)
	if !ok {
		return
	}
	f, err := h.clientFormFor(r, p, c)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.render(w, r, "client_form", http.StatusOK, page{Title: "Edit " + c.ClientName, Session: s, Data: f})
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
