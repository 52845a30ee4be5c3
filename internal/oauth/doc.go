// Package oauth serves the OAuth 2.0 and OpenID Connect side of cognitod:
// per pool, under the issuer <public URL>/<pool ID>, the JWKS
// (/.well-known/jwks.json), the discovery document
// (/.well-known/openid-configuration) and the token endpoint
// (/oauth2/token), and the same endpoints on a pool's domain host
// <prefix>.auth.<region>.<domain suffix>.
//
// It owns the wire side of these endpoints: parsing form bodies and client
// authentication (HTTP Basic or client_secret_post), one file per grant,
// and the single function that writes RFC 6749 error bodies as Cognito
// does. Who may have which token is decided in internal/cognito; tokens
// are minted by internal/token; the admin API lives in internal/awsjson.
package oauth
