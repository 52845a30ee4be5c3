package mail

import (
	"testing"
	"time"
)

// The bound per recipient counts an hour from the first message, ignores
// case, and starts again once the hour is over.
func TestRecipientLimiterWindow(t *testing.T) {
	l := newRecipientLimiter()
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for i := range 3 {
		if !l.allow("a@example.com", 3, t0.Add(time.Duration(i)*time.Minute)) {
			t.Fatalf("message %d refused", i+1)
		}
	}
	if l.allow("A@EXAMPLE.COM", 3, t0.Add(59*time.Minute)) {
		t.Fatal("a fourth message in the hour went out (another case of the same address)")
	}
	if !l.allow("b@example.com", 3, t0.Add(59*time.Minute)) {
		t.Fatal("another address was refused")
	}
	if !l.allow("a@example.com", 3, t0.Add(61*time.Minute)) {
		t.Fatal("refused after the hour")
	}
}
