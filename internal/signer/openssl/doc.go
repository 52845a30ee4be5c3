// Package openssl is a crypto.Signer for RSA keys (RS256: PKCS#1 v1.5 over
// a SHA-256 digest) backed by the system's libcrypto (OpenSSL 3), which
// signs faster than crypto/rsa on the same cores.
//
// It owns the copy of each private key held in C memory: New builds one
// EVP_PKEY from a Go *rsa.PrivateKey, and Close (or, as a backstop, the
// garbage collector once the Signer is unreachable) frees it. Choosing
// between this signer and crypto/rsa is the caller's (internal/token,
// cmd/cognitod --signer).
//
// The cgo implementation is built when cgo is enabled and the noopenssl
// build tag is not set; it links -lcrypto (Debian: libssl-dev to build,
// libssl3 to run). Otherwise [Available] reports why it is not, and [New]
// fails with that error.
package openssl

import "errors"

// ErrClosed is returned by Sign after Close.
var ErrClosed = errors.New("openssl: signer closed")
