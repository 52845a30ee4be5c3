package console

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

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
	wait, err := h.signIns.wait(r.Context(), r, id)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if wait > 0 {
		// Checked before the key is looked up: the answer is the same
		// whether the key ID exists or not.
		secs := int((wait + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		h.render(w, r, "signin", http.StatusTooManyRequests, page{Title: "Sign in",
			Error: "Too many failed sign-in attempts. Wait " + strconv.Itoa(secs) + " seconds and try again.",
			Data:  signInData{CSRF: h.setPreSession(w), Next: safeNext(r.PostForm.Get("next")), AccessKeyID: boundedKeyID(id), Region: region}})
		return
	}
	var stored string
	ok := len(id) <= maxKeyIDBytes && len(secret) <= maxSecretBytes
	if ok {
		var err error
		if stored, ok, err = h.svc.AccessKeySecret(r.Context(), id); err != nil {
			h.serverError(w, r, err)
			return
		}
	}
	if !ok || !tokensEqual(secret, stored) {
		if err := h.signIns.failed(r.Context(), r, id); err != nil {
			// Not counted: refused as a store failure rather than
			// answered, so that an outage grants no uncounted guesses.
			h.serverError(w, r, err)
			return
		}
		logged := id
		if len(logged) > 32 || strings.IndexFunc(logged, func(c rune) bool { return !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') }) >= 0 {
			logged = "(not shaped like an access key ID; not logged in case it is a secret)"
		}
		h.logger.WarnContext(r.Context(), "console sign-in failed", "access_key_id", logged)
		h.render(w, r, "signin", http.StatusUnauthorized, page{Title: "Sign in",
			Error: "The access key ID or the secret access key is not correct.",
			Data:  signInData{CSRF: h.setPreSession(w), Next: safeNext(r.PostForm.Get("next")), AccessKeyID: boundedKeyID(id), Region: region}})
		return
	}
	if err := h.signIns.succeeded(r.Context(), id); err != nil {
		// The count stays until it is forgotten; the sign-in goes on.
		h.logger.WarnContext(r.Context(), "clearing a console sign-in count", "err", err)
	}
	info, err := h.svc.GetAccessKey(r.Context(), id)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	s, err := h.sessions.create(r.Context(), id, region, info.Root)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: s.ID, Path: "/console", HttpOnly: true,
		Secure: h.secure, SameSite: http.SameSiteStrictMode, MaxAge: int(sessionLifetime.Seconds())})
	http.SetCookie(w, &http.Cookie{Name: preSessionCookie, Value: "", Path: "/console", MaxAge: -1})
	http.Redirect(w, r, safeNext(r.PostForm.Get("next")), http.StatusSeeOther)
}

// maxSecretBytes bounds a typed secret before it is compared: secrets
// cognitod makes are 40 characters, configured root secrets rarely long.
const maxSecretBytes = 1024

// boundedKeyID is the typed key ID shown back in the form: cut, so that a
// 16 KB paste is not echoed whole.
func boundedKeyID(id string) string {
	if len(id) > maxKeyIDBytes {
		return ""
	}
	return id
}

func (h *Handler) signOut(w http.ResponseWriter, r *http.Request, s *session) {
	if err := h.sessions.delete(r.Context(), s.ID); err != nil {
		// The cookie would stay valid at every instance: say so.
		h.serverError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/console", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: h.secure})
	http.Redirect(w, r, "/console/signin", http.StatusSeeOther)
}

func (h *Handler) setRegion(w http.ResponseWriter, r *http.Request, s *session) {
	if region := r.PostForm.Get("region"); cognito.ValidRegion(region) {
		if err := h.sessions.change(r.Context(), s.ID, func(ss *session) { ss.Region = region }); err != nil {
			h.serverError(w, r, err)
			return
		}
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
		errMsg = joinMessages(errMsg, h.message(r.Context(), err))
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
	if errors.Is(err, cognito.ErrAccessDenied) {
		h.render(w, r, "notfound", http.StatusForbidden, page{Title: "Access denied", Session: s, Error: h.message(r.Context(), err)})
		return nil, false
	}
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
		errMsg = joinMessages(errMsg, h.message(r.Context(), err))
	} else {
		d.Servers = servers.ResourceServers
		if servers.NextToken != nil {
			d.ServersNext = *servers.NextToken
		}
	}
	clients, err := h.svc.ListUserPoolClients(r.Context(), &cognito.ListUserPoolClientsInput{UserPoolId: p.Id, MaxResults: ptr[int32](20), NextToken: q.Get("clients_next")})
	if err != nil {
		errMsg = joinMessages(errMsg, h.message(r.Context(), err))
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
