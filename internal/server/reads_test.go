package server

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"

	"github.com/cognitod/cognitod/internal/cognito"
)

// TestResourceServerReadsSeeOtherInstances: DescribeResourceServer and
// ListResourceServers answer from one store read when the resource
// server is there, and from the store as it is now otherwise: through
// instance B, right after instance A deleted the resource server, then
// the pool, each read gets Cognito's answer for what is left (the
// resource server's "does not exist", an empty list, then the pool's
// "does not exist"), and a pool of another region is not found.
func TestResourceServerReadsSeeOtherInstances(t *testing.T) {
	a := newTestServer(t, cognito.Limits{})
	b := secondInstance(t, a, nil)
	ctx := context.Background()
	ca, cb := a.client("us-east-1"), b.client("us-east-1")
	poolID := createPool(t, ca, "reads")
	if _, err := ca.CreateResourceServer(ctx, photoServer(poolID)); err != nil {
		t.Fatal(err)
	}
	describe := func() error {
		_, err := cb.DescribeResourceServer(ctx, &cip.DescribeResourceServerInput{UserPoolId: &poolID, Identifier: aws.String("com.example.photos")})
		return err
	}
	list := func() (int, error) {
		out, err := cb.ListResourceServers(ctx, &cip.ListResourceServersInput{UserPoolId: &poolID, MaxResults: aws.Int32(10)})
		if err != nil {
			return 0, err
		}
		return len(out.ResourceServers), nil
	}
	wantNotFound := func(what string, err error, message string) {
		t.Helper()
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "ResourceNotFoundException" || ae.ErrorMessage() != message {
			t.Errorf("%s: %v, want ResourceNotFoundException %q", what, err, message)
		}
	}
	if err := describe(); err != nil {
		t.Fatalf("describe at B: %v", err)
	}
	if n, err := list(); n != 1 || err != nil {
		t.Fatalf("list at B: %d, %v", n, err)
	}
	if _, err := ca.DeleteResourceServer(ctx, &cip.DeleteResourceServerInput{UserPoolId: &poolID, Identifier: aws.String("com.example.photos")}); err != nil {
		t.Fatal(err)
	}
	wantNotFound("describe at B after A deleted the resource server", describe(), "Resource server com.example.photos does not exist.")
	if n, err := list(); n != 0 || err != nil {
		t.Errorf("list at B after A deleted the resource server: %d, %v; want 0, <nil>", n, err)
	}
	if _, err := ca.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: &poolID}); err != nil {
		t.Fatal(err)
	}
	wantNotFound("describe at B after A deleted the pool", describe(), "User pool "+poolID+" does not exist.")
	_, err := list()
	wantNotFound("list at B after A deleted the pool", err, "User pool "+poolID+" does not exist.")

	// A pool is visible only in its own region, resource servers and all.
	other := createPool(t, ca, "elsewhere")
	if _, err := ca.CreateResourceServer(ctx, photoServer(other)); err != nil {
		t.Fatal(err)
	}
	_, err = b.client("eu-west-1").DescribeResourceServer(ctx, &cip.DescribeResourceServerInput{UserPoolId: &other, Identifier: aws.String("com.example.photos")})
	wantNotFound("describe from another region", err, "User pool "+other+" does not exist.")
	_, err = b.client("eu-west-1").ListResourceServers(ctx, &cip.ListResourceServersInput{UserPoolId: &other, MaxResults: aws.Int32(10)})
	wantNotFound("list from another region", err, "User pool "+other+" does not exist.")
	if !strings.HasPrefix(other, "us-east-1_") {
		t.Fatalf("pool %s not in us-east-1", other)
	}
}
