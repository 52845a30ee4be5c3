package server

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitod/cognitod/internal/cognito"
)

// arnPattern is the service model's pattern for ARNs (roleArn, resourceArn).
const arnPattern = `arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?`

// TestTags: TagResource, UntagResource and ListTagsForResource on user
// pool ARNs, the same tags as UserPoolTags.
func TestTags(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	ctx := context.Background()
	c := ts.client("us-east-1")
	created, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("tagged"), UserPoolTags: map[string]string{"Stage": "Test"}})
	if err != nil {
		t.Fatal(err)
	}
	poolID, arn := *created.UserPool.Id, *created.UserPool.Arn
	if arn != "arn:aws:cognito-idp:us-east-1:000000000000:userpool/"+poolID {
		t.Fatalf("ARN %s", arn)
	}
	list := func() map[string]string {
		t.Helper()
		out, err := c.ListTagsForResource(ctx, &cip.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
		if err != nil {
			t.Fatal(err)
		}
		return out.Tags
	}
	describe := func() map[string]string {
		t.Helper()
		out, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(poolID)})
		if err != nil {
			t.Fatal(err)
		}
		return out.UserPool.UserPoolTags
	}
	if got := list(); !maps.Equal(got, map[string]string{"Stage": "Test"}) {
		t.Errorf("tags from CreateUserPool: %v", got)
	}
	if _, err := c.TagResource(ctx, &cip.TagResourceInput{ResourceArn: aws.String(arn),
		Tags: map[string]string{"Stage": "Prod", "CostCenter": "80432", "Owner": "Sys Eng/ops@corp:+=-._", "Empty": ""}}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"Stage": "Prod", "CostCenter": "80432", "Owner": "Sys Eng/ops@corp:+=-._", "Empty": ""}
	if got := list(); !maps.Equal(got, want) {
		t.Errorf("after TagResource: %v, want %v", got, want)
	}
	if got := describe(); !maps.Equal(got, want) {
		t.Errorf("DescribeUserPool after TagResource: %v, want %v", got, want)
	}
	if _, err := c.UntagResource(ctx, &cip.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"Stage", "Empty", "NotThere"}}); err != nil {
		t.Fatal(err)
	}
	delete(want, "Stage")
	delete(want, "Empty")
	if got := list(); !maps.Equal(got, want) {
		t.Errorf("after UntagResource: %v, want %v", got, want)
	}
	if _, err := c.UntagResource(ctx, &cip.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"CostCenter", "Owner"}}); err != nil {
		t.Fatal(err)
	}
	if r := ts.raw(t, "ListTagsForResource", fmt.Sprintf(`{"ResourceArn":%q}`, arn)); r.Status != 200 || r.Raw != `{"Tags":{}}` {
		t.Errorf("no tags: %d %s", r.Status, r.Raw)
	}

	// Bad ARNs.
	for _, bad := range []string{"arn:aws:iam::000000000000:role/Admins", "arn:aws:cognito-idp:us-east-1:000000000000:userpoolclient/abc",
		"arn:aws:cognito-identity:us-east-1:000000000000:identitypool/us-east-1:abc"} {
		_, err := c.ListTagsForResource(ctx, &cip.ListTagsForResourceInput{ResourceArn: aws.String(bad)})
		wantAPIError(t, err, "InvalidParameterException", "Invalid resource ARN: "+bad)
	}
	_, err = c.TagResource(ctx, &cip.TagResourceInput{ResourceArn: aws.String("not an arn at all"), Tags: map[string]string{"a": "b"}})
	wantAPIError(t, err, "InvalidParameterException", "2 validation errors detected: Value 'not an arn at all' at 'resourceArn' failed to satisfy constraint: Member must have length greater than or equal to 20; "+
		"Value 'not an arn at all' at 'resourceArn' failed to satisfy constraint: Member must satisfy regular expression pattern: "+arnPattern)
	missing := cognito.NewPoolID("us-east-1")
	for _, nf := range []struct{ arn, pool string }{
		{"arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + missing, missing},
		{"arn:aws:cognito-idp:us-east-1:999999999999:userpool/" + poolID, poolID},
		{"arn:aws:cognito-idp:eu-west-1:000000000000:userpool/" + poolID, poolID},
	} {
		_, err := c.TagResource(ctx, &cip.TagResourceInput{ResourceArn: aws.String(nf.arn), Tags: map[string]string{"a": "b"}})
		wantAPIError(t, err, "ResourceNotFoundException", "User pool "+nf.pool+" does not exist.")
		_, err = c.UntagResource(ctx, &cip.UntagResourceInput{ResourceArn: aws.String(nf.arn), TagKeys: []string{"a"}})
		wantAPIError(t, err, "ResourceNotFoundException", "User pool "+nf.pool+" does not exist.")
	}
	_, err = ts.client("eu-west-1").ListTagsForResource(ctx, &cip.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool "+poolID+" does not exist.")

	// Tag rules, through TagResource and UserPoolTags alike.
	many := map[string]string{}
	for i := range 50 {
		many[fmt.Sprint("k", i)] = "v"
	}
	if _, err := c.TagResource(ctx, &cip.TagResourceInput{ResourceArn: aws.String(arn), Tags: many}); err != nil {
		t.Fatalf("50 tags: %v", err)
	}
	_, err = c.TagResource(ctx, &cip.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{"one-more": "v"}})
	wantAPIError(t, err, "InvalidParameterException", "The maximum number of tags (50) has been reached for this resource.")
	if _, err := c.TagResource(ctx, &cip.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{"k0": "replaced"}}); err != nil {
		t.Errorf("replacing a value at the quota: %v", err)
	}
	if got := list(); len(got) != 50 || got["k0"] != "replaced" {
		t.Errorf("after replacing at the quota: %d tags, k0=%q", len(got), got["k0"])
	}
	for _, tags := range []map[string]string{{"aws:owner": "x"}, {"AWS:owner": "x"}} {
		_, err = c.TagResource(ctx, &cip.TagResourceInput{ResourceArn: aws.String(arn), Tags: tags})
		wantAPIError(t, err, "InvalidParameterException", "Tag keys cannot start with aws:.")
	}
	for _, tags := range []map[string]string{{"semi;colon": "x"}, {"ok": "quote\""}} {
		_, err = c.TagResource(ctx, &cip.TagResourceInput{ResourceArn: aws.String(arn), Tags: tags})
		wantAPIError(t, err, "InvalidParameterException", "Tag keys and values can contain only letters, digits, spaces and _ . : / = + - @.")
	}
	long := strings.Repeat("k", 129)
	_, err = c.TagResource(ctx, &cip.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{long: "v"}})
	wantAPIError(t, err, "InvalidParameterException", "1 validation error detected: Value '{"+long+"=v}' at 'tags' failed to satisfy constraint: "+
		"Map keys must satisfy constraint: [Member must have length less than or equal to 128]")
	long = strings.Repeat("v", 257)
	_, err = c.TagResource(ctx, &cip.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{"k": long}})
	wantAPIError(t, err, "InvalidParameterException", "1 validation error detected: Value '{k="+long+"}' at 'tags' failed to satisfy constraint: "+
		"Map value must satisfy constraint: [Member must have length less than or equal to 256]")
	_, err = c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("reserved"), UserPoolTags: map[string]string{"aws:x": "y"}})
	wantAPIError(t, err, "InvalidParameterException", "Tag keys cannot start with aws:.")
	many["k50"] = "v"
	_, err = c.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: aws.String(poolID), UserPoolTags: many})
	wantAPIError(t, err, "InvalidParameterException", "The maximum number of tags (50) has been reached for this resource.")

	// UpdateUserPool replaces the tags, as it replaces every member.
	if _, err := c.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: aws.String(poolID), UserPoolTags: map[string]string{"Only": "this"}}); err != nil {
		t.Fatal(err)
	}
	if got := list(); !maps.Equal(got, map[string]string{"Only": "this"}) {
		t.Errorf("after UpdateUserPool: %v", got)
	}
}
