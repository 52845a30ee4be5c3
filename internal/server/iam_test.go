package server

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/sdktest"
)

// iamFixture is a server with two pools made by the root key, and a way
// to make restricted keys.
type iamFixture struct {
	ts           *testServer
	root         *cip.Client
	poolA, poolB string
}

func newIAMFixture(t *testing.T) *iamFixture {
	t.Helper()
	ts := newTestServer(t, cognito.Limits{})
	f := &iamFixture{ts: ts, root: ts.client("us-east-1")}
	for _, p := range []*string{&f.poolA, &f.poolB} {
		out, err := f.root.CreateUserPool(context.Background(), &cip.CreateUserPoolInput{PoolName: aws.String("iam")})
		if err != nil {
			t.Fatal(err)
		}
		*p = *out.UserPool.Id
	}
	return f
}

func (f *iamFixture) arn(pool string) string {
	return "arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + pool
}

// key makes a key named name with policy and returns a client signing
// with it, and the key's ID.
func (f *iamFixture) key(t *testing.T, name, policy string) (*cip.Client, string) {
	t.Helper()
	id, secret, err := f.ts.svc.CreateAccessKey(context.Background(), name, policy)
	if err != nil {
		t.Fatal(err)
	}
	return f.ts.clientWith("us-east-1", id, secret), id
}

func denied(name, op, resource string) string {
	return "User: arn:aws:iam::000000000000:user/" + name + " is not authorized to perform: cognito-idp:" + op +
		" on resource: " + resource + " because no identity-based policy allows the cognito-idp:" + op + " action"
}

func deniedExplicitly(name, op, resource string) string {
	return "User: arn:aws:iam::000000000000:user/" + name + " is not authorized to perform: cognito-idp:" + op +
		" on resource: " + resource + " with an explicit deny in an identity-based policy"
}

// wantDenied checks an AccessDeniedException with its exact message, sent
// as HTTP 400 as cognito-idp sends it.
func wantDenied(t *testing.T, err error, message string) {
	t.Helper()
	wantAPIError(t, err, "AccessDeniedException", message)
	var re *smithyhttp.ResponseError
	if !errors.As(err, &re) || re.HTTPStatusCode() != 400 {
		t.Fatalf("AccessDeniedException: got %v, want HTTP 400", err)
	}
}

// TestIAMReadOnlyKey: a key allowed Describe*/List* on one pool reads that
// pool, and nothing else.
func TestIAMReadOnlyKey(t *testing.T) {
	f := newIAMFixture(t)
	ctx := context.Background()
	ro, _ := f.key(t, "ci-reader", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["cognito-idp:Describe*","cognito-idp:List*"],"Resource":"`+f.arn(f.poolA)+`"}]}`)

	if _, err := ro.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: &f.poolA}); err != nil {
		t.Fatalf("DescribeUserPool of its pool: %v", err)
	}
	if _, err := ro.ListResourceServers(ctx, &cip.ListResourceServersInput{UserPoolId: &f.poolA, MaxResults: aws.Int32(10)}); err != nil {
		t.Fatalf("ListResourceServers of its pool: %v", err)
	}
	_, err := ro.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: &f.poolB})
	wantDenied(t, err, denied("ci-reader", "DescribeUserPool", f.arn(f.poolB)))
	_, err = ro.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: &f.poolA})
	wantDenied(t, err, denied("ci-reader", "DeleteUserPool", f.arn(f.poolA)))
	_, err = ro.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: &f.poolA, Identifier: aws.String("api"), Name: aws.String("api")})
	wantDenied(t, err, denied("ci-reader", "CreateResourceServer", f.arn(f.poolA)))
	// ListUserPools has no resource: the pool's ARN does not cover it.
	_, err = ro.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
	wantDenied(t, err, denied("ci-reader", "ListUserPools", "*"))
	// A denied pool that does not exist is denied, not "not found": the
	// answer does not reveal which pools exist.
	_, err = ro.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String("us-east-1_nothere")})
	wantDenied(t, err, denied("ci-reader", "DescribeUserPool", f.arn("us-east-1_nothere")))
	// The root key still does everything.
	if _, err := f.root.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: &f.poolB}); err != nil {
		t.Fatalf("root DescribeUserPool: %v", err)
	}
	// Tagging operations act on the ARN they are given.
	_, err = ro.TagResource(ctx, &cip.TagResourceInput{ResourceArn: aws.String(f.arn(f.poolA)), Tags: map[string]string{"a": "b"}})
	wantDenied(t, err, denied("ci-reader", "TagResource", f.arn(f.poolA)))
	if _, err := ro.ListTagsForResource(ctx, &cip.ListTagsForResourceInput{ResourceArn: aws.String(f.arn(f.poolA))}); err != nil {
		t.Fatalf("ListTagsForResource of its pool: %v", err)
	}
}

// TestIAMNoPolicyDeniesEverything: a key created without a policy is an
// IAM user without policies.
func TestIAMNoPolicyDeniesEverything(t *testing.T) {
	f := newIAMFixture(t)
	c, _ := f.key(t, "nobody", "")
	_, err := c.ListUserPools(context.Background(), &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
	wantDenied(t, err, denied("nobody", "ListUserPools", "*"))
}

func TestIAMExplicitDenyBeatsAllow(t *testing.T) {
	f := newIAMFixture(t)
	ctx := context.Background()
	c, _ := f.key(t, "ops", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"cognito-idp:*","Resource":"*"},
		{"Sid":"NoPoolDeletes","Effect":"Deny","Action":"cognito-idp:DeleteUserPool","Resource":"*"}]}`)
	_, err := c.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: &f.poolA})
	wantDenied(t, err, deniedExplicitly("ops", "DeleteUserPool", f.arn(f.poolA)))
	if _, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: &f.poolA}); err != nil {
		t.Fatalf("DescribeUserPool under the Allow: %v", err)
	}
}

