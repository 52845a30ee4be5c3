package cognito

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// TriggerInvoker runs the function a LambdaConfig ARN names. cognitod
// cannot run Lambda: internal/triggers implements it by calling the
// webhook an operator mapped to the ARN. Invoke sends event (a JSON
// document shaped as Cognito's Lambda trigger events) and returns the
// function's answer (the event, its response filled in). It returns a
// *TriggerFunctionError when the function ran and reported an error, and
// any other error when it could not be run (unknown ARN, unreachable,
// timed out); the domain words both as Cognito does. Implementations
// must be safe for concurrent use.
type TriggerInvoker interface {
	Invoke(ctx context.Context, arn string, event []byte) ([]byte, error)
}

// TriggerFunctionError is a function's own refusal: the message it
// reported, which Cognito relays in UserLambdaValidationException.
type TriggerFunctionError struct{ Message string }

func (e *TriggerFunctionError) Error() string { return "cognito: trigger failed: " + e.Message }

// ErrTriggerNotMapped is what an invoker returns for an ARN it has no
// webhook for.
var ErrTriggerNotMapped = errors.New("cognito: no webhook for this function ARN")

// TriggerTimeout is how long Cognito waits for a trigger: "Amazon Cognito
// invokes Lambda functions synchronously. When called, your Lambda
// function must respond within 5 seconds" (developer guide, "Customizing
// user pool workflows with Lambda triggers").
const TriggerTimeout = 5 * time.Second

// The exceptions of a failed trigger.
var (
	ErrUserLambdaValidation = &Error{Type: "UserLambdaValidationException"}
	ErrUnexpectedLambda     = &Error{Type: "UnexpectedLambdaException"}
	ErrInvalidLambdaResp    = &Error{Type: "InvalidLambdaResponseException", Message: msgLambdaUnrecognizable}
)

// The triggers cognitod invokes, by their LambdaConfig member; the name is
// also the one Cognito's error messages use.
const (
	triggerPreSignUp        = "PreSignUp"
	triggerPostConfirmation = "PostConfirmation"
	triggerPreAuth          = "PreAuthentication"
	triggerPostAuth         = "PostAuthentication"
	triggerPreToken         = "PreTokenGeneration"
)

// invokedTriggers are the LambdaConfig members cognitod acts on. The
// others (the custom SMS and email senders) stay refused: a trigger stored
// but never called is a check the pool owner believes in force.
var invokedTriggers = map[string]bool{triggerPreSignUp: true, triggerPostConfirmation: true, triggerPreAuth: true,
	triggerPostAuth: true, triggerPreToken: true, "PreTokenGenerationConfig": true, triggerCustomMessage: true,
	triggerUserMigration: true, triggerDefineAuth: true, triggerCreateAuth: true, triggerVerifyAuth: true}

// lambdaConfig is the part of LambdaConfigType cognitod reads.
type lambdaConfig struct {
	PreSignUp                string
	PostConfirmation         string
	PreAuthentication        string
	PostAuthentication       string
	PreTokenGeneration       string
	CustomMessage            string
	UserMigration            string
	DefineAuthChallenge      string
	CreateAuthChallenge      string
	VerifyAuthChallenge      string `json:"VerifyAuthChallengeResponse"`
	PreTokenGenerationConfig *struct{ LambdaVersion, LambdaArn string }
}

// triggerARN returns the ARN pool sets for trigger, "" when none. The
// quick byte check keeps pools without triggers (most) off the JSON
// decoder: the token endpoint asks this on every request.
func triggerARN(pool *UserPool, trigger string) string {
	raw := pool.Settings.LambdaConfig
	if len(raw) < 3 || !bytes.Contains(raw, []byte(trigger)) {
		return ""
	}
	var lc lambdaConfig
	if json.Unmarshal(raw, &lc) != nil {
		return ""
	}
	switch trigger {
	case triggerPreSignUp:
		return lc.PreSignUp
	case triggerPostConfirmation:
		return lc.PostConfirmation
	case triggerPreAuth:
		return lc.PreAuthentication
	case triggerPostAuth:
		return lc.PostAuthentication
	case triggerCustomMessage:
		return lc.CustomMessage
	case triggerUserMigration:
		return lc.UserMigration
	case triggerDefineAuth:
		return lc.DefineAuthChallenge
	case triggerCreateAuth:
		return lc.CreateAuthChallenge
	case triggerVerifyAuth:
		return lc.VerifyAuthChallenge
	}
	return ""
}

// preTokenTrigger returns the pool's pre token generation function and
// the event version it asked for: PreTokenGenerationConfig wins over the
// legacy PreTokenGeneration member, which means V1_0 ("If you set only
// PreTokenGeneration, the trigger version is V1_0", API reference,
// LambdaConfigType).
func preTokenTrigger(pool *UserPool) (arn, version string) {
	raw := pool.Settings.LambdaConfig
	if len(raw) < 3 || !bytes.Contains(raw, []byte(triggerPreToken)) {
		return "", ""
	}
	var lc lambdaConfig
	if json.Unmarshal(raw, &lc) != nil {
		return "", ""
	}
	if c := lc.PreTokenGenerationConfig; c != nil && c.LambdaArn != "" {
		return c.LambdaArn, c.LambdaVersion
	}
	if lc.PreTokenGeneration != "" {
		return lc.PreTokenGeneration, "V1_0"
	}
	return "", ""
}

