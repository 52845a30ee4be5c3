package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/cognitod/cognitod/verify"
)

const (
	maxBodyBytes = 64 << 10 // a photo's metadata is small
	defaultLimit = 20
	maxLimit     = 100
)

// newHandler returns the Photo API. Every route under /photos needs an
// access token verified by v with a scope of the resource server named by
// identifier: <identifier>/read to look, <identifier>/write to change.
func newHandler(v *verify.Verifier, identifier string, s *store) http.Handler {
	read := v.RequireScopes(identifier + "/read")
	write := v.RequireScopes(identifier + "/write")

	a := &api{store: s}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.Handle("GET /photos", read(http.HandlerFunc(a.list)))
	mux.Handle("GET /photos/{id}", read(http.HandlerFunc(a.get)))
	mux.Handle("POST /photos", write(http.HandlerFunc(a.create)))
	mux.Handle("PUT /photos/{id}", write(http.HandlerFunc(a.update)))
	mux.Handle("DELETE /photos/{id}", write(http.HandlerFunc(a.delete)))
	return mux
}

type api struct {
	store *store
}

// photoInput is the body of POST and PUT. The server sets id, owner and
// created_at; other members are ignored.
type photoInput struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}

// listResponse is a page of photos. Next, when set, is passed back as
// ?next= to get the following page.
type listResponse struct {
	Photos []Photo `json:"photos"`
	Next   string  `json:"next,omitempty"`
}

func (a *api) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := defaultLimit
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxLimit {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("limit must be an integer from 1 to %d", maxLimit))
			return
		}
		limit = n
	}
	var after int64
	if s := q.Get("next"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, "next is not a token returned by this API")
			return
		}
		after = n
	}
	page, more := a.store.list(after, limit)
	resp := listResponse{Photos: page}
	if more {
		resp.Next = page[len(page)-1].ID
	}
	writeJSON(w, http.StatusOK, resp)
}

func (a *api) get(w http.ResponseWriter, r *http.Request) {
	id, ok := photoID(w, r)
	if !ok {
		return
	}
	p, ok := a.store.get(id)
	if !ok {
		writeError(w, http.StatusNotFound, "no such photo")
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (a *api) create(w http.ResponseWriter, r *http.Request) {
	in, ok := readInput(w, r)
	if !ok {
		return
	}
	// The middleware has put the verified claims in the context. A user's
	// token has a username; a client credentials token only a client_id.
	claims, _ := verify.ClaimsFromContext(r.Context())
	owner := claims.Username
	if owner == "" {
		owner = claims.ClientID
	}
	p := a.store.create(in.Title, in.URL, owner)
	w.Header().Set("Location", "/photos/"+p.ID)
	writeJSON(w, http.StatusCreated, p)
}

func (a *api) update(w http.ResponseWriter, r *http.Request) {
	id, ok := photoID(w, r)
	if !ok {
		return
	}
	in, ok := readInput(w, r)
	if !ok {
		return
	}
	p, ok := a.store.update(id, in.Title, in.URL)
	if !ok {
		writeError(w, http.StatusNotFound, "no such photo")
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (a *api) delete(w http.ResponseWriter, r *http.Request) {
	id, ok := photoID(w, r)
	if !ok {
		return
	}
	if !a.store.delete(id) {
		writeError(w, http.StatusNotFound, "no such photo")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// photoID parses the {id} path segment. An ID that is not a number names no
// photo, so it is answered with 404.
func photoID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeError(w, http.StatusNotFound, "no such photo")
		return 0, false
	}
	return id, true
}

// readInput decodes and checks a request body of one JSON object.
func readInput(w http.ResponseWriter, r *http.Request) (photoInput, bool) {
	var in photoInput
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	err := dec.Decode(&in)
	if err == nil && dec.Decode(&struct{}{}) != io.EOF {
		err = errors.New("body must be a single JSON object")
	}
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("body is larger than %d bytes", tooLarge.Limit))
		return in, false
	case err != nil:
		writeError(w, http.StatusBadRequest, "invalid JSON: "+err.Error())
		return in, false
	case in.Title == "" || in.URL == "":
		writeError(w, http.StatusBadRequest, "title and url are required")
		return in, false
	}
	return in, true
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
