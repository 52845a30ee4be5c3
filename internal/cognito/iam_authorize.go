package cognito

import (
	"context"
	"crypto/sha256"
	"errors"
	"reflect"
	"sync"

	"github.com/cognitod/cognitod/internal/iam"
)

// Authorize decides whether the caller in ctx (a verified access key) may
// call operation with input in, by the key's policy: AWS's action
// cognito-idp:<operation> on the resource the Service Authorization
// Reference gives it (the user pool's ARN when the input names a pool, the
// ARN itself for the tagging operations, "*" for CreateUserPool,
// ListUserPools and DescribeUserPoolDomain, which have no resource). Root
// keys may do everything. It is the one policy decision for the JSON API
// and the console; unsigned operations are not authorized by IAM and never
// reach it.
func (s *Service) Authorize(ctx context.Context, operation string, in any) error {
	c, ok := CallerFrom(ctx)
	if !ok || c.AccessKeyID == "" {
		return &Error{Type: ErrInternal.Type, Message: ErrInternal.Message, Cause: errors.New("cognito: Authorize without a caller")}
	}
	// The row SigV4 verification read for this request, when the caller
	// carries it (access_key_cache.go).
	k, err := s.callerAccessKey(ctx, c)
	if err != nil {
		return asError(err)
	}
	if k == nil {
		// Deleted since its signature was checked.
		return ErrUnrecognizedClient
	}
	if k.Root {
		return nil
	}
	action := "cognito-idp:" + operation
	resource := s.authzResource(c.Region, in)
	var p *iam.Policy
	if k.Policy != "" {
		if p, err = s.policies.get(k.Policy); err != nil {
			// Stored policies were checked when set; one that no longer
			// parses (a downgrade, a hand-edited row) denies: fail closed.
			s.logger.ErrorContext(ctx, "access key policy does not parse; denying", "access_key_id", k.AccessKeyID, "err", err)
			p = nil
		}
	}
	d := iam.Evaluate(p, iam.Request{Action: action, Resource: resource, SourceIP: c.SourceIP, Time: s.now(), SecureTransport: c.SecureTransport})
	if d == iam.Allowed {
		return nil
	}
	user := "arn:aws:iam::" + s.accountID + ":user/" + k.Name
	if d == iam.ExplicitDeny {
		return ErrAccessDenied.WithMessagef(msgAccessDeniedExplicit, user, action, resource)
	}
	return ErrAccessDenied.WithMessagef(msgAccessDeniedImplicit, user, action, resource, action)
}

var (
	// ErrAccessDenied is what a key's policy refuses.
	ErrAccessDenied = &Error{Type: "AccessDeniedException"}
	// ErrUnrecognizedClient is an access key that does not exist.
	ErrUnrecognizedClient = &Error{Type: "UnrecognizedClientException", Message: "The security token included in the request is invalid."}
)

// authzResource is the ARN an operation acts on: in's UserPoolId (as the
// pool in the caller's region, where the request is served) or
// ResourceArn, else "*". Inputs have been validated, so both are bounded.
func (s *Service) authzResource(region string, in any) string {
	v := reflect.ValueOf(in)
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return "*"
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return "*"
	}
	if f := v.FieldByName("UserPoolId"); f.IsValid() && f.Kind() == reflect.String && f.String() != "" {
		return "arn:aws:cognito-idp:" + region + ":" + s.accountID + ":userpool/" + f.String()
	}
	if f := v.FieldByName("ResourceArn"); f.IsValid() && f.Kind() == reflect.String && f.String() != "" {
		return f.String()
	}
	return "*"
}

// policyCache holds parsed policies by the SHA-256 of their text: a key
// whose policy changes has new text, so the next request parses it, and
// an unchanged policy is parsed once. Bounded; emptied when full.
type policyCache struct {
	mu sync.Mutex
	m  map[[32]byte]*iam.Policy
}

const maxCachedPolicies = 1024

func (c *policyCache) get(text string) (*iam.Policy, error) {
	h := sha256.Sum256([]byte(text))
	c.mu.Lock()
	p := c.m[h]
	c.mu.Unlock()
	if p != nil {
		return p, nil
	}
	p, err := ParsePolicy(text)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxCachedPolicies {
		c.m = map[[32]byte]*iam.Policy{}
	}
	c.m[h] = p
	c.mu.Unlock()
	return p, nil
}
