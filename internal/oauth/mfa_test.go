package oauth

import (
	"strings"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

// TestMFAFlowFitsItsBound: the largest MFA flow (the set-up step of a
// 128-character username, with a session as the domain seals it and the
// secret) opens within maxFlowLen, and an MFA_SETUP flow does not open as
// the code step's.
func TestMFAFlowFitsItsBound(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	h := flowHandler(t, &now)
	client := &cognito.AppClient{ClientID: strings.Repeat("c", 26)}
	f := hostedFlow{Step: stepMFASetup, Client: client.ClientID, Username: strings.Repeat("é", 64), Challenge: "MFA_SETUP",
		Session: strings.Repeat("s", 420), Secret: strings.Repeat("A", 52), Choices: []string{"SOFTWARE_TOKEN_MFA", "SMS_MFA", "EMAIL_OTP"},
		Medium: "EMAIL", Destination: strings.Repeat("d", 40)}
	v := h.sealStep(flowPool, f, flowNonce)
	if len(v) > maxFlowLen-300 {
		t.Fatalf("MFA flow of %d bytes, bound %d", len(v), maxFlowLen)
	}
	got, ok := h.openFlow(postedFlow(v), flowPool, stepMFASetup, client, flowNonce)
	if !ok || got.Secret != f.Secret || got.Session != f.Session || got.Username != f.Username {
		t.Fatalf("own flow: %+v %v", got, ok)
	}
	if _, ok := h.openFlow(postedFlow(v), flowPool, stepMFA, client, flowNonce); ok {
		t.Error("a set-up flow opened as the code step")
	}
}

// BenchmarkTOTPSetup is what the set-up page draws for each proved
// password in an ON pool whose user has no factor: the otpauth URI, the
// QR code and its PNG data: URI.
func BenchmarkTOTPSetup(b *testing.B) {
	h := &Handler{}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.totpSetup("hosted", "mia", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSW"); err != nil {
			b.Fatal(err)
		}
	}
}
