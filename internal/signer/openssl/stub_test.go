//go:build !cgo || noopenssl

package openssl

import (
	"crypto/rand"
	"crypto/rsa"
	"testing"
)

// TestUnavailable: without cgo the package builds, says it is
// unavailable, and New fails rather than returning a signer that cannot
// sign.
func TestUnavailable(t *testing.T) {
	if Available() == nil {
		t.Fatal("Available() = nil in a build without OpenSSL")
	}
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	if s, err := New(k); err == nil || s != nil {
		t.Fatalf("New = %v, %v; want an error", s, err)
	}
}
