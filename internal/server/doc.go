// Package server assembles cognitod: it builds the http.Handler that
// mounts the cognito-idp API (internal/awsjson) on POST /, the health
// endpoints, and the middleware every request passes through (request
// IDs, access logs, panic recovery), and it owns the files a data
// directory holds besides the database: the master key and the AWS
// credentials file written for the root access key.
//
// New also wires the domain to its tokens: it builds the token issuer
// (internal/token, signing through the Config's NewSigner) and the
// cognito.Service complete with it and with the hooks that keep the
// issuer's key cache and the metrics current.
//
// It mounts the console (internal/console) at /console and the OAuth
// endpoints (internal/oauth) per pool and on pool domain hosts. It does
// not choose or open a storage backend (cmd/cognitod injects the
// store) and holds no Cognito rules (internal/cognito).
package server
