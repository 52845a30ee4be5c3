package cognito_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/sqlite"
)

// TestMalformedIDsAreNotCached: the grant cache keys on IDs that arrive
// from the network, so an ID that cannot exist is refused before the
// store and never becomes a cache entry; a well-formed unknown ID is
// cached (as absent), which shows the counts can move.
func TestMalformedIDsAreNotCached(t *testing.T) {
	ctx := context.Background()
	svc, _ := newService(t, nil)
	huge := strings.Repeat("A", 100_000)
	if _, err := svc.LookupPool(ctx, "us-east-1_"+huge); !errors.Is(err, cognito.ErrResourceNotFound) {
		t.Errorf("huge pool ID: %v", err)
	}
	if _, err := svc.ClientCredentials(ctx, "", cognito.ClientAuth{ClientID: huge, Secret: "x"}, nil); !errors.Is(err, cognito.ErrGrantInvalidClient) {
		t.Errorf("huge client ID: %v", err)
	}
	if _, _, err := svc.AuthenticateClient(ctx, "", cognito.ClientAuth{ClientID: "not a client id"}); !errors.Is(err, cognito.ErrGrantInvalidClient) {
		t.Errorf("malformed client ID: %v", err)
	}
	if _, err := svc.LookupDomain(ctx, "us-east-1", huge); !errors.Is(err, cognito.ErrResourceNotFound) {
		t.Errorf("huge domain prefix: %v", err)
	}
	if pools, clients, domains := cognito.CachedEntries(svc); pools+clients+domains != 0 {
		t.Errorf("malformed IDs cached: %d pools, %d clients, %d domains", pools, clients, domains)
	}

	if _, err := svc.LookupPool(ctx, "us-east-1_AAAAAAAAA"); !errors.Is(err, cognito.ErrResourceNotFound) {
		t.Errorf("unknown pool ID: %v", err)
	}
	if _, err := svc.ClientCredentials(ctx, "", cognito.ClientAuth{ClientID: strings.Repeat("a", 26), Secret: "x"}, nil); !errors.Is(err, cognito.ErrGrantInvalidClient) {
		t.Errorf("unknown client ID: %v", err)
	}
	if pools, clients, _ := cognito.CachedEntries(svc); pools != 1 || clients != 1 {
		t.Errorf("well-formed unknown IDs: %d pools, %d clients cached, want 1 and 1", pools, clients)
	}
}

// TestUnknownAccessKeysAreNotCached: an access key ID is what an anonymous
// caller presents, so one that does not exist is read again each time and
// never held: ten thousand made-up IDs leave the cache as it was, and a
// key created under one of them straight in the store (no generation
// move, as another process's insert looks before its notice arrives) is
// found by the very next lookup. A key that exists is held.
func TestUnknownAccessKeysAreNotCached(t *testing.T) {
	ctx := context.Background()
	svc, store := newService(t, nil)
	sealer, _ := cognito.NewSealer(bytes.Repeat([]byte{5}, 32))
	for i := range 10_000 {
		if k, err := svc.AccessKeyForSigV4(ctx, fmt.Sprintf("AKIAMADEUP%010d", i)); k != nil || err != nil {
			t.Fatalf("made-up key %d: %v, %v", i, k, err)
		}
	}
	if n := cognito.CachedAccessKeys(svc); n != 0 {
		t.Fatalf("%d made-up access keys cached", n)
	}
	gen := cognito.CacheGeneration(svc)
	id := "AKIAMADEUP0000000007"
	if err := store.Update(ctx, func(tx cognito.Tx) error {
		return tx.CreateAccessKey(ctx, &cognito.AccessKey{AccessKeyID: id, Name: "late", CreationDate: time.Now().UTC(),
			SealedSecret: sealer.Seal(cognito.AccessKeyPurpose(id), []byte("late-secret"))})
	}); err != nil {
		t.Fatal(err)
	}
	k, err := svc.AccessKeyForSigV4(ctx, id)
	if err != nil || k == nil || k.Secret() != "late-secret" {
		t.Fatalf("key created after a miss: %v, %v", k, err)
	}
	if cognito.CacheGeneration(svc) != gen {
		t.Fatal("the generation moved: the test proves nothing")
	}
	if n := cognito.CachedAccessKeys(svc); n != 1 {
		t.Errorf("%d access keys cached after finding one, want 1", n)
	}
}

