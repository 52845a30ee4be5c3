package iam

import (
	"fmt"
	"net/netip"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Bounds. MaxPolicyChars is IAM's limit for a managed policy (6,144
// characters, white space not counted); MaxPolicyBytes bounds the text
// with its white space, before anything is decoded.
const (
	MaxPolicyChars      = 6144
	MaxPolicyBytes      = 64 << 10
	MaxStatements       = 100
	maxValuesPerElement = 100
)

// Service is the only service prefix a policy may name.
const Service = "cognito-idp"

// Effect is a statement's effect.
type Effect int

const (
	Allow Effect = iota + 1
	Deny
)

// Policy is a parsed, validated policy document.
type Policy struct {
	Version    string
	Statements []Statement
}

// Statement is one statement. Exactly one of Actions/NotActions and one of
// Resources/NotResources is set (the Not flags say which).
type Statement struct {
	Sid       string
	Effect    Effect
	NotAction bool
	Actions   []string // lower-cased "cognito-idp:<pattern>" or "*"
	// ActionText is the Action (or NotAction) values as written.
	ActionText  []string
	NotResource bool
	Resources   []string
	Conditions  []condition
}

// ParseError is a policy the parser refuses; Message says why, in words
// fit for the person who wrote the policy.
type ParseError struct{ Message string }

func (e *ParseError) Error() string { return "invalid policy: " + e.Message }

func perr(format string, args ...any) error {
	return &ParseError{Message: fmt.Sprintf(format, args...)}
}

// Parse parses and validates a policy document.
func Parse(text string) (*Policy, error) {
	if len(text) > MaxPolicyBytes {
		return nil, perr("the policy document is longer than %d bytes", MaxPolicyBytes)
	}
	if !utf8.ValidString(text) {
		return nil, perr("the policy document is not valid UTF-8")
	}
	n := 0
	for _, r := range text {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	if n > MaxPolicyChars {
		return nil, perr("the policy document has %d characters (white space not counted); the limit is %d", n, MaxPolicyChars)
	}
	v, err := decodeStrict([]byte(text))
	if err != nil {
		return nil, &ParseError{Message: err.Error()}
	}
	doc, ok := v.(map[string]any)
	if !ok {
		return nil, perr("the policy document must be a JSON object")
	}
	p := &Policy{Version: "2008-10-17"}
	for k := range doc {
		switch k {
		case "Version", "Id", "Statement":
		default:
			return nil, perr("unknown policy element %q (allowed: Version, Id, Statement)", truncate(k))
		}
	}
	if ver, present := doc["Version"]; present {
		s, ok := ver.(string)
		if !ok || (s != "2012-10-17" && s != "2008-10-17") {
			return nil, perr("Version must be \"2012-10-17\" or \"2008-10-17\"")
		}
		p.Version = s
	}
	if id, present := doc["Id"]; present {
		if _, ok := id.(string); !ok {
			return nil, perr("Id must be a string")
		}
	}
	var raw []any
	switch st := doc["Statement"].(type) {
	case map[string]any:
		raw = []any{st}
	case []any:
		raw = st
	case nil:
		return nil, perr("the policy has no Statement")
	default:
		return nil, perr("Statement must be an object or a list of objects")
	}
	if len(raw) == 0 {
		return nil, perr("the policy has no Statement")
	}
	if len(raw) > MaxStatements {
		return nil, perr("the policy has %d statements; the limit is %d", len(raw), MaxStatements)
	}
	for i, r := range raw {
		m, ok := r.(map[string]any)
		if !ok {
			return nil, perr("statement %d is not an object", i+1)
		}
		st, err := parseStatement(m)
		if err != nil {
			return nil, perr("statement %d: %s", i+1, err.(*ParseError).Message)
		}
		p.Statements = append(p.Statements, st)
	}
	return p, nil
}

func parseStatement(m map[string]any) (Statement, error) {
	var st Statement
	for k := range m {
		switch k {
		case "Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition":
		case "Principal", "NotPrincipal":
			return st, perr("%s is for resource-based policies; an access key's policy applies to the key itself", k)
		default:
			return st, perr("unknown statement element %q (allowed: Sid, Effect, Action, NotAction, Resource, NotResource, Condition)", truncate(k))
		}
	}
	if sid, present := m["Sid"]; present {
		s, ok := sid.(string)
		if !ok || !validSid(s) {
			return st, perr("Sid must be a string of letters and digits")
		}
		st.Sid = s
	}
	switch m["Effect"] {
	case "Allow":
		st.Effect = Allow
	case "Deny":
		st.Effect = Deny
	case nil:
		return st, perr("Effect is required")
	default:
		return st, perr("Effect must be \"Allow\" or \"Deny\"")
	}
	a, na := m["Action"], m["NotAction"]
	switch {
	case a != nil && na != nil:
		return st, perr("a statement has Action or NotAction, not both")
	case a == nil && na == nil:
		return st, perr("Action or NotAction is required")
	}
	if na != nil {
		st.NotAction, a = true, na
	}
	list, err := stringList(a, "Action")
	if err != nil {
		return st, err
	}
	for _, s := range list {
		act, err := parseAction(s)
		if err != nil {
			return st, err
		}
		st.Actions = append(st.Actions, act)
		st.ActionText = append(st.ActionText, s)
	}
	r, nr := m["Resource"], m["NotResource"]
	switch {
	case r != nil && nr != nil:
		return st, perr("a statement has Resource or NotResource, not both")
	case r == nil && nr == nil:
		return st, perr("Resource or NotResource is required")
	}
	if nr != nil {
		st.NotResource, r = true, nr
	}
	if st.Resources, err = stringList(r, "Resource"); err != nil {
		return st, err
	}
	for _, res := range st.Resources {
		if res != "*" && !strings.HasPrefix(res, "arn:") {
			return st, perr("Resource %q is neither \"*\" nor an ARN", truncate(res))
		}
		if strings.Contains(res, "${") {
			return st, perr("Resource %q uses a policy variable; cognitod does not support them", truncate(res))
		}
	}
	if c, present := m["Condition"]; present {
		cm, ok := c.(map[string]any)
		if !ok {
			return st, perr("Condition must be an object")
		}
		if st.Conditions, err = parseConditions(cm); err != nil {
			return st, err
		}
	}
	return st, nil
}

func validSid(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// stringList reads an element that is a string or a non-empty list of
// strings.
func stringList(v any, what string) ([]string, error) {
	switch t := v.(type) {
	case string:
		return []string{t}, nil
	case []any:
		if len(t) == 0 {
			return nil, perr("%s must not be an empty list", what)
		}
		if len(t) > maxValuesPerElement {
			return nil, perr("%s has more than %d values", what, maxValuesPerElement)
		}
		out := make([]string, 0, len(t))
		for _, e := range t {
			s, ok := e.(string)
			if !ok {
				return nil, perr("%s must be a string or a list of strings", what)
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, perr("%s must be a string or a list of strings", what)
}

// parseAction checks "*" or "cognito-idp:<pattern>"; the result is lower
// case, since IAM matches actions without regard to case.
func parseAction(s string) (string, error) {
	if s == "*" {
		return s, nil
	}
	svc, name, ok := strings.Cut(s, ":")
	if !ok || name == "" {
		return "", perr("Action %q must be \"*\" or \"cognito-idp:<Operation>\"", truncate(s))
	}
	if !strings.EqualFold(svc, Service) {
		return "", perr("Action %q names service %q; cognitod serves only %s", truncate(s), truncate(svc), Service)
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '*' || r == '?') {
			return "", perr("Action %q: an operation name has only letters, digits and the wildcards * and ?", truncate(s))
		}
	}
	return strings.ToLower(Service + ":" + name), nil
}

// ActionPatterns returns the operation-name patterns of the policy's
// Action and NotAction elements ("*" for an action of "*"), lower case, so
// that a caller can check each names at least one real operation.
func (p *Policy) ActionPatterns() []string {
	var out []string
	for _, st := range p.Statements {
		for _, a := range st.Actions {
			out = append(out, strings.TrimPrefix(a, Service+":"))
		}
	}
	return out
}

// ---- conditions

// Condition keys cognitod supplies.
const (
	KeySourceIP        = "aws:sourceip"
	KeyCurrentTime     = "aws:currenttime"
	KeyEpochTime       = "aws:epochtime"
	KeySecureTransport = "aws:securetransport"
)

type opKind int

const (
	opString opKind = iota + 1
	opIP
	opDate
	opBool
)

type operator struct {
	kind   opKind
	negate bool
	// cmp is for dates: -1 less, 0 equal, 1 greater; with orEqual.
	cmp     int
	orEqual bool
	like    bool
}

var operators = map[string]operator{
	"StringEquals":          {kind: opString},
	"StringNotEquals":       {kind: opString, negate: true},
	"StringLike":            {kind: opString, like: true},
	"StringNotLike":         {kind: opString, like: true, negate: true},
	"IpAddress":             {kind: opIP},
	"NotIpAddress":          {kind: opIP, negate: true},
	"DateEquals":            {kind: opDate, cmp: 0},
	"DateNotEquals":         {kind: opDate, cmp: 0, negate: true},
	"DateLessThan":          {kind: opDate, cmp: -1},
	"DateLessThanEquals":    {kind: opDate, cmp: -1, orEqual: true},
	"DateGreaterThan":       {kind: opDate, cmp: 1},
	"DateGreaterThanEquals": {kind: opDate, cmp: 1, orEqual: true},
	"Bool":                  {kind: opBool},
}

// keyKinds says which operator kinds each key accepts; string operators
// compare a key's text form, as IAM does.
var keyKinds = map[string][]opKind{
	KeySourceIP:        {opIP, opString},
	KeyCurrentTime:     {opDate, opString},
	KeyEpochTime:       {opDate, opString},
	KeySecureTransport: {opBool, opString},
}

type condition struct {
	op       operator
	ifExists bool
	key      string // lower case
	strs     []string
	prefixes []netip.Prefix
	times    []time.Time
	bools    []bool
}

func parseConditions(cm map[string]any) ([]condition, error) {
	var out []condition
	for opName, block := range cm {
		name := opName
		ifExists := strings.HasSuffix(name, "IfExists")
		if ifExists {
			name = strings.TrimSuffix(name, "IfExists")
		}
		if strings.HasPrefix(name, "ForAnyValue:") || strings.HasPrefix(name, "ForAllValues:") {
			return nil, perr("condition set operators (%q) are not supported: every key cognitod supplies has one value", truncate(opName))
		}
		op, ok := operators[name]
		if !ok {
			return nil, perr("condition operator %q is not supported (supported: StringEquals, StringNotEquals, StringLike, StringNotLike, IpAddress, NotIpAddress, DateEquals, DateNotEquals, DateLessThan, DateLessThanEquals, DateGreaterThan, DateGreaterThanEquals, Bool, each with IfExists)", truncate(opName))
		}
		keys, ok := block.(map[string]any)
		if !ok || len(keys) == 0 {
			return nil, perr("condition operator %s must map condition keys to values", name)
		}
		for rawKey, vals := range keys {
			key := strings.ToLower(rawKey)
			kinds, known := keyKinds[key]
			if !known {
				return nil, perr("condition key %q is not supported (supported: aws:SourceIp, aws:CurrentTime, aws:EpochTime, aws:SecureTransport)", truncate(rawKey))
			}
			if !hasKind(kinds, op.kind) {
				return nil, perr("condition operator %s cannot be used with %s", name, rawKey)
			}
			strs, err := conditionValues(vals, rawKey)
			if err != nil {
				return nil, err
			}
			c := condition{op: op, ifExists: ifExists, key: key, strs: strs}
			for _, s := range strs {
				switch op.kind {
				case opIP:
					pfx, err := parseCIDR(s)
					if err != nil {
						return nil, perr("%s: %q is not an IP address or CIDR block", rawKey, truncate(s))
					}
					c.prefixes = append(c.prefixes, pfx)
				case opDate:
					t, err := parseDate(s)
					if err != nil {
						return nil, perr("%s: %q is not a date (ISO 8601, e.g. 2026-01-02T15:04:05Z, or seconds since 1970)", rawKey, truncate(s))
					}
					c.times = append(c.times, t)
				case opBool:
					switch strings.ToLower(s) {
					case "true":
						c.bools = append(c.bools, true)
					case "false":
						c.bools = append(c.bools, false)
					default:
						return nil, perr("%s: %q is not true or false", rawKey, truncate(s))
					}
				}
			}
			out = append(out, c)
		}
	}
	return out, nil
}

func hasKind(ks []opKind, k opKind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// conditionValues reads a condition's values: a string, number or boolean,
// or a list of them (IAM accepts `"aws:SecureTransport": false`).
func conditionValues(v any, key string) ([]string, error) {
	one := func(e any) (string, bool) {
		switch t := e.(type) {
		case string:
			return t, true
		case bool:
			if t {
				return "true", true
			}
			return "false", true
		case interface{ String() string }: // json.Number
			return t.String(), true
		}
		return "", false
	}
	if list, ok := v.([]any); ok {
		if len(list) == 0 {
			return nil, perr("%s has an empty list of values", truncate(key))
		}
		if len(list) > maxValuesPerElement {
			return nil, perr("%s has more than %d values", truncate(key), maxValuesPerElement)
		}
		out := make([]string, 0, len(list))
		for _, e := range list {
			s, ok := one(e)
			if !ok {
				return nil, perr("%s: values must be strings, numbers or booleans", truncate(key))
			}
			out = append(out, s)
		}
		return out, nil
	}
	s, ok := one(v)
	if !ok {
		return nil, perr("%s: values must be strings, numbers or booleans", truncate(key))
	}
	return []string{s}, nil
}

func parseCIDR(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return p, err
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

var dateLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05", "2006-01-02"}

// parseDate reads the date forms IAM documents: ISO 8601 (W3C profile) or
// epoch seconds.
func parseDate(s string) (time.Time, error) {
	if s != "" && strings.Trim(s, "0123456789") == "" && len(s) <= 12 {
		var n int64
		for _, r := range s {
			n = n*10 + int64(r-'0')
		}
		return time.Unix(n, 0).UTC(), nil
	}
	var err error
	for _, l := range dateLayouts {
		var t time.Time
		if t, err = time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, err
}
