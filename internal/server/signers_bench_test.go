package server

import (
	"fmt"
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
				b.SetParallelism(16) // 32 in flight on 2 cores, as cognitod bench token
				driveTokens(b, m)
			})
		}
	}
}
