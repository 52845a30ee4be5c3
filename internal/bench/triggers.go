package bench

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// The values of Config.Triggers.
const (
	TriggersOff     = "off"
	TriggersOn      = "on"
	TriggersCompare = "compare"
)

// DefaultTriggerClaim is the claim the example webhook (examples/triggers)
// adds to every token.
const DefaultTriggerClaim = "tenant"

// errClaim marks a token whose claims are not what the phase expects:
// without the webhook's claim while the trigger is set, or with it while
// it is not (the switch did not take).
var errClaim = errors.New("bench: token claims")

// claimCheck checks every token a phase gets: that its access token
// carries the webhook's claim (want), or does not (!want).
type claimCheck struct {
	name  string
	value json.RawMessage // nil: any value
	want  bool
}

// parseTriggerClaim reads NAME or NAME=VALUE (VALUE a string).
func parseTriggerClaim(s string) (name string, value json.RawMessage, err error) {
	if s == "" {
		s = DefaultTriggerClaim
	}
	name, v, ok := strings.Cut(s, "=")
	if name == "" || len(s) > 256 {
		return "", nil, fmt.Errorf("bench: trigger claim %q: want NAME or NAME=VALUE", s)
	}
	if ok {
		value, _ = json.Marshal(v)
	}
	return name, value, nil
}

func (cc claimCheck) String() string {
	if cc.value != nil {
		return cc.name + "=" + string(cc.value)
	}
	return cc.name
}

// check reads a token response body and checks its access token.
func (cc *claimCheck) check(body []byte) error {
	const key = `"access_token":"`
	i := bytes.Index(body, []byte(key))
	if i < 0 {
		return fmt.Errorf("%w: no access_token in the answer", errClaim)
	}
	tok := body[i+len(key):]
	if j := bytes.IndexByte(tok, '"'); j >= 0 {
		tok = tok[:j]
	}
	parts := bytes.Split(tok, []byte("."))
	if len(parts) != 3 {
		return fmt.Errorf("%w: the access token is not a JWT", errClaim)
	}
	payload := make([]byte, base64.RawURLEncoding.DecodedLen(len(parts[1])))
	n, err := base64.RawURLEncoding.Decode(payload, parts[1])
	if err != nil {
		return fmt.Errorf("%w: the access token's payload: %v", errClaim, err)
	}
	var claims map[string]json.RawMessage
	if err := json.Unmarshal(payload[:n], &claims); err != nil {
		return fmt.Errorf("%w: the access token's payload: %v", errClaim, err)
	}
	v, has := claims[cc.name]
	switch {
	case cc.want && !has:
		return fmt.Errorf("%w: the access token lacks the webhook's claim %q: the trigger did not run", errClaim, cc.name)
	case cc.want && cc.value != nil && !bytes.Equal(v, cc.value):
		return fmt.Errorf("%w: the access token's %s is %s, want %s", errClaim, cc.name, v, cc.value)
	case !cc.want && has:
		return fmt.Errorf("%w: the access token has %s=%s with the trigger unset", errClaim, cc.name, v)
	}
	return nil
}

// setPreToken sets the benchmark pool's PreTokenGenerationConfig to
// {V3_0, c.PreTokenARN} (on) or clears its LambdaConfig (off), through
// UpdateUserPool, then reads the pool back. UpdateUserPool replaces every
// setting it is not given (cognitod as Cognito): the pool's only other
// setting, the quota tag of a lifted run, is sent again, and checked.
func (c *Config) setPreToken(ctx context.Context, hc *http.Client, cl *client, on bool) error {
	lc := map[string]any{}
	if on {
		lc["PreTokenGenerationConfig"] = map[string]string{"LambdaVersion": "V3_0", "LambdaArn": c.PreTokenARN}
	}
	in := map[string]any{"UserPoolId": cl.poolID, "LambdaConfig": lc}
	if cl.lifted {
		in["UserPoolTags"] = map[string]string{quotaTag: "off"}
	}
	var ignored map[string]any
	if err := c.admin(ctx, hc, "UpdateUserPool", in, &ignored); err != nil {
		return fmt.Errorf("bench: set the pool's pre token generation trigger: %w", err)
	}
	var out struct {
		UserPool struct {
			LambdaConfig struct {
				PreTokenGenerationConfig *struct{ LambdaVersion, LambdaArn string }
			}
			UserPoolTags map[string]string
		}
	}
	if err := c.admin(ctx, hc, "DescribeUserPool", map[string]any{"UserPoolId": cl.poolID}, &out); err != nil {
		return err
	}
	p := out.UserPool
	got := p.LambdaConfig.PreTokenGenerationConfig
	if on && (got == nil || got.LambdaArn != c.PreTokenARN || got.LambdaVersion != "V3_0") || !on && got != nil {
		return fmt.Errorf("bench: the pool's PreTokenGenerationConfig is %+v after UpdateUserPool", got)
	}
	if cl.lifted && p.UserPoolTags[quotaTag] != "off" {
		return fmt.Errorf("bench: UpdateUserPool dropped the pool's %s tag", quotaTag)
	}
	return nil
}

