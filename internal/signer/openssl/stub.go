//go:build !cgo || noopenssl

package openssl

import (
	"crypto"
	"crypto/rsa"
	"errors"
	"io"
)

// errUnavailable says why this binary cannot sign with OpenSSL.
var errUnavailable = errors.New("openssl: not built in (built with CGO_ENABLED=0 or -tags noopenssl)")

// Available reports whether OpenSSL signing works in this binary: here it
// never does.
func Available() error { return errUnavailable }

// Version is the libcrypto version in use: none in this build.
func Version() string { return "" }

// Signer is never made in this build.
type Signer struct{ pub rsa.PublicKey }

// New fails: this binary has no OpenSSL.
func New(*rsa.PrivateKey) (*Signer, error) { return nil, errUnavailable }

// Public returns the public key.
func (s *Signer) Public() crypto.PublicKey { return &s.pub }

// Sign fails: this binary has no OpenSSL.
func (s *Signer) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	return nil, errUnavailable
}

// Close does nothing.
func (s *Signer) Close() error { return nil }

// SignTo fails: this binary has no OpenSSL.
func (s *Signer) SignTo([]byte, *[32]byte) error { return errUnavailable }
