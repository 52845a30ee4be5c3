package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"

	"github.com/cognitod/cognitod/internal/cognito"
)

// TestResourceServerReadsSeeOtherInstances: DescribeResourceServer and
// ListResourceServers answer from the grant cache, which the writing
// instance drops with its write and another drops when its watcher sees
// the store's generation move: right after instance A deleted the
// resource server, then the pool, A's reads and then B's get Cognito's
// answer for what is left (the resource server's "does not exist", an
// empty list, then the pool's "does not exist"), B's within its poll; and
// a pool of another region is not found.
func TestResourceServerReadsSeeOtherInstances(t *testing.T) {
	a := newTestServer(t, cognito.Limits{})
	b := watching(t, secondInstance(t, a, nil))
	ctx := context.Background()
	ca, cb := a.client("us-east-1"), b.client("us-east-1")
	poolID := createPool(t, ca, "reads")
	if _, err := ca.CreateResourceServer(ctx, photoServer(poolID)); err != nil {
		t.Fatal(err)
	}
	describe := func(c *cip.Client) error {
		_, err := c.DescribeResourceServer(ctx, &cip.DescribeResourceServerInput{UserPoolId: &poolID, Identifier: aws.String("com.example.photos")})
		return err
	}
	list := func(c *cip.Client) (int, error) {
		out, err := c.ListResourceServers(ctx, &cip.ListResourceServersInput{UserPoolId: &poolID, MaxResults: aws.Int32(10)})
		if err != nil {
			return 0, err
		}
		return len(out.ResourceServers), nil
	}
	notFound := func(err error, message string) error {
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "ResourceNotFoundException" || ae.ErrorMessage() != message {
			return fmt.Errorf("%v, want ResourceNotFoundException %q", err, message)
		}
		return nil
	}
	// Both instances answer, and so cache, before each write.
	check := func(what string, c *cip.Client, describeMessage string, listed int, listMessage string) func() error {
		return func() error {
			if err := notFound(describe(c), describeMessage); err != nil {
				return fmt.Errorf("describe %s: %w", what, err)
			}
			n, err := list(c)
			if listMessage != "" {
				err = notFound(err, listMessage)
			} else if n != listed || err != nil {
				err = fmt.Errorf("%d servers, %v; want %d, <nil>", n, err, listed)
			}
			if err != nil {
				return fmt.Errorf("list %s: %w", what, err)
			}
			return nil
		}
	}
	for _, c := range []*cip.Client{ca, cb} {
		if err := describe(c); err != nil {
			t.Fatalf("describe: %v", err)
		}
		if n, err := list(c); n != 1 || err != nil {
			t.Fatalf("list: %d, %v", n, err)
		}
	}
	if _, err := ca.DeleteResourceServer(ctx, &cip.DeleteResourceServerInput{UserPoolId: &poolID, Identifier: aws.String("com.example.photos")}); err != nil {
		t.Fatal(err)
	}
	gone := "Resource server com.example.photos does not exist."
	if err := check("at A after A deleted the resource server", ca, gone, 0, "")(); err != nil {
		t.Error(err)
	}
	took := within(t, "B after A deleted the resource server", propagationBound, check("at B", cb, gone, 0, ""))
	t.Logf("the deletion reached B's reads after %s", took.Round(time.Millisecond))
	if _, err := ca.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: &poolID}); err != nil {
		t.Fatal(err)
	}
	poolGone := "User pool " + poolID + " does not exist."
	if err := check("at A after A deleted the pool", ca, poolGone, 0, poolGone)(); err != nil {
		t.Error(err)
	}
	within(t, "B after A deleted the pool", propagationBound, check("at B", cb, poolGone, 0, poolGone))

	wantNotFound := func(what string, err error, message string) {
		t.Helper()
		if err := notFound(err, message); err != nil {
			t.Errorf("%s: %v", what, err)
		}
	}
	// A pool is visible only in its own region, resource servers and all.
	other := createPool(t, ca, "elsewhere")
	if _, err := ca.CreateResourceServer(ctx, photoServer(other)); err != nil {
		t.Fatal(err)
	}
	_, err := b.client("eu-west-1").DescribeResourceServer(ctx, &cip.DescribeResourceServerInput{UserPoolId: &other, Identifier: aws.String("com.example.photos")})
	wantNotFound("describe from another region", err, "User pool "+other+" does not exist.")
	_, err = b.client("eu-west-1").ListResourceServers(ctx, &cip.ListResourceServersInput{UserPoolId: &other, MaxResults: aws.Int32(10)})
	wantNotFound("list from another region", err, "User pool "+other+" does not exist.")
	if !strings.HasPrefix(other, "us-east-1_") {
		t.Fatalf("pool %s not in us-east-1", other)
	}
}