// Phases of a Triggers run: the same pool with and without the trigger.
const (
	phaseNoTrigger = "without"
	phaseTrigger   = "with"
)

// TriggerComparison is a TriggersCompare run's summary.
func (r *Report) TriggerComparison() string {
	w := r.WithTrigger
	if w == nil {
		return ""
	}
	return fmt.Sprintf(`pre token generation webhook (%s) with vs without, concurrency %d, %s each (interleaved in quarters):
  with:     %.0f tokens/s  p50 %s  p99 %s  (%d errors)
  without:  %.0f tokens/s  p50 %s  p99 %s  (%d errors)
  difference: %+.1f%% tokens/s, %+.1f%% p99 (with relative to without); every token checked: claim %s in all %d with, in none of %d without`,
		r.PreTokenARN, r.Concurrency, r.Duration,
		w.TokensPerSec, round(w.P50), round(w.P99), w.Errors,
		r.TokensPerSec, round(r.P50), round(r.P99), r.Errors,
		100*(w.TokensPerSec/r.TokensPerSec-1), 100*(float64(w.P99)/float64(max(r.P99, 1))-1),
		w.claim, w.Tokens, r.Tokens)
}

// triggerLine is Report.String's line about the trigger.
func (r *Report) triggerLine() string {
	switch r.Trigger {
	case phaseTrigger:
		return fmt.Sprintf("\n  pre token:    webhook %s (V3_0); claim %s checked in every token", r.PreTokenARN, r.claim)
	case phaseNoTrigger:
		return fmt.Sprintf("\n  pre token:    none; every token checked to lack claim %s", r.claim.name)
	}
	return ""
}

// phaseError is the error that ends a Triggers run whose phase had any
// failure: a webhook that refused, or a token with the wrong claims, would
// otherwise leave a figure that is not what it claims to be.
func phaseError(phase string, s []*sample) error {
	var tokens, errs, claims int64
	first := ""
	for _, x := range s {
		tokens += x.tokens
		errs += x.errors
		claims += x.claimErrors
		if first == "" {
			first = x.firstError
		}
	}
	if errs == 0 {
		return nil
	}
	what := "failed"
	if claims > 0 {
		what = fmt.Sprintf("failed (%d with the wrong claims)", claims)
	}
	return fmt.Errorf("bench: %d of %d token requests %s %s the trigger; the first: %s", errs, errs+tokens, what, phase, first)
}

// readBody reads a response's body for check, when it fits the
// buffer; the answer's status has been read.
func readBody(br interface {
	Peek(int) ([]byte, error)
	Size() int
}, length int) ([]byte, error) {
	if length > br.Size() {
		return nil, fmt.Errorf("bench: a %d-byte answer", length)
	}
	return br.Peek(length)
}

// clip shortens an answer for an error message.
func clip(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

// compareTriggers runs a TriggersCompare run's phases on one pool: the
// machine's load drifts over seconds (a shared one's jumps), so they are
// interleaved in an ABBA order, each given the whole duration in
// quarters, the trigger set and cleared between them. After each switch
// one token through net/http must show it took before load resumes.
func (c *Config) compareTriggers(ctx context.Context, hc *http.Client, cl *client, cc *claimCheck, call func(context.Context) error,
	workers newWorker, report func(string, ...*sample) *Report) (*Report, error) {
	order := []string{phaseNoTrigger, phaseTrigger, phaseTrigger, phaseNoTrigger, phaseNoTrigger, phaseTrigger, phaseTrigger, phaseNoTrigger}
	samples := map[string][]*sample{}
	current := phaseNoTrigger
	for _, phase := range order {
		if phase != current {
			on := phase == phaseTrigger
			if err := c.setPreToken(ctx, hc, cl, on); err != nil {
				return nil, err
			}
			cc.want = on
			if err := call(ctx); err != nil {
				return nil, fmt.Errorf("bench: first token %s the trigger: %w", phase, err)
			}
			current = phase
		}
		s, err := c.drive(ctx, c.Duration/4, workers)
		if err != nil {
			return nil, err
		}
		samples[phase] = append(samples[phase], s)
	}
	for _, phase := range []string{phaseTrigger, phaseNoTrigger} {
		if err := phaseError(phase, samples[phase]); err != nil {
			return nil, err
		}
	}
	cc.want = false
	without := report(c.Quotas, samples[phaseNoTrigger]...)
	cc.want = true
	without.WithTrigger = report(c.Quotas, samples[phaseTrigger]...)
	return without, nil
}
