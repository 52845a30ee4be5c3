package cognito

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"time"
)

// phantomCodes keeps the state of the codes a client that prevents
// user-existence errors pretends to have for names that do not exist (or,
// for ForgotPassword, have nowhere to receive one): the sends, bounded as
// real users' are (maxCodeSends per sendWindow), a pending reset code that
// wrong guesses spend, and sign-up codes that wrong guesses lock. Without
// it, a few requests would tell the names that exist: only they ever
// answered LimitExceededException or ExpiredCodeException.
//
// It lives in the store's shared state, as phantomLockouts does, so that
// every instance answers alike: kept per process, ForgotPassword at one
// instance and ConfirmForgotPassword at another answered
// ExpiredCodeException for an unknown name and CodeMismatchException for
// a real one, and each instance allowed its own five sends. Entries are
// keyed by the SHA-256 of the name's key (phantomKey), each counter is
// one atomic increment (concurrent requests at several instances are all
// counted), entries expire, and the sweep caps each kind (sharedCaps).
type phantomCodes struct {
	st SharedState
}

// phantomCodeMemory is how long a pretended code's state outlives its last
// use. A real user's code row lives until it is spent; a phantom's cannot
// live forever, so after a week without a request its name answers as
// one never asked for (ExpiredCodeException).
const phantomCodeMemory = 7 * 24 * time.Hour

func phantomHex(key string) string {
	k := phantomKeyOf(key)
	return hex.EncodeToString(k[:])
}

// phantomDelivery answers a request for a code for a name that does not
// exist (or has nowhere to receive one) as a real user's request is
// answered: the pretended sends under key are bounded as a real user's
// are, or the sixth request would tell which names exist; then a
// plausible destination for attrName.
func (s *Service) phantomDelivery(ctx context.Context, pool *UserPool, key, name, attrName string) (*CodeDeliveryOutput, error) {
	refused, err := s.phantomCodes.send(ctx, key, s.now().UTC())
	if err != nil {
		return nil, asError(err)
	}
	if refused {
		return nil, ErrLimitExceeded.WithMessage(msgConfirmAttempts)
	}
	return &CodeDeliveryOutput{CodeDeliveryDetails: s.phantomDestination(pool, name, attrName)}, nil
}

// send counts one pretended send for key at now, as countSend counts a
// real one (countInWindow: a window of sendWindow from its first send),
// and reports whether the bound refuses it. A send that is not refused
// makes a reset code pending, with no wrong guesses against it.
func (p phantomCodes) send(ctx context.Context, key string, now time.Time) (refused bool, err error) {
	h := phantomHex(key)
	start := now
	v, err := p.st.GetShared(ctx, SharedPhantomSendWindow, h, now)
	switch {
	case err == nil && len(v) == 8:
		start = time.Unix(0, int64(binary.BigEndian.Uint64(v)))
	case err == nil || errors.Is(err, ErrNotFound):
		// A window starts. Two instances starting one at once each
		// write their start, a moment apart: the last one holds.
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], uint64(now.UnixNano()))
		if err := p.st.PutShared(ctx, SharedPhantomSendWindow, h, b[:], now.Add(sendWindow)); err != nil {
			return false, err
		}
	default:
		return false, err
	}
	// The counter ends with the window, so that the next window's first
	// increment starts again at one. Refused sends are counted too; they
	// change nothing, since every count past the bound is refused alike.
	n, err := p.st.IncrShared(ctx, SharedPhantomSends, h, now, start.Add(sendWindow))
	if err != nil {
		return false, err
	}
	if n > maxCodeSends {
		return true, nil
	}
	return false, p.st.PutShared(ctx, SharedPhantomResetCode, h, nil, now.Add(phantomCodeMemory))
}

// confirm answers ConfirmForgotPassword for key, a name whose codes send
// pretends, as checkResetCode answers a real user's wrong code: no code
// pending is ExpiredCodeException; wrong guesses are CodeMismatchException
// and spend the code at the maxCodeAttempts-th; past that it is
// LimitExceededException until a new code is asked for.
func (p phantomCodes) confirm(ctx context.Context, key string, now time.Time) error {
	h := phantomHex(key)
	if _, err := p.st.GetShared(ctx, SharedPhantomResetCode, h, now); errors.Is(err, ErrNotFound) {
		return ErrExpiredCode
	} else if err != nil {
		return asError(err)
	}
	n, err := p.st.IncrShared(ctx, SharedPhantomResetCode, h, now, now.Add(phantomCodeMemory))
	if err != nil {
		return asError(err)
	}
	if n > maxCodeAttempts {
		return ErrLimitExceeded.WithMessage(msgConfirmAttempts)
	}
	return ErrCodeMismatch
}

// confirmSignUp answers ConfirmSignUp for key, a name that does not exist,
// as a real unconfirmed user's wrong code is answered: the code can never
// match, and wrong codes lock as checkLockedCode locks them (the
// lockoutFreeAttempts-th locks guessing for lockoutMax and starts the
// count again).
func (p phantomCodes) confirmSignUp(ctx context.Context, key string, now time.Time) error {
	h := phantomHex(key)
	if _, err := p.st.GetShared(ctx, SharedPhantomSignUpLock, h, now); err == nil {
		return ErrLimitExceeded.WithMessage(msgConfirmAttempts)
	} else if !errors.Is(err, ErrNotFound) {
		return asError(err)
	}
	n, err := p.st.IncrShared(ctx, SharedPhantomSignUpFailures, h, now, now.Add(phantomCodeMemory))
	if err != nil {
		return asError(err)
	}
	if n >= lockoutFreeAttempts {
		if err := p.st.PutShared(ctx, SharedPhantomSignUpLock, h, nil, now.Add(lockoutMax)); err != nil {
			return asError(err)
		}
		if err := p.st.DeleteShared(ctx, SharedPhantomSignUpFailures, h); err != nil {
			return asError(err)
		}
	}
	return ErrCodeMismatch
}
