package cognito

import (
	"math/big"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzAttributeValue feeds a schema attribute's constraints (CreateUserPool,
// AddCustomAttributes) and a user's value (SignUp, UpdateUserAttributes)
// to their checks: nothing panics, constraints that pass are well formed,
// and a value that passes is of its type and within its bounds.
func FuzzAttributeValue(f *testing.F) {
	f.Add("String", "1", "5", "héllo")
	f.Add("Number", "-10", "10", "3.5")
	f.Add("Number", "", "", "1"+strings.Repeat("0", 70))
	f.Add("Boolean", "", "", "TRUE")
	f.Add("DateTime", "", "", "2026-12-01T10:00:00Z")
	f.Add("String", "9999", "-1", "")
	f.Add("Number", "1e3", "0x10", "-0.0")
	f.Fuzz(func(t *testing.T, dataType, lo, hi, value string) {
		sa, err := newCustomAttribute(SchemaAttribute{Name: "x", AttributeDataType: dataType,
			StringAttributeConstraints: &AttributeConstraints{MinLength: &lo, MaxLength: &hi},
			NumberAttributeConstraints: &AttributeConstraints{MinValue: &lo, MaxValue: &hi}})
		if err != nil {
			return
		}
		p := &problems{}
		checkAttributeValue(p, &sa, value)
		if len(p.lines) > 0 {
			return
		}
		switch dataType {
		case TypeString:
			n := int64(utf8.RuneCountInString(value))
			c := sa.StringAttributeConstraints
			if n > maxStringAttributeLength {
				t.Fatalf("a %d-character string passed", n)
			}
			if c.MinLength != nil {
				if l, _, _ := bound(c.MinLength, false); n < l {
					t.Fatalf("%q passed MinLength %s", value, *c.MinLength)
				}
			}
			if c.MaxLength != nil {
				if h, _, _ := bound(c.MaxLength, false); n > h {
					t.Fatalf("%q passed MaxLength %s", value, *c.MaxLength)
				}
			}
		case TypeNumber:
			x, ok := new(big.Rat).SetString(value)
			if !ok || !numberPattern.MatchString(value) {
				t.Fatalf("%q passed as a number", value)
			}
			c := sa.NumberAttributeConstraints
			if c.MinValue != nil {
				if l, _ := new(big.Rat).SetString(*c.MinValue); x.Cmp(l) < 0 {
					t.Fatalf("%q passed MinValue %s", value, *c.MinValue)
				}
			}
			if c.MaxValue != nil {
				if h, _ := new(big.Rat).SetString(*c.MaxValue); x.Cmp(h) > 0 {
					t.Fatalf("%q passed MaxValue %s", value, *c.MaxValue)
				}
			}
		case TypeBoolean:
			if value != "true" && value != "false" {
				t.Fatalf("%q passed as a boolean", value)
			}
		case TypeDateTime:
			if _, err := time.Parse(time.RFC3339, value); err != nil {
				t.Fatalf("%q passed as a date-time", value)
			}
		}
	})
}

// FuzzSession: a Session string is the client's to send; only one this
// server sealed opens, whatever it holds.
func FuzzSession(f *testing.F) {
	s := testSRPService(f)
	valid := s.sealSession(authSession{Pool: "us-east-1_abc", Client: "c", Sub: "s", Expires: time.Now().Add(time.Hour).Unix(), Challenge: challengeSelect})
	f.Add(valid)
	f.Add(valid[:len(valid)-2])
	f.Add("")
	f.Add("e30")
	f.Fuzz(func(t *testing.T, token string) {
		sess, err := s.openSession(token)
		if err == nil && (sess.Pool != "us-east-1_abc" || sess.Client != "c" || sess.Challenge != challengeSelect) {
			t.Fatalf("forged session %q opened: %+v", token, sess)
		}
	})
}

// FuzzMaskDestination: CodeDeliveryDetails show at most the first
// character of an address's local part and domain, or the last four
// characters of a phone number, whatever the stored value holds.
func FuzzMaskDestination(f *testing.F) {
	f.Add("alice@example.com")
	f.Add("+15551234567")
	f.Add("@@")
	f.Add("é@ü")
	f.Fuzz(func(t *testing.T, v string) {
		e := maskEmail(v)
		if shown := strings.NewReplacer("*", "", "@", "").Replace(e); utf8.RuneCountInString(shown) > 2 {
			t.Fatalf("maskEmail(%q) = %q shows %q", v, e, shown)
		}
		p := maskPhone(v)
		if len(p) != len(v) && len(v) > 0 {
			t.Fatalf("maskPhone(%q) = %q changes the length", v, p)
		}
		if shown := strings.ReplaceAll(p, "*", ""); len(v) > 5 && len(shown) > 5 {
			t.Fatalf("maskPhone(%q) = %q shows %q", v, p, shown)
		}
	})
}

// FuzzMFASession: an MFA session carries its SMS or email code sealed; a
// session the server did not seal never opens, so no caller can choose
// the code it must then answer with, or mark a setup verified.
func FuzzMFASession(f *testing.F) {
	s := testSRPService(f)
	valid := s.sealSession(authSession{Pool: "us-east-1_abc", Client: "c", Sub: "s", Expires: time.Now().Add(time.Hour).Unix(),
		Challenge: MFASMS, Nonce: "n", Code: "123456"})
	f.Add(valid)
	f.Add(valid[:len(valid)-3])
	f.Add(`{"p":"us-east-1_abc","c":"c","s":"s","e":9999999999,"ch":"MFA_SETUP","v":true}`)
	f.Fuzz(func(t *testing.T, token string) {
		sess, err := s.openSession(token)
		if err == nil && (sess.Code != "123456" || sess.Verified || sess.Challenge != MFASMS) {
			t.Fatalf("forged session %q opened: %+v", token, sess)
		}
	})
}
