package server

import (
	"context"
	"errors"
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

// TestAccessKeySecretReplacedAtOnce: access keys, their secrets and the
// SigV4 signing keys derived from them are cached, yet a secret replaced
// under the same key ID (EnsureAccessKey, as `serve` does with
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

// TestAccessKeyDeletedAtAnotherInstance: a key deleted through instance
// A stops working at B, whose cache held it, within B's watch interval:
// access key writes advance the store's generation. Without that, B would
// keep the key until its caches' 30 s fallback expiry.
func TestAccessKeyDeletedAtAnotherInstance(t *testing.T) {
	a := newTestServer(t, cognito.Limits{})
	b := secondInstance(t, a, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := b.svc.WatchStore(ctx, 20*time.Millisecond, nil)
	defer func() { cancel(); <-done }()
	id, secret, err := a.svc.CreateAccessKey(ctx, "short-lived", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"cognito-idp:ListUserPools","Resource":"*"}}`)
	if err != nil {
		t.Fatal(err)
	}
	call := func() error {
		_, err := b.clientWith("us-east-1", id, secret).ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
		return err
	}
	for i := range 2 {
		if err := call(); err != nil {
			t.Fatalf("call %d at B: %v", i, err)
		}
	}
	if err := a.svc.DeleteAccessKey(ctx, id); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for errorCode(call()) != "UnrecognizedClientException" {
		if time.Since(start) > 5*time.Second {
			t.Fatal("a key deleted through A still works at B after 5 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("deleted through A, refused at B after %v", time.Since(start).Round(time.Millisecond))
}
