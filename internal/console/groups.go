package console

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/cognitod/cognitod/internal/cognito"
)

// groupRoutes adds the pages of a pool's groups and of a user's groups.
// Every action goes through cognito.Service, behind the session and CSRF
// checks of requireSession.
func (h *Handler) groupRoutes(auth func(string, func(http.ResponseWriter, *http.Request, *session))) {
	auth("GET /console/pools/{pool}/groups", h.groupsPage)
	auth("POST /console/pools/{pool}/groups", h.createGroup)
	auth("POST /console/pools/{pool}/groups/delete", h.deleteGroup)
	auth("GET /console/pools/{pool}/user", h.userPage)
	auth("POST /console/pools/{pool}/user/groups", h.addUserToGroup)
	auth("POST /console/pools/{pool}/user/groups/remove", h.removeUserFromGroup)
}

type groupsData struct {
	poolData
	Groups  []cognito.GroupType
	Next    string
	HasPrev bool
	// The create form, kept after a refusal.
	NewName, NewDescription, NewPrecedence, NewRoleArn string
}

func (h *Handler) groupsPage(w http.ResponseWriter, r *http.Request, s *session) {
	h.renderGroups(w, r, s, http.StatusOK, "", groupsData{})
}

func (h *Handler) renderGroups(w http.ResponseWriter, r *http.Request, s *session, status int, errMsg string, form groupsData) {
	p, ok := h.loadPool(w, r, s)
	if !ok {
		return
	}
	d := form
	d.poolData = h.poolData(r, p, "groups")
	next := r.URL.Query().Get("next")
	d.HasPrev = next != ""
	out, err := h.svc.ListGroups(r.Context(), &cognito.ListGroupsInput{UserPoolId: p.Id, Limit: ptr[int32](25), NextToken: next})
	if err != nil {
		errMsg = joinMessages(errMsg, h.message(r.Context(), err))
	} else {
		d.Groups = out.Groups
		if out.NextToken != nil {
			d.Next = *out.NextToken
		}
	}
	h.render(w, r, "groups", status, page{Title: p.Name + ": Groups", Session: s, Error: errMsg, Data: d})
}

func (h *Handler) createGroup(w http.ResponseWriter, r *http.Request, s *session) {
	f := r.PostForm
	form := groupsData{NewName: strings.TrimSpace(f.Get("name")), NewDescription: f.Get("description"),
		NewPrecedence: strings.TrimSpace(f.Get("precedence")), NewRoleArn: strings.TrimSpace(f.Get("role_arn"))}
	in := &cognito.GroupInput{UserPoolId: r.PathValue("pool"), GroupName: form.NewName}
	if form.NewDescription != "" {
		in.Description = &form.NewDescription
	}
	if form.NewRoleArn != "" {
		in.RoleArn = &form.NewRoleArn
	}
	if form.NewPrecedence != "" {
		n, err := strconv.ParseInt(form.NewPrecedence, 10, 32)
		if err != nil || n < 0 {
			h.renderGroups(w, r, s, http.StatusBadRequest, "Precedence must be a whole number from 0 to 2147483647.", form)
			return
		}
		in.Precedence = ptr(int32(n))
	}
	if _, err := h.svc.CreateGroup(r.Context(), in); err != nil {
		h.renderGroups(w, r, s, http.StatusBadRequest, h.message(r.Context(), err), form)
		return
	}
	h.redirect(w, r, s, "/console/pools/"+r.PathValue("pool")+"/groups", "Group "+form.NewName+" created.")
}

func (h *Handler) deleteGroup(w http.ResponseWriter, r *http.Request, s *session) {
	name := r.URL.Query().Get("group")
	if _, err := h.svc.DeleteGroup(r.Context(), &cognito.GroupNameInput{UserPoolId: r.PathValue("pool"), GroupName: name}); err != nil {
		h.renderGroups(w, r, s, http.StatusBadRequest, h.message(r.Context(), err), groupsData{})
		return
	}
	h.redirect(w, r, s, "/console/pools/"+r.PathValue("pool")+"/groups", "Group "+name+" deleted.")
}

type userData struct {
	poolData
	User *cognito.AdminGetUserOutput
	// Groups are the user's; Others the pool's groups they are not in
	// (from the first page of the pool's groups), offered in the add form.
	Groups, Others []cognito.GroupType
	Next           string
}

func (h *Handler) userPage(w http.ResponseWriter, r *http.Request, s *session) {
	h.renderUser(w, r, s, http.StatusOK, "")
}

func (h *Handler) renderUser(w http.ResponseWriter, r *http.Request, s *session, status int, errMsg string) {
	p, ok := h.loadPool(w, r, s)
	if !ok {
		return
	}
	name := r.URL.Query().Get("username")
	u, err := h.svc.AdminGetUser(r.Context(), &cognito.AdminUserInput{UserPoolId: p.Id, Username: name})
	if err != nil {
		h.render(w, r, "notfound", http.StatusNotFound, page{Title: "Not found", Session: s, Error: h.message(r.Context(), err)})
		return
	}
	d := userData{poolData: h.poolData(r, p, "users"), User: u}
	mine, err := h.svc.AdminListGroupsForUser(r.Context(), &cognito.AdminListGroupsForUserInput{UserPoolId: p.Id, Username: name,
		Limit: ptr[int32](60), NextToken: r.URL.Query().Get("next")})
	if err != nil {
		errMsg = joinMessages(errMsg, h.message(r.Context(), err))
	} else {
		d.Groups = mine.Groups
		if mine.NextToken != nil {
			d.Next = *mine.NextToken
		}
	}
	if all, err := h.svc.ListGroups(r.Context(), &cognito.ListGroupsInput{UserPoolId: p.Id, Limit: ptr[int32](60)}); err == nil {
		in := map[string]bool{}
		for _, g := range d.Groups {
			in[g.GroupName] = true
		}
		for _, g := range all.Groups {
			if !in[g.GroupName] {
				d.Others = append(d.Others, g)
			}
		}
	}
	h.render(w, r, "user", status, page{Title: p.Name + ": " + u.Username, Session: s, Error: errMsg, Data: d})
}

func (h *Handler) userURL(r *http.Request) string {
	return "/console/pools/" + r.PathValue("pool") + "/user?" + url.Values{"username": {r.URL.Query().Get("username")}}.Encode()
}

func (h *Handler) addUserToGroup(w http.ResponseWriter, r *http.Request, s *session) {
	user, group := r.URL.Query().Get("username"), strings.TrimSpace(r.PostForm.Get("group"))
	in := &cognito.GroupMemberInput{UserPoolId: r.PathValue("pool"), Username: user, GroupName: group}
	if _, err := h.svc.AdminAddUserToGroup(r.Context(), in); err != nil {
		h.renderUser(w, r, s, http.StatusBadRequest, h.message(r.Context(), err))
		return
	}
	h.redirect(w, r, s, h.userURL(r), "Added to "+group+".")
}

func (h *Handler) removeUserFromGroup(w http.ResponseWriter, r *http.Request, s *session) {
	user, group := r.URL.Query().Get("username"), r.URL.Query().Get("group")
	in := &cognito.GroupMemberInput{UserPoolId: r.PathValue("pool"), Username: user, GroupName: group}
	if _, err := h.svc.AdminRemoveUserFromGroup(r.Context(), in); err != nil {
		h.renderUser(w, r, s, http.StatusBadRequest, h.message(r.Context(), err))
		return
	}
	h.redirect(w, r, s, h.userURL(r), "Removed from "+group+".")
}
