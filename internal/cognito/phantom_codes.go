package cognito

import (
	"sync"
	"time"
)

// phantomCodes keeps, in memory, the state of the codes a client that
// prevents user-existence errors pretends to have for names that do not
// exist (or, for ForgotPassword, have nowhere to receive one): the sends,
// bounded as real users' are (maxCodeSends per sendWindow), a pending
// reset code that wrong guesses spend, and sign-up codes that wrong
// guesses lock. Without it, a few requests would tell the names that
// exist: only they ever answered LimitExceededException or
// ExpiredCodeException. It is bounded like phantomLockouts: past
// maxPhantoms names it starts afresh.
type phantomCodes struct {
	mu    sync.Mutex
	names map[phantomKey]*phantomWindow // keyed by hash, as phantomLockouts is
}

type phantomWindow struct {
	sends int
	start time.Time
	// pending and attempts play a password reset code's part for
	// ConfirmForgotPassword: a code is pending once one was pretended
	// sent, and wrong guesses spend it as they spend a real one.
	pending  bool
	attempts int
	// failed and lockedUntil play a sign-up code's lockout for
	// ConfirmSignUp (checkLockedCode).
	failed      int
	lockedUntil time.Time
}

// phantomDelivery answers a request for a code for a name that does not
// exist (or has nowhere to receive one) as a real user's request is
// answered: the pretended sends under key are bounded as a real user's
// are, or the sixth request would tell which names exist; then a
// plausible destination for attrName.
func (s *Service) phantomDelivery(pool *UserPool, key, name, attrName string) (*CodeDeliveryOutput, error) {
	if s.phantomCodes.send(key, s.now().UTC()) {
		return nil, ErrLimitExceeded.WithMessage(msgConfirmAttempts)
	}
	return &CodeDeliveryOutput{CodeDeliveryDetails: s.phantomDestination(pool, name, attrName)}, nil
}

// window returns key's state, made afresh if there is none; past
// maxPhantoms names, all are forgotten first. p.mu must be held.
func (p *phantomCodes) window(key string) *phantomWindow {
	if p.names == nil || len(p.names) >= maxPhantoms {
		p.names = map[phantomKey]*phantomWindow{}
	}
	k := phantomKeyOf(key)
	w := p.names[k]
	if w == nil {
		w = &phantomWindow{}
		p.names[k] = w
	}
	return w
}

// send counts one pretended send for key at now, as countSend counts a
// real one (countInWindow), and reports whether the bound refuses it.
func (p *phantomCodes) send(key string, now time.Time) (refused bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	w := p.window(key)
	if countInWindow(&w.sends, &w.start, now, sendWindow, maxCodeSends) {
		return true
	}
	w.pending, w.attempts = true, 0
	return false
}

// confirm answers ConfirmForgotPassword for key, a name whose codes send
// pretends, as checkResetCode answers a real user's wrong code: no code
// pending is ExpiredCodeException; wrong guesses are CodeMismatchException
// and spend the code at the maxCodeAttempts-th; past that it is
// LimitExceededException until a new code is asked for.
func (p *phantomCodes) confirm(key string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	w := p.names[phantomKeyOf(key)]
	switch {
	case w == nil || !w.pending && w.attempts == 0:
		return ErrExpiredCode
	case w.attempts >= maxCodeAttempts:
		return ErrLimitExceeded.WithMessage(msgConfirmAttempts)
	}
	w.attempts++
	if w.attempts >= maxCodeAttempts {
		w.pending = false
	}
	return ErrCodeMismatch
}

// confirmSignUp answers ConfirmSignUp for key, a name that does not exist,
// as a real unconfirmed user's wrong code is answered: the code can never
// match, and wrong codes lock as checkLockedCode locks them.
func (p *phantomCodes) confirmSignUp(key, code string, now time.Time) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	w := p.window(key)
	mismatch, err := checkLockedCode("", code, time.Time{}, &w.failed, &w.lockedUntil, now)
	if err != nil {
		return err
	}
	return mismatch
}
