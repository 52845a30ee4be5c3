package tlsconfig

import (
	"crypto/tls"
	"fmt"
	"testing"
)

// BenchmarkSelfSignedCached is a handshake's certificate lookup for a
// pool host already minted.
func BenchmarkSelfSignedCached(b *testing.B) {
	s, err := NewSelfSigned(SelfSignedOptions{Dir: b.TempDir(), DomainSuffix: "localhost", IsPoolHost: poolHost})
	if err != nil {
		b.Fatal(err)
	}
	hello := &tls.ClientHelloInfo{ServerName: "photos.auth.us-east-1.localhost"}
	s.GetCertificate(hello)
	for b.Loop() {
		s.GetCertificate(hello)
	}
}

// BenchmarkSelfSignedMint is the cost of a new pool-shaped name: a key
// and a signature (what a client sending fresh names makes the server do).
func BenchmarkSelfSignedMint(b *testing.B) {
	s, err := NewSelfSigned(SelfSignedOptions{Dir: b.TempDir(), DomainSuffix: "localhost", IsPoolHost: poolHost})
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		i++
		s.GetCertificate(&tls.ClientHelloInfo{ServerName: fmt.Sprintf("p%d.auth.us-east-1.localhost", i)})
	}
}
