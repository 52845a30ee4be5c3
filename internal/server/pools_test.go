package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/cognito"
)

func TestUserPoolUpdateAndDeletionProtection(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	ctx := context.Background()
	c := ts.client("us-east-1")
	out, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("protected"),
		DeletionProtection: types.DeletionProtectionTypeActive, UsernameAttributes: []types.UsernameAttributeType{types.UsernameAttributeTypeEmail},
		UserPoolTags: map[string]string{"team": "auth"},
		Schema:       []types.SchemaAttributeType{{Name: aws.String("tenant"), AttributeDataType: types.AttributeDataTypeString}}})
	if err != nil {
		t.Fatal(err)
	}
	poolID := *out.UserPool.Id
	last := out.UserPool.SchemaAttributes[len(out.UserPool.SchemaAttributes)-1]
	if aws.ToString(last.Name) != "custom:tenant" {
		t.Errorf("custom attribute named %q, want custom:tenant", aws.ToString(last.Name))
	}
	_, err = c.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: aws.String(poolID)})
	wantAPIError(t, err, "InvalidParameterException", "The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.")

	// UpdateUserPool replaces settings: tags and protection left out reset.
	if _, err := c.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: aws.String(poolID), MfaConfiguration: types.UserPoolMfaTypeOff,
		Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(12), RequireNumbers: true}}}); err != nil {
		t.Fatal(err)
	}
	d, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(poolID)})
	if err != nil {
		t.Fatal(err)
	}
	p := d.UserPool
	if p.DeletionProtection != types.DeletionProtectionTypeInactive || len(p.UserPoolTags) != 0 || aws.ToInt32(p.Policies.PasswordPolicy.MinimumLength) != 12 ||
		!p.Policies.PasswordPolicy.RequireNumbers || p.Policies.PasswordPolicy.RequireUppercase || p.MfaConfiguration != types.UserPoolMfaTypeOff ||
		len(p.UsernameAttributes) != 1 || aws.ToString(p.Name) != "protected" {
		t.Errorf("after update: %+v", p)
	}
	if _, err := c.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: aws.String(poolID)}); err != nil {
		t.Fatal(err)
	}
}

func TestDomains(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	ctx := context.Background()
	c := ts.client("us-east-1")
	poolID := createPool(t, c, "withdomain")
	other := createPool(t, c, "other")
	out, err := c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(poolID), Domain: aws.String("photos-login")})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := aws.ToString(out.CloudFrontDomain), "photos-login.auth.us-east-1.localhost"; got != want {
		t.Errorf("CloudFrontDomain = %q, want %q", got, want)
	}
	_, err = c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(poolID), Domain: aws.String("second")})
	wantAPIError(t, err, "InvalidParameterException", "User pool already has a domain configured.")
	_, err = c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(other), Domain: aws.String("photos-login")})
	wantAPIError(t, err, "InvalidParameterException", "Domain already associated with another user pool.")
	_, err = c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(other), Domain: aws.String("my-cognito-app")})
	wantAPIError(t, err, "InvalidParameterException", "Domain cannot contain reserved word: cognito")

	desc, err := c.DescribeUserPoolDomain(ctx, &cip.DescribeUserPoolDomainInput{Domain: aws.String("photos-login")})
	if err != nil {
		t.Fatal(err)
	}
	dd := desc.DomainDescription
	if aws.ToString(dd.UserPoolId) != poolID || dd.Status != types.DomainStatusTypeActive || aws.ToString(dd.AWSAccountId) != "000000000000" {
		t.Errorf("DescribeUserPoolDomain = %+v", dd)
	}
	pool, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(poolID)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(pool.UserPool.Domain) != "photos-login" {
		t.Errorf("pool Domain = %q", aws.ToString(pool.UserPool.Domain))
	}
	r := ts.raw(t, "DescribeUserPoolDomain", `{"Domain":"nosuchdomain"}`)
	if r.Status != 200 || r.Raw != `{"DomainDescription":{}}` {
		t.Errorf("unknown domain: %d %s, want 200 {\"DomainDescription\":{}}", r.Status, r.Raw)
	}

	_, err = c.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: aws.String(poolID)})
	wantAPIError(t, err, "InvalidParameterException", "User pool cannot be deleted. It has a domain configured that should be deleted first.")
	_, err = c.DeleteUserPoolDomain(ctx, &cip.DeleteUserPoolDomainInput{UserPoolId: aws.String(other), Domain: aws.String("photos-login")})
	wantAPIError(t, err, "InvalidParameterException", "No such domain or user pool exists.")
	if _, err := c.DeleteUserPoolDomain(ctx, &cip.DeleteUserPoolDomainInput{UserPoolId: aws.String(poolID), Domain: aws.String("photos-login")}); err != nil {
		t.Fatal(err)
	}
	// The prefix is free again.
	if _, err := c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(other), Domain: aws.String("photos-login")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: aws.String(poolID)}); err != nil {
		t.Fatal(err)
	}
}

