package server

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitod/cognitod/internal/cognito"
)

// BenchmarkDescribeUserPoolByKey compares one signed read through the
// whole HTTP stack with the root key (no policy to evaluate) and with a
// key whose policy has a condition: the difference is what authorization
// costs (a store read of the key and an evaluation of its cached policy).
func BenchmarkDescribeUserPoolByKey(b *testing.B) {
	ts := newTestServer(b, cognito.Limits{})
	root := ts.client("us-east-1")
	poolID := createPool(b, root, "bench")
	ctx := context.Background()
	id, secret, err := ts.svc.CreateAccessKey(ctx, "bench", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["cognito-idp:Describe*","cognito-idp:List*"],"Resource":"arn:aws:cognito-idp:us-east-1:000000000000:userpool/`+poolID+`","Condition":{"IpAddress":{"aws:SourceIp":["127.0.0.0/8","::1/128"]}}},
		{"Effect":"Deny","Action":"cognito-idp:Delete*","Resource":"*"}]}`)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		client *cip.Client
	}{{"root", root}, {"policy", ts.clientWith("us-east-1", id, secret)}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := c.client.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(poolID)}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
