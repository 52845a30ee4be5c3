package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/store/postgres/pgtest"
)

// TestTwoInstancesOnPostgres: two `cognitod serve` processes on one
// PostgreSQL schema. A resource server created through A is described
// through B; a scope deleted through A stops being granted by B's token
// endpoint, whose grant cache had it; a rotation with `signing-keys rotate
// --db` signs at B, whose key cache had the old key. Both caches would
// otherwise keep their entries (the grant cache has no expiry; the key
// cache 10 s), so the waits below (bounded, measured and logged) fail
// without the change signal.
func TestTwoInstancesOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts cognitod processes")
	}
	_, dsn := pgtest.Schema(t)
	dataDir := t.TempDir()
	ctx := context.Background()
	if err := migrateCmd([]string{"--db", dsn}, io.Discard, io.Discard); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	a := start(t, dataDir, "--addr", "127.0.0.1:0", "--db", dsn)
	b := start(t, dataDir, "--addr", "127.0.0.1:0", "--db", dsn)
	ca, cb := sdkClient(t, dataDir, a.url), sdkClient(t, dataDir, b.url)

	pool, err := ca.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("two")})
	if err != nil {
		t.Fatal(err)
	}
	poolID := *pool.UserPool.Id
	scopes := func(names ...string) []types.ResourceServerScopeType {
		var out []types.ResourceServerScopeType
		for _, n := range names {
			out = append(out, types.ResourceServerScopeType{ScopeName: aws.String(n), ScopeDescription: aws.String(n)})
		}
		return out
	}
	if _, err := ca.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: &poolID, Identifier: aws.String("api"), Name: aws.String("api"),
		Scopes: scopes("read", "write")}); err != nil {
		t.Fatal(err)
	}
	rs, err := cb.DescribeResourceServer(ctx, &cip.DescribeResourceServerInput{UserPoolId: &poolID, Identifier: aws.String("api")})
	if err != nil || len(rs.ResourceServer.Scopes) != 2 {
		t.Fatalf("DescribeResourceServer through B: %v %+v", err, rs)
	}
	cl, err := ca.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &poolID, ClientName: aws.String("m2m"), GenerateSecret: true,
		AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials}, AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthScopes: []string{"api/read", "api/write"}})
	if err != nil {
		t.Fatal(err)
	}
	token := func(base string) (kid, scope string) {
		resp, err := http.PostForm(base+"/"+poolID+"/oauth2/token", url.Values{"grant_type": {"client_credentials"},
			"client_id": {*cl.UserPoolClient.ClientId}, "client_secret": {*cl.UserPoolClient.ClientSecret}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var out struct {
			AccessToken string `json:"access_token"`
		}
		if err := json.Unmarshal(b, &out); err != nil || out.AccessToken == "" {
			t.Fatalf("token: %d %s", resp.StatusCode, b)
		}
		var h struct{ Kid string }
		seg, _ := jsonSegment(out.AccessToken)
		json.Unmarshal(seg, &h)
		var claims struct{ Scope string }
		seg, _ = jsonSegmentAt(out.AccessToken, 1)
		json.Unmarshal(seg, &claims)
		return h.Kid, claims.Scope
	}
	// waitFor polls cond until it holds, failing past deadline; it returns
	// how long that took.
	waitFor := func(what string, deadline time.Duration, cond func() bool) time.Duration {
		t.Helper()
		start := time.Now()
		for !cond() {
			if time.Since(start) > deadline {
				t.Fatalf("%s: not seen within %v", what, deadline)
			}
			time.Sleep(20 * time.Millisecond)
		}
		return time.Since(start)
	}

	kid0, scope := token(b.url) // B's caches now hold the client, both scopes and the key
	if scope != "api/read api/write" {
		t.Fatalf("scope at B: %q", scope)
	}
	if _, err := ca.UpdateResourceServer(ctx, &cip.UpdateResourceServerInput{UserPoolId: &poolID, Identifier: aws.String("api"), Name: aws.String("api"),
		Scopes: scopes("read")}); err != nil {
		t.Fatal(err)
	}
	took := waitFor("api/write deleted through A, at B's token endpoint", 5*time.Second, func() bool {
		_, s := token(b.url)
		return !strings.Contains(s, "api/write")
	})
	t.Logf("a scope deleted through A left B's tokens after %v", took)

	if err := signingKeysCmd([]string{"rotate", "--pool", poolID, "--data-dir", dataDir, "--db", dsn}, io.Discard, io.Discard); err != nil {
		t.Fatalf("signing-keys rotate --db: %v", err)
	}
	// Well under the key cache's own 10 s expiry.
	took = waitFor("rotation through the database, at B's signer", 5*time.Second, func() bool {
		k, _ := token(b.url)
		return k != kid0
	})
	t.Logf("a key rotated through the database signed at B after %v", took)

	_, err = ca.DeleteResourceServer(ctx, &cip.DeleteResourceServerInput{UserPoolId: &poolID, Identifier: aws.String("api")})
	if err != nil {
		t.Fatal(err)
	}
	// B serves resource servers from its grant cache: the delete reaches
	// it when its watcher sees the generation move (NOTIFY, or the 250 ms
	// poll), not at once. Anything but the server or its absence is wrong.
	took = waitFor("the resource server deleted through A, at B's DescribeResourceServer", 5*time.Second, func() bool {
		_, err := cb.DescribeResourceServer(ctx, &cip.DescribeResourceServerInput{UserPoolId: &poolID, Identifier: aws.String("api")})
		var nf *types.ResourceNotFoundException
		if err != nil && !errors.As(err, &nf) {
			t.Fatalf("DescribeResourceServer through B after a delete through A: %v", err)
		}
		return err != nil
	})
	t.Logf("a resource server deleted through A was gone at B after %v", took)
}
