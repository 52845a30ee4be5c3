package server

import (
	"testing"

	"github.com/cognitod/cognitod/internal/cognito"
)

// TestNotFound: every operation on a pool that does not exist answers
// ResourceNotFoundException with Cognito's text.
func TestNotFound(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	const missing = "us-east-1_NoSuchPoo"
	msg := "User pool " + missing + " does not exist."
	pool := `"UserPoolId":"` + missing + `"`
	for op, body := range map[string]string{
		"DescribeUserPool":       `{` + pool + `}`,
		"UpdateUserPool":         `{` + pool + `}`,
		"DeleteUserPool":         `{` + pool + `}`,
		"CreateUserPoolClient":   `{` + pool + `,"ClientName":"c"}`,
		"DescribeUserPoolClient": `{` + pool + `,"ClientId":"abc"}`,
		"UpdateUserPoolClient":   `{` + pool + `,"ClientId":"abc"}`,
		"DeleteUserPoolClient":   `{` + pool + `,"ClientId":"abc"}`,
		"ListUserPoolClients":    `{` + pool + `}`,
		"CreateUserPoolDomain":   `{` + pool + `,"Domain":"abc"}`,
		"DeleteUserPoolDomain":   `{` + pool + `,"Domain":"abc"}`,
		"CreateResourceServer":   `{` + pool + `,"Identifier":"a","Name":"n"}`,
		"DescribeResourceServer": `{` + pool + `,"Identifier":"a"}`,
		"UpdateResourceServer":   `{` + pool + `,"Identifier":"a","Name":"n"}`,
		"DeleteResourceServer":   `{` + pool + `,"Identifier":"a"}`,
		"ListResourceServers":    `{` + pool + `}`,
	} {
		t.Run(op, func(t *testing.T) {
			r := ts.raw(t, op, body)
			if r.Status != 400 || r.Body["__type"] != "ResourceNotFoundException" || r.Body["message"] != msg {
				t.Errorf("got %d %s, want 400 ResourceNotFoundException %q", r.Status, r.Raw, msg)
			}
		})
	}
}
