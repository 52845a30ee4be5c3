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
	sig := triggers.Sign([]byte(secret), now, event)
	status, out := post(sig, event)
	want := map[string]any{"accessTokenGeneration": map[string]any{"claimsToAddOrOverride": map[string]any{"tenant": "acme"}}}
	if got := out["response"].(map[string]any)["claimsAndScopeOverrideDetails"]; status != 200 || !equalJSON(got, want) {
		t.Errorf("signed event: %d %v", status, out)
	}
	// A pre token generation event is answered again: a client's tokens
	// in one second have the same event and so the same signature.
	if status, again := post(sig, event); status != 200 || !equalJSON(again, out) {
		t.Errorf("the same token event again: %d %v", status, again)
	}
	// Any other trigger's event is refused when seen again: a replay.
	confirm := []byte(`{"version":"1","triggerSource":"PostConfirmation_ConfirmSignUp","request":{},"response":{}}`)
	confirmSig := triggers.Sign([]byte(secret), now, confirm)
	if status, _ := post(confirmSig, confirm); status != 200 {
		t.Errorf("signed post confirmation event: %d", status)
	}
	for name, tc := range map[string]struct {
		sig  string
		body []byte
	}{
		"replayed":     {confirmSig, confirm},
		"other body":   {triggers.Sign([]byte(secret), now.Add(time.Second), event), []byte(`{"version":"1"}`)},
		"other secret": {triggers.Sign([]byte(secret+"x"), now, event), event},
		"stale":        {triggers.Sign([]byte(secret), now.Add(-6*time.Minute), event), event},
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
