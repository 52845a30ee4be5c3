package cognito

import (
	"crypto/rand"
	"encoding/hex"
	"regexp"
	"strings"
)

// regionPattern accepts AWS region names (us-east-1, eu-central-2,
// us-gov-west-1, cn-north-1, ap-southeast-3). ValidRegion matches it by
// hand: it runs for every signed request (TestValidRegionIsThePattern).
var regionPattern = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$`)

// The shapes of IDs as the service model allows them (whole value).
var (
	poolIDPattern   = regexp.MustCompile(`^[\w-]{1,45}_[0-9a-zA-Z]{1,9}$`)
	clientIDPattern = regexp.MustCompile(`^[\w+]{1,128}$`)
)

// ValidRegion reports whether s is shaped like an AWS region name.
func ValidRegion(s string) bool {
	if len(s) > 32 {
		return false
	}
	// Words split by '-': two letters, one or more words of letters,
	// then one or two digits.
	words := 0
	for len(s) > 0 {
		w, rest, more := strings.Cut(s, "-")
		s = rest
		words++
		switch {
		case words == 1:
			if len(w) != 2 || !allBetween(w, 'a', 'z') {
				return false
			}
		case !more:
			return words >= 3 && len(w) >= 1 && len(w) <= 2 && allBetween(w, '0', '9')
		case w == "" || !allBetween(w, 'a', 'z'):
			return false
		}
	}
	return false
}

func allBetween(s string, lo, hi byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < lo || s[i] > hi {
			return false
		}
	}
	return true
}

// RegionOfPoolID returns the region prefix of a user pool ID
// ("us-east-2" for "us-east-2_ocU3TCWoA"), or "" if it has none.
func RegionOfPoolID(id string) string {
	i := strings.LastIndexByte(id, '_')
	if i <= 0 {
		return ""
	}
	return id[:i]
}

const (
	alnum      = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	lowerAlnum = "0123456789abcdefghijklmnopqrstuvwxyz"
)

// randomString returns n characters drawn uniformly from alphabet with
// crypto/rand (rejection sampling, so no character is favoured).
func randomString(alphabet string, n int) string {
	out := make([]byte, 0, n)
	buf := make([]byte, n*2)
	limit := 256 - 256%len(alphabet)
	for len(out) < n {
		rand.Read(buf)
		for _, b := range buf {
			if int(b) < limit {
				out = append(out, alphabet[int(b)%len(alphabet)])
				if len(out) == n {
					break
				}
			}
		}
	}
	return string(out)
}

// NewPoolID returns a pool ID as AWS issues them: <region>_<9 alphanumerics>.
func NewPoolID(region string) string { return region + "_" + randomString(alnum, 9) }

// NewClientID returns an app client ID: 26 lowercase alphanumerics.
func NewClientID() string { return randomString(lowerAlnum, 26) }

// NewClientSecret returns an app client secret: 52 lowercase alphanumerics
// (the length of real Cognito secrets; about 269 bits).
func NewClientSecret() string { return randomString(lowerAlnum, 52) }

// NewAccessKeyID returns an access key ID shaped like AWS's (AKIA + 16).
func NewAccessKeyID() string { return "AKIA" + randomString("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16) }

// NewSecretAccessKey returns a 40-character secret access key.
func NewSecretAccessKey() string { return randomString(alnum+"+/", 40) }

// AppendUUID appends a random (version 4) UUID to b without allocating:
// the form of Cognito's subs, jti claims and request IDs.
func AppendUUID(b []byte) []byte {
	var u [16]byte
	rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], u[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], u[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], u[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], u[8:10])
	s[23] = '-'
	hex.Encode(s[24:], u[10:])
	return append(b, s[:]...)
}

// NewUUID returns a random (version 4) UUID.
func NewUUID() string { return string(AppendUUID(make([]byte, 0, 36))) }
