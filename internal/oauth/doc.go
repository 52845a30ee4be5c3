// Package oauth serves the OAuth 2.0 and OpenID Connect side of cognitod:
// per pool, under the issuer <public URL>/<pool ID>, the JWKS
// (/.well-known/jwks.json), the discovery document
// (/.well-known/openid-configuration) and the token endpoint
// (/oauth2/token), and the same endpoints on a pool's domain host
// <prefix>.auth.<region>.<domain suffix>.
//
// It owns the wire side of these endpoints: parsing form bodies and client
// authentication (HTTP Basic or client_secret_post), one file per grant,
// the hosted pages, and their errors. The hosted pages are the sign-in
// form (login.go), sign-up and confirmation (signup.go), password reset
// (forgot.go), the second factor's code, method choice and TOTP set-up
// (mfa.go), at Cognito's classic hosted UI paths, with their shared
// checks in hosted_pages.go, the state a multi-step flow carries in
// flow.go, and the SetUICustomization branding they show in branding.go;
// the rules they apply are the domain's operations. Errors are one type, Error
// (errors.go), with a sentinel per RFC 6749/6750/7009 code; handlers
// return them, or the domain's errors, which oauthError maps in one
// place, and writeError (render.go) writes them as the endpoint's kind
// answers: JSON with Cognito's statuses, a redirect to a validated
// redirect_uri, or the hosted error page. Reasons and causes are logged,
// never sent. Who may have which token, and when a hosted session counts
// as signed in, is decided in internal/cognito; tokens are minted by
// internal/token; the admin API lives in internal/awsjson. The clock is
// Config.Now throughout.
package oauth
