package oauth

import (
	"testing"

	"github.com/cognitod/cognitod/internal/cognito"
)

// TestEveryGrantHasAQuota: each grant the token endpoint serves, and the
// hosted sign-in, draws from quota buckets that have a rate; a grant
// added without one would never be throttled.
func TestEveryGrantHasAQuota(t *testing.T) {
	rates := cognito.QuotaRates(nil)
	check := func(what string, buckets []string) {
		t.Helper()
		if len(buckets) == 0 {
			t.Errorf("%s draws from no quota bucket", what)
		}
		for _, b := range buckets {
			if rates[b] <= 0 {
				t.Errorf("%s draws from %q, which has no default rate", what, b)
			}
		}
	}
	for _, g := range []string{grantClientCredentials, grantAuthorizationCode, grantRefreshToken} {
		check("grant_type "+g, grantQuota(g))
	}
	check("hosted sign-in", cognito.QuotaHostedSignIn)
	if got := grantQuota(grantClientCredentials); got[0] != cognito.QuotaClientAuthentication {
		t.Errorf("client_credentials draws from %v, want ClientAuthentication", got)
	}
	if got := grantQuota(grantRefreshToken); got[0] != cognito.QuotaUserAuthentication {
		t.Errorf("refresh_token draws from %v, want UserAuthentication", got)
	}
	// The code grant has UserAuthentication's rate in a bucket of its own.
	if got := grantQuota(grantAuthorizationCode); len(got) != 1 || got[0] == cognito.QuotaUserAuthentication || rates[got[0]] != rates[cognito.QuotaUserAuthentication] {
		t.Errorf("authorization_code draws from %v", got)
	}
	if grantQuota("password") != nil {
		t.Error("an unsupported grant has a quota (it is refused as unsupported_grant_type)")
	}
}
