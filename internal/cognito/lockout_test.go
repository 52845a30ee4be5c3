package cognito

import (
	"testing"
	"time"
)

// TestLockoutSchedule: four free failures, then 2^(n-5) seconds from the
// fifth, at most lockoutMax; a lockout that ended more than lockoutMax ago
// is forgotten, and counting starts again.
func TestLockoutSchedule(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var failures int
	var until time.Time
	want := map[int]time.Duration{5: time.Second, 6: 2 * time.Second, 7: 4 * time.Second, 10: 32 * time.Second, 14: 512 * time.Second, 15: lockoutMax, 30: lockoutMax}
	for n := 1; n <= 30; n++ {
		failSignIn(&failures, &until, now)
		if failures != n {
			t.Fatalf("after failure %d the count is %d", n, failures)
		}
		switch d, ok := want[n]; {
		case n < 5 && !until.IsZero():
			t.Errorf("failure %d locked out until %v, want no lockout", n, until)
		case ok && until.Sub(now) != d:
			t.Errorf("failure %d locks out for %v, want %v", n, until.Sub(now), d)
		}
		if until.After(now) {
			now = until // the next attempt comes when the lockout ends
		}
	}
	// Quiet for longer than lockoutMax after the lockout: forgotten.
	now = until.Add(lockoutMax + time.Second)
	failSignIn(&failures, &until, now)
	if failures != 1 || !until.Before(now) {
		t.Errorf("after a quiet spell: %d failures, locked until %v (now %v), want 1 and no lockout", failures, until, now)
	}
}
