package cognito

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"
)

// Lockout: after five failed sign-ins a user is locked out for 2^(n-5)
// seconds, at most about 15 minutes; 15 quiet minutes reset the count
// (developer guide, "Lockout behavior for failed sign-in attempts").
const (
	lockoutFreeAttempts = 5
	lockoutMax          = 15 * time.Minute
)

// failSignIn counts a failed sign-in at now, outside any lockout, for a
// user or an unknown name alike: a lockout that ended more than lockoutMax
// ago is forgotten first (15 quiet minutes reset the count).
func failSignIn(failures *int, lockedUntil *time.Time, now time.Time) {
	if !lockedUntil.IsZero() && now.Sub(*lockedUntil) > lockoutMax {
		*failures, *lockedUntil = 0, time.Time{}
	}
	*failures++
	if d, locked := lockoutFor(*failures); locked {
		*lockedUntil = now.Add(d)
	}
}

// lockoutFor is the lockout after the given number of failed sign-ins:
// none for the first four, then 2^(n-5) seconds, at most lockoutMax.
func lockoutFor(failures int) (time.Duration, bool) {
	n := failures - lockoutFreeAttempts
	if n < 0 {
		return 0, false
	}
	if n >= 10 {
		return lockoutMax, true
	}
	return min(time.Duration(1<<n)*time.Second, lockoutMax), true
}

// phantomLockouts keeps, in the store's shared state, the failed sign-ins
// of names that do not exist, so that the lockout a real user would get is
// simulated for them when user-existence errors are prevented, alike at
// every instance serving the database. Entries are keyed by the SHA-256 of
// the name (phantomKey), expire, and are capped by the sweep
// (sharedCaps). A name's count is forgotten after phantomQuiet without a
// failure: the longest lockout and then lockoutMax quiet minutes, so a
// locked-out name is never forgotten sooner than a real user's would be.
type phantomLockouts struct {
	st SharedState
}

const phantomQuiet = 2 * lockoutMax

// phantomKey is the SHA-256 of a phantom's key (pool ID and folded name):
// the names are the caller's, and keyed by them the maps would hold
// maxPhantoms names of any length an anonymous caller chose. Hashed, each
// entry has a fixed size, so maxPhantoms bounds the bytes as well as the
// count. SHA-256 keeps distinct names apart (no collision to lock one name
// out through another).
type phantomKey [sha256.Size]byte

func phantomKeyOf(key string) phantomKey { return sha256.Sum256([]byte(key)) }

// fail records a failed sign-in for name at now and reports whether the
// name is locked out (the attempt then does not count, as for real users).
// A store error is returned: the caller answers InternalErrorException,
// which tells nothing about the name and grants no free attempt.
func (p phantomLockouts) fail(ctx context.Context, name string, now time.Time) (locked bool, err error) {
	k := phantomKeyOf(name)
	key := hex.EncodeToString(k[:])
	if _, err := p.st.GetShared(ctx, SharedPhantomLock, key, now); err == nil {
		return true, nil
	} else if !errors.Is(err, ErrNotFound) {
		return false, err
	}
	n, err := p.st.IncrShared(ctx, SharedPhantomFailures, key, now, now.Add(phantomQuiet))
	if err != nil {
		return false, err
	}
	if d, lock := lockoutFor(int(min(n, 1<<20))); lock {
		if err := p.st.PutShared(ctx, SharedPhantomLock, key, nil, now.Add(d)); err != nil {
			return false, err
		}
	}
	return false, nil
}

const maxPhantoms = 100_000
