// Package ratelimit owns cognitod's request-rate limiting: token buckets
// (Bucket), the per-account-and-region quota buckets that Cognito's
// request-rate quotas become (Quotas), and fixed-capacity per-source
// tables that keep one client address's flood of sign-in attempts or
// failed authentications from starving everyone else (Sources).
//
// It knows nothing of Cognito's operations or categories: the cognito
// package names the buckets and their rates, this package only counts.
package ratelimit
