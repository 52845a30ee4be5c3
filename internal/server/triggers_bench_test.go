package server

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/cognito"
)

// triggerBenchCases are the token endpoint's three situations: no trigger
// configured at all (the fast path: a nil check), triggers configured but
// none on this pool (a cached pool read and a byte search), and a V3_0
// webhook on the pool (an HTTP round trip per token).
func triggerBenchCases(b *testing.B) []struct {
	name string
	m    *m2m
} {
	hooks := newHookServer(b)
	hooks.on("m2m", respond(map[string]any{"claimsAndScopeOverrideDetails": map[string]any{
		"accessTokenGeneration": map[string]any{"claimsToAddOrOverride": map[string]any{"tenant": "acme"}}}}))
	inv := hooks.invoker(b, "m2m")
	v3 := &types.LambdaConfigType{PreTokenGenerationConfig: &types.PreTokenGenerationVersionConfigType{
		LambdaArn: aws.String(arnOf("m2m")), LambdaVersion: types.PreTokenGenerationLambdaVersionTypeV30}}
	return []struct {
		name string
		m    *m2m
	}{
		{"no-triggers", m2mWith(b, nil, nil)},
		{"triggers-elsewhere", m2mWith(b, inv, nil)},
		{"v3-webhook", m2mWith(b, inv, v3)},
	}
}

// BenchmarkClientCredentialsTriggers measures the domain's decision alone
// (no HTTP, no signature): its allocations show that a pool without a pre
// token trigger pays nothing for triggers existing.
func BenchmarkClientCredentialsTriggers(b *testing.B) {
	for _, tc := range triggerBenchCases(b) {
		b.Run(tc.name, func(b *testing.B) {
			ctx := context.Background()
			auth := cognito.ClientAuth{ClientID: tc.m.clientID, Secret: tc.m.secret}
			scope := "com.example.photos/read"
			b.ReportAllocs()
			for b.Loop() {
				if _, err := tc.m.ts.svc.ClientCredentials(ctx, tc.m.poolID, auth, &scope); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkTokenEndpointTriggers is BenchmarkTokenEndpoint in the three
// situations of triggerBenchCases.
func BenchmarkTokenEndpointTriggers(b *testing.B) {
	for _, tc := range triggerBenchCases(b) {
		b.Run(tc.name, func(b *testing.B) {
			body := "grant_type=client_credentials&scope=com.example.photos%2Fread"
			hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req, _ := http.NewRequest(http.MethodPost, tc.m.tokenURL(), strings.NewReader(body))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					req.SetBasicAuth(tc.m.clientID, tc.m.secret)
					resp, err := hc.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						b.Fatalf("status %d", resp.StatusCode)
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
		})
	}
}
