// Command triggers is a Lambda trigger webhook for cognitod: a pre token
// generation function that adds a tenant claim to every token the pool
// issues, client credentials tokens included. It uses the standard
// library only, so it is also a template for receivers in other stacks.
//
// cognitod cannot run AWS Lambda; it POSTs each trigger event (the JSON
// Cognito sends a Lambda function) to the URL mapped to the function's
// ARN, and reads the function's answer from the response body. Every
// request is signed:
//
//	X-Cognitod-Signature: t=<unix seconds>,id=<32 hex digits>,v1=<hex HMAC-SHA256(secret, "<t>.<id>." + body)>
//
// This receiver refuses a request whose signature does not match, whose
// timestamp is more than five minutes from its clock, or whose request ID
// it has already seen (a replay). The ID is random per request: two
// tokens of one client in the same second carry the same event, and only
// the ID tells them from a replay.
//
// Run it with the secret cognitod signs with, then start cognitod with
// the function mapped to it:
//
//	TRIGGERS_SECRET=$SECRET go run ./examples/triggers --addr 127.0.0.1:9230 --tenant acme
//	cognitod serve --trigger-secret "$SECRET" \
//	  --trigger arn:aws:lambda:us-east-1:123456789012:function:tenant=http://127.0.0.1:9230/
//
// and set the pool's LambdaConfig PreTokenGenerationConfig to that ARN
// with LambdaVersion V3_0 (V1_0 and V2_0 are handled as well; only V3_0
// functions see client credentials grants).
//
// Every flag has a TRIGGERS_* environment twin; a flag on the command
// line wins.
package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// tolerance is how far a request's timestamp may be from this clock.
const tolerance = 5 * time.Minute

// maxEvent bounds a request body (Cognito's events are a few kilobytes).
const maxEvent = 256 << 10

func main() {
	fs := flag.NewFlagSet("triggers", flag.ExitOnError)
	env := func(name, def string) string {
		if v, ok := os.LookupEnv("TRIGGERS_" + name); ok {
			return v
		}
		return def
	}
	addr := fs.String("addr", env("ADDR", "127.0.0.1:9230"), "address to listen on (TRIGGERS_ADDR)")
	tenant := fs.String("tenant", env("TENANT", "acme"), "value of the tenant claim (TRIGGERS_TENANT)")
	fs.Parse(os.Args[1:])
	secret := os.Getenv("TRIGGERS_SECRET") // never a flag: ps would show it
	if len(secret) < 32 {
		log.Fatal("triggers: set TRIGGERS_SECRET to the --trigger-secret cognitod signs with (at least 32 characters)")
	}
	h := &handler{secret: []byte(secret), tenant: *tenant, now: time.Now, seen: map[string]time.Time{}}
	log.Printf("triggers: listening on http://%s", *addr)
	srv := &http.Server{Addr: *addr, Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second}
	log.Fatal(srv.ListenAndServe())
}

type handler struct {
	secret []byte
	tenant string
	now    func() time.Time
	mu     sync.Mutex
	seen   map[string]time.Time // request IDs seen within the tolerance
	swept  time.Time            // when seen was last cleared of old IDs
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST a trigger event", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxEvent))
	if err != nil {
		http.Error(w, "event too large", http.StatusRequestEntityTooLarge)
		return
	}
	id, err := h.verify(r.Header.Get("X-Cognitod-Signature"), body)
	if err == nil {
		err = h.firstSeen(id)
	}
	if err != nil {
		// Not cognitod, or a replay: no answer a function would give.
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	var ev map[string]any
	if err := json.Unmarshal(body, &ev); err != nil {
		lambdaError(w, "the event is not JSON")
		return
	}
	source, _ := ev["triggerSource"].(string)
	version, _ := ev["version"].(string)
	if strings.HasPrefix(source, "TokenGeneration_") {
		ev["response"] = h.tenantClaim(source, version)
	}
	// Any other trigger: the event back unchanged means "go on as usual".
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(ev)
}

// tenantClaim is the pre token generation response that adds the tenant
// claim: to the ID token with a V1_0 event, to both tokens with V2_0 and
// V3_0 (only the access token exists for client credentials).
func (h *handler) tenantClaim(source, version string) map[string]any {
	claim := map[string]any{"tenant": h.tenant}
	if version == "1" {
		return map[string]any{"claimsOverrideDetails": map[string]any{"claimsToAddOrOverride": claim}}
	}
	details := map[string]any{"accessTokenGeneration": map[string]any{"claimsToAddOrOverride": claim}}
	if source != "TokenGeneration_ClientCredentials" {
		details["idTokenGeneration"] = map[string]any{"claimsToAddOrOverride": claim}
	}
	return map[string]any{"claimsAndScopeOverrideDetails": details}
}

// lambdaError answers as a failing Lambda function does; cognitod turns it
// into UserLambdaValidationException "<Trigger> failed with error <message>.".
func lambdaError(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	json.NewEncoder(w).Encode(map[string]string{"errorType": "Error", "errorMessage": msg})
}

// verify checks the X-Cognitod-Signature header: the HMAC over the
// timestamp, the request ID and the body, in constant time, and a
// timestamp within tolerance. It returns the request ID.
func (h *handler) verify(header string, body []byte) (string, error) {
	ts, id, sig := parseSignature(header)
	n, err := strconv.ParseInt(ts, 10, 64)
	got, err2 := hex.DecodeString(sig)
	if err != nil || err2 != nil || len(got) != sha256.Size || len(id) != 32 || strings.Contains(id, ".") {
		return "", errors.New("missing or malformed X-Cognitod-Signature")
	}
	now := h.now()
	if d := now.Sub(time.Unix(n, 0)); d > tolerance || d < -tolerance {
		return "", fmt.Errorf("signature timestamp %s is too far from now", time.Unix(n, 0).UTC().Format(time.RFC3339))
	}
	m := hmac.New(sha256.New, h.secret)
	m.Write([]byte(ts + "." + id + "."))
	m.Write(body)
	if !hmac.Equal(got, m.Sum(nil)) {
		return "", errors.New("signature does not match")
	}
	return id, nil
}

// parseSignature reads the header's t, id and v1.
func parseSignature(header string) (ts, id, sig string) {
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "id":
			id = v
		case "v1":
			sig = v
		}
	}
	return ts, id, sig
}

// firstSeen refuses a request ID seen before within twice the tolerance
// (a replay). Old IDs are dropped at most once a minute, so a busy
// receiver does not scan the table on every request.
func (h *handler) firstSeen(id string) error {
	now := h.now()
	h.mu.Lock()
	defer h.mu.Unlock()
	if now.Sub(h.swept) > time.Minute {
		for s, at := range h.seen {
			if now.Sub(at) > 2*tolerance {
				delete(h.seen, s)
			}
		}
		h.swept = now
	}
	if _, ok := h.seen[id]; ok {
		return errors.New("replayed request")
	}
	h.seen[id] = now
	return nil
}
