package cognito

import (
	"encoding/json"
	"errors"
	"testing"
)

// FuzzTriggerResponse: a webhook's answer is network input. Whatever it
// is, decoding gives a response or InvalidLambdaResponseException, never
// a panic, and what the token rules keep of it never includes a claim a
// function may not change.
func FuzzTriggerResponse(f *testing.F) {
	f.Add([]byte(`{"response":{"autoConfirmUser":true}}`))
	f.Add([]byte(`{"response":{"claimsAndScopeOverrideDetails":{"accessTokenGeneration":{"claimsToAddOrOverride":{"sub":"x","tenant":{"a":[1]}},"scopesToAdd":["a b","c"]}}}}`))
	f.Add([]byte(`{"response":{"claimsOverrideDetails":{"claimsToAddOrOverride":{"iss":"x"},"groupOverrideDetails":{}}}}`))
	f.Add([]byte(`{"response":null}`))
	f.Add([]byte(`{"response":"x"}`))
	f.Add([]byte(`[1,2]`))
	f.Fuzz(func(t *testing.T, out []byte) {
		var signUp PreSignUpResponse
		if err := decodeTriggerResponse(out, &signUp); err != nil && !errors.Is(err, ErrInvalidLambdaResp) {
			t.Fatalf("pre sign-up: %v", err)
		}
		var v1 preTokenResponseV1
		if err := decodeTriggerResponse(out, &v1); err == nil && v1.ClaimsOverrideDetails != nil {
			add := map[string]json.RawMessage{}
			for k, v := range v1.ClaimsOverrideDetails.ClaimsToAddOrOverride {
				add[k], _ = json.Marshal(v)
			}
			checkOverrides(t, claimOverrides(add, v1.ClaimsOverrideDetails.ClaimsToSuppress, false), false)
		}
		var v2 preTokenResponseV2
		if err := decodeTriggerResponse(out, &v2); err == nil && v2.ClaimsAndScopeOverrideDetails != nil {
			if g := v2.ClaimsAndScopeOverrideDetails.AccessTokenGeneration; g != nil {
				checkOverrides(t, claimOverrides(g.ClaimsToAddOrOverride, g.ClaimsToSuppress, true), true)
				for _, sc := range changeScopes([]string{"openid"}, g) {
					if sc == "" || len(splitScopes(sc)) != 1 {
						t.Fatalf("scope %q would split the scope claim", sc)
					}
				}
			}
		}
		decodeTriggerResponse(out, nil)
	})
}

func checkOverrides(t *testing.T, o *ClaimOverrides, access bool) {
	if o == nil {
		return
	}
	for name, v := range o.Add {
		if forbiddenClaim(name, access) || !json.Valid(v) {
			t.Fatalf("kept claim %q = %s", name, v)
		}
	}
	for _, name := range o.Suppress {
		if forbiddenClaim(name, access) {
			t.Fatalf("kept suppression of %q", name)
		}
	}
}
