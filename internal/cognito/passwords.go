package cognito

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"unicode"

	"golang.org/x/crypto/argon2"
)

// Passwords are hashed with argon2id at the parameters OWASP recommends
// for a server (19 MiB, 2 passes, 1 lane): memory-hard, about 30 ms on
// one core, so a stolen database does not give passwords away cheaply.
const (
	argonMemoryKiB = 19 * 1024
	argonTime      = 2
	argonThreads   = 1
	argonKeyLen    = 32
)

// hashSlots bounds how many argon2id computations (and SRP's 3072-bit
// exponentiations) run at once: each argon2id takes 19 MiB, and sign-up
// and sign-in are open to anonymous callers, so without a bound a burst
// of requests could exhaust memory. Waiters queue, but only so many: past
// maxHashWaiters the request is shed at once with TooManyRequestsException
// (which the AWS SDKs retry with back-off), rather than every caller,
// legitimate ones included, waiting behind a flood for as long as it lasts.
var (
	hashSlots      = make(chan struct{}, runtime.GOMAXPROCS(0))
	hashWaiters    atomic.Int64
	maxHashWaiters = int64(64 * runtime.GOMAXPROCS(0))
)

func acquireHashSlot(ctx context.Context) error {
	select {
	case hashSlots <- struct{}{}:
		return nil
	default:
	}
	if hashWaiters.Add(1) > maxHashWaiters {
		hashWaiters.Add(-1)
		return ErrTooManyRequests.WithMessage(msgServerBusy)
	}
	defer hashWaiters.Add(-1)
	select {
	case hashSlots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func releaseHashSlot() { <-hashSlots }

// hashPassword is HashPassword within the bound on concurrent hashing.
func hashPassword(ctx context.Context, password string) (string, error) {
	if err := acquireHashSlot(ctx); err != nil {
		return "", asError(err)
	}
	defer releaseHashSlot()
	return HashPassword(password), nil
}

// checkPassword is CheckPassword within the bound on concurrent hashing.
func checkPassword(ctx context.Context, hash, password string) (bool, error) {
	if err := acquireHashSlot(ctx); err != nil {
		return false, asError(err)
	}
	defer releaseHashSlot()
	return CheckPassword(hash, password), nil
}

// HashPassword returns the PHC-format argon2id hash of password.
func HashPassword(password string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemoryKiB, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemoryKiB, argonTime, argonThreads, enc.EncodeToString(salt), enc.EncodeToString(key))
}

// CheckPassword reports whether password matches hash, in constant time.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var mem, t uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &t, &threads); err != nil || mem > 1<<20 || t > 16 || threads == 0 {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, mem, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when a user does not exist, so that a
// wrong username costs as much as a wrong password.
var dummyHash = HashPassword("cognitod dummy password")

// symbols are the characters Cognito's password policy counts as special
// characters (developer guide, "Password policies"), the space included.
const symbols = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- "

// checkPasswordPolicy applies a pool's password policy, with Cognito's
// messages; prefix is the operation's own wording (Cognito words them
// differently per operation).
func checkPasswordPolicy(p *PasswordPolicy, password, prefix string) error {
	if p == nil {
		return nil
	}
	min := 8
	if p.MinimumLength != nil {
		min = int(*p.MinimumLength)
	}
	fail := func(what string) error {
		return ErrInvalidPassword.WithMessage(prefix + what)
	}
	if utf16Len(password) < min {
		return fail("Password not long enough")
	}
	has := func(f func(rune) bool) bool { return strings.IndexFunc(password, f) >= 0 }
	if p.RequireLowercase && !has(unicode.IsLower) {
		return fail("Password must have lowercase characters")
	}
	if p.RequireUppercase && !has(unicode.IsUpper) {
		return fail("Password must have uppercase characters")
	}
	if p.RequireNumbers && !has(unicode.IsDigit) {
		return fail("Password must have numeric characters")
	}
	if p.RequireSymbols && !has(func(r rune) bool { return strings.ContainsRune(symbols, r) }) {
		return fail("Password must have symbol characters")
	}
	return nil
}

// generatePassword makes a temporary password that satisfies p.
func generatePassword(p *PasswordPolicy) string {
	n := 12
	if p != nil && p.MinimumLength != nil && int(*p.MinimumLength) > n {
		n = int(*p.MinimumLength)
	}
	return randomString("ABCDEFGHJKLMNPQRSTUVWXYZ", 1) + randomString("abcdefghijkmnopqrstuvwxyz", 1) +
		randomString("23456789", 1) + randomString("!#%*+=?", 1) + randomString(alnum, n-4)
}
