package mail

import (
	"errors"
	"strings"
	"time"

	"github.com/cognitod/cognitod/internal/ratelimit"
)

// Mail to one address is bounded, whoever asks for it. Each operation
// bounds the codes one user can be sent, but anyone can sign up any number
// of users with the same address (each SignUp mails it a code), so without
// a bound per recipient cognitod would flood whoever's address an attacker
// types. The bound is per address and hour, in memory; it applies to real
// mail only (the log sender sends nothing anywhere).
const (
	// DefaultPerRecipientPerHour is the default bound: generous for a
	// person going through sign-up, recovery and address changes.
	DefaultPerRecipientPerHour = 20
	recipientWindow            = time.Hour
	// maxTrackedRecipients bounds the memory the counts take. When it is
	// reached and no window has ended, mail is refused (fail closed):
	// that many addresses in an hour is itself a flood.
	maxTrackedRecipients = 100_000
)

// ErrRecipientLimit is Send's answer for an address that has had its
// hour's worth of mail.
var ErrRecipientLimit = errors.New("mail: too many messages to this address in the last hour; not sent")

// recipientLimiter counts mail per address, case folded.
type recipientLimiter struct{ w ratelimit.Windows }

func newRecipientLimiter() *recipientLimiter {
	return &recipientLimiter{w: ratelimit.Windows{Window: recipientWindow, MaxKeys: maxTrackedRecipients}}
}

// allow counts one message to addr at now and reports whether it may go.
func (l *recipientLimiter) allow(addr string, limit int, now time.Time) bool {
	return l.w.Allow(strings.ToLower(addr), limit, now)
}
