package server

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/cognito"
)

func createPool(t testing.TB, c *cip.Client, name string) string {
	t.Helper()
	out, err := c.CreateUserPool(context.Background(), &cip.CreateUserPoolInput{PoolName: aws.String(name)})
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	return *out.UserPool.Id
}

func photoServer(poolID string) *cip.CreateResourceServerInput {
	return &cip.CreateResourceServerInput{
		UserPoolId: aws.String(poolID), Identifier: aws.String("com.example.photos"), Name: aws.String("Photo Server"),
		Scopes: []types.ResourceServerScopeType{
			{ScopeName: aws.String("read"), ScopeDescription: aws.String("view your photos")},
			{ScopeName: aws.String("write"), ScopeDescription: aws.String("update your photos")},
		},
	}
}

// TestSeedWalkthrough is the seed documents' example end to end through
// the AWS SDK for Go v2: pool, the Photo Server with read and write, an
// app client allowed com.example.photos/read, list, update, describe,
// delete.
func TestSeedWalkthrough(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	ctx := context.Background()
	c := ts.client("us-east-1")

	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("photos-pool")})
	if err != nil {
		t.Fatal(err)
	}
	poolID := *pool.UserPool.Id
	if !strings.HasPrefix(poolID, "us-east-1_") || len(poolID) != len("us-east-1_")+9 {
		t.Errorf("pool ID %q, want us-east-1_ and 9 alphanumerics", poolID)
	}
	if got, want := aws.ToString(pool.UserPool.Arn), "arn:aws:cognito-idp:us-east-1:000000000000:userpool/"+poolID; got != want {
		t.Errorf("Arn = %q, want %q", got, want)
	}
	if pp := pool.UserPool.Policies.PasswordPolicy; aws.ToInt32(pp.MinimumLength) != 8 || !pp.RequireSymbols {
		t.Errorf("default password policy = %+v", pp)
	}
	if n := len(pool.UserPool.SchemaAttributes); n != 20 {
		t.Errorf("got %d standard schema attributes, want 20", n)
	}

	rs, err := c.CreateResourceServer(ctx, photoServer(poolID))
	if err != nil {
		t.Fatal(err)
	}
	if got := *rs.ResourceServer.Identifier; got != "com.example.photos" {
		t.Errorf("Identifier = %q", got)
	}
	if len(rs.ResourceServer.Scopes) != 2 || *rs.ResourceServer.Scopes[1].ScopeDescription != "update your photos" {
		t.Errorf("Scopes = %+v", rs.ResourceServer.Scopes)
	}

	client, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(poolID), ClientName: aws.String("photo-reader"), GenerateSecret: true,
		AllowedOAuthFlows:               []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials},
		AllowedOAuthScopes:              []string{"com.example.photos/read"},
		AllowedOAuthFlowsUserPoolClient: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	uc := client.UserPoolClient
	if len(*uc.ClientId) != 26 || len(aws.ToString(uc.ClientSecret)) != 52 {
		t.Errorf("client id %q / secret length %d, want 26 / 52", *uc.ClientId, len(aws.ToString(uc.ClientSecret)))
	}
	if uc.RefreshTokenValidity != 30 || !aws.ToBool(uc.EnableTokenRevocation) || uc.AuthSessionValidity == nil || *uc.AuthSessionValidity != 3 {
		t.Errorf("defaults: refresh %d, revocation %v, session %v", uc.RefreshTokenValidity, uc.EnableTokenRevocation, uc.AuthSessionValidity)
	}

	list, err := c.ListResourceServers(ctx, &cip.ListResourceServersInput{UserPoolId: aws.String(poolID), MaxResults: aws.Int32(10)})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.ResourceServers) != 1 || list.NextToken != nil {
		t.Fatalf("ListResourceServers = %d servers, next %v; want 1, nil", len(list.ResourceServers), list.NextToken)
	}

	upd, err := c.UpdateResourceServer(ctx, &cip.UpdateResourceServerInput{
		UserPoolId: aws.String(poolID), Identifier: aws.String("com.example.photos"), Name: aws.String("Photo API"),
		Scopes: []types.ResourceServerScopeType{{ScopeName: aws.String("read"), ScopeDescription: aws.String("view your photos")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if *upd.ResourceServer.Name != "Photo API" || len(upd.ResourceServer.Scopes) != 1 {
		t.Errorf("UpdateResourceServer = %+v", upd.ResourceServer)
	}
	desc, err := c.DescribeResourceServer(ctx, &cip.DescribeResourceServerInput{UserPoolId: aws.String(poolID), Identifier: aws.String("com.example.photos")})
	if err != nil {
		t.Fatal(err)
	}
	if *desc.ResourceServer.Name != "Photo API" || len(desc.ResourceServer.Scopes) != 1 {
		t.Errorf("DescribeResourceServer = %+v", desc.ResourceServer)
	}

	// Update without Scopes clears them, and the response has no Scopes member.
	r := ts.raw(t, "UpdateResourceServer", fmt.Sprintf(`{"UserPoolId":%q,"Identifier":"com.example.photos","Name":"Photo API"}`, poolID))
	if r.Status != 200 {
		t.Fatalf("UpdateResourceServer without scopes: %d %s", r.Status, r.Raw)
	}
	if _, has := r.Body["ResourceServer"].(map[string]any)["Scopes"]; has {
		t.Errorf("response has Scopes after they were cleared: %s", r.Raw)
	}

	// The client keeps the association with a scope the server no longer has.
	dc, err := c.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(poolID), ClientId: uc.ClientId})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(dc.UserPoolClient.AllowedOAuthScopes, []string{"com.example.photos/read"}) || aws.ToString(dc.UserPoolClient.ClientSecret) != aws.ToString(uc.ClientSecret) {
		t.Errorf("DescribeUserPoolClient scopes %v, secret matches %v", dc.UserPoolClient.AllowedOAuthScopes, aws.ToString(dc.UserPoolClient.ClientSecret) == aws.ToString(uc.ClientSecret))
	}

	if _, err := c.DeleteResourceServer(ctx, &cip.DeleteResourceServerInput{UserPoolId: aws.String(poolID), Identifier: aws.String("com.example.photos")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DescribeResourceServer(ctx, &cip.DescribeResourceServerInput{UserPoolId: aws.String(poolID), Identifier: aws.String("com.example.photos")})
	wantAPIError(t, err, "ResourceNotFoundException", "Resource server com.example.photos does not exist.")
	if _, err := c.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: aws.String(poolID)}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(poolID)})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool "+poolID+" does not exist.")
	_, err = c.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(poolID), ClientId: uc.ClientId})
	wantAPIError(t, err, "ResourceNotFoundException", "")
}

