package triggers

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// SignatureHeader carries a request's signature:
//
//	X-Cognitod-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>
//
// The timestamp is signed with the body, so a receiver that refuses
// timestamps older than a few minutes (and remembers the signatures it saw
// within them) refuses replays.
const SignatureHeader = "X-Cognitod-Signature"

// DefaultTolerance is how far from the receiver's clock Verify lets a
// timestamp be.
const DefaultTolerance = 5 * time.Minute

// Sign returns the SignatureHeader value for body sent at t.
func Sign(secret []byte, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac(secret, ts, body))
}

func mac(secret []byte, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// Errors of Verify.
var (
	ErrBadSignature = errors.New("triggers: signature does not match")
	ErrStale        = errors.New("triggers: signature timestamp outside the tolerance")
	ErrMalformed    = errors.New("triggers: malformed signature header")
)

// Verify checks a SignatureHeader value for body against secret, in
// constant time, and that its timestamp is within tolerance of now. It is
// what a receiver written in Go runs (examples/triggers has a copy that
// needs nothing of cognitod).
func Verify(secret []byte, header string, body []byte, now time.Time, tolerance time.Duration) error {
	if len(header) > 256 {
		return ErrMalformed
	}
	var ts, sig string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sig = v
		}
	}
	n, err := strconv.ParseInt(ts, 10, 64)
	got, err2 := hex.DecodeString(sig)
	if err != nil || err2 != nil || len(got) != sha256.Size {
		return ErrMalformed
	}
	if d := now.Sub(time.Unix(n, 0)); d > tolerance || d < -tolerance {
		return ErrStale
	}
	if !hmac.Equal(got, mac(secret, ts, body)) {
		return ErrBadSignature
	}
	return nil
}
