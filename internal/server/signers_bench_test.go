package server

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// BenchmarkTokenEndpointSigners measures the token endpoint with the
// signing queue at 1 to 4 slots, per signer: the evidence for sizing it
// to the cores (Config.Signers, token.IssuerConfig.Signers).
func BenchmarkTokenEndpointSigners(b *testing.B) {
	for _, sg := range testSigners(b) {
		for _, n := range []int{1, 2, 3, 4} {
			b.Run(fmt.Sprintf("%s/signers=%d", sg.name, n), func(b *testing.B) {
				m := newM2MBenchWith(b, func(c *Config) { c.NewSigner, c.Signers = sg.newSigner, n })
				body := "grant_type=client_credentials&scope=com.example.photos%2Fread"
				hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
				b.SetParallelism(16) // 32 in flight on 2 cores, as cognitod bench token
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						req, _ := http.NewRequest(http.MethodPost, m.tokenURL(), strings.NewReader(body))
						req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
						req.SetBasicAuth(m.clientID, m.secret)
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
}
