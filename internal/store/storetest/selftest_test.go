package storetest_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/sqlite"
	"github.com/cognitod/cognitod/internal/store/storetest"
)

// The suite's self-test, as testing/fstest has: each wrapper below breaks
// one contract of a real SQLite store, and the suite run on it must fail.
// The broken suite runs in a child process (this test binary, selected by
// brokenEnv), so that its failures are observed as the child's exit status
// and output instead of failing this test.

const brokenEnv = "STORETEST_BROKEN"

// broken wraps a Store and breaks one contract, named by mode.
type broken struct {
	cognito.Store
	mode string
}

// swallowTx turns ErrAlreadyExists from the Create methods into success.
type swallowTx struct{ cognito.Tx }

func swallow(err error) error {
	if errors.Is(err, cognito.ErrAlreadyExists) {
		return nil
	}
	return err
}

func (t swallowTx) CreateUserPool(ctx context.Context, p *cognito.UserPool) error {
	return swallow(t.Tx.CreateUserPool(ctx, p))
}
func (t swallowTx) CreateAppClient(ctx context.Context, c *cognito.AppClient) error {
	return swallow(t.Tx.CreateAppClient(ctx, c))
}
func (t swallowTx) CreateResourceServer(ctx context.Context, rs *cognito.ResourceServer) error {
	return swallow(t.Tx.CreateResourceServer(ctx, rs))
}
func (t swallowTx) CreateDomain(ctx context.Context, d *cognito.Domain) error {
	return swallow(t.Tx.CreateDomain(ctx, d))
}
func (t swallowTx) CreateUser(ctx context.Context, u *cognito.User) error {
	return swallow(t.Tx.CreateUser(ctx, u))
}

func (b *broken) Update(ctx context.Context, fn func(tx cognito.Tx) error) error {
	switch b.mode {
	case "swallow-exists":
		return b.Store.Update(ctx, func(tx cognito.Tx) error { return fn(swallowTx{tx}) })
	case "commit-on-error":
		var ferr error
		err := b.Store.Update(ctx, func(tx cognito.Tx) error { ferr = fn(tx); return nil })
		return errors.Join(ferr, err)
	}
	return b.Store.Update(ctx, fn)
}

func (b *broken) ListUserPools(ctx context.Context, region string, after int64, limit int) ([]*cognito.UserPool, error) {
	ps, err := b.Store.ListUserPools(ctx, region, after, limit)
	if b.mode == "reorder-page" {
		slices.Reverse(ps)
	}
	return ps, err
}

func (b *broken) ListAppClients(ctx context.Context, poolID string, after int64, limit int) ([]*cognito.AppClient, error) {
	cs, err := b.Store.ListAppClients(ctx, poolID, after, limit)
	if b.mode == "reorder-page" {
		slices.Reverse(cs)
	}
	return cs, err
}

var brokenModes = []string{"swallow-exists", "commit-on-error", "reorder-page"}

// TestBrokenStore is the child: it runs the suite on a broken store, and
// is skipped unless brokenEnv names a mode.
func TestBrokenStore(t *testing.T) {
	mode := os.Getenv(brokenEnv)
	if mode == "" {
		t.Skip("run by TestSuiteFailsOnBrokenStores")
	}
	storetest.Run(t, func(t *testing.T) func() cognito.Store {
		path := filepath.Join(t.TempDir(), "db.sqlite")
		return func() cognito.Store {
			s, err := sqlite.Open(t.Context(), path)
			if err != nil {
				t.Fatalf("Open(%q): %v", path, err)
			}
			t.Cleanup(func() { s.Close() })
			return &broken{Store: s, mode: mode}
		}
	})
}

// TestSuiteFailsOnBrokenStores: the suite fails on each broken store, and
// passes on the unbroken wrapper (so a failure is the break's, not the
// wrapper's).
func TestSuiteFailsOnBrokenStores(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite four times")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, mode := range append([]string{"none"}, brokenModes...) {
		t.Run(mode, func(t *testing.T) {
			cmd := exec.CommandContext(t.Context(), exe, "-test.run=^TestBrokenStore$", "-test.failfast")
			cmd.Env = append(os.Environ(), brokenEnv+"="+mode)
			out, err := cmd.CombinedOutput()
			if mode == "none" {
				if err != nil {
					t.Fatalf("the suite fails on the unbroken wrapper: %v\n%s", err, out)
				}
				return
			}
			var exit *exec.ExitError
			if !errors.As(err, &exit) || !strings.Contains(string(out), "--- FAIL: TestBrokenStore/") {
				t.Fatalf("the suite did not fail on a store that breaks %q (err %v):\n%.2000s", mode, err, out)
			}
			for line := range strings.Lines(string(out)) {
				if strings.Contains(line, "--- FAIL: TestBrokenStore/") {
					t.Logf("%s: caught by %s", mode, strings.TrimSpace(line))
					break
				}
			}
		})
	}
}
