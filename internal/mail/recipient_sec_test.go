package mail

import (
	"strings"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/mail/smtptest"
)

// A user's email attribute is where their codes go, as it is: a value
// with a display name or brackets ("victim<attacker@example.com>", which
// the attribute format accepts) would send the code to the bracketed
// address while the attribute, once verified, reads otherwise. Such a
// value is refused before any connection; a bare address goes out.
func TestSendOnlyToABareAddress(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	s := sender(t, "smtp://"+srv.Addr, srv)
	for _, to := range []string{"victim<attacker@example.com>", "Victim <victim@example.com>", `"v" <v@example.com>`} {
		m := message()
		m.To = to
		if err := s.Send(t.Context(), m); err == nil || !strings.Contains(err.Error(), "not a bare address") {
			t.Errorf("To %q: %v, want a refusal", to, err)
		}
	}
	m := message()
	m.To = "Alice@Example.com"
	if err := s.Send(t.Context(), m); err != nil {
		t.Fatal(err)
	}
	got := srv.Next(t)
	if len(got.To) != 1 || got.To[0] != "Alice@Example.com" {
		t.Fatalf("envelope To %v", got.To)
	}
	select {
	case extra := <-srv.Messages:
		t.Fatalf("a refused message arrived: %v", extra.To)
	case <-time.After(100 * time.Millisecond):
	}
}
