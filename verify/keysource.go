package verify

import (
	"context"
	"crypto/rsa"
	"fmt"
)

// KeySource supplies a Verifier's public keys in place of the issuer's
// JWKS URL: for a program that verifies tokens whose keys it already holds
// (cognitod checks its own tokens this way, with its in-memory keys).
//
// PublicKey returns the RS256 key named kid, or nil and a nil error when
// there is none (the token fails with ErrUnknownKey). An error means the
// keys could not be read (ErrKeySetUnavailable). It must be safe for
// concurrent use and is called once per Verify; caching is its own.
type KeySource interface {
	PublicKey(ctx context.Context, kid string) (*rsa.PublicKey, error)
}

// sourceKey looks kid up in the Verifier's KeySource and applies the checks a JWKS key
// gets (modulus size and parity, exponent).
func (v *Verifier) sourceKey(ctx context.Context, kid string) (*key, *Error) {
	pub, err := v.cfg.keys.PublicKey(ctx, kid)
	switch {
	case err != nil:
		return nil, &Error{Code: codeOf(ErrKeySetUnavailable), Err: ErrKeySetUnavailable, Detail: "key source", Cause: err}
	case pub == nil || pub.N == nil:
		return nil, newError(ErrUnknownKey, fmt.Sprintf("kid %q: not in the key source", kid))
	}
	if bits := pub.N.BitLen(); bits < minRSABits || bits > maxRSABits {
		return &key{err: ErrKeyRejected, why: fmt.Sprintf("RSA key has %d bits, want %d to %d", bits, minRSABits, maxRSABits)}, nil
	}
	if pub.N.Bit(0) == 0 || pub.E < 3 || pub.E%2 == 0 {
		return &key{err: ErrKeyRejected, why: "RSA key parameters are invalid"}, nil
	}
	return &key{pub: pub}, nil
}
