package server

import (
	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/ratelimit"
)

// QuotaOptions are the operator's request-rate settings.
type QuotaOptions struct {
	// Off turns the request-rate quotas off (--quotas off); the
	// per-source limits stay on.
	Off bool
	// Overrides are requests per second by category (--quota
	// CATEGORY=RPS); 0 lifts a category's limit.
	Overrides map[string]float64
	// SignIn and AuthFailures replace the default per-source limits when
	// not zero.
	SignIn, AuthFailures ratelimit.Rate
	// OnThrottle is called with the bucket of each refused request.
	OnThrottle func(name string)
}

// RateLimits returns the ratelimit configuration for o: Cognito's default
// quotas with o's overrides, each a bucket of one second's burst.
func RateLimits(o QuotaOptions) ratelimit.Config {
	cfg := ratelimit.Config{SignIn: ratelimit.DefaultSignIn, AuthFailures: ratelimit.DefaultAuthFailures, OnThrottle: o.OnThrottle}
	if o.SignIn != (ratelimit.Rate{}) {
		cfg.SignIn = o.SignIn
	}
	if o.AuthFailures != (ratelimit.Rate{}) {
		cfg.AuthFailures = o.AuthFailures
	}
	if !o.Off {
		cfg.Quotas = map[string]ratelimit.Rate{}
		for name, rps := range cognito.QuotaRates(o.Overrides) {
			if rps > 0 {
				cfg.Quotas[name] = ratelimit.PerSecond(rps)
			}
		}
	}
	return cfg
}
