package triggers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

var _ cognito.TriggerInvoker = (*Invoker)(nil)

// maxResponseBytes bounds a webhook's answer. Cognito's own events are a
// few kilobytes; Lambda's synchronous payload limit (6 MB) is far more
// than any trigger response needs.
const maxResponseBytes = 256 << 10

// maxErrorMessage bounds the function error message relayed to clients.
const maxErrorMessage = 512

// maxIdlePerWebhook is how many idle connections to one webhook are kept
// for the next call.
const maxIdlePerWebhook = 64

// Config configures an Invoker.
type Config struct {
	// Targets maps function ARNs to webhook URLs (see CheckTarget).
	Targets map[string]string
	// Secret signs every request (at least MinSecretLength bytes).
	Secret string
	// Timeout is how long a webhook may take; 0 means Cognito's 5 s.
	Timeout time.Duration
	// Transport, when set, replaces http.DefaultTransport (tests use it to
	// trust their own TLS certificate).
	Transport http.RoundTripper
	// Now is the clock of the signature timestamps; nil means time.Now.
	Now func() time.Time
}

// Invoker calls webhooks as Lambda triggers. It is safe for concurrent
// use.
type Invoker struct {
	targets map[string]string
	secret  []byte
	client  *http.Client
	now     func() time.Time
}

// New checks cfg and returns an Invoker.
func New(cfg Config) (*Invoker, error) {
	if len(cfg.Secret) < MinSecretLength {
		return nil, errNoSecret
	}
	targets := make(map[string]string, len(cfg.Targets))
	for arn, target := range cfg.Targets {
		if err := CheckTarget(arn, target); err != nil {
			return nil, err
		}
		targets[arn] = target
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = cognito.TriggerTimeout
	}
	tr := cfg.Transport
	if tr == nil {
		// Every token of a pool with a pre token generation trigger is a
		// call: keep as many connections to a webhook as requests can be
		// in flight, not net/http's default of 2 (with it, most calls
		// under load opened a new connection, and thousands waited in
		// TIME-WAIT).
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = maxIdlePerWebhook
		tr = t
	}
	i := &Invoker{targets: targets, secret: []byte(cfg.Secret), now: cfg.Now,
		client: &http.Client{Transport: tr, Timeout: timeout,
			// A redirect would send users' attributes somewhere the
			// operator did not name.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if i.now == nil {
		i.now = time.Now
	}
	return i, nil
}

// Maps reports whether arn has a webhook; the domain refuses a
// LambdaConfig naming a function that has none.
func (i *Invoker) Maps(arn string) bool { _, ok := i.targets[arn]; return ok }

// Invoke POSTs event to the webhook mapped to arn and returns its answer.
// A webhook reports a function error as Lambda does, with a JSON body
// {"errorMessage": "...", "errorType": "..."}, either with a non-2xx
// status or with 200; any other non-2xx answer is an error whose message
// is the start of the body. Both become *cognito.TriggerFunctionError.
func (i *Invoker) Invoke(ctx context.Context, arn string, event []byte) ([]byte, error) {
	target, ok := i.targets[arn]
	if !ok {
		return nil, cognito.ErrTriggerNotMapped
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(event))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "cognitod-triggers")
	req.Header.Set(SignatureHeader, Sign(i.secret, i.now(), NewRequestID(), event))
	resp, err := i.client.Do(req)
	if err != nil {
		return nil, callError(arn, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return nil, fmt.Errorf("triggers: %s: reading the answer: %w", arn, err)
	}
	if len(body) > maxResponseBytes {
		return nil, fmt.Errorf("triggers: %s: answer larger than %d bytes", arn, maxResponseBytes)
	}
	switch {
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		return nil, fmt.Errorf("triggers: %s: redirect (%d) refused", arn, resp.StatusCode)
	case resp.StatusCode < 200 || resp.StatusCode >= 300:
		msg, _ := functionError(body)
		if msg == "" {
			msg = firstLine(body)
		}
		if msg == "" {
			msg = http.StatusText(resp.StatusCode)
		}
		return nil, &cognito.TriggerFunctionError{Message: msg}
	}
	if msg, ok := functionError(body); ok {
		return nil, &cognito.TriggerFunctionError{Message: msg}
	}
	return body, nil
}

// functionError reads Lambda's error shape, {"errorMessage": "..."}.
func functionError(body []byte) (string, bool) {
	var e struct {
		ErrorMessage *string `json:"errorMessage"`
	}
	if json.Unmarshal(body, &e) != nil || e.ErrorMessage == nil {
		return "", false
	}
	return clip(*e.ErrorMessage), true
}

// firstLine is the start of a plain-text error body.
func firstLine(body []byte) string {
	s, _, _ := strings.Cut(string(body), "\n")
	return clip(strings.TrimSpace(s))
}

func clip(s string) string {
	s = strings.ToValidUTF8(s, "")
	if len(s) > maxErrorMessage {
		s = s[:maxErrorMessage]
	}
	return s
}

// invokeError is a failed call, without the URL: a webhook URL may carry
// a token in its query string, and the error is logged.
type invokeError struct {
	arn     string
	err     error
	timeout bool
}

func (e *invokeError) Error() string { return "triggers: " + e.arn + ": " + e.err.Error() }
func (e *invokeError) Unwrap() error { return e.err }

// Timeout reports whether the webhook did not answer in time (the domain
// words that as Cognito's socket timeout).
func (e *invokeError) Timeout() bool { return e.timeout }

func callError(arn string, err error) error {
	ie := &invokeError{arn: arn, err: err}
	if ue := (*url.Error)(nil); errors.As(err, &ue) {
		ie.err, ie.timeout = ue.Err, ue.Timeout()
	}
	return ie
}
