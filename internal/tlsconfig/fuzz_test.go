package tlsconfig

import (
	"crypto/tls"
	"strings"
	"testing"
)

// FuzzSelfSignedServerName: whatever server name a ClientHello carries,
// the development CA answers without error, certifies the name only when
// it is a pool host, and its cache stays bounded.
func FuzzSelfSignedServerName(f *testing.F) {
	for _, s := range []string{"", "localhost", "127.0.0.1", "photos.auth.us-east-1.localhost", "PHOTOS.auth.us-east-1.localhost.", "evil.com", strings.Repeat("a", 300) + ".auth.us-east-1.localhost"} {
		f.Add(s)
	}
	s, err := NewSelfSigned(SelfSignedOptions{Dir: f.TempDir(), DomainSuffix: "localhost", IsPoolHost: poolHost})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, name string) {
		c, err := s.GetCertificate(&tls.ClientHelloInfo{ServerName: name})
		if err != nil || c == nil {
			t.Fatalf("%q: %v", name, err)
		}
		norm := strings.ToLower(strings.TrimSuffix(name, "."))
		if got := c.Leaf.DNSNames[0]; got != "localhost" && (got != norm || !poolHost(norm)) {
			t.Fatalf("%q got a certificate for %q", name, got)
		}
		if s.cached() > maxLeaves {
			t.Fatalf("%d leaves cached", s.cached())
		}
	})
}
