package cognito_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/sqlite"
)

// TestSweepSharedState: the sweep serve runs each minute deletes every
// expired entry, across batches, and nothing that is still live.
func TestSweepSharedState(t *testing.T) {
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "db.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	const expired = 1500 // more than one batch
	for i := range expired {
		if err := st.PutShared(t.Context(), cognito.SharedHostedEnded, fmt.Sprint("old", i), nil, now.Add(-time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.PutShared(t.Context(), cognito.SharedConsoleSession, "live", []byte("{}"), now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	n, err := cognito.SweepSharedState(t.Context(), st, now)
	if err != nil || n != expired {
		t.Fatalf("SweepSharedState = %d, %v; want %d", n, err, expired)
	}
	if _, err := st.GetShared(t.Context(), cognito.SharedConsoleSession, "live", now); err != nil {
		t.Errorf("a live entry after the sweep: %v", err)
	}
	if n, _ := st.SweepShared(t.Context(), now, 10); n != 0 {
		t.Errorf("%d expired entries left after the sweep", n)
	}
	if _, err := st.GetShared(t.Context(), cognito.SharedHostedEnded, "old0", now.Add(-time.Hour)); !errors.Is(err, cognito.ErrNotFound) {
		t.Errorf("a swept entry read as of before its expiry: %v, want ErrNotFound (deleted)", err)
	}
}

// TestSweepCapsKindsApart: every kind an anonymous caller can fill is
// capped, and each apart: a flood of one (console sign-in failures from
// new sources) is trimmed to its cap, soonest-expiring first, and leaves
// a locked key ID of another kind where it was.
func TestSweepCapsKindsApart(t *testing.T) {
	for _, kind := range []string{cognito.SharedPhantomFailures, cognito.SharedPhantomLock, cognito.SharedPhantomSendWindow, cognito.SharedPhantomSends,
		cognito.SharedPhantomResetCode, cognito.SharedPhantomSignUpFailures, cognito.SharedPhantomSignUpLock,
		cognito.SharedConsoleKeyFailures, cognito.SharedConsoleKeyLock, cognito.SharedConsoleSourceFailures, cognito.SharedConsoleSourceLock} {
		if cognito.SharedCap(kind) <= 0 {
			t.Errorf("kind %q has no cap", kind)
		}
	}
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "db.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	const keep = 100
	defer cognito.SetSharedCap(cognito.SharedConsoleSourceFailures, keep)()
	defer cognito.SetSharedCap(cognito.SharedConsoleKeyLock, keep)()
	now := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	if err := st.PutShared(t.Context(), cognito.SharedConsoleKeyLock, "victim", []byte("x"), now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	const flood = 30 * keep
	for i := range flood {
		at := now.Add(time.Duration(i) * time.Millisecond)
		if _, err := st.IncrShared(t.Context(), cognito.SharedConsoleSourceFailures, fmt.Sprint("src", i), at, at.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := cognito.SweepSharedState(t.Context(), st, now); err != nil || n != flood-keep {
		t.Fatalf("SweepSharedState = %d, %v; want %d trimmed", n, err, flood-keep)
	}
	if _, err := st.GetShared(t.Context(), cognito.SharedConsoleKeyLock, "victim", now); err != nil {
		t.Errorf("the locked key ID after a flood of sources: %v", err)
	}
	if _, err := st.GetShared(t.Context(), cognito.SharedConsoleSourceFailures, fmt.Sprint("src", flood-1), now); err != nil {
		t.Errorf("the newest source count after the trim: %v", err)
	}
	if _, err := st.GetShared(t.Context(), cognito.SharedConsoleSourceFailures, "src0", now); !errors.Is(err, cognito.ErrNotFound) {
		t.Errorf("the oldest source count after the trim: %v, want evicted", err)
	}
}
