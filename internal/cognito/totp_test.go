package cognito

import (
	"strconv"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// The check agrees with pquerna/otp, an implementation we did not write,
// at the steps around now, and refuses a used step and everything beyond
// one step of drift.
func TestTOTPMatchesPquerna(t *testing.T) {
	raw, secret := newTOTPSecret()
	if len(secret) != 32 {
		t.Fatalf("SecretCode %q has %d characters, want 32", secret, len(secret))
	}
	if got, err := totpEncoding.DecodeString(secret); err != nil || string(got) != string(raw) {
		t.Fatalf("SecretCode does not decode to the secret: %v", err)
	}
	now := time.Date(2026, 12, 2, 6, 0, 10, 0, time.UTC)
	code := func(at time.Time) string {
		c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	cur := totpStepAt(now)
	for _, tc := range []struct {
		name   string
		at     time.Time
		last   int64
		ok     bool
		wantSt int64
	}{
		{"now", now, 0, true, cur},
		{"one step behind", now.Add(-30 * time.Second), 0, true, cur - 1},
		{"one step ahead", now.Add(30 * time.Second), 0, true, cur + 1},
		{"two steps behind", now.Add(-60 * time.Second), 0, false, 0},
		{"two steps ahead", now.Add(60 * time.Second), 0, false, 0},
		{"used already", now, cur, false, 0},
		{"older than the last used", now.Add(-30 * time.Second), cur, false, 0},
		{"newer than the last used", now.Add(30 * time.Second), cur, true, cur + 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, ok := checkTOTP(raw, code(tc.at), now, tc.last)
			if ok != tc.ok || st != tc.wantSt {
				t.Errorf("checkTOTP = %d, %v; want %d, %v", st, ok, tc.wantSt, tc.ok)
			}
		})
	}
	// Malformed codes never match.
	c := code(now)
	n, _ := strconv.Atoi(c)
	for _, bad := range []string{"", c[:5], c + "0", "12345a", strconv.Itoa((n+1)%1000000 + 1000000)[1:]} {
		if _, ok := checkTOTP(raw, bad, now, 0); ok {
			t.Errorf("checkTOTP accepted %q (right code %s)", bad, c)
		}
	}
}

// RFC 6238's SHA-1 test vectors, truncated to six digits.
func TestTOTPRFC6238Vectors(t *testing.T) {
	secret := []byte("12345678901234567890")
	for _, v := range []struct {
		unix int64
		code string
	}{{59, "287082"}, {1111111109, "081804"}, {1111111111, "050471"}, {1234567890, "005924"}, {2000000000, "279037"}, {20000000000, "353130"}} {
		got := totpCode(secret, v.unix/30)
		if string(got[:]) != v.code {
			t.Errorf("at %d: %s, want %s", v.unix, got, v.code)
		}
	}
}

func BenchmarkCheckTOTP(b *testing.B) {
	raw, _ := newTOTPSecret()
	now := time.Now()
	c := totpCode(raw, totpStepAt(now))
	for b.Loop() {
		checkTOTP(raw, string(c[:]), now, 0)
	}
}

// FuzzTOTPCode: an answer is the caller's to choose; only the code of the
// secret at a step within the drift, after the last one used, matches,
// and nothing panics or allocates per byte of a long answer.
func FuzzTOTPCode(f *testing.F) {
	secret := []byte("12345678901234567890")
	now := time.Unix(1111111111, 0)
	right := totpCode(secret, totpStepAt(now))
	f.Add(string(right[:]), int64(0))
	f.Add("050471", totpStepAt(now))
	f.Add("", int64(-1))
	f.Add("１２３４５６", int64(0))
	f.Fuzz(func(t *testing.T, code string, last int64) {
		step, ok := checkTOTP(secret, code, now, last)
		if !ok {
			return
		}
		want := totpCode(secret, step)
		if string(want[:]) != code || step <= last || step < totpStepAt(now)-totpDrift || step > totpStepAt(now)+totpDrift {
			t.Fatalf("accepted %q at step %d (last %d)", code, step, last)
		}
	})
}