func TestIAMNotActionNotResource(t *testing.T) {
	f := newIAMFixture(t)
	ctx := context.Background()
	// Everything but deletions, on every pool but B.
	c, _ := f.key(t, "no-deletes", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","NotAction":"cognito-idp:Delete*","NotResource":"`+f.arn(f.poolB)+`"}]}`)
	if _, err := c.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: &f.poolA, GroupName: aws.String("g")}); err != nil {
		t.Fatalf("CreateGroup (not a Delete*, not pool B): %v", err)
	}
	_, err := c.DeleteGroup(ctx, &cip.DeleteGroupInput{UserPoolId: &f.poolA, GroupName: aws.String("g")})
	wantDenied(t, err, denied("no-deletes", "DeleteGroup", f.arn(f.poolA)))
	_, err = c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: &f.poolB})
	wantDenied(t, err, denied("no-deletes", "DescribeUserPool", f.arn(f.poolB)))
	// "*" (ListUserPools) is not pool B's ARN, so NotResource covers it.
	if _, err := c.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)}); err != nil {
		t.Fatalf("ListUserPools: %v", err)
	}
}

// TestIAMConditions: aws:SourceIp (the test client is 127.0.0.1),
// aws:SecureTransport (plain HTTP) and aws:CurrentTime.
func TestIAMConditions(t *testing.T) {
	f := newIAMFixture(t)
	ctx := context.Background()
	withCond := func(cond string) string {
		return `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"cognito-idp:ListUserPools","Resource":"*","Condition":` + cond + `}}`
	}
	now := time.Now().UTC()
	day := 24 * time.Hour
	for _, c := range []struct {
		name, cond string
		allowed    bool
	}{
		{"source-loopback", `{"IpAddress":{"aws:SourceIp":"127.0.0.1/32"}}`, true},
		{"source-10", `{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, false},
		{"source-not-10", `{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, true},
		{"tls-false", `{"Bool":{"aws:SecureTransport":"false"}}`, true},
		{"tls-true", `{"Bool":{"aws:SecureTransport":"true"}}`, false},
		{"time-window", `{"DateGreaterThan":{"aws:CurrentTime":"` + now.Add(-day).Format(time.RFC3339) + `"},"DateLessThan":{"aws:CurrentTime":"` + now.Add(day).Format(time.RFC3339) + `"}}`, true},
		{"time-window-over", `{"DateLessThan":{"aws:CurrentTime":"` + now.Add(-day).Format(time.RFC3339) + `"}}`, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			cl, _ := f.key(t, c.name, withCond(c.cond))
			_, err := cl.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
			if c.allowed && err != nil {
				t.Fatalf("got %v, want allowed", err)
			}
			if !c.allowed {
				wantDenied(t, err, denied(c.name, "ListUserPools", "*"))
			}
		})
	}
}

// forwardedFor adds the headers a client would forge to pass for another
// address.
type forwardedFor struct{ next http.RoundTripper }

