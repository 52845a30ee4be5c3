package iam

import (
	"net/netip"
	"strings"
	"testing"
	"time"
)

const (
	poolA = "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_AAAAAAAAA"
	poolB = "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_BBBBBBBBB"
)

var t0 = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func req(action, resource string) Request {
	return Request{Action: action, Resource: resource, SourceIP: netip.MustParseAddr("127.0.0.1"), Time: t0}
}

func mustParse(t *testing.T, text string) *Policy {
	t.Helper()
	p, err := Parse(text)
	if err != nil {
		t.Fatalf("Parse(%s): %v", text, err)
	}
	return p
}

// TestEvaluate follows the rules of AWS's "Policy evaluation logic" and
// "IAM JSON policy elements" pages, one case per rule.
func TestEvaluate(t *testing.T) {
	readOnlyA := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["cognito-idp:Describe*","cognito-idp:List*"],"Resource":"` + poolA + `"}]}`
	cases := []struct {
		name   string
		policy string
		req    Request
		want   Decision
	}{
		// "By default, all requests are implicitly denied."
		{"no statement applies: implicit deny", readOnlyA, req("cognito-idp:DeleteUserPool", poolA), ImplicitDeny},
		{"allow applies", readOnlyA, req("cognito-idp:DescribeUserPool", poolA), Allowed},
		{"allow for another resource: implicit deny", readOnlyA, req("cognito-idp:DescribeUserPool", poolB), ImplicitDeny},
		// "Action ... values are case-insensitive"
		{"actions match without regard to case", `{"Statement":{"Effect":"Allow","Action":"COGNITO-IDP:describeuserpool","Resource":"*"}}`,
			req("cognito-idp:DescribeUserPool", poolA), Allowed},
		// Resource ARNs are case-sensitive.
		{"resources match with regard to case", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"` + strings.ToLower(poolA) + `"}}`,
			req("cognito-idp:DescribeUserPool", poolA), ImplicitDeny},
		// "An explicit deny in any policy overrides any allows."
		{"explicit deny beats allow", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"cognito-idp:Delete*","Resource":"*"}]}`,
			req("cognito-idp:DeleteUserPool", poolA), ExplicitDeny},
		{"deny listed first still wins", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"cognito-idp:Delete*","Resource":"*"},{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
			req("cognito-idp:DeleteUserPool", poolA), ExplicitDeny},
		{"a deny that does not apply leaves the allow", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"cognito-idp:Delete*","Resource":"*"}]}`,
			req("cognito-idp:ListUserPools", "*"), Allowed},
		// NotAction: "matches everything except the specified list".
		{"NotAction allow covers other actions", `{"Statement":{"Effect":"Allow","NotAction":"cognito-idp:Delete*","Resource":"*"}}`,
			req("cognito-idp:CreateUserPool", "*"), Allowed},
		{"NotAction allow excludes its list", `{"Statement":{"Effect":"Allow","NotAction":"cognito-idp:Delete*","Resource":"*"}}`,
			req("cognito-idp:DeleteUserPool", poolA), ImplicitDeny},
		{"NotAction with Deny denies everything else", `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","NotAction":"cognito-idp:List*","Resource":"*"}]}`,
			req("cognito-idp:DescribeUserPool", poolA), ExplicitDeny},
		// NotResource
		{"NotResource allow covers other resources", `{"Statement":{"Effect":"Allow","Action":"*","NotResource":"` + poolB + `"}}`,
			req("cognito-idp:DescribeUserPool", poolA), Allowed},
		{"NotResource allow excludes its list", `{"Statement":{"Effect":"Allow","Action":"*","NotResource":"` + poolB + `"}}`,
			req("cognito-idp:DescribeUserPool", poolB), ImplicitDeny},
		// Wildcards
		{"? matches one character", `{"Statement":{"Effect":"Allow","Action":"cognito-idp:List?sers","Resource":"*"}}`,
			req("cognito-idp:ListUsers", poolA), Allowed},
		{"resource wildcard in the resource part", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:cognito-idp:us-east-1:*:userpool/*"}}`,
			req("cognito-idp:DescribeUserPool", poolA), Allowed},
		{"a trailing resource wildcard crosses colons", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:cognito-idp:*"}}`,
			req("cognito-idp:DescribeUserPool", poolA), Allowed},
		{"a resource wildcard matches only its text", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:cognito-idp:eu-*"}}`,
			req("cognito-idp:DescribeUserPool", poolA), ImplicitDeny},
		{"\"*\" resource for operations without a resource", readOnlyA, req("cognito-idp:ListUserPools", "*"), ImplicitDeny},
		// Conditions: keys AND, values OR.
		{"SourceIp in range", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"127.0.0.1/32"}}}}`,
			req("cognito-idp:ListUserPools", "*"), Allowed},
		{"SourceIp out of range", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}}`,
			req("cognito-idp:ListUserPools", "*"), ImplicitDeny},
		{"values OR", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","127.0.0.0/8"]}}}}`,
			req("cognito-idp:ListUserPools", "*"), Allowed},
		{"keys AND", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"127.0.0.0/8"},"Bool":{"aws:SecureTransport":"true"}}}}`,
			req("cognito-idp:ListUserPools", "*"), ImplicitDeny},
		{"NotIpAddress deny", `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8"]}}}]}`,
			req("cognito-idp:ListUserPools", "*"), ExplicitDeny},
		{"IPv6 CIDR", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"::1/128"}}}}`,
			Request{Action: "cognito-idp:ListUserPools", Resource: "*", SourceIP: netip.MustParseAddr("::1"), Time: t0}, Allowed},
		{"IPv4-mapped IPv6 address matches the IPv4 block", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"127.0.0.1"}}}}`,
			Request{Action: "cognito-idp:ListUserPools", Resource: "*", SourceIP: netip.MustParseAddr("::ffff:127.0.0.1"), Time: t0}, Allowed},
		{"SecureTransport false over plain HTTP", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":false}}}}`,
			req("cognito-idp:ListUserPools", "*"), Allowed},
		{"SecureTransport true needs TLS", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}}`,
			req("cognito-idp:ListUserPools", "*"), ImplicitDeny},
		{"CurrentTime window", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2026-01-01T00:00:00Z"},"DateLessThan":{"aws:CurrentTime":"2027-01-01T00:00:00Z"}}}}`,
			req("cognito-idp:ListUserPools", "*"), Allowed},
		{"CurrentTime window passed", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2026-01-01T00:00:00Z"}}}}`,
			req("cognito-idp:ListUserPools", "*"), ImplicitDeny},
		{"EpochTime as seconds", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateGreaterThanEquals":{"aws:EpochTime":1780315200}}}}`,
			req("cognito-idp:ListUserPools", "*"), Allowed},
		{"StringLike on SourceIp", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringLike":{"aws:SourceIp":"127.*"}}}}`,
			req("cognito-idp:ListUserPools", "*"), Allowed},
		{"condition keys are case-insensitive", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"AWS:SOURCEIP":"127.0.0.1/32"}}}}`,
			req("cognito-idp:ListUserPools", "*"), Allowed},
		// "If the key ... is not present in the request context, the values
		// do not match and the condition is false"; negated: true;
		// ...IfExists: true.
		{"missing key: condition false", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}}}`,
			Request{Action: "cognito-idp:ListUserPools", Resource: "*", Time: t0}, ImplicitDeny},
		{"missing key: negated condition true", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}}`,
			Request{Action: "cognito-idp:ListUserPools", Resource: "*", Time: t0}, Allowed},
		{"missing key: IfExists true", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddressIfExists":{"aws:SourceIp":"10.0.0.0/8"}}}}`,
			Request{Action: "cognito-idp:ListUserPools", Resource: "*", Time: t0}, Allowed},
		{"present key: IfExists evaluates", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddressIfExists":{"aws:SourceIp":"10.0.0.0/8"}}}}`,
			req("cognito-idp:ListUserPools", "*"), ImplicitDeny},
		{"StringNotEquals with several values: none may match", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceIp":["10.1.1.1","127.0.0.1"]}}}}`,
			req("cognito-idp:ListUserPools", "*"), ImplicitDeny},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := mustParse(t, c.policy)
			if got := Evaluate(p, c.req); got != c.want {
				t.Errorf("Evaluate: got %v, want %v", got, c.want)
			}
		})
	}
	if got := Evaluate(nil, req("cognito-idp:ListUserPools", "*")); got != ImplicitDeny {
		t.Errorf("Evaluate(nil policy): got %v, want ImplicitDeny", got)
	}
}

// TestParseRefuses: everything the evaluator would not enforce as written
// is refused, with a message naming the problem.
func TestParseRefuses(t *testing.T) {
	st := func(body string) string { return `{"Version":"2012-10-17","Statement":{` + body + `}}` }
	big := `{"Version":"2012-10-17","Statement":[` + strings.Repeat(`{"Effect":"Allow","Action":"*","Resource":"*"},`, 100) + `{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	long := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"arn:` + strings.Repeat("a", 6200) + `"}}`
	cases := []struct{ name, text, want string }{
		{"not JSON", `{`, "not valid JSON"},
		{"not an object", `[]`, "must be a JSON object"},
		{"trailing content", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}} {}`, "after its closing brace"},
		{"duplicate member", `{"Statement":{"Effect":"Allow","Effect":"Deny","Action":"*","Resource":"*"}}`, `"Effect" twice`},
		{"bad version", `{"Version":"2020-01-01","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, "Version must be"},
		{"unknown top element", `{"Statements":[]}`, `unknown policy element "Statements"`},
		{"no statement", `{"Version":"2012-10-17"}`, "no Statement"},
		{"empty statement list", `{"Version":"2012-10-17","Statement":[]}`, "no Statement"},
		{"too many statements", big, "101 statements"},
		{"too long", long, "the limit is 6144"},
		{"no effect", st(`"Action":"*","Resource":"*"`), "Effect is required"},
		{"bad effect", st(`"Effect":"allow","Action":"*","Resource":"*"`), "Effect must be"},
		{"no action", st(`"Effect":"Allow","Resource":"*"`), "Action or NotAction is required"},
		{"both actions", st(`"Effect":"Allow","Action":"*","NotAction":"*","Resource":"*"`), "not both"},
		{"no resource", st(`"Effect":"Allow","Action":"*"`), "Resource or NotResource is required"},
		{"other service", st(`"Effect":"Deny","Action":"s3:*","Resource":"*"`), `names service "s3"`},
		{"bad action", st(`"Effect":"Deny","Action":"cognito-idp:Delete-Pool","Resource":"*"`), "only letters, digits"},
		{"resource not an ARN", st(`"Effect":"Allow","Action":"*","Resource":"userpool/x"`), "neither"},
		{"policy variable", st(`"Effect":"Allow","Action":"*","Resource":"arn:aws:cognito-idp:us-east-1:1:userpool/${aws:username}"`), "policy variable"},
		{"principal", st(`"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"`), "resource-based policies"},
		{"unknown element", st(`"Effect":"Allow","Action":"*","Resource":"*","Conditions":{}`), `unknown statement element "Conditions"`},
		{"unknown operator", st(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"aws:EpochTime":"1"}}`), `operator "NumericLessThan" is not supported`},
		{"set operator", st(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:SourceIp":"1.1.1.1"}}`), "set operators"},
		{"unknown key", st(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:username":"bob"}}`), `key "aws:username" is not supported`},
		{"operator and key mismatch", st(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:CurrentTime":"1.1.1.1"}}`), "cannot be used with"},
		{"bad CIDR", st(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/33"}}`), "not an IP address"},
		{"bad date", st(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"tomorrow"}}`), "not a date"},
		{"bad bool", st(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"yes"}}`), "not true or false"},
		{"object as value", st(`"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":{}}}`), "values must be"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(c.text)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Parse: got %v, want an error containing %q", err, c.want)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	for _, c := range []struct {
		p, s string
		want bool
	}{
		{"*", "", true}, {"", "", true}, {"a", "", false}, {"a*", "abc", true}, {"*c", "abc", true},
		{"a?c", "abc", true}, {"a?c", "ac", false}, {"*b*", "abc", true}, {"a*b*c", "aXbYc", true},
		{"a*b*c", "aXbY", false}, {"**", "x", true}, {strings.Repeat("*a", 30) + "b", strings.Repeat("a", 60), false},
	} {
		if got := Match(c.p, c.s); got != c.want {
			t.Errorf("Match(%q, %q): got %v, want %v", c.p, c.s, got, c.want)
		}
	}
}

func BenchmarkEvaluate(b *testing.B) {
	p, err := Parse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["cognito-idp:Describe*","cognito-idp:List*"],"Resource":"` + poolA + `","Condition":{"IpAddress":{"aws:SourceIp":["127.0.0.0/8","::1/128"]}}},{"Effect":"Deny","Action":"cognito-idp:Delete*","Resource":"*"}]}`)
	if err != nil {
		b.Fatal(err)
	}
	r := req("cognito-idp:DescribeUserPool", poolA)
	for b.Loop() {
		Evaluate(p, r)
	}
}
