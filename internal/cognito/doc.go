// Package cognito is cognitod's domain: user pools, app clients, resource
// servers and their custom scopes, domains and access keys, and every rule
// Amazon Cognito applies to them.
//
// It owns the input constraints of each cognito-idp operation (expressed as
// data in apimodel.json, trimmed from AWS's public service model and checked
// by [Validate]), the cross-field rules between members, quotas, scope
// resolution (allowed, active, deleted), pagination tokens, the sealing of
// secrets at rest, sign-in and its second factors (TOTP as RFC 6238, SMS and
// email codes, the MFA challenges), and the [Store] interface that storage backends
// implement. [Service] methods are named after the Cognito operations and
// are used by the JSON API and the console alike, so both enforce the same
// rules and report the same [Error] values.
//
// It also owns the rules of Lambda triggers (triggers*.go): which trigger
// runs when, the events it is sent, how its answer changes the user, the
// sign-in or the tokens, the claims it may not touch, and the exceptions a
// failing function becomes. It runs them through a [TriggerInvoker]
// (internal/triggers calls webhooks).
//
// It does not speak HTTP (see internal/awsjson and internal/oauth), sign
// tokens (internal/token) or persist anything itself (internal/store/...).
package cognito
