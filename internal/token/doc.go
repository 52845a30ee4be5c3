// Package token mints cognitod's JSON Web Tokens and checks the access
// tokens it minted: the claims Cognito puts in access and ID tokens,
// RS256 signatures, and the per-pool RSA key pairs behind them.
//
// It owns key generation, sealing private keys at rest (through
// [cognito.Sealer]), the active/next/retired life cycle and rotation, the
// in-memory key cache that keeps the database off the signing path, and
// the JWKS documents verifiers fetch. Claims are structs marshalled with
// encoding/json, followed by [Extras] (an ID token's attributes; claims
// a trigger adds, replaces or suppresses, never the protected ones).
// Each pool's active key signs through a [crypto.Signer] made by the
// [NewSigner] the key set was built with: crypto/rsa ([GoSigner]) or
// internal/signer/openssl. Access tokens are checked with the public
// verify package over the in-memory keys (a verify.KeySource), the same
// checks a resource server makes. It does not decide who gets a token or
// with which scopes (internal/cognito) and serves no HTTP
// (internal/oauth).
package token
