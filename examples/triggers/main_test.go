package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/triggers"
)

const secret = "example-secret-of-at-least-32-characters"

// TestReceiverChecksSignatures signs as cognitod does (internal/triggers)
// and checks the copy of the verification here agrees with it.
func TestReceiverChecksSignatures(t *testing.T) {
	now := time.Now()
	h := &handler{secret: []byte(secret), tenant: "acme", now: func() time.Time { return now }, seen: map[string]time.Time{}}
	srv := httptest.NewServer(h)
	defer srv.Close()
	event := []byte(`{"version":"3","triggerSource":"TokenGeneration_ClientCredentials","request":{},"response":{"claimsAndScopeOverrideDetails":null}}`)
	post := func(sig string, body []byte) (int, map[string]any) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(body))
		req.Header.Set(triggers.SignatureHeader, sig)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	sign := func(at time.Time, secret string, body []byte) string {
		return triggers.Sign([]byte(secret), at, triggers.NewRequestID(), body)
	}
	sig := sign(now, secret, event)
	status, out := post(sig, event)
	want := map[string]any{"accessTokenGeneration": map[string]any{"claimsToAddOrOverride": map[string]any{"tenant": "acme"}}}
	if got := out["response"].(map[string]any)["claimsAndScopeOverrideDetails"]; status != 200 || !equalJSON(got, want) {
		t.Errorf("signed event: %d %v", status, out)
	}
	// The same event again in the same second, as a client's second token
	// sends it, is a new request: its own ID.
	if status, again := post(sign(now, secret, event), event); status != 200 || !equalJSON(again, out) {
		t.Errorf("the same token event as a new request: %d %v", status, again)
	}
	for name, tc := range map[string]struct {
		sig  string
		body []byte
	}{
		"replayed":     {sig, event},
		"other body":   {sign(now.Add(time.Second), secret, event), []byte(`{"version":"1"}`)},
		"other secret": {sign(now, secret+"x", event), event},
		"stale":        {sign(now.Add(-6*time.Minute), secret, event), event},
		"unsigned":     {"", event},
	} {
		if status, _ := post(tc.sig, tc.body); status != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401", name, status)
		}
	}
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}
