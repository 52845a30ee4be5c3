package smshook

import (
	"errors"
	"time"

	"github.com/cognitod/cognitod/internal/ratelimit"
)

// Text messages to one number are bounded, whoever asks for them, as mail
// to one address is (internal/mail's limit.go): anyone can sign up users
// with a number of their choosing, and in a pool that requires SMS MFA
// every sign-in of such a user texts it, so without a bound an attacker
// could have the gateway text premium-rate numbers for as long as they
// liked, at the operator's expense. The bound is per number and hour, in
// memory.
const (
	// DefaultPerNumberPerHour is the default bound: a person signing in
	// and verifying a number needs a few.
	DefaultPerNumberPerHour = 10
	numberWindow            = time.Hour
	// maxTrackedNumbers bounds the memory the counts take; when it is
	// reached and no window has ended, messages are refused (fail closed).
	maxTrackedNumbers = 100_000
)

// ErrNumberLimit is Send's answer for a number that has had its hour's
// worth of messages.
var ErrNumberLimit = errors.New("smshook: too many messages to this number in the last hour; not sent")

// numberLimiter counts text messages per number.
type numberLimiter struct{ w ratelimit.Windows }

func newNumberLimiter() *numberLimiter {
	return &numberLimiter{w: ratelimit.Windows{Window: numberWindow, MaxKeys: maxTrackedNumbers}}
}

// allow counts one message to number at now and reports whether it may go.
func (l *numberLimiter) allow(number string, limit int, now time.Time) bool {
	return l.w.Allow(number, limit, now)
}
