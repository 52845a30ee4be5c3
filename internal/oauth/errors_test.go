package oauth

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/cognitod/cognitod/internal/cognito"
)

var allSentinels = []*Error{ErrInvalidRequest, ErrInvalidClient, ErrInvalidGrant, ErrUnauthorizedClient, ErrUnsupportedGrantType,
	ErrInvalidScope, ErrAccessDenied, ErrUnsupportedResponseType, ErrUnsupportedTokenType, ErrInvalidToken, ErrTooManyRequests,
	ErrServerError, ErrTemporarilyUnavailable}

// TestErrorIs: errors.Is matches on the code, whatever the details, through
// wrapping, and unwraps to the cause.
func TestErrorIs(t *testing.T) {
	detailed := ErrInvalidGrant.WithDescription("d").WithReason("r").WithCause(errors.New("c"))
	if !errors.Is(detailed, ErrInvalidGrant) || !errors.Is(fmt.Errorf("wrapped: %w", detailed), ErrInvalidGrant) {
		t.Error("a detailed copy is not its sentinel")
	}
	for _, e := range allSentinels {
		for _, o := range allSentinels {
			if got := errors.Is(e, o); got != (e == o) {
				t.Errorf("errors.Is(%s, %s) = %v", e.Code, o.Code, got)
			}
		}
	}
	cause := errors.New("store down")
	if !errors.Is(ErrTemporarilyUnavailable.WithCause(cause), cause) {
		t.Error("WithCause does not unwrap to the cause")
	}
	if len(byCode) != len(allSentinels) {
		t.Errorf("byCode has %d codes, the test knows %d sentinels", len(byCode), len(allSentinels))
	}
}

// TestCopyOnDetail: adding details returns a copy and leaves every
// sentinel as it was.
func TestCopyOnDetail(t *testing.T) {
	before := make([]Error, len(allSentinels))
	for i, e := range allSentinels {
		before[i] = *e
	}
	for _, e := range allSentinels {
		copies := []*Error{e.WithDescription("desc"), e.WithReason("reason"), e.WithCause(errors.New("cause")), e.withPage("page")}
		for _, c := range copies {
			if c == e {
				t.Errorf("%s: a With method returned the sentinel itself", e.Code)
			}
			if c.Code != e.Code || c.Status() != e.Status() {
				t.Errorf("%s: the copy has code %s, status %d", e.Code, c.Code, c.Status())
			}
		}
	}
	for i, e := range allSentinels {
		if !reflect.DeepEqual(*e, before[i]) {
			t.Errorf("sentinel %s changed: %+v", e.Code, *e)
		}
	}
}

// TestOAuthErrorMapping: the one mapping from domain errors.
func TestOAuthErrorMapping(t *testing.T) {
	storeErr := errors.New("pq: connection refused")
	for _, c := range []struct {
		name     string
		k        kind
		err      error
		code     string
		status   int
		desc     string
		redirect bool
	}{
		{"grant refusal", kindClient, &cognito.GrantError{Code: "invalid_client", Reason: "wrong secret"}, "invalid_client", 400, "", false},
		{"throttled", kindClient, cognito.ErrGrantRateExceeded, "too_many_requests", 429, "", false},
		{"authorize, redirect URI validated", kindBrowser, &cognito.AuthorizeError{Redirect: true, Code: "unauthorized_client"}, "unauthorized_client", 400, "", true},
		{"authorize, redirect URI not trusted", kindBrowser, &cognito.AuthorizeError{Code: "redirect_mismatch", Description: "x"}, "redirect_mismatch", 400, "x", false},
		{"internal", kindClient, &cognito.Error{Type: cognito.ErrInternal.Type, Cause: storeErr}, "server_error", 500, "", false},
		{"anything else", kindClient, storeErr, "server_error", 500, "", false},
		{"revocation off", kindClient, cognito.ErrUnsupportedOperation.WithMessage("off"), "unsupported_token_type", 400, "", false},
		{"another client's token", kindClient, cognito.ErrUnauthorized.WithMessage("no"), "invalid_client", 400, "", false},
		{"bearer refused", kindBearer, cognito.ErrNotAuthorized.WithMessage("Invalid Access Token"), "invalid_token", 401, "Invalid Access Token", false},
		{"bearer, internal", kindBearer, cognito.ErrInternal, "server_error", 500, "", false},
		{"already an OAuth error", kindBrowser, fmt.Errorf("w: %w", ErrTemporarilyUnavailable), "temporarily_unavailable", 503, "", false},
	} {
		e := oauthError(c.k, c.err)
		if e.Code != c.code || e.Status() != c.status || e.Description != c.desc || e.redirect != c.redirect {
			t.Errorf("%s: got %s %d %q redirect=%v, want %s %d %q redirect=%v", c.name, e.Code, e.Status(), e.Description, e.redirect, c.code, c.status, c.desc, c.redirect)
		}
		if c.code == "server_error" && !errors.Is(e, storeErr) && c.err != cognito.ErrInternal {
			t.Errorf("%s: the cause is lost", c.name)
		}
	}
	// Only the domain's verdict makes an error redirectable.
	if oauthError(kindBrowser, ErrInvalidRequest).redirect {
		t.Error("an error the handler made is redirectable")
	}
}

