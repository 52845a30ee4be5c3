package cognito

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"time"
)

// TOTP as Cognito uses it (RFC 6238 over RFC 4226): HMAC-SHA1, 30-second
// steps from the Unix epoch, 6 digits, and one step of clock drift either
// side. The secret is 20 random bytes, shown as the 32 unpadded base32
// characters Cognito's SecretCode carries.
//
// The check is written here on the standard library rather than with
// pquerna/otp (which the tests use as an independent implementation): a
// code must work once, so the check has to say which step matched, to be
// stored as the user's last step, and refuse steps at or before it; it
// also compares in constant time and takes no allocation-heavy options.
const (
	totpStep      = 30 // seconds
	totpDigits    = 6
	totpDrift     = 1 // steps accepted either side of now
	totpSecretLen = 20
)

var totpEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newTOTPSecret returns a fresh secret and its SecretCode.
func newTOTPSecret() ([]byte, string) {
	raw := make([]byte, totpSecretLen)
	rand.Read(raw)
	return raw, totpEncoding.EncodeToString(raw)
}

// totpStepAt is the step that holds t.
func totpStepAt(t time.Time) int64 { return t.Unix() / totpStep }

// totpCode is the code of secret at step (RFC 4226 dynamic truncation).
func totpCode(secret []byte, step int64) [totpDigits]byte {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(step))
	m := hmac.New(sha1.New, secret)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	var out [totpDigits]byte
	for i := totpDigits - 1; i >= 0; i-- {
		out[i] = byte('0' + v%10)
		v /= 10
	}
	return out
}

// checkTOTP reports the step code matches for secret at now, within the
// drift, among steps after lastStep (0: none used yet); ok is false for
// a wrong code, a malformed one, or one already used. Every candidate
// step is compared, in constant time, so the time taken says nothing
// about which one matched.
func checkTOTP(secret []byte, code string, now time.Time, lastStep int64) (step int64, ok bool) {
	if len(code) != totpDigits {
		return 0, false
	}
	for _, c := range []byte(code) {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	cur := totpStepAt(now)
	for s := cur - totpDrift; s <= cur+totpDrift; s++ {
		want := totpCode(secret, s)
		if hmac.Equal(want[:], []byte(code)) && s > lastStep && !ok {
			step, ok = s, true
		}
	}
	return step, ok
}
