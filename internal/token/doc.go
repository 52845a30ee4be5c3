// Package token mints cognitod's JSON Web Tokens: the claims Cognito puts
// in access (and later ID) tokens, RS256 signatures, and the per-pool RSA
// key pairs behind them.
//
// It owns key generation, sealing private keys at rest (through
// [cognito.Sealer]), the active/next/retired life cycle and rotation, the
// in-memory key cache that keeps the database off the signing path, and
// the JWKS documents verifiers fetch, and the application of a pre token
// generation trigger's claim changes to a signed payload (overrides.go).
// It does not decide who gets a token, with which scopes or which claims a
// trigger may change (internal/cognito) and serves no HTTP
// (internal/oauth).
package token