// testHandler is a Handler with just what writeError needs, logging to log.
func testHandler(log *bytes.Buffer) *Handler {
	return &Handler{logger: slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug}))}
}

// TestRenderers: each response kind, as the wire sees it. Reasons and
// causes reach the log, bounded, and never the response.
func TestRenderers(t *testing.T) {
	const secretReason, secretCause = "reason-for-the-log-only", "cause-for-the-log-only"
	for _, c := range []struct {
		name    string
		k       kind
		target  string
		err     error
		status  int
		headers map[string]string
		body    string // exact; "" when check says what to look for
		check   func(t *testing.T, rec *httptest.ResponseRecorder)
	}{
		{name: "token refusal", k: kindClient, target: "/p/oauth2/token", err: ErrInvalidGrant.WithReason(secretReason).WithCause(errors.New(secretCause)),
			status: 400, headers: map[string]string{"Content-Type": "application/json;charset=UTF-8", "Cache-Control": "no-store", "Pragma": "no-cache", "Retry-After": ""},
			body: `{"error":"invalid_grant"}`},
		{name: "token throttled", k: kindClient, target: "/p/oauth2/token", err: cognito.ErrGrantRateExceeded,
			status: 429, headers: map[string]string{"Retry-After": "1"}, body: `{"error":"too_many_requests"}`},
		{name: "token store outage", k: kindClient, target: "/p/oauth2/token", err: ErrTemporarilyUnavailable.WithCause(errors.New(secretCause)),
			status: 503, body: `{"error":"temporarily_unavailable"}`},
		{name: "token server error", k: kindClient, target: "/p/oauth2/token", err: errors.New(secretCause),
			status: 500, body: `{"error":"server_error"}`},
		{name: "userinfo", k: kindBearer, target: "/p/oauth2/userInfo", err: cognito.ErrNotAuthorized.WithMessage(`Invalid "Access" Token`),
			status: 401, headers: map[string]string{"WWW-Authenticate": `Bearer error="invalid_token", error_description="Invalid 'Access' Token"`, "Cache-Control": "no-store"},
			body: `{"error":"invalid_token","error_description":"Invalid \"Access\" Token"}`},
		{name: "authorize redirect", k: kindBrowser, target: "/p/oauth2/authorize?response_type=code&redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Fx%3D1&state=st",
			err: &cognito.AuthorizeError{Redirect: true, Code: "invalid_request", Description: "invalid_scope"}, status: 302,
			headers: map[string]string{"Location": "https://app.example/cb?error=invalid_request&error_description=invalid_scope&state=st&x=1"}},
		{name: "implicit redirect", k: kindBrowser, target: "/p/oauth2/authorize?response_type=token&redirect_uri=https%3A%2F%2Fapp.example%2Fcb",
			err: &cognito.AuthorizeError{Redirect: true, Code: "unauthorized_client"}, status: 302,
			headers: map[string]string{"Location": "https://app.example/cb#error=unauthorized_client"}},
		{name: "untrusted redirect URI: page", k: kindBrowser, target: "/p/oauth2/authorize?response_type=code&redirect_uri=https%3A%2F%2Fevil.example%2F&state=st",
			err: &cognito.AuthorizeError{Code: "redirect_mismatch", Description: "not registered"}, status: 400,
			headers: map[string]string{"Location": "", "Content-Type": "text/html; charset=utf-8", "X-Frame-Options": "DENY"},
			check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				if !strings.Contains(rec.Body.String(), "redirect_mismatch: the redirect_uri is not registered for this app client.") {
					t.Errorf("page: %s", rec.Body)
				}
			}},
		{name: "handler's own refusal on a hosted page: never redirected", k: kindBrowser, target: "/p/logout?client_id=x&redirect_uri=https%3A%2F%2Fapp.example%2Fcb",
			err: ErrInvalidRequest.WithDescription("unknown client_id"), status: 400, headers: map[string]string{"Location": ""},
			check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				if !strings.Contains(rec.Body.String(), "invalid_request: unknown client_id") {
					t.Errorf("page: %s", rec.Body)
				}
			}},
		{name: "hosted page, store outage", k: kindBrowser, target: "/p/logout", err: ErrTemporarilyUnavailable.WithDescription("please try again").WithCause(errors.New(secretCause)),
			status: 503, headers: map[string]string{"Content-Type": "text/html; charset=utf-8"},
			check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				if !strings.Contains(rec.Body.String(), "temporarily_unavailable: please try again") {
					t.Errorf("page: %s", rec.Body)
				}
			}},
		{name: "hosted page, server error: JSON as before", k: kindBrowser, target: "/p/oauth2/authorize", err: errors.New(secretCause),
			status: 500, body: `{"error":"server_error"}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			var log bytes.Buffer
			h := testHandler(&log)
			rec := httptest.NewRecorder()
			h.writeError(rec, httptest.NewRequest(http.MethodGet, c.target, nil), c.k, "p", c.err)
			if rec.Code != c.status {
				t.Errorf("status %d, want %d", rec.Code, c.status)
			}
			for k, v := range c.headers {
				if got := rec.Header().Get(k); got != v {
					if k == "Location" && v != "" {
						gu, _ := url.Parse(got)
						wu, _ := url.Parse(v)
						if gu != nil && wu != nil && gu.Query().Encode() == wu.Query().Encode() && gu.Fragment == wu.Fragment && gu.Host == wu.Host {
							continue
						}
					}
					t.Errorf("%s: %q, want %q", k, got, v)
				}
			}
			if c.body != "" && rec.Body.String() != c.body {
				t.Errorf("body %s, want %s", rec.Body, c.body)
			}
			if c.check != nil {
				c.check(t, rec)
			}
			wire := fmt.Sprint(rec.Header()) + rec.Body.String()
			if strings.Contains(wire, secretReason) || strings.Contains(wire, secretCause) {
				t.Errorf("the response carries the reason or cause: %s", wire)
			}
			if strings.Contains(fmt.Sprint(c.err), secretCause) && !strings.Contains(log.String(), secretCause) {
				t.Errorf("the cause was not logged: %s", log.String())
			}
			if strings.Contains(fmt.Sprint(c.err), secretReason) && !strings.Contains(log.String(), secretReason) {
				t.Errorf("the reason was not logged: %s", log.String())
			}
		})
	}
}

// TestLoggedDetailsAreBounded: a reason quoting a caller's input does not
// put the whole input in the log.
func TestLoggedDetailsAreBounded(t *testing.T) {
	var log bytes.Buffer
	h := testHandler(&log)
	huge := strings.Repeat("x", 64<<10)
	h.writeError(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/p/oauth2/token", nil), kindClient, "p",
		ErrUnsupportedGrantType.WithReason("grant_type "+huge).WithCause(errors.New(huge)))
	if log.Len() > 4*maxLogText {
		t.Errorf("one refusal logged %d bytes", log.Len())
	}
	if !strings.Contains(log.String(), "unsupported_grant_type") {
		t.Errorf("the code is not logged: %s", log.String())
	}
}