// TestPagination walks ListResourceServers page by page while rows are
// added and deleted between pages, checks tampered and misplaced tokens,
// and counts pools and clients through the SDK's paginators. The storage
// conformance suite checks the same keyset paging for every list.
func TestPagination(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	ctx := context.Background()
	c := ts.client("us-east-1")
	poolID := createPool(t, c, "pages")
	create := func(i int) {
		if _, err := c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: aws.String(poolID), Identifier: aws.String(fmt.Sprintf("rs-%02d", i)), Name: aws.String("n")}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 7 {
		create(i)
	}
	var seen []string
	var token *string
	for page := 0; ; page++ {
		out, err := c.ListResourceServers(ctx, &cip.ListResourceServersInput{UserPoolId: aws.String(poolID), MaxResults: aws.Int32(3), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, rs := range out.ResourceServers {
			seen = append(seen, *rs.Identifier)
		}
		if page == 0 {
			// Delete one already seen and one not yet seen; add one.
			for _, id := range []string{"rs-00", "rs-05"} {
				if _, err := c.DeleteResourceServer(ctx, &cip.DeleteResourceServerInput{UserPoolId: aws.String(poolID), Identifier: aws.String(id)}); err != nil {
					t.Fatal(err)
				}
			}
			create(7)
		}
		if out.NextToken == nil {
			break
		}
		token = out.NextToken
	}
	if got, want := strings.Join(seen, ","), "rs-00,rs-01,rs-02,rs-03,rs-04,rs-06,rs-07"; got != want {
		t.Errorf("pages gave %s, want %s", got, want)
	}

	first, err := c.ListResourceServers(ctx, &cip.ListResourceServersInput{UserPoolId: aws.String(poolID), MaxResults: aws.Int32(2)})
	if err != nil || first.NextToken == nil {
		t.Fatalf("first page: %v", err)
	}
	tok := *first.NextToken
	// Change the first character: the cursor part, covered by the MAC.
	swap := "A"
	if tok[0] == 'A' {
		swap = "B"
	}
	tampered := swap + tok[1:]
	for name, bad := range map[string]string{"tampered": tampered, "garbage": "not-a-token", "other-listing": tok} {
		var err error
		if name == "other-listing" {
			_, err = c.ListUserPoolClients(ctx, &cip.ListUserPoolClientsInput{UserPoolId: aws.String(poolID), MaxResults: aws.Int32(2), NextToken: aws.String(bad)})
		} else {
			_, err = c.ListResourceServers(ctx, &cip.ListResourceServersInput{UserPoolId: aws.String(poolID), MaxResults: aws.Int32(2), NextToken: aws.String(bad)})
		}
		t.Run(name, func(t *testing.T) { wantAPIError(t, err, "InvalidParameterException", "Invalid pagination token.") })
	}

	// Pools and clients paginate the same way, with the SDK's paginators.
	for i := range 5 {
		createPool(t, c, fmt.Sprint("p", i))
		if _, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String(fmt.Sprint("c", i))}); err != nil {
			t.Fatal(err)
		}
	}
	pools := 0
	for p := cip.NewListUserPoolsPaginator(c, &cip.ListUserPoolsInput{MaxResults: aws.Int32(2)}); p.HasMorePages(); {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pools += len(out.UserPools)
	}
	clients := 0
	for p := cip.NewListUserPoolClientsPaginator(c, &cip.ListUserPoolClientsInput{UserPoolId: aws.String(poolID), MaxResults: aws.Int32(2)}); p.HasMorePages(); {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		clients += len(out.UserPoolClients)
	}
	if pools != 6 || clients != 5 {
		t.Errorf("paginators saw %d pools and %d clients, want 6 and 5", pools, clients)
	}
}

// TestDomainsPerRegion: a prefix is unique within a region, as in
// Cognito; each region's host routes to its own pool.
func TestDomainsPerRegion(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	ctx := context.Background()
	east, west := ts.client("us-east-1"), ts.client("eu-west-1")
	eastPool, westPool := createPool(t, east, "east"), createPool(t, west, "west")
	for c, pool := range map[*cip.Client]string{east: eastPool, west: westPool} {
		if _, err := c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(pool), Domain: aws.String("photos")}); err != nil {
			t.Fatalf("%s: %v", pool, err)
		}
	}
	d, err := west.DescribeUserPoolDomain(ctx, &cip.DescribeUserPoolDomainInput{Domain: aws.String("photos")})
	if err != nil || aws.ToString(d.DomainDescription.UserPoolId) != westPool {
		t.Errorf("eu-west-1 photos: %+v %v", d, err)
	}
	_, port, _ := strings.Cut(strings.TrimPrefix(ts.URL, "http://"), ":")
	for region, pool := range map[string]string{"us-east-1": eastPool, "eu-west-1": westPool} {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+"/.well-known/openid-configuration", nil)
		req.Host = "photos.auth." + region + ".localhost:" + port
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), "/"+pool+`"`) {
			t.Errorf("%s host: %d %s", region, resp.StatusCode, b)
		}
	}
}
