package server

import (
	"context"
	"crypto"
	"crypto/rsa"
	"testing"

	"golang.org/x/oauth2"

	"github.com/cognitod/cognitod/internal/signer/openssl"
	"github.com/cognitod/cognitod/internal/token"
	"github.com/cognitod/cognitod/verify"
)

type namedSigner struct {
	name      string
	newSigner token.NewSigner
}

// testSigners are the signers this binary has: crypto/rsa, and OpenSSL
// when built with cgo.
func testSigners(tb testing.TB) []namedSigner {
	list := []namedSigner{{"go", token.GoSigner}}
	if err := openssl.Available(); err != nil {
		tb.Logf("OpenSSL signer not available: %v", err)
		return list
	}
	return append(list, namedSigner{"openssl", func(k *rsa.PrivateKey) (crypto.Signer, error) { return openssl.New(k) }})
}

// TestTokenEndpointWithEachSigner: with either signer wired through
// Config.NewSigner, the token endpoint's tokens verify with the public
// verify package against the pool's published JWKS.
func TestTokenEndpointWithEachSigner(t *testing.T) {
	signers := testSigners(t)
	if len(signers) < 2 {
		t.Log("only crypto/rsa in this build")
	}
	for _, sg := range signers {
		t.Run(sg.name, func(t *testing.T) {
			m := newM2MBenchWith(t, func(c *Config) { c.NewSigner = sg.newSigner })
			tok, err := m.config(oauth2.AuthStyleInHeader, "com.example.photos/read").Token(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			v := &verify.Verifier{Algorithm: verify.RS256, Issuer: m.ts.URL + "/" + m.poolID, TokenUse: verify.AccessToken, ClientIDs: []string{m.clientID}}
			c, err := v.Verify(context.Background(), tok.AccessToken)
			if err != nil {
				t.Fatal(err)
			}
			if !c.HasScope("com.example.photos/read") || c.ClientID != m.clientID {
				t.Errorf("claims %+v", c)
			}
		})
	}
}
