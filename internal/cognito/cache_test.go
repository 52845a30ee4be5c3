package cognito_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/sqlite"
)

// TestMalformedIDsAreNotCached: the grant cache keys on IDs that arrive
// from the network, so an ID that cannot exist is refused before the
// store and never becomes a cache entry; a well-formed unknown ID is
// cached (as absent), which shows the counts can move.
func TestMalformedIDsAreNotCached(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	sealer, _ := cognito.NewSealer(bytes.Repeat([]byte{5}, 32))
	svc, err := cognito.NewService(cognito.Config{Store: store, Sealer: sealer})
	if err != nil {
		t.Fatal(err)
	}
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
