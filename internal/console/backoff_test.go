package console

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/postgres"
	"github.com/cognitod/cognitod/internal/store/postgres/pgtest"
	"github.com/cognitod/cognitod/internal/store/sqlite"
)

// testStore is a real SQLite store whose shared state the back-off uses.
func testStore(t *testing.T) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "db.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestBackoffDoublesAndForgets: past the free failures each failure
// doubles the lockout up to maxLockout, and a count is forgotten (and
// swept) once it has been idle long enough, all on an injected clock.
func TestBackoffDoublesAndForgets(t *testing.T) {
	ctx := context.Background()
	st := testStore(t)
	now := time.Unix(1_800_000_000, 0)
	g := newSignInGuard(st, func() time.Time { return now })
	b := g.keys
	b.free = 3
	k := keyHash("k")
	locked := func() time.Duration {
		t.Helper()
		w, err := b.locked(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	for range 3 {
		if err := b.fail(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	if w := locked(); w != 0 {
		t.Fatalf("locked %v after the free failures, want 0", w)
	}
	want := firstLockout
	for i := range 15 {
		b.fail(ctx, k)
		if w := locked(); w != want {
			t.Fatalf("lockout after %d extra failures: %v, want %v", i+1, w, want)
		}
		want = min(2*want, maxLockout)
	}
	now = now.Add(maxLockout + forgetAfter + time.Second)
	if n, err := cognito.SweepSharedState(ctx, st, now); err != nil || n != 2 {
		t.Errorf("sweep after the count went idle: %d entries deleted, %v; want 2 (count and lock)", n, err)
	}
	for range 3 {
		b.fail(ctx, k)
	}
	if w := locked(); w != 0 {
		t.Errorf("locked %v after three failures of a forgotten count, want 0", w)
	}
}

// TestSignInGuardCountsIPv6ByPrefix: the addresses of one IPv6 /64 share
// one count (keyed by the whole address, each of them had its own twenty
// free guesses); another /64 has its own; an IPv4-mapped address counts
// as the IPv4 address.
func TestSignInGuardCountsIPv6ByPrefix(t *testing.T) {
	ctx := context.Background()
	now := time.Unix(1_800_000_000, 0)
	g := newSignInGuard(testStore(t), func() time.Time { return now })
	wait := func(r *http.Request, keyID string) time.Duration {
		t.Helper()
		w, err := g.wait(ctx, r, keyID)
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	r := httptest.NewRequest(http.MethodPost, "/console/signin", nil)
	for i := range sourceFreeFailures + 1 {
		r.RemoteAddr = fmt.Sprintf("[2001:db8:1:2::%x]:4000", i+1)
		if err := g.failed(ctx, r, fmt.Sprintf("AKIDGUESS%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	r.RemoteAddr = "[2001:db8:1:2:ffff:ffff:ffff:ffff]:5000"
	if w := wait(r, "AKIDOTHER"); w <= 0 {
		t.Errorf("another address of the same /64: wait %v, want a lockout", w)
	}
	r.RemoteAddr = "[2001:db8:1:3::1]:4000"
	if w := wait(r, "AKIDOTHER"); w != 0 {
		t.Errorf("another /64: wait %v, want 0", w)
	}

	for i := range sourceFreeFailures + 1 {
		r.RemoteAddr = "[::ffff:192.0.2.7]:4000"
		g.failed(ctx, r, fmt.Sprintf("AKIDMAPPED%d", i))
	}
	r.RemoteAddr = "192.0.2.7:4000"
	if w := wait(r, "AKIDOTHER"); w <= 0 {
		t.Errorf("IPv4 address after failures from its IPv4-mapped form: wait %v, want a lockout", w)
	}
	r.RemoteAddr = "192.0.2.8:4000"
	if w := wait(r, "AKIDOTHER"); w != 0 {
		t.Errorf("another IPv4 address: wait %v, want 0", w)
	}
}

// TestSignInGuardSharedByGuards: two guards on one store (two instances'
// consoles on one database) count one key ID's failures together, and a
// sign-in at one clears the count at the other. Kept per guard, each had
// its own five free failures.
func TestSignInGuardSharedByGuards(t *testing.T) {
	ctx := context.Background()
	st := testStore(t)
	now := time.Unix(1_800_000_000, 0)
	clock := func() time.Time { return now }
	a, b := newSignInGuard(st, clock), newSignInGuard(st, clock)
	r := httptest.NewRequest(http.MethodPost, "/console/signin", nil)
	r.RemoteAddr = "198.51.100.1:4000"
	for i := range keyFreeFailures {
		g := a
		if i%2 == 1 {
			g = b
		}
		g.failed(ctx, r, "AKIDSHARED")
	}
	if w, _ := b.wait(ctx, r, "AKIDSHARED"); w != 0 {
		t.Fatalf("locked %v after the free failures, want 0", w)
	}
	b.failed(ctx, r, "AKIDSHARED")
	if w, err := a.wait(ctx, r, "AKIDSHARED"); err != nil || w != firstLockout {
		t.Fatalf("at A after the sixth failure, at B: wait %v, %v; want %v", w, err, firstLockout)
	}
	now = now.Add(firstLockout)
	if err := a.succeeded(ctx, "AKIDSHARED"); err != nil {
		t.Fatal(err)
	}
	b.failed(ctx, r, "AKIDSHARED")
	if w, _ := b.wait(ctx, r, "AKIDSHARED"); w != 0 {
		t.Errorf("a failure at B after a sign-in at A: wait %v, want 0 (the count was cleared)", w)
	}
}

// BenchmarkSignInGuard: what the back-off adds to one console sign-in,
// on each backend: wait (two reads) on every sign-in, failed (two
// increments, and a write per lockout) on a wrong one.
func BenchmarkSignInGuard(b *testing.B) {
	stores := map[string]func(*testing.B) cognito.SharedState{
		"sqlite": func(b *testing.B) cognito.SharedState {
			st, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "db.sqlite"))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { st.Close() })
			return st
		},
		"postgres": func(b *testing.B) cognito.SharedState {
			_, dsn := pgtest.Schema(b)
			st, err := postgres.Open(context.Background(), dsn)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { st.Close() })
			return st
		},
	}
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			g := newSignInGuard(stores[name](b), time.Now)
			r := httptest.NewRequest(http.MethodPost, "/console/signin", nil)
			r.RemoteAddr = "198.51.100.1:4000"
			ctx := context.Background()
			b.Run("wait", func(b *testing.B) {
				for b.Loop() {
					if _, err := g.wait(ctx, r, "AKIDBENCH"); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("failed", func(b *testing.B) {
				i := 0
				for b.Loop() {
					i++
					r.RemoteAddr = fmt.Sprintf("198.51.%d.%d:4000", i>>8&255, i&255)
					if err := g.failed(ctx, r, fmt.Sprint("AKIDBENCH", i)); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
