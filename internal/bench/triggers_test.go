package bench

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

// TestClaimCheck: a token answer passes only with the claim the phase
// expects: present (with the given value) with the trigger, absent
// without; anything that is not a token answer with a JWT fails.
func TestClaimCheck(t *testing.T) {
	answer := func(payload string) []byte {
		p := base64.RawURLEncoding.EncodeToString([]byte(payload))
		return []byte(`{"access_token":"eyJhbGciOiJSUzI1NiJ9.` + p + `.c2ln","expires_in":3600,"token_type":"Bearer"}`)
	}
	with := answer(`{"client_id":"abc","tenant":"acme","token_use":"access"}`)
	without := answer(`{"client_id":"abc","token_use":"access"}`)
	other := answer(`{"client_id":"abc","tenant":"globex"}`)
	name, value, err := parseTriggerClaim("tenant=acme")
	if err != nil || name != "tenant" || string(value) != `"acme"` {
		t.Fatalf("parseTriggerClaim: %q %s %v", name, value, err)
	}
	anyValue := claimCheck{name: "tenant", want: true}
	acme := claimCheck{name: "tenant", value: value, want: true}
	absent := claimCheck{name: "tenant"}
	for _, tc := range []struct {
		cc   claimCheck
		body []byte
		ok   bool
	}{
		{anyValue, with, true}, {anyValue, other, true}, {anyValue, without, false},
		{acme, with, true}, {acme, other, false}, {acme, without, false},
		{absent, without, true}, {absent, with, false},
		{anyValue, []byte(`{"error":"invalid_client"}`), false},
		{anyValue, []byte(`{"access_token":"notajwt"}`), false},
		{anyValue, []byte(`{"access_token":"a.!!!.c"}`), false},
		{absent, []byte(`{"access_token":"a.` + base64.RawURLEncoding.EncodeToString([]byte("[1]")) + `.c"}`), false},
	} {
		err := tc.cc.check(tc.body)
		if (err == nil) != tc.ok || err != nil && !errors.Is(err, errClaim) {
			t.Errorf("%s want=%v on %s: %v", tc.cc, tc.cc.want, tc.body, err)
		}
	}
	for _, bad := range []string{"=acme", strings.Repeat("x", 300)} {
		if _, _, err := parseTriggerClaim(bad); err == nil {
			t.Errorf("parseTriggerClaim(%q) accepted", bad)
		}
	}
	if name, value, _ := parseTriggerClaim(""); name != DefaultTriggerClaim || value != nil {
		t.Errorf(`parseTriggerClaim("") = %q %s`, name, value)
	}
}
