package main

import (
	"crypto"
	"crypto/rsa"
	"flag"
	"fmt"
	"log/slog"

	"github.com/cognitod/cognitod/internal/signer/openssl"
	"github.com/cognitod/cognitod/internal/token"
)

// Token signing: crypto/rsa, or the system's libcrypto (OpenSSL 3) when
// the binary is built with cgo, which signs RS256 several times faster.
// The choice is made once at start and logged.

const (
	signerGo      = "go"
	signerOpenSSL = "openssl"
)

func addSignerFlag(fs *flag.FlagSet, c *serveConfig) {
	fs.StringVar(&c.signer, "signer", "", "how tokens are signed: openssl (the system's libcrypto; the default when the binary has it) or go (crypto/rsa) (COGNITOD_SIGNER)")
}

// signerProblems refuses an unknown --signer, and openssl in a binary
// that cannot use it.
func signerProblems(c *serveConfig) []string {
	switch c.signer {
	case "", signerGo:
	case signerOpenSSL:
		if err := openssl.Available(); err != nil {
			return []string{fmt.Sprintf("--signer openssl: %v; use --signer go, or build with CGO_ENABLED=1 and libssl-dev installed", err)}
		}
	default:
		return []string{fmt.Sprintf("--signer %q: want go or openssl", c.signer)}
	}
	return nil
}

// chooseSigner returns the key wrapper for --signer (default: openssl
// when available) and logs the choice.
func chooseSigner(c *serveConfig, logger *slog.Logger) token.NewSigner {
	name := c.signer
	why := "--signer"
	if name == "" {
		why = "default"
		name = signerOpenSSL
		if err := openssl.Available(); err != nil {
			name = signerGo
			why = "default; OpenSSL unavailable: " + err.Error()
		}
	}
	if name == signerGo {
		logger.Info("token signer", "signer", "go (crypto/rsa)", "chosen", why)
		return token.GoSigner
	}
	logger.Info("token signer", "signer", "openssl", "libcrypto", openssl.Version(), "chosen", why)
	return func(k *rsa.PrivateKey) (crypto.Signer, error) { return openssl.New(k) }
}
