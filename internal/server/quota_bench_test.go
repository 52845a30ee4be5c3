package server

import (
	"context"
	"testing"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/ratelimit"
)

// BenchmarkTokenEndpointLimitChecks is every check a client_credentials
// token request passes before its client is authenticated, as
// oauth.admitClientRequest makes them: the source's failed-authentication
// entry, the pool's cognitod:quotas tag (through the service's pool
// cache) and the ClientAuthentication bucket of the pool's region. Its
// ns/op against the ~1 ms of an RS256 signature is the quota check's
// share of a token.
func BenchmarkTokenEndpointLimitChecks(b *testing.B) {
	m := newM2MBench(b)
	limits := ratelimit.New(RateLimits(QuotaOptions{Overrides: map[string]float64{cognito.QuotaClientAuthentication: 1e12}}))
	region := cognito.RegionOfPoolID(m.poolID)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if !limits.AuthAllowed("127.0.0.1:50000") {
				b.Fatal("refused")
			}
			p, err := m.ts.svc.LookupPool(ctx, m.poolID)
			if err != nil || cognito.QuotasLifted(p) {
				b.Fatal(err)
			}
			if !limits.Quota(region, cognito.QuotaClientCredentialsGrant...) {
				b.Fatal("throttled")
			}
		}
	})
}
