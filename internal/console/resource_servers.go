package console

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/cognitod/cognitod/internal/cognito"
)

// The resource server pages: a pool's custom scopes.

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
