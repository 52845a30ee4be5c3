package triggers

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// SignatureHeader carries a request's signature:
//
//	X-Cognitod-Signature: t=<unix seconds>,id=<32 hex digits>,v1=<hex HMAC-SHA256(secret, "<t>.<id>." + body)>
//
// The timestamp and a random request ID are signed with the body. Two
// requests can carry the same body in the same second (every client
// credentials token of one client does), so the ID is what tells a replay
// from a new request: a receiver refuses timestamps more than a few
// minutes from its clock and IDs it has already seen within them.
const SignatureHeader = "X-Cognitod-Signature"

// DefaultTolerance is how far from the receiver's clock Verify lets a
// timestamp be.
const DefaultTolerance = 5 * time.Minute

// NewRequestID returns a random request ID for Sign.
func NewRequestID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Sign returns the SignatureHeader value for body sent at t as request id.
func Sign(secret []byte, t time.Time, id string, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",id=" + id + ",v1=" + hex.EncodeToString(mac(secret, ts, id, body))
}

func mac(secret []byte, ts, id string, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write([]byte(id))
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
// constant time, and that its timestamp is within tolerance of now, and
// returns the request ID, which the caller refuses if it has seen it
// within the tolerance. It is what a receiver written in Go runs
// (examples/triggers has a copy that needs nothing of cognitod).
func Verify(secret []byte, header string, body []byte, now time.Time, tolerance time.Duration) (id string, err error) {
	if len(header) > 256 {
		return "", ErrMalformed
	}
	var ts, sig string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "id":
			id = v
		case "v1":
			sig = v
		}
	}
	n, err := strconv.ParseInt(ts, 10, 64)
	got, err2 := hex.DecodeString(sig)
	if err != nil || err2 != nil || len(got) != sha256.Size || len(id) != 32 || strings.Contains(id, ".") {
		return "", ErrMalformed
	}
	if d := now.Sub(time.Unix(n, 0)); d > tolerance || d < -tolerance {
		return "", ErrStale
	}
	if !hmac.Equal(got, mac(secret, ts, id, body)) {
		return "", ErrBadSignature
	}
	return id, nil
}
