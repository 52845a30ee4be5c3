package iam

import (
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Decision is the result of evaluating a request.
type Decision int

const (
	// ImplicitDeny: no statement allows the request (and none denies it).
	ImplicitDeny Decision = iota
	// Allowed: a statement allows it and none denies it.
	Allowed
	// ExplicitDeny: a Deny statement applies; nothing overrides it.
	ExplicitDeny
)

func (d Decision) String() string {
	switch d {
	case Allowed:
		return "Allow"
	case ExplicitDeny:
		return "ExplicitDeny"
	}
	return "ImplicitDeny"
}

// Request is what is asked: an action ("cognito-idp:DescribeUserPool"),
// the resource it acts on (an ARN or "*") and the request context.
type Request struct {
	Action   string
	Resource string
	// SourceIP is the caller's address; the zero Addr means unknown, and
	// aws:SourceIp is then absent from the context.
	SourceIP netip.Addr
	// Time is the request time (aws:CurrentTime, aws:EpochTime).
	Time time.Time
	// SecureTransport is whether the request came over TLS.
	SecureTransport bool
}

// Evaluate decides a request under one policy: an explicit Deny in any
// statement wins; otherwise an Allow; otherwise the request is implicitly
// denied. A nil policy denies everything implicitly.
func Evaluate(p *Policy, req Request) Decision {
	if p == nil {
		return ImplicitDeny
	}
	allowed := false
	for i := range p.Statements {
		st := &p.Statements[i]
		if !st.applies(req) {
			continue
		}
		if st.Effect == Deny {
			return ExplicitDeny
		}
		allowed = true
	}
	if allowed {
		return Allowed
	}
	return ImplicitDeny
}

func (st *Statement) applies(req Request) bool {
	action := strings.ToLower(req.Action)
	matched := false
	for _, a := range st.Actions {
		if Match(a, action) {
			matched = true
			break
		}
	}
	if matched == st.NotAction {
		return false
	}
	matched = false
	for _, r := range st.Resources {
		if matchResource(r, req.Resource) {
			matched = true
			break
		}
	}
	if matched == st.NotResource {
		return false
	}
	// Operators and keys AND together; a key's values OR.
	for i := range st.Conditions {
		if !st.Conditions[i].holds(req) {
			return false
		}
	}
	return true
}

// matchResource matches an ARN pattern against an ARN, case-sensitively.
// It is one glob over the whole ARN: IAM's Resource page says a * that ends
// a segment "can expand to match beyond the colon boundaries", so
// "arn:aws:cognito-idp:*" covers every user pool.
func matchResource(pattern, arn string) bool {
	return pattern == "*" || Match(pattern, arn)
}

// Match reports whether s matches pattern, where * matches any run of
// characters (none included) and ? any one character. It runs in
// O(len(pattern)*len(s)) at worst, never exponentially.
func Match(pattern, s string) bool {
	p, q := []rune(pattern), []rune(s)
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(q) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == q[si]):
			pi++
			si++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// value returns the request's value for a key, as the text string
// operators compare, and whether the key is present.
func (req Request) value(key string) (string, bool) {
	switch key {
	case KeySourceIP:
		if !req.SourceIP.IsValid() {
			return "", false
		}
		return req.SourceIP.Unmap().String(), true
	case KeyCurrentTime:
		if req.Time.IsZero() {
			return "", false
		}
		return req.Time.UTC().Format(time.RFC3339), true
	case KeyEpochTime:
		if req.Time.IsZero() {
			return "", false
		}
		return strconv.FormatInt(req.Time.Unix(), 10), true
	case KeySecureTransport:
		return strconv.FormatBool(req.SecureTransport), true
	}
	return "", false
}

// holds evaluates one operator on one key. A key absent from the request
// makes the condition false, except that a negated operator is then true
// and ...IfExists is true (IAM's documented rule).
func (c *condition) holds(req Request) bool {
	v, present := req.value(c.key)
	if !present {
		return c.ifExists || c.op.negate
	}
	any := false
	switch c.op.kind {
	case opString:
		for _, want := range c.strs {
			if c.op.like && Match(want, v) || !c.op.like && want == v {
				any = true
				break
			}
		}
	case opIP:
		a := req.SourceIP.Unmap()
		for _, p := range c.prefixes {
			if p.Contains(a) {
				any = true
				break
			}
		}
	case opDate:
		t := req.Time.Truncate(time.Second)
		if c.key == KeyCurrentTime {
			t = req.Time
		}
		for _, want := range c.times {
			cmp := t.Compare(want)
			if cmp == c.op.cmp || (c.op.orEqual && cmp == 0) {
				any = true
				break
			}
		}
	case opBool:
		for _, want := range c.bools {
			if want == req.SecureTransport {
				any = true
				break
			}
		}
	}
	return any != c.op.negate
}