func (f forwardedFor) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Forwarded-For", "10.1.2.3")
	r.Header.Set("X-Real-Ip", "10.1.2.3")
	r.Header.Set("Forwarded", "for=10.1.2.3")
	return f.next.RoundTrip(r)
}

// TestIAMSourceIPIgnoresForwardedHeaders: aws:SourceIp is the connection's
// peer, whatever the client writes in forwarding headers.
func TestIAMSourceIPIgnoresForwardedHeaders(t *testing.T) {
	f := newIAMFixture(t)
	id, secret, err := f.ts.svc.CreateAccessKey(context.Background(), "from-10", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"cognito-idp:ListUserPools","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}}`)
	if err != nil {
		t.Fatal(err)
	}
	c := cip.New(cip.Options{Region: "us-east-1", BaseEndpoint: aws.String(f.ts.URL), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider(id, secret, ""),
		HTTPClient:  &http.Client{Transport: forwardedFor{sdktest.BufferedBodies{}}}})
	_, err = c.ListUserPools(context.Background(), &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
	wantDenied(t, err, denied("from-10", "ListUserPools", "*"))
}

// TestIAMPolicyChangeTakesEffectAtOnce: the next request after
// SetAccessKeyPolicy is decided by the new policy, both ways.
func TestIAMPolicyChangeTakesEffectAtOnce(t *testing.T) {
	f := newIAMFixture(t)
	ctx := context.Background()
	allow := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"cognito-idp:DescribeUserPool","Resource":"*"}}`
	c, id := f.key(t, "changing", allow)
	describe := func() error {
		_, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: &f.poolA})
		return err
	}
	if err := describe(); err != nil {
		t.Fatalf("before the change: %v", err)
	}
	if err := f.ts.svc.SetAccessKeyPolicy(ctx, id, `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}`); err != nil {
		t.Fatal(err)
	}
	wantDenied(t, describe(), deniedExplicitly("changing", "DescribeUserPool", f.arn(f.poolA)))
	if err := f.ts.svc.SetAccessKeyPolicy(ctx, id, allow); err != nil {
		t.Fatal(err)
	}
	if err := describe(); err != nil {
		t.Fatalf("after changing back: %v", err)
	}
	// A deleted key is no longer recognised.
	if err := f.ts.svc.DeleteAccessKey(ctx, id); err != nil {
		t.Fatal(err)
	}
	err := describe()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "UnrecognizedClientException" {
		t.Fatalf("after delete: got %v, want UnrecognizedClientException", err)
	}
}

// TestIAMRotatedKeyKeepsPolicy: rotation makes a second key with the same
// name and policy; the old one works until deleted.
func TestIAMRotatedKeyKeepsPolicy(t *testing.T) {
	f := newIAMFixture(t)
	ctx := context.Background()
	old, id := f.key(t, "rotating", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"cognito-idp:DescribeUserPool","Resource":"`+f.arn(f.poolA)+`"}}`)
	newID, secret, err := f.ts.svc.RotateAccessKey(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	fresh := f.ts.clientWith("us-east-1", newID, secret)
	for _, c := range []*cip.Client{old, fresh} {
		if _, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: &f.poolA}); err != nil {
			t.Fatalf("DescribeUserPool: %v", err)
		}
		_, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: &f.poolB})
		wantDenied(t, err, denied("rotating", "DescribeUserPool", f.arn(f.poolB)))
	}
}

// TestIAMPolicyRefused: a policy cognitod would not enforce as written is
// refused when set, never stored.
func TestIAMPolicyRefused(t *testing.T) {
	f := newIAMFixture(t)
	for _, p := range []string{
		`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"cognito-idp:DeleteUserPol","Resource":"*"}}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"a"}}}}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"aws:EpochTime":"1"}}}}`,
		strings.Repeat(" ", 10) + `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"arn:` + strings.Repeat("x", 7000) + `"}}`,
	} {
		_, _, err := f.ts.svc.CreateAccessKey(context.Background(), "refused", p)
		var ce *cognito.Error
		if !errors.As(err, &ce) || ce.Type != "MalformedPolicyDocumentException" {
			t.Errorf("CreateAccessKey with %.80s: got %v, want MalformedPolicyDocumentException", p, err)
		}
	}
	keys, err := f.ts.svc.ListAccessKeys(context.Background())
	if err != nil || len(keys) != 1 {
		t.Fatalf("keys after refusals: got %d, %v, want the root key only", len(keys), err)
	}
}
