package cognito_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/sqlite"
)

// countingStore is the real SQLite store, counting the user lookups the
// service makes through it.
type countingStore struct {
	*sqlite.Store
	lookups atomic.Int64
}

func (c *countingStore) GetUser(ctx context.Context, poolID, key string) (*cognito.User, error) {
	c.lookups.Add(1)
	return c.Store.GetUser(ctx, poolID, key)
}

func (c *countingStore) GetUserBySub(ctx context.Context, poolID, sub string) (*cognito.User, error) {
	c.lookups.Add(1)
	return c.Store.GetUserBySub(ctx, poolID, sub)
}

// TestLongSignInNameRefusedBeforeLookup: USERNAME in AuthParameters is a
// map value the model bounds only at 131,072 characters; a name longer
// than UsernameType's 128 is answered as an unknown name without a store
// lookup, and a name of 128 is still looked up.
func TestLongSignInNameRefusedBeforeLookup(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	store := &countingStore{Store: db}
	sealer, _ := cognito.NewSealer(bytes.Repeat([]byte{5}, 32))
	svc, err := cognito.NewService(cognito.Config{Store: store, Sealer: sealer})
	if err != nil {
		t.Fatal(err)
	}
	caller := cognito.WithCaller(ctx, cognito.Caller{Region: "us-east-1"})
	pool, err := svc.CreateUserPool(caller, &cognito.CreateUserPoolInput{PoolName: "p"})
	if err != nil {
		t.Fatal(err)
	}
	client := func(prevent string) string {
		c, err := svc.CreateUserPoolClient(caller, &cognito.CreateUserPoolClientInput{UserPoolId: pool.UserPool.Id, ClientName: "c" + prevent,
			ClientInput: cognito.ClientInput{ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}, PreventUserExistenceErrors: &prevent}})
		if err != nil {
			t.Fatal(err)
		}
		return c.UserPoolClient.ClientId
	}
	prevented, legacy := client("ENABLED"), client("LEGACY")
	signIn := func(clientID, name string) (int64, error) {
		t.Helper()
		before := store.lookups.Load()
		_, err := svc.InitiateAuth(ctx, &cognito.InitiateAuthInput{AuthFlow: "USER_PASSWORD_AUTH", ClientId: clientID,
			AuthParameters: map[string]string{"USERNAME": name, "PASSWORD": "Wrong-pass-1"}})
		return store.lookups.Load() - before, err
	}
	for _, name := range []string{strings.Repeat("a", 131_072), strings.Repeat("a", 129), strings.Repeat("é", 129), strings.Repeat("😀", 65)} {
		n, err := signIn(prevented, name)
		var ce *cognito.Error
		if !errors.As(err, &ce) || ce.Type != "NotAuthorizedException" || ce.Message != "Incorrect username or password." {
			t.Errorf("%d-byte name, existence errors prevented: got %v, want NotAuthorizedException", len(name), err)
		}
		if n != 0 {
			t.Errorf("%d-byte name: %d user lookups, want none", len(name), n)
		}
		n, err = signIn(legacy, name)
		if !errors.As(err, &ce) || ce.Type != "UserNotFoundException" {
			t.Errorf("%d-byte name, legacy errors: got %v, want UserNotFoundException", len(name), err)
		}
		if n != 0 {
			t.Errorf("%d-byte name: %d user lookups, want none", len(name), n)
		}
	}
	// At the limit (128 UTF-16 units, 64 of them surrogate pairs here)
	// the name is looked up as any other.
	if n, _ := signIn(legacy, strings.Repeat("😀", 64)); n == 0 {
		t.Error("a 128-unit name was not looked up")
	}
}
