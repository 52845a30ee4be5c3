package console

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/cognitod/cognitod/internal/cognito"
)

type userRow struct {
	Username, Email, Status string
	Enabled                 bool
	Created                 cognito.Timestamp
}

type usersData struct {
	poolData
	Users              []userRow
	Next               string
	HasPrev            bool
	NewUsername, Email string
}

func (h *Handler) usersPage(w http.ResponseWriter, r *http.Request, s *session) {
	h.renderUsers(w, r, s, http.StatusOK, "", "", "")
}

func (h *Handler) renderUsers(w http.ResponseWriter, r *http.Request, s *session, status int, errMsg, newName, email string) {
	p, ok := h.loadPool(w, r, s)
	if !ok {
		return
	}
	d := usersData{poolData: h.poolData(r, p, "users"), NewUsername: newName, Email: email}
	next := r.URL.Query().Get("next")
	d.HasPrev = next != ""
	out, err := h.svc.ListUsers(r.Context(), &cognito.ListUsersInput{UserPoolId: p.Id, Limit: ptr[int32](25), PaginationToken: next})
	if err != nil {
		errMsg = joinMessages(errMsg, h.message(r.Context(), err))
	} else {
		for _, u := range out.Users {
			row := userRow{Username: u.Username, Status: u.UserStatus, Enabled: u.Enabled, Created: u.UserCreateDate}
			for _, a := range u.Attributes {
				if a.Name == "email" {
					row.Email = a.Value
				}
			}
			d.Users = append(d.Users, row)
		}
		if out.PaginationToken != nil {
			d.Next = *out.PaginationToken
		}
	}
	h.render(w, r, "users", status, page{Title: p.Name + ": Users", Session: s, Error: errMsg, Data: d})
}

// createUser creates a user who must choose a new password at first
// sign-in; without a temporary password, one is generated and written to
// the server log (cognitod sends no email).
func (h *Handler) createUser(w http.ResponseWriter, r *http.Request, s *session) {
	name, email := strings.TrimSpace(r.PostForm.Get("username")), strings.TrimSpace(r.PostForm.Get("email"))
	in := &cognito.AdminCreateUserInput{UserPoolId: r.PathValue("pool"), Username: name}
	if email != "" {
		in.UserAttributes = []cognito.Attribute{{Name: "email", Value: email}}
	}
	if pw := r.PostForm.Get("temporary_password"); pw != "" {
		in.TemporaryPassword = &pw
	}
	if _, err := h.svc.AdminCreateUser(r.Context(), in); err != nil {
		h.renderUsers(w, r, s, http.StatusBadRequest, h.message(r.Context(), err), name, email)
		return
	}
	msg := "User " + name + " created."
	if in.TemporaryPassword == nil {
		msg += " The temporary password is in the server log."
	}
	h.redirect(w, r, s, "/console/pools/"+r.PathValue("pool")+"/users", msg)
}

func (h *Handler) deleteUser(w http.ResponseWriter, r *http.Request, s *session) {
	name := r.URL.Query().Get("username")
	if _, err := h.svc.AdminDeleteUser(r.Context(), &cognito.AdminUserInput{UserPoolId: r.PathValue("pool"), Username: name}); err != nil {
		h.renderUsers(w, r, s, http.StatusBadRequest, h.message(r.Context(), err), "", "")
		return
	}
	h.redirect(w, r, s, "/console/pools/"+r.PathValue("pool")+"/users?"+url.Values{}.Encode(), "User "+name+" deleted.")
}
