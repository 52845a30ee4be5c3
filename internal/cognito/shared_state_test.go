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
