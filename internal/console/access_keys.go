package console

import (
	"net/http"
	"strings"

	"github.com/cognitod/cognitod/internal/cognito"
)

// The Access keys page: the root key's holder creates, lists, rotates and
// deletes access keys (the console twin of `cognitod keys`).

type keyRow struct {
	ID, Name, Summary, Created string
	Current                    bool
}

type accessKeysData struct {
	Keys                            []keyRow
	FormName, FormPolicy            string
	NewKeyID, NewKeyName, NewSecret string
	NewNoPolicy                     bool
}

func (h *Handler) accessKeyRoutes(auth func(string, func(http.ResponseWriter, *http.Request, *session))) {
	auth("GET /console/access-keys", h.rootOnly(h.accessKeysPage))
	auth("POST /console/access-keys", h.rootOnly(h.createAccessKey))
	auth("POST /console/access-keys/{id}/delete", h.rootOnly(h.deleteAccessKey))
	auth("POST /console/access-keys/{id}/rotate", h.rootOnly(h.rotateAccessKey))
}

// rootOnly lets through a session whose key is, now, a root key.
func (h *Handler) rootOnly(fn func(http.ResponseWriter, *http.Request, *session)) func(http.ResponseWriter, *http.Request, *session) {
	return func(w http.ResponseWriter, r *http.Request, s *session) {
		k, err := h.svc.GetAccessKey(r.Context(), s.AccessKeyID)
		if err != nil || !k.Root {
			h.render(w, r, "notfound", http.StatusForbidden, page{Title: "Access denied", Session: s,
				Error: "AccessDeniedException: only a root access key may manage access keys."})
			return
		}
		fn(w, r, s)
	}
}

func (h *Handler) accessKeysPage(w http.ResponseWriter, r *http.Request, s *session) {
	h.renderAccessKeys(w, r, s, http.StatusOK, "", accessKeysData{})
}

func (h *Handler) renderAccessKeys(w http.ResponseWriter, r *http.Request, s *session, status int, errMsg string, d accessKeysData) {
	keys, err := h.svc.ListAccessKeys(r.Context())
	if err != nil {
		errMsg = joinMessages(errMsg, h.message(r.Context(), err))
	}
	for _, k := range keys {
		d.Keys = append(d.Keys, keyRow{ID: k.AccessKeyID, Name: k.Name, Summary: cognito.PolicySummary(k),
			Created: k.CreationDate.UTC().Format("2006-01-02 15:04 UTC"), Current: k.AccessKeyID == s.AccessKeyID})
	}
	w.Header().Set("Cache-Control", "no-store")
	h.render(w, r, "access_keys", status, page{Title: "Access keys", Session: s, Error: errMsg, Data: d})
}

func (h *Handler) createAccessKey(w http.ResponseWriter, r *http.Request, s *session) {
	name, policy := strings.TrimSpace(r.PostForm.Get("name")), strings.TrimSpace(r.PostForm.Get("policy"))
	id, secret, err := h.svc.CreateAccessKey(r.Context(), name, policy)
	if err != nil {
		h.renderAccessKeys(w, r, s, http.StatusBadRequest, h.message(r.Context(), err), accessKeysData{FormName: name, FormPolicy: policy})
		return
	}
	// The secret is shown in this answer only, never through the session.
	h.renderAccessKeys(w, r, s, http.StatusOK, "", accessKeysData{NewKeyID: id, NewKeyName: name, NewSecret: secret, NewNoPolicy: policy == ""})
}

func (h *Handler) deleteAccessKey(w http.ResponseWriter, r *http.Request, s *session) {
	id := r.PathValue("id")
	if err := h.svc.DeleteAccessKey(r.Context(), id); err != nil {
		h.renderAccessKeys(w, r, s, http.StatusBadRequest, h.message(r.Context(), err), accessKeysData{})
		return
	}
	h.redirect(w, r, s, "/console/access-keys", "Access key "+id+" deleted.")
}

func (h *Handler) rotateAccessKey(w http.ResponseWriter, r *http.Request, s *session) {
	old := r.PathValue("id")
	info, err := h.svc.GetAccessKey(r.Context(), old)
	if err != nil {
		h.renderAccessKeys(w, r, s, http.StatusBadRequest, h.message(r.Context(), err), accessKeysData{})
		return
	}
	id, secret, err := h.svc.RotateAccessKey(r.Context(), old)
	if err != nil {
		h.renderAccessKeys(w, r, s, http.StatusBadRequest, h.message(r.Context(), err), accessKeysData{})
		return
	}
	h.renderAccessKeys(w, r, s, http.StatusOK, "", accessKeysData{NewKeyID: id, NewKeyName: info.Name, NewSecret: secret,
		NewNoPolicy: !info.Root && info.Policy == ""})
}
