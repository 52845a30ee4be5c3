package cognito_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/sqlite"
	"github.com/cognitod/cognitod/internal/token"
)

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// newService is a service over a fresh SQLite file, with a token issuer,
// on the clock clk (time.Now when nil).
func newService(t *testing.T, clk *clock) (*cognito.Service, *sqlite.Store) {
	t.Helper()
	return newServiceWith(t, clk, nil)
}

// newServiceWith is newService with configure changing the service's
// Config (its hooks) before it is built; configure may be nil.
func newServiceWith(t *testing.T, clk *clock, configure func(*cognito.Config)) (*cognito.Service, *sqlite.Store) {
	t.Helper()
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	sealer, _ := cognito.NewSealer(bytes.Repeat([]byte{5}, 32))
	now := time.Now
	if clk != nil {
		now = clk.Now
	}
	cfg := cognito.Config{Store: store, Sealer: sealer, Now: now,
		Tokens: token.NewIssuer(token.IssuerConfig{Keys: token.NewKeys(store, sealer, now, nil), PublicURL: "http://localhost:9229", Now: now})}
	if configure != nil {
		configure(&cfg)
	}
	svc, err := cognito.NewService(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return svc, store
}

// TestAuthCodeExpires: a code is good for five minutes, no more.
func TestAuthCodeExpires(t *testing.T) {
	ctx := context.Background()
	clk := &clock{now: time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)}
	svc, store := newService(t, clk)
	caller := cognito.WithCaller(ctx, cognito.Caller{Region: "us-east-1"})
	pool, err := svc.CreateUserPool(caller, &cognito.CreateUserPoolInput{PoolName: "p"})
	if err != nil {
		t.Fatal(err)
	}
	oauth := true
	client, err := svc.CreateUserPoolClient(caller, &cognito.CreateUserPoolClientInput{UserPoolId: pool.UserPool.Id, ClientName: "web",
		ClientInput: cognito.ClientInput{AllowedOAuthFlows: []string{"code"}, AllowedOAuthScopes: []string{"openid", "email"}, AllowedOAuthFlowsUserPoolClient: &oauth,
			CallbackURLs: []string{"https://app.example/cb"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AdminCreateUser(caller, &cognito.AdminCreateUserInput{UserPoolId: pool.UserPool.Id, Username: "u", MessageAction: "SUPPRESS"}); err != nil {
		t.Fatal(err)
	}
	a, err := svc.CheckAuthorize(ctx, pool.UserPool.Id, cognito.AuthorizeRequest{ResponseType: "code", ClientID: client.UserPoolClient.ClientId, RedirectURI: "https://app.example/cb"})
	if err != nil {
		t.Fatal(err)
	}
	u, err := store.GetUser(ctx, pool.UserPool.Id, "u")
	if err != nil {
		t.Fatal(err)
	}
	// A code is good at four minutes fifty-nine seconds...
	code, err := svc.IssueAuthCode(ctx, a, u, clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	clk.Add(5*time.Minute - time.Second)
	if _, err := svc.RedeemAuthCode(ctx, a.Client, a.Pool, code, "https://app.example/cb", ""); err != nil {
		t.Errorf("a code four minutes fifty-nine seconds old: %v", err)
	}
	// ...and not at five minutes and a second.
	code, err = svc.IssueAuthCode(ctx, a, u, clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	clk.Add(5*time.Minute + time.Second)
	_, err = svc.RedeemAuthCode(ctx, a.Client, a.Pool, code, "https://app.example/cb", "")
	if !errors.Is(err, cognito.ErrGrantInvalidGrant) {
		t.Errorf("a code five minutes and a second old: got %v, want invalid_grant", err)
	}

	// email without openid is refused.
	scope := "email"
	_, err = svc.CheckAuthorize(ctx, pool.UserPool.Id, cognito.AuthorizeRequest{ResponseType: "code", ClientID: client.UserPoolClient.ClientId, RedirectURI: "https://app.example/cb", Scope: &scope})
	var ae *cognito.AuthorizeError
	if !errors.As(err, &ae) || !ae.Redirect || ae.Description != "invalid_scope" {
		t.Errorf("email without openid: %v", err)
	}
}
