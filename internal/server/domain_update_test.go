package server

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/cognito"
)

// TestUpdateUserPoolDomain switches a prefix domain's branding version and
// refuses what cognitod cannot serve.
func TestUpdateUserPoolDomain(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	ctx := context.Background()
	c := ts.client("us-east-1")
	poolID := createPool(t, c, "branded")
	other := createPool(t, c, "other")
	pool := aws.String(poolID)
	if _, err := c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: pool, Domain: aws.String("branded")}); err != nil {
		t.Fatal(err)
	}
	version := func() int32 {
		t.Helper()
		d, err := c.DescribeUserPoolDomain(ctx, &cip.DescribeUserPoolDomainInput{Domain: aws.String("branded")})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToInt32(d.DomainDescription.ManagedLoginVersion)
	}
	if v := version(); v != 1 {
		t.Fatalf("version after create: %d", v)
	}
	out, err := c.UpdateUserPoolDomain(ctx, &cip.UpdateUserPoolDomainInput{UserPoolId: pool, Domain: aws.String("branded"), ManagedLoginVersion: aws.Int32(2)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt32(out.ManagedLoginVersion) != 2 || out.CloudFrontDomain != nil {
		t.Errorf("UpdateUserPoolDomain: version %d, CloudFrontDomain %v (a prefix domain has none)", aws.ToInt32(out.ManagedLoginVersion), out.CloudFrontDomain)
	}
	if v := version(); v != 2 {
		t.Errorf("version after update: %d", v)
	}
	// Left out, the version stays.
	out, err = c.UpdateUserPoolDomain(ctx, &cip.UpdateUserPoolDomainInput{UserPoolId: pool, Domain: aws.String("branded")})
	if err != nil || aws.ToInt32(out.ManagedLoginVersion) != 2 || version() != 2 {
		t.Errorf("update without a version: %+v, %v", out, err)
	}

	_, err = c.UpdateUserPoolDomain(ctx, &cip.UpdateUserPoolDomainInput{UserPoolId: pool, Domain: aws.String("branded"), ManagedLoginVersion: aws.Int32(3)})
	wantAPIError(t, err, "InvalidParameterException", "ManagedLoginVersion must be 1 or 2.")
	_, err = c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(other), Domain: aws.String("other"), ManagedLoginVersion: aws.Int32(0)})
	wantAPIError(t, err, "InvalidParameterException", "ManagedLoginVersion must be 1 or 2.")
	_, err = c.UpdateUserPoolDomain(ctx, &cip.UpdateUserPoolDomainInput{UserPoolId: pool, Domain: aws.String("branded"),
		CustomDomainConfig: &types.CustomDomainConfigType{CertificateArn: aws.String("arn:aws:acm:us-east-1:123456789012:certificate/abc")}})
	wantAPIError(t, err, "InvalidParameterException", "Custom domains are not supported by cognitod; use a prefix domain.")
	_, err = c.UpdateUserPoolDomain(ctx, &cip.UpdateUserPoolDomainInput{UserPoolId: aws.String(other), Domain: aws.String("branded"), ManagedLoginVersion: aws.Int32(1)})
	wantAPIError(t, err, "InvalidParameterException", "No such domain or user pool exists.")
	_, err = c.UpdateUserPoolDomain(ctx, &cip.UpdateUserPoolDomainInput{UserPoolId: pool, Domain: aws.String("nothere"), ManagedLoginVersion: aws.Int32(1)})
	wantAPIError(t, err, "InvalidParameterException", "No such domain or user pool exists.")
	missing := cognito.NewPoolID("us-east-1")
	_, err = c.UpdateUserPoolDomain(ctx, &cip.UpdateUserPoolDomainInput{UserPoolId: aws.String(missing), Domain: aws.String("branded"), ManagedLoginVersion: aws.Int32(1)})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool "+missing+" does not exist.")
	_, err = c.UpdateUserPoolDomain(ctx, &cip.UpdateUserPoolDomainInput{UserPoolId: pool, Domain: aws.String("Bad_Prefix")})
	wantAPIError(t, err, "InvalidParameterException", `1 validation error detected: Value 'Bad_Prefix' at 'domain' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$`)
	if v := version(); v != 2 {
		t.Errorf("version after refused updates: %d", v)
	}
}
