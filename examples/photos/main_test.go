package main

import (
	"bufio"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
)

const (
	poolID   = "us-east-1_abc123XYZ"
	clientID = "1example23456789"
	kid      = "test-key"

	readScope  = "com.example.photos/read"
	writeScope = "com.example.photos/write"
)

// testIssuer stands in for cognitod: it serves a JWKS and signs tokens with
// the matching private key.
type testIssuer struct {
	key *rsa.PrivateKey
	url string // the issuer, as in the iss claim
}

func newTestIssuer(t *testing.T) *testIssuer {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	b64 := base64.RawURLEncoding.EncodeToString
	jwks, err := json.Marshal(map[string]any{"keys": []map[string]string{{
		"kid": kid, "alg": "RS256", "kty": "RSA", "use": "sig",
		"n": b64(key.N.Bytes()), "e": b64(big.NewInt(int64(key.E)).Bytes()),
	}}})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /"+poolID+"/.well-known/jwks.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(jwks)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &testIssuer{key: key, url: srv.URL + "/" + poolID}
}

// token mints an access token shaped like Cognito's client credentials
// tokens, with the given scope; edit changes the claims before signing.
func (is *testIssuer) token(t *testing.T, scope string, edit ...func(map[string]any)) string {
	t.Helper()
	now := time.Now()
	claims := map[string]any{
		"sub":       clientID,
		"token_use": "access",
		"scope":     scope,
		"iss":       is.url,
		"exp":       now.Add(time.Hour).Unix(),
		"iat":       now.Unix(),
		"client_id": clientID,
		"jti":       "0f9b5e9c-54b4-4b8e-9a0e-2b5d9f1c7a11",
		"version":   2,
	}
	for _, f := range edit {
		f(claims)
	}
	b64 := base64.RawURLEncoding.EncodeToString
	header, _ := json.Marshal(map[string]string{"kid": kid, "alg": "RS256"})
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	input := b64(header) + "." + b64(payload)
	digest := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(nil, is.key, crypto.SHA256, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	return input + "." + b64(sig)
}

// newTestAPI starts the API, configured by args as on the command line,
// trusting a new test issuer.
func newTestAPI(t *testing.T, args ...string) (*httptest.Server, *testIssuer) {
	t.Helper()
	is := newTestIssuer(t)
	cfg, err := parseConfig(append([]string{"--issuer", is.url}, args...), noEnv, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	v, err := newVerifier(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(newHandler(v, cfg.resourceServer, newStore()))
	t.Cleanup(srv.Close)
	return srv, is
}

func noEnv(string) string { return "" }

type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request with an optional bearer token and JSON body.
func do(t *testing.T, srv *httptest.Server, method, path, token, body string) response {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{resp.StatusCode, resp.Header, b}
}

func decode[T any](t *testing.T, r response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
	return v
}

func TestAuthorization(t *testing.T) {
	srv, is := newTestAPI(t, "--client-id", clientID)
	read := is.token(t, readScope)
	readWrite := is.token(t, readScope+" "+writeScope)
	photo := `{"title":"Dune","url":"https://example.com/dune.jpg"}`

	tests := []struct {
		name, method, path, token, body string
		wantStatus                      int
		wantChallenge                   string // in WWW-Authenticate
	}{
		{"ok/healthz without a token", "GET", "/healthz", "", "", http.StatusOK, ""},
		{"ok/list with a read token", "GET", "/photos", read, "", http.StatusOK, ""},
		{"ok/create with a read+write token", "POST", "/photos", readWrite, photo, http.StatusCreated, ""},
		{"fail/no token", "GET", "/photos", "", "", http.StatusUnauthorized, "Bearer"},
		{"fail/create with a read-only token", "POST", "/photos", read, photo, http.StatusForbidden,
			`error="insufficient_scope", scope="` + writeScope + `"`},
		{"fail/delete with a read-only token", "DELETE", "/photos/1", read, "", http.StatusForbidden, `error="insufficient_scope"`},
		{"fail/list with a write-only token", "GET", "/photos", is.token(t, writeScope), "", http.StatusForbidden, `error="insufficient_scope"`},
		{"fail/expired token", "GET", "/photos", is.token(t, readScope, func(c map[string]any) {
			c["exp"] = time.Now().Add(-time.Minute).Unix()
		}), "", http.StatusUnauthorized, `error="invalid_token"`},
		{"fail/wrong issuer", "GET", "/photos", is.token(t, readScope, func(c map[string]any) {
			c["iss"] = "http://localhost:9229/us-east-1_other1234"
		}), "", http.StatusUnauthorized, `error="invalid_token"`},
		{"fail/other app client", "GET", "/photos", is.token(t, readScope, func(c map[string]any) {
			c["client_id"] = "another-client"
		}), "", http.StatusUnauthorized, `error="invalid_token"`},
		{"fail/ID token", "GET", "/photos", is.token(t, readScope, func(c map[string]any) {
			c["token_use"] = "id"
		}), "", http.StatusUnauthorized, `error="invalid_token"`},
		{"fail/tampered signature", "GET", "/photos", read[:len(read)-4] + "AAAA", "", http.StatusUnauthorized, `error="invalid_token"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, srv, tt.method, tt.path, tt.token, tt.body)
			if r.status != tt.wantStatus {
				t.Fatalf("got status %v, want %v (body %s)", r.status, tt.wantStatus, r.body)
			}
			challenge := r.header.Get("WWW-Authenticate")
			if tt.wantChallenge == "" && challenge != "" {
				t.Errorf("got WWW-Authenticate %v, want none", challenge)
			}
			if !strings.Contains(challenge, tt.wantChallenge) {
				t.Errorf("got WWW-Authenticate %v, want it to contain %v", challenge, tt.wantChallenge)
			}
		})
	}
}

func TestCRUDL(t *testing.T) {
	srv, is := newTestAPI(t, "--client-id", clientID)
	token := is.token(t, readScope+" "+writeScope)

	// Create.
	r := do(t, srv, "POST", "/photos", token, `{"title":"Dune","url":"https://example.com/dune.jpg"}`)
	if r.status != http.StatusCreated {
		t.Fatalf("create: got status %v, want %v (body %s)", r.status, http.StatusCreated, r.body)
	}
	created := decode[Photo](t, r)
	if created.ID == "" || created.Title != "Dune" || created.Owner != clientID || created.CreatedAt.IsZero() {
		t.Errorf("create: got %+v, want an id, title Dune, owner %v and a creation time", created, clientID)
	}
	if got, want := r.header.Get("Location"), "/photos/"+created.ID; got != want {
		t.Errorf("create: got Location %v, want %v", got, want)
	}

	// Read.
	r = do(t, srv, "GET", "/photos/"+created.ID, token, "")
	if got := decode[Photo](t, r); r.status != http.StatusOK || got != created {
		t.Errorf("get: got %v %+v, want %v %+v", r.status, got, http.StatusOK, created)
	}

	// Update: title and URL change, owner and created_at stay.
	r = do(t, srv, "PUT", "/photos/"+created.ID, token, `{"title":"Dune (1965)","url":"https://example.com/dune-1965.jpg"}`)
	updated := decode[Photo](t, r)
	want := created
	want.Title, want.URL = "Dune (1965)", "https://example.com/dune-1965.jpg"
	if r.status != http.StatusOK || updated != want {
		t.Errorf("update: got %v %+v, want %v %+v", r.status, updated, http.StatusOK, want)
	}

	// List.
	r = do(t, srv, "GET", "/photos", token, "")
	list := decode[listResponse](t, r)
	if r.status != http.StatusOK || !reflect.DeepEqual(list, listResponse{Photos: []Photo{want}}) {
		t.Errorf("list: got %v %+v, want %v %+v", r.status, list, http.StatusOK, want)
	}

	// Delete, then the photo is gone.
	if r = do(t, srv, "DELETE", "/photos/"+created.ID, token, ""); r.status != http.StatusNoContent {
		t.Errorf("delete: got status %v, want %v", r.status, http.StatusNoContent)
	}
	for _, method := range []string{"GET", "DELETE"} {
		if r = do(t, srv, method, "/photos/"+created.ID, token, ""); r.status != http.StatusNotFound {
			t.Errorf("%s after delete: got status %v, want %v", method, r.status, http.StatusNotFound)
		}
	}
	r = do(t, srv, "PUT", "/photos/"+created.ID, token, `{"title":"x","url":"https://example.com/x.jpg"}`)
	if r.status != http.StatusNotFound {
		t.Errorf("PUT after delete: got status %v, want %v", r.status, http.StatusNotFound)
	}
	r = do(t, srv, "GET", "/photos", token, "")
	if got := string(r.body); got != "{\"photos\":[]}\n" {
		t.Errorf("list after delete: got %v, want %v", got, `{"photos":[]}`)
	}
}

func TestOwnerIsUsername(t *testing.T) {
	srv, is := newTestAPI(t, "--client-id", clientID)
	token := is.token(t, writeScope, func(c map[string]any) { c["username"] = "jdoe" })
	r := do(t, srv, "POST", "/photos", token, `{"title":"Dune","url":"https://example.com/dune.jpg"}`)
	if got := decode[Photo](t, r).Owner; got != "jdoe" {
		t.Errorf("got owner %v, want %v", got, "jdoe")
	}
}

func TestPagination(t *testing.T) {
	srv, is := newTestAPI(t, "--client-id", clientID)
	token := is.token(t, readScope+" "+writeScope)
	var ids []string
	for _, title := range []string{"a", "b", "c", "d", "e"} {
		r := do(t, srv, "POST", "/photos", token, `{"title":"`+title+`","url":"https://example.com/`+title+`.jpg"}`)
		ids = append(ids, decode[Photo](t, r).ID)
	}
	// The photo the cursor points at is deleted after the first page;
	// the next page still starts right after it.
	wantPages := [][]string{{ids[0], ids[1]}, {ids[2], ids[3]}, {ids[4]}}

	var pages [][]string
	next := ""
	for {
		r := do(t, srv, "GET", "/photos?limit=2&next="+next, token, "")
		if r.status != http.StatusOK {
			t.Fatalf("got status %v, want %v (body %s)", r.status, http.StatusOK, r.body)
		}
		page := decode[listResponse](t, r)
		var got []string
		for _, p := range page.Photos {
			got = append(got, p.ID)
		}
		pages = append(pages, got)
		if len(pages) == 1 {
			do(t, srv, "DELETE", "/photos/"+ids[1], token, "")
		}
		if next = page.Next; next == "" || len(pages) > len(wantPages) {
			break
		}
	}
	if !reflect.DeepEqual(pages, wantPages) {
		t.Errorf("got pages %v, want %v", pages, wantPages)
	}

	for _, query := range []string{"limit=0", "limit=101", "limit=x", "next=abc", "next=-1"} {
		t.Run("fail/"+query, func(t *testing.T) {
			r := do(t, srv, "GET", "/photos?"+query, token, "")
			if r.status != http.StatusBadRequest {
				t.Errorf("got status %v, want %v", r.status, http.StatusBadRequest)
			}
		})
	}
}

func TestBadRequests(t *testing.T) {
	srv, is := newTestAPI(t, "--client-id", clientID)
	token := is.token(t, readScope+" "+writeScope)
	tests := []struct {
		name, method, path, body string
		wantStatus               int
	}{
		{"fail/bad JSON", "POST", "/photos", `{"title":`, http.StatusBadRequest},
		{"fail/not an object", "POST", "/photos", `["Dune"]`, http.StatusBadRequest},
		{"fail/trailing data", "POST", "/photos", `{"title":"a","url":"https://example.com/a.jpg"} x`, http.StatusBadRequest},
		{"fail/no title", "POST", "/photos", `{"url":"https://example.com/a.jpg"}`, http.StatusBadRequest},
		{"fail/no url", "POST", "/photos", `{"title":"a"}`, http.StatusBadRequest},
		{"fail/body too large", "POST", "/photos", `{"title":"` + strings.Repeat("a", maxBodyBytes) + `"}`, http.StatusRequestEntityTooLarge},
		{"fail/bad JSON on update", "PUT", "/photos/1", `nope`, http.StatusBadRequest},
		{"fail/unknown id", "GET", "/photos/42", "", http.StatusNotFound},
		{"fail/id not a number", "GET", "/photos/abc", "", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, srv, tt.method, tt.path, token, tt.body)
			if r.status != tt.wantStatus {
				t.Fatalf("got status %v, want %v (body %s)", r.status, tt.wantStatus, r.body)
			}
			if got := r.header.Get("Content-Type"); got != "application/json" {
				t.Errorf("got Content-Type %v, want %v", got, "application/json")
			}
			if msg := decode[map[string]string](t, r)["error"]; msg == "" {
				t.Errorf("got body %s, want a JSON error message", r.body)
			}
		})
	}
}

func TestCustomResourceServer(t *testing.T) {
	srv, is := newTestAPI(t, "--client-id", clientID, "--resource-server", "https://albums.example.com")
	tests := []struct {
		name, method, scope string
		wantStatus          int
		wantChallenge       string
	}{
		{"ok/read with the custom read scope", "GET", "https://albums.example.com/read", http.StatusOK, ""},
		{"ok/write with the custom write scope", "POST", "https://albums.example.com/write", http.StatusCreated, ""},
		{"fail/read with the default read scope", "GET", readScope, http.StatusForbidden, `scope="https://albums.example.com/read"`},
		{"fail/write with the default write scope", "POST", writeScope, http.StatusForbidden, `scope="https://albums.example.com/write"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, srv, tt.method, "/photos", is.token(t, tt.scope), `{"title":"a","url":"https://example.com/a.jpg"}`)
			if r.status != tt.wantStatus {
				t.Fatalf("got status %v, want %v (body %s)", r.status, tt.wantStatus, r.body)
			}
			if got := r.header.Get("WWW-Authenticate"); !strings.Contains(got, tt.wantChallenge) {
				t.Errorf("got WWW-Authenticate %v, want it to contain %v", got, tt.wantChallenge)
			}
		})
	}
}

func TestAnyClientID(t *testing.T) {
	srv, is := newTestAPI(t) // no --client-id
	token := is.token(t, readScope, func(c map[string]any) { c["client_id"] = "any-other-client" })
	if r := do(t, srv, "GET", "/photos", token, ""); r.status != http.StatusOK {
		t.Errorf("got status %v, want %v", r.status, http.StatusOK)
	}
}

func TestParseConfig(t *testing.T) {
	const issuer = "http://localhost:9229/" + poolID
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    config
		wantErr string
	}{
		{
			name: "ok/defaults",
			args: []string{"--issuer", issuer},
			want: config{addr: "127.0.0.1:8080", issuer: issuer, resourceServer: "com.example.photos"},
		},
		{
			name: "ok/flags, client IDs repeated and comma-separated",
			args: []string{"--addr", ":9000", "--issuer", issuer, "--jwks-url", "http://keys.example/jwks.json",
				"--client-id", "a,b", "--client-id", " c ", "--resource-server", "https://photos.example"},
			want: config{addr: ":9000", issuer: issuer, jwksURL: "http://keys.example/jwks.json",
				clientIDs: []string{"a", "b", "c"}, resourceServer: "https://photos.example"},
		},
		{
			name: "ok/environment",
			env: map[string]string{"PHOTOS_ADDR": ":9001", "PHOTOS_ISSUER": issuer, "PHOTOS_JWKS_URL": "http://k/j",
				"PHOTOS_CLIENT_IDS": "a, b", "PHOTOS_RESOURCE_SERVER": "rs"},
			want: config{addr: ":9001", issuer: issuer, jwksURL: "http://k/j", clientIDs: []string{"a", "b"}, resourceServer: "rs"},
		},
		{
			name: "ok/flags win over the environment",
			args: []string{"--issuer", issuer, "--client-id", "c"},
			env:  map[string]string{"PHOTOS_ISSUER": "http://other", "PHOTOS_CLIENT_IDS": "a,b"},
			want: config{addr: "127.0.0.1:8080", issuer: issuer, clientIDs: []string{"c"}, resourceServer: "com.example.photos"},
		},
		{name: "fail/no issuer", wantErr: "--issuer"},
		{name: "fail/resource server with a space", args: []string{"--issuer", issuer, "--resource-server", "my photos"}, wantErr: "--resource-server"},
		{name: "fail/argument", args: []string{"--issuer", issuer, "extra"}, wantErr: "unexpected argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseConfig(tt.args, func(k string) string { return tt.env[k] }, io.Discard)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want one mentioning %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestNewVerifierValidates(t *testing.T) {
	_, err := newVerifier(config{issuer: "not a URL", resourceServer: "com.example.photos"})
	if err == nil {
		t.Errorf("got %v, want an error for an issuer that is not a URL", err)
	}
}

// TestRun starts the program on a free port, reads its start-up line and
// stops it as SIGINT would.
func TestRun(t *testing.T) {
	const issuer = "http://localhost:9229/" + poolID
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--issuer", issuer}, noEnv, w, io.Discard)
		w.Close()
	}()

	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(line, "listening on http://127.0.0.1:") || !strings.Contains(line, issuer) {
		t.Errorf("got start-up line %q, want the address and issuer", line)
	}
	addr := strings.TrimPrefix(strings.Fields(line[strings.Index(line, "http://"):])[0], "http://")
	resp, err := http.Get("http://" + strings.TrimSuffix(addr, ",") + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("got /healthz status %v, want %v", resp.StatusCode, http.StatusOK)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("got %v, want a clean shutdown", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after its context was cancelled")
	}
}
