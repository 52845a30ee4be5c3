package server

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitod/cognitod/internal/cognito"
)

// TestNotFound: every operation on a pool that does not exist answers
// ResourceNotFoundException with Cognito's text, through the AWS SDK.
func TestNotFound(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	c := ts.client("us-east-1")
	ctx := context.Background()
	const missing = "us-east-1_NoSuchPoo"
	pool := aws.String(missing)
	calls := map[string]func() error{
		"DescribeUserPool": func() error {
			_, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: pool})
			return err
		},
		"UpdateUserPool": func() error { _, err := c.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: pool}); return err },
		"DeleteUserPool": func() error { _, err := c.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: pool}); return err },
		"CreateUserPoolClient": func() error {
			_, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: pool, ClientName: aws.String("c")})
			return err
		},
		"DescribeUserPoolClient": func() error {
			_, err := c.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: pool, ClientId: aws.String("abc")})
			return err
		},
		"UpdateUserPoolClient": func() error {
			_, err := c.UpdateUserPoolClient(ctx, &cip.UpdateUserPoolClientInput{UserPoolId: pool, ClientId: aws.String("abc")})
			return err
		},
		"DeleteUserPoolClient": func() error {
			_, err := c.DeleteUserPoolClient(ctx, &cip.DeleteUserPoolClientInput{UserPoolId: pool, ClientId: aws.String("abc")})
			return err
		},
		"ListUserPoolClients": func() error {
			_, err := c.ListUserPoolClients(ctx, &cip.ListUserPoolClientsInput{UserPoolId: pool})
			return err
		},
		"CreateUserPoolDomain": func() error {
			_, err := c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: pool, Domain: aws.String("abc")})
			return err
		},
		"DeleteUserPoolDomain": func() error {
			_, err := c.DeleteUserPoolDomain(ctx, &cip.DeleteUserPoolDomainInput{UserPoolId: pool, Domain: aws.String("abc")})
			return err
		},
		"CreateResourceServer": func() error {
			_, err := c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: pool, Identifier: aws.String("a"), Name: aws.String("n")})
			return err
		},
		"DescribeResourceServer": func() error {
			_, err := c.DescribeResourceServer(ctx, &cip.DescribeResourceServerInput{UserPoolId: pool, Identifier: aws.String("a")})
			return err
		},
		"UpdateResourceServer": func() error {
			_, err := c.UpdateResourceServer(ctx, &cip.UpdateResourceServerInput{UserPoolId: pool, Identifier: aws.String("a"), Name: aws.String("n")})
			return err
		},
		"DeleteResourceServer": func() error {
			_, err := c.DeleteResourceServer(ctx, &cip.DeleteResourceServerInput{UserPoolId: pool, Identifier: aws.String("a")})
			return err
		},
		"ListResourceServers": func() error {
			_, err := c.ListResourceServers(ctx, &cip.ListResourceServersInput{UserPoolId: pool, MaxResults: aws.Int32(10)})
			return err
		},
		"AdminCreateUser": func() error {
			_, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("u")})
			return err
		},
		"AdminGetUser": func() error {
			_, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("u")})
			return err
		},
		"ListUsers": func() error { _, err := c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: pool}); return err },
	}
	for op, call := range calls {
		t.Run(op, func(t *testing.T) {
			wantAPIError(t, call(), "ResourceNotFoundException", "User pool "+missing+" does not exist.")
		})
	}
}

// TestValidationThroughSDK: the SDK checks only required members, so
// pattern, length and range errors come from the server, with AWS's text.
func TestValidationThroughSDK(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	c := ts.client("us-east-1")
	ctx := context.Background()
	poolID := createPool(t, c, "sdk")
	_, err := c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: aws.String(poolID), Identifier: aws.String("a b"), Name: aws.String("n")})
	wantAPIError(t, err, "InvalidParameterException", `1 validation error detected: Value 'a b' at 'identifier' failed to satisfy constraint: Member must satisfy regular expression pattern: [\x21\x23-\x5B\x5D-\x7E]+`)
	_, err = c.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(61)})
	wantAPIError(t, err, "InvalidParameterException", `1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60`)
	_, err = c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(poolID), Domain: aws.String("UPPER")})
	wantAPIError(t, err, "InvalidParameterException", "")
}