// TestRegionIsolation: a pool is visible only from its own region.
func TestRegionIsolation(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	ctx := context.Background()
	east, west := ts.client("us-east-1"), ts.client("eu-west-2")
	poolID := createPool(t, east, "east")
	_, err := west.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(poolID)})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool "+poolID+" does not exist.")
	westID := createPool(t, west, "west")
	if !strings.HasPrefix(westID, "eu-west-2_") {
		t.Errorf("pool created from eu-west-2 has ID %q", westID)
	}
	l, err := east.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(60)})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.UserPools) != 1 || *l.UserPools[0].Id != poolID {
		t.Errorf("us-east-1 lists %d pools, want only %s", len(l.UserPools), poolID)
	}
}

// TestConcurrentCreateSameIdentifier: many clients create the same
// identifier at once; exactly one succeeds.
func TestConcurrentCreateSameIdentifier(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	c := ts.client("us-east-1")
	poolID := createPool(t, c, "race")
	const n = 24
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = ts.client("us-east-1").CreateResourceServer(context.Background(), photoServer(poolID))
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
			continue
		}
		wantAPIError(t, err, "InvalidParameterException", "com.example.photos already exists in user pool "+poolID+".")
	}
	if ok != 1 {
		t.Fatalf("%d creates succeeded, want exactly 1", ok)
	}
}

// TestQuotas: each quota answers LimitExceededException at its limit.
func TestQuotas(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{UserPoolsPerRegion: 2, AppClientsPerPool: 2, ResourceServersPerPool: 2, ScopesPerResourceServer: 3})
	ctx := context.Background()
	c := ts.client("us-east-1")
	poolID := createPool(t, c, "one")
	createPool(t, c, "two")
	_, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("three")})
	wantAPIError(t, err, "LimitExceededException", "")
	// Another region has its own quota.
	createPool(t, ts.client("ap-southeast-2"), "elsewhere")

	for i := range 2 {
		if _, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String(fmt.Sprint("c", i))}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("c3")})
	wantAPIError(t, err, "LimitExceededException", "")

	for i := range 2 {
		if _, err := c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: aws.String(poolID), Identifier: aws.String(fmt.Sprint("rs", i)), Name: aws.String("rs")}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: aws.String(poolID), Identifier: aws.String("rs3"), Name: aws.String("rs")})
	wantAPIError(t, err, "LimitExceededException", "")

	scopes := make([]types.ResourceServerScopeType, 4)
	for i := range scopes {
		scopes[i] = types.ResourceServerScopeType{ScopeName: aws.String(fmt.Sprint("s", i)), ScopeDescription: aws.String("d")}
	}
	_, err = c.UpdateResourceServer(ctx, &cip.UpdateResourceServerInput{UserPoolId: aws.String(poolID), Identifier: aws.String("rs0"), Name: aws.String("rs"), Scopes: scopes})
	wantAPIError(t, err, "LimitExceededException", "")
}
