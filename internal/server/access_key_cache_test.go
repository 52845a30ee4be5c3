package server

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"

	"github.com/cognitod/cognitod/internal/cognito"
)

// errorCode is the AWS error code of err, "" for none.
func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

// TestAccessKeySecretReplacedAtOnce: opened secrets and the SigV4 signing
// keys derived from them are cached, yet a secret replaced under the same
// key ID (EnsureAccessKey, as `serve` does with
// COGNITOD_ROOT_SECRET_ACCESS_KEY) stops the old secret on the very next
// request, with the old secret's signing key still in the verifier's
// cache for today's scope, and the new one works at once; the key's
// deletion then refuses both.
func TestAccessKeySecretReplacedAtOnce(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	ctx := context.Background()
	const id = "AKIAREPLACEDSECRET01"
	if err := ts.svc.EnsureAccessKey(ctx, id, "first-secret"); err != nil {
		t.Fatal(err)
	}
	call := func(secret string) error {
		_, err := ts.clientWith("us-east-1", id, secret).ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
		return err
	}
	for i := range 3 { // the second and third are served from the caches
		if err := call("first-secret"); err != nil {
			t.Fatalf("call %d with the first secret: %v", i, err)
		}
	}
	if err := ts.svc.EnsureAccessKey(ctx, id, "second-secret"); err != nil {
		t.Fatal(err)
	}
	if got := errorCode(call("first-secret")); got != "InvalidSignatureException" {
		t.Errorf("the replaced secret, next request: %s, want InvalidSignatureException", got)
	}
	if err := call("second-secret"); err != nil {
		t.Errorf("the new secret, next request: %v", err)
	}
	// EnsureAccessKey made it a second root key; the original root key
	// remains, so this one can go.
	if err := ts.svc.DeleteAccessKey(ctx, id); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"first-secret", "second-secret"} {
		if got := errorCode(call(s)); got != "UnrecognizedClientException" {
			t.Errorf("%s after the key's deletion: %s, want UnrecognizedClientException", s, got)
		}
	}
}

// TestAccessKeyChangedAtAnotherInstance: a key used at instances A and B
// (its row, opened secret and signing key cached at both) and then given
// a deny-all policy, and then deleted, through A is decided by A's very
// next request each time, and by B's as soon as B's watcher sees the
// store's generation move (its 250 ms poll; nothing is notified on
// SQLite), not before the write and not never.
func TestAccessKeyChangedAtAnotherInstance(t *testing.T) {
	a := newTestServer(t, cognito.Limits{})
	b := watching(t, secondInstance(t, a, nil))
	ctx := context.Background()
	id, secret, err := a.svc.CreateAccessKey(ctx, "short-lived", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"cognito-idp:ListUserPools","Resource":"*"}}`)
	if err != nil {
		t.Fatal(err)
	}
	call := func(ts *testServer) error {
		_, err := ts.clientWith("us-east-1", id, secret).ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
		return err
	}
	for i := range 2 {
		for _, ts := range []*testServer{a, b} {
			if err := call(ts); err != nil {
				t.Fatalf("call %d at %s: %v", i, ts.URL, err)
			}
		}
	}
	wants := func(ts *testServer, code string) func() error {
		return func() error {
			if got := errorCode(call(ts)); got != code {
				return fmt.Errorf("%q, want %s", got, code)
			}
			return nil
		}
	}
	if err := a.svc.SetAccessKeyPolicy(ctx, id, `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}`); err != nil {
		t.Fatal(err)
	}
	if err := wants(a, "AccessDeniedException")(); err != nil {
		t.Errorf("at A, next request after a deny-all policy set through A: %v", err)
	}
	took := within(t, "at B after a deny-all policy set through A", propagationBound, wants(b, "AccessDeniedException"))
	t.Logf("deny-all policy reached B after %s", took.Round(time.Millisecond))
	if err := a.svc.DeleteAccessKey(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := wants(a, "UnrecognizedClientException")(); err != nil {
		t.Errorf("at A, next request after deletion through A: %v", err)
	}
	took = within(t, "at B after deletion through A", propagationBound, wants(b, "UnrecognizedClientException"))
	t.Logf("deletion reached B after %s", took.Round(time.Millisecond))
}