// TestUserWritesKeepTheGrantCache: new users, password changes, codes and
// deletions of users do not touch what the token endpoint caches, so they
// must not throw that cache away; a resource-server change must.
func TestUserWritesKeepTheGrantCache(t *testing.T) {
	ctx := context.Background()
	svc, store := newService(t, nil)
	caller := cognito.WithCaller(ctx, cognito.Caller{Region: "us-east-1"})
	pool, err := svc.CreateUserPool(caller, &cognito.CreateUserPoolInput{PoolName: "p"})
	if err != nil {
		t.Fatal(err)
	}
	poolID := pool.UserPool.Id
	rs := &cognito.ResourceServerInput{UserPoolId: poolID, Identifier: "api", Name: "api", Scopes: []cognito.ResourceServerScope{{ScopeName: "read", ScopeDescription: "r"}}}
	if _, err := svc.CreateResourceServer(caller, rs); err != nil {
		t.Fatal(err)
	}
	yes := true
	m2m, err := svc.CreateUserPoolClient(caller, &cognito.CreateUserPoolClientInput{UserPoolId: poolID, ClientName: "m2m", GenerateSecret: &yes,
		ClientInput: cognito.ClientInput{AllowedOAuthFlows: []string{"client_credentials"}, AllowedOAuthScopes: []string{"api/read"}, AllowedOAuthFlowsUserPoolClient: &yes}})
	if err != nil {
		t.Fatal(err)
	}
	web, err := svc.CreateUserPoolClient(caller, &cognito.CreateUserPoolClientInput{UserPoolId: poolID, ClientName: "web",
		ClientInput: cognito.ClientInput{AllowedOAuthFlows: []string{"code"}, AllowedOAuthScopes: []string{"openid"}, AllowedOAuthFlowsUserPoolClient: &yes,
			CallbackURLs: []string{"https://app.example/cb"}}})
	if err != nil {
		t.Fatal(err)
	}
	auth := cognito.ClientAuth{ClientID: m2m.UserPoolClient.ClientId, Secret: *m2m.UserPoolClient.ClientSecret}
	if _, err := svc.ClientCredentials(ctx, poolID, auth, nil); err != nil {
		t.Fatal(err)
	}
	gen := cognito.CacheGeneration(svc)

	if _, err := svc.AdminCreateUser(caller, &cognito.AdminCreateUserInput{UserPoolId: poolID, Username: "u", MessageAction: "SUPPRESS"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AdminSetUserPassword(caller, &cognito.AdminSetUserPasswordInput{UserPoolId: poolID, Username: "u", Password: "Correct-horse-9", Permanent: true}); err != nil {
		t.Fatal(err)
	}
	a, err := svc.CheckAuthorize(ctx, poolID, cognito.AuthorizeRequest{ResponseType: "code", ClientID: web.UserPoolClient.ClientId, RedirectURI: "https://app.example/cb"})
	if err != nil {
		t.Fatal(err)
	}
	u, err := store.GetUser(ctx, poolID, "u")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.IssueAuthCode(ctx, a, u, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AdminDeleteUser(caller, &cognito.AdminUserInput{UserPoolId: poolID, Username: "u"}); err != nil {
		t.Fatal(err)
	}
	if got := cognito.CacheGeneration(svc); got != gen {
		t.Errorf("user writes moved the grant cache's generation from %d to %d", gen, got)
	}

	rs.Scopes = append(rs.Scopes, cognito.ResourceServerScope{ScopeName: "write", ScopeDescription: "w"})
	if _, err := svc.UpdateResourceServer(caller, rs); err != nil {
		t.Fatal(err)
	}
	if cognito.CacheGeneration(svc) == gen {
		t.Error("a resource-server update left the grant cache's generation alone")
	}
}

// BenchmarkCachedClientMemory reports the heap a cached app client takes
// in the grant cache (the token endpoint's client lookups), so that the
// bound on the cache (200,000 entries) reads as memory.
func BenchmarkCachedClientMemory(b *testing.B) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "db"))
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	sealer, _ := cognito.NewSealer(bytes.Repeat([]byte{5}, 32))
	svc, err := cognito.NewService(cognito.Config{Store: store, Sealer: sealer})
	if err != nil {
		b.Fatal(err)
	}
	caller := cognito.WithCaller(ctx, cognito.Caller{Region: "us-east-1"})
	pool, err := svc.CreateUserPool(caller, &cognito.CreateUserPoolInput{PoolName: "p"})
	if err != nil {
		b.Fatal(err)
	}
	poolID := pool.UserPool.Id
	if _, err := svc.CreateResourceServer(caller, &cognito.ResourceServerInput{UserPoolId: poolID, Identifier: "api", Name: "api",
		Scopes: []cognito.ResourceServerScope{{ScopeName: "read", ScopeDescription: "r"}}}); err != nil {
		b.Fatal(err)
	}
	yes := true
	tmpl, err := svc.CreateUserPoolClient(caller, &cognito.CreateUserPoolClientInput{UserPoolId: poolID, ClientName: "bench", GenerateSecret: &yes,
		ClientInput: cognito.ClientInput{AllowedOAuthFlows: []string{"client_credentials"}, AllowedOAuthFlowsUserPoolClient: &yes, AllowedOAuthScopes: []string{"api/read"}}})
	if err != nil {
		b.Fatal(err)
	}
	const n = 5000
	clients, err := svc.SeedClientClones(ctx, poolID, tmpl.UserPoolClient.ClientId, n)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for _, c := range clients {
			if _, err := svc.ClientCredentials(ctx, poolID, cognito.ClientAuth{ClientID: c.ClientID, Secret: c.Secret}, nil); err != nil {
				b.Fatal(err)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapInuse-before.HeapInuse)/n, "heap-bytes/client")
		b.StopTimer()
		cognito.DropGrantCache(svc)
		b.StartTimer()
	}
}