// checkLambdaConfig refuses a LambdaConfig naming a trigger cognitod does
// not invoke, or a function no webhook is configured for: either would be
// stored and never run.
func (s *Service) checkLambdaConfig(raw json.RawMessage) error {
	if len(raw) == 0 {
		return nil
	}
	var lc map[string]json.RawMessage
	if err := json.Unmarshal(raw, &lc); err != nil {
		return ErrInvalidParameter.WithMessagef(msgLambdaRefused, "")
	}
	names := make([]string, 0, len(lc))
	for name, v := range lc {
		// KMSKeyID only names the key custom sender triggers would
		// decrypt with: no trigger, nothing ignored.
		if name != "KMSKeyID" && string(v) != "null" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		if !invokedTriggers[name] {
			return ErrInvalidParameter.WithMessagef(msgLambdaRefused, name)
		}
		var arn string
		if name == "PreTokenGenerationConfig" {
			var c struct{ LambdaVersion, LambdaArn string }
			if json.Unmarshal(lc[name], &c) != nil {
				return ErrInvalidParameter.WithMessagef(msgLambdaRefused, name)
			}
			arn = c.LambdaArn
		} else if json.Unmarshal(lc[name], &arn) != nil {
			return ErrInvalidParameter.WithMessagef(msgLambdaRefused, name)
		}
		if s.triggers == nil {
			return ErrInvalidParameter.WithMessagef(msgLambdaNoWebhooks, name)
		}
		if m, ok := s.triggers.(interface{ Maps(arn string) bool }); ok && !m.Maps(arn) {
			return ErrInvalidParameter.WithMessagef(msgLambdaNotMapped, name, arn)
		}
	}
	return nil
}

// triggerEvent is the envelope of every trigger event ("Lambda trigger
// common parameters", developer guide).
type triggerEvent struct {
	Version       string        `json:"version"`
	TriggerSource string        `json:"triggerSource"`
	Region        string        `json:"region"`
	UserPoolID    string        `json:"userPoolId"`
	UserName      string        `json:"userName"`
	CallerContext callerContext `json:"callerContext"`
	Request       any           `json:"request"`
	Response      any           `json:"response"`
}

type callerContext struct {
	AWSSDKVersion string `json:"awsSdkVersion"`
	ClientID      string `json:"clientId"`
}

// sdkVersionUnknown is awsSdkVersion when the caller's SDK is not known:
// the domain does not see the request's User-Agent.
const sdkVersionUnknown = "aws-sdk-unknown-unknown"

// invokeTrigger sends one event to arn and decodes the function's
// response member into resp (which may be nil when the trigger's response
// is ignored). name is the trigger, as Cognito's messages name it.
func (s *Service) invokeTrigger(ctx context.Context, name, arn string, ev *triggerEvent, resp any) error {
	if s.triggers == nil {
		return triggerFailure(name, ErrTriggerNotMapped)
	}
	if ev.Version == "" {
		ev.Version = "1"
	}
	if ev.Region == "" {
		ev.Region = RegionOfPoolID(ev.UserPoolID)
	}
	if ev.CallerContext.AWSSDKVersion == "" {
		ev.CallerContext.AWSSDKVersion = sdkVersionUnknown
	}
	body, err := json.Marshal(ev)
	if err != nil {
		return asError(err)
	}
	out, err := s.triggers.Invoke(ctx, arn, body)
	if err != nil {
		return triggerFailure(name, err)
	}
	return decodeTriggerResponse(out, resp)
}

// decodeTriggerResponse reads a function's answer (network input, bounded
// by the invoker) into resp, the trigger's response type; nil resp only
// checks that the answer is an event. Output that is not the event JSON,
// or whose response member does not fit the trigger's, is Cognito's
// InvalidLambdaResponseException.
func decodeTriggerResponse(out []byte, resp any) error {
	if resp == nil {
		var v map[string]json.RawMessage
		if json.Unmarshal(out, &v) != nil {
			return ErrInvalidLambdaResp
		}
		return nil
	}
	var answer struct {
		Response json.RawMessage `json:"response"`
	}
	if json.Unmarshal(out, &answer) != nil {
		return ErrInvalidLambdaResp
	}
	r := bytes.TrimSpace(answer.Response)
	if len(r) == 0 || string(r) == "null" {
		return nil // nothing changed
	}
	if r[0] != '{' || json.Unmarshal(r, resp) != nil {
		return ErrInvalidLambdaResp
	}
	return nil
}

// triggerFailure words a failed invocation as Cognito does: the
// function's own error is UserLambdaValidationException, a function that
// could not be run (or did not answer in time) UnexpectedLambdaException.
func triggerFailure(name string, err error) error {
	if fe := (*TriggerFunctionError)(nil); errors.As(err, &fe) {
		return ErrUserLambdaValidation.WithMessagef(msgLambdaFailed, name, trimMessage(fe.Message))
	}
	msg := msgLambdaUnavailable
	var timeout interface{ Timeout() bool }
	switch {
	case errors.Is(err, ErrTriggerNotMapped):
		msg = msgLambdaNotFound
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &timeout) && timeout.Timeout():
		msg = msgLambdaTimeout
	}
	return &Error{Type: ErrUnexpectedLambda.Type, Message: fmt.Sprintf(msg, name), Cause: err}
}

// attributeMap is userAttributes as trigger events carry them: name to
// value, every value a string.
func attributeMap(attrs []Attribute) map[string]string {
	m := make(map[string]string, len(attrs))
	for _, a := range attrs {
		m[a.Name] = a.Value
	}
	return m
}

// userEventAttributes adds cognito:user_status, which Cognito puts among
// the userAttributes of the events that follow a sign-up.
func userEventAttributes(u *User) map[string]string {
	m := attributeMap(u.Attributes)
	m["cognito:user_status"] = string(u.Status)
	return m
}

// nonNil returns m, or an empty map for nil: events carry {} rather than
// null for absent metadata.
func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// trimMessage bounds what a function's error message adds to ours.
func trimMessage(s string) string {
	s = strings.ToValidUTF8(s, "")
	if len(s) > 1024 {
		s = s[:1024]
	}
	return s
}
