package server

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cognitod/cognitod/internal/cognito"
)

// TestValidationMessages drives each member rule of the model with a
// request the SDK would refuse to send, and checks the exact answer.
func TestValidationMessages(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	poolID := createPool(t, ts.client("us-east-1"), "validation")
	p := func(format string, args ...any) string { return fmt.Sprintf(format, append([]any{poolID}, args...)...) }
	tests := []struct {
		name, op, body, wantType, wantMsg string
	}{
		{"fail/identifier-pattern", "CreateResourceServer", p(`{"UserPoolId":%q,"Identifier":"a b","Name":"n"}`), "InvalidParameterException",
			`1 validation error detected: Value 'a b' at 'identifier' failed to satisfy constraint: Member must satisfy regular expression pattern: [\x21\x23-\x5B\x5D-\x7E]+`},
		{"fail/required-missing", "CreateResourceServer", p(`{"UserPoolId":%q,"Name":"n"}`), "InvalidParameterException",
			`1 validation error detected: Value null at 'identifier' failed to satisfy constraint: Member must not be null`},
		{"fail/empty-identifier-two-errors", "CreateResourceServer", p(`{"UserPoolId":%q,"Identifier":"","Name":"n"}`), "InvalidParameterException",
			`2 validation errors detected: Value '' at 'identifier' failed to satisfy constraint: Member must have length greater than or equal to 1; Value '' at 'identifier' failed to satisfy constraint: Member must satisfy regular expression pattern: [\x21\x23-\x5B\x5D-\x7E]+`},
		{"fail/identifier-too-long", "CreateResourceServer", p(`{"UserPoolId":%q,"Identifier":"%s","Name":"n"}`, strings.Repeat("x", 257)), "InvalidParameterException",
			`1 validation error detected: Value '` + strings.Repeat("x", 257) + `' at 'identifier' failed to satisfy constraint: Member must have length less than or equal to 256`},
		{"fail/scope-name-slash", "CreateResourceServer", p(`{"UserPoolId":%q,"Identifier":"api","Name":"n","Scopes":[{"ScopeName":"a/b","ScopeDescription":"d"}]}`), "InvalidParameterException",
			`1 validation error detected: Value 'a/b' at 'scopes.1.member.scopeName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\x21\x23-\x2E\x30-\x5B\x5D-\x7E]+`},
		{"fail/scope-description-missing", "CreateResourceServer", p(`{"UserPoolId":%q,"Identifier":"api","Name":"n","Scopes":[{"ScopeName":"a"},{"ScopeName":"b","ScopeDescription":"d"}]}`), "InvalidParameterException",
			`1 validation error detected: Value null at 'scopes.1.member.scopeDescription' failed to satisfy constraint: Member must not be null`},
		{"fail/name-pattern", "CreateResourceServer", p(`{"UserPoolId":%q,"Identifier":"api","Name":"bad/name"}`), "InvalidParameterException",
			`1 validation error detected: Value 'bad/name' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w\s+=,.@-]+`},
		{"fail/duplicate-scope-names", "CreateResourceServer", p(`{"UserPoolId":%q,"Identifier":"api","Name":"n","Scopes":[{"ScopeName":"a","ScopeDescription":"d"},{"ScopeName":"a","ScopeDescription":"e"}]}`), "InvalidParameterException",
			`Duplicate scope names are not allowed: a`},
		{"fail/max-results-range", "ListResourceServers", p(`{"UserPoolId":%q,"MaxResults":0}`), "InvalidParameterException",
			`1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1`},
		{"fail/max-results-too-big", "ListResourceServers", p(`{"UserPoolId":%q,"MaxResults":51}`), "InvalidParameterException",
			`1 validation error detected: Value '51' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50`},
		{"fail/list-user-pools-max-required", "ListUserPools", `{}`, "InvalidParameterException",
			`1 validation error detected: Value null at 'maxResults' failed to satisfy constraint: Member must not be null`},
		{"fail/pool-id-pattern", "DescribeUserPool", `{"UserPoolId":"nounderscore"}`, "InvalidParameterException",
			`1 validation error detected: Value 'nounderscore' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+`},
		{"fail/oauth-flow-enum", "CreateUserPoolClient", p(`{"UserPoolId":%q,"ClientName":"c","AllowedOAuthFlows":["code","token"]}`), "InvalidParameterException",
			`1 validation error detected: Value '[code, token]' at 'allowedOAuthFlows' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [implicit, client_credentials, code]]`},
		{"fail/client-secret-sensitive", "CreateUserPoolClient", p(`{"UserPoolId":%q,"ClientName":"c","ClientSecret":"short"}`), "InvalidParameterException",
			`1 validation error detected: Value at 'clientSecret' failed to satisfy constraint: Member must have length greater than or equal to 24`},
		{"fail/nested-password-policy", "CreateUserPool", `{"PoolName":"p","Policies":{"PasswordPolicy":{"MinimumLength":5}}}`, "InvalidParameterException",
			`1 validation error detected: Value '5' at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value greater than or equal to 6`},
		{"fail/two-members", "CreateUserPool", `{"PoolName":"","MfaConfiguration":"MAYBE"}`, "InvalidParameterException",
			`3 validation errors detected: Value '' at 'poolName' failed to satisfy constraint: Member must have length greater than or equal to 1; Value '' at 'poolName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w\s+=,.@-]+; Value 'MAYBE' at 'mfaConfiguration' failed to satisfy constraint: Member must satisfy enum value set: [OPTIONAL, OFF, ON]`},
		{"fail/domain-pattern", "CreateUserPoolDomain", p(`{"UserPoolId":%q,"Domain":"-bad"}`), "InvalidParameterException",
			`1 validation error detected: Value '-bad' at 'domain' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$`},
		{"fail/wrong-type-string", "DescribeUserPool", `{"UserPoolId":5}`, "SerializationException", ""},
		{"fail/wrong-type-list", "CreateUserPoolClient", p(`{"UserPoolId":%q,"ClientName":"c","CallbackURLs":"https://x"}`), "SerializationException", ""},
		{"fail/wrong-type-int", "ListUserPools", `{"MaxResults":"10"}`, "SerializationException", ""},
		{"fail/int-overflow", "ListUserPools", `{"MaxResults":99999999999}`, "SerializationException", ""},
		{"fail/raw-member-wrong-type", "CreateUserPool", `{"PoolName":"p","LambdaConfig":"x"}`, "SerializationException", ""},
		{"fail/not-json", "DescribeUserPool", `{"UserPoolId":`, "SerializationException", ""},
		{"fail/json-array", "DescribeUserPool", `[1,2]`, "SerializationException", ""},
		{"fail/trailing-garbage", "DescribeUserPool", p(`{"UserPoolId":%q} x`), "SerializationException", ""},
		{"fail/unknown-operation", "AdminSmileAtUser", `{}`, "UnknownOperationException", ""},
		{"ok/unknown-members-ignored", "DescribeUserPool", p(`{"UserPoolId":%q,"Whatever":[1,{"a":null}]}`), "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ts.raw(t, tt.op, tt.body)
			if tt.wantType == "" {
				if r.Status != 200 {
					t.Fatalf("got %d %s, want 200", r.Status, r.Raw)
				}
				return
			}
			if r.Status != 400 {
				t.Errorf("status = %d, want 400", r.Status)
			}
			if got := r.Body["__type"]; got != tt.wantType {
				t.Errorf("__type = %v, want %s (body %s)", got, tt.wantType, r.Raw)
			}
			if got := r.Header.Get("x-amzn-ErrorType"); got != tt.wantType+":" {
				t.Errorf("x-amzn-ErrorType = %q, want %q", got, tt.wantType+":")
			}
			if r.Header.Get("x-amzn-RequestId") == "" {
				t.Error("no x-amzn-RequestId")
			}
			if tt.wantMsg != "" {
				if got := r.Body["message"]; got != tt.wantMsg {
					t.Errorf("message:\n got %v\nwant %s", got, tt.wantMsg)
				}
			}
		})
	}
}
