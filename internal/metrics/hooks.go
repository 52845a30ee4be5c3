package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cognitod/cognitod/internal/cognito"
)

// Grants are the grant label values of the token metric: the token
// endpoint's grant types and the implicit flow of the authorize endpoint.
var Grants = []string{"client_credentials", "authorization_code", "refresh_token", "implicit"}

// TokenOutcomes are the outcome label values of the token metric: issued,
// or the OAuth error code of the refusal (RFC 6749 section 5.2, and
// server_error).
var TokenOutcomes = []string{"issued", "invalid_request", "invalid_client", "invalid_grant",
	"unauthorized_client", "unsupported_grant_type", "invalid_scope", "server_error"}

// SignInFlows and SignInReasons are the sign-in failure metric's labels.
var (
	SignInFlows   = cognito.SignInFlows
	SignInReasons = cognito.SignInFailureReasons
)

// maxThrottleCategories bounds the throttle metric's categories; more are
// counted as "other".
const maxThrottleCategories = 32

// TokenRequest counts one answered token request: grant is one of Grants
// and outcome one of TokenOutcomes (anything else counts as unknown).
func (m *Metrics) TokenRequest(grant, outcome string) {
	if m == nil {
		return
	}
	inc(m.tokenSet, grant, outcome)
}

// Signed records the time one JWT signature took.
func (m *Metrics) Signed(d time.Duration) {
	if m == nil {
		return
	}
	m.signing.Observe(d.Seconds())
}

// SignInFailure counts a failed sign-in; its signature is
// cognito.Config.OnSignInFailure's.
func (m *Metrics) SignInFailure(flow, reason string) {
	if m == nil {
		return
	}
	inc(m.failSet, flow, reason)
}

// Throttled counts one request refused by the rate quota of category: a
// name the server chose, not the caller (at most 32 distinct ones are
// kept apart; more count as "other").
func (m *Metrics) Throttled(category string) {
	if m == nil {
		return
	}
	m.throttle.get(category, maxThrottleCategories, "other", func(c string) prometheus.Counter {
		return m.throttled.WithLabelValues(c)
	}).Inc()
}

// API counts one API request: operation is a known operation name or ""
// (counted as unknown), status the HTTP status, d the time to answer.
func (m *Metrics) API(operation string, status int, d time.Duration) {
	if m == nil {
		return
	}
	s, ok := m.api[operation]
	if !ok {
		s = m.api[Unknown]
	}
	s.observe(status, d)
}

// maxRoutes bounds the route label; the server's mux has a few dozen
// patterns.
const maxRoutes = 256

// Route counts one HTTP request served by the mux pattern route ("" when
// no pattern matched: counted as "unmatched").
func (m *Metrics) Route(route string, status int, d time.Duration) {
	if m == nil {
		return
	}
	if route == "" {
		route = "unmatched"
	}
	m.routes.get(route, maxRoutes, "other", func(r string) *series {
		return newSeries(m.httpRequests, m.httpDuration, r)
	}).observe(status, d)
}
