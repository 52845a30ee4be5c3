package cognito

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math/big"
	"strings"
	"time"
)

// SRP-6a as Cognito runs it for USER_SRP_AUTH, byte for byte as its
// clients compute it (amazon-cognito-identity-js AuthenticationHelper,
// Amplify v6 utils/srp, pycognito aws_srp):
//
//	N, g     the 3072-bit group of RFC 3526 section 4 (RFC 5054 appendix A), g = 2
//	k        = H(PAD(N) | PAD(g))
//	x        = H(PAD(salt) | H(poolName | userIdForSRP | ":" | password))
//	v        = g^x                       (stored per user, sealed)
//	B        = k*v + g^b                 (server)
//	u        = H(PAD(A) | PAD(B))
//	S        = (A * v^u)^b               (server; the client gets the same S)
//	K        = HKDF-SHA256(salt = PAD(u), ikm = PAD(S), info = "Caldera Derived Key")[:16]
//	M        = HMAC-SHA256(K, poolName | userIdForSRP | SECRET_BLOCK bytes | TIMESTAMP)
//
// H is SHA-256 and PAD the big-endian bytes of a number in their shortest
// form, with a zero byte in front when the top bit is set (Java's
// BigInteger.toByteArray, which the clients imitate); it is not RFC 5054's
// padding to the length of N. poolName is the part of the pool ID after
// the underscore.

var (
	srpN = func() *big.Int {
		n, _ := new(big.Int).SetString(""+
			"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"+
			"29024E088A67CC74020BBEA63B139B22514A08798E3404DD"+
			"EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"+
			"E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"+
			"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D"+
			"C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"+
			"83655D23DCA3AD961C62F356208552BB9ED529077096966D"+
			"670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"+
			"E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9"+
			"DE2BCBF6955817183995497CEA956AE515D2261898FA0510"+
			"15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64"+
			"ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"+
			"ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B"+
			"F12FFA06D98A0864D87602733EC86A64521F2B18177B200C"+
			"BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31"+
			"43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF", 16)
		return n
	}()
	srpG = big.NewInt(2)
	srpK = new(big.Int).SetBytes(sha256Sum(srpPad(srpN), srpPad(srpG)))
)

const (
	// srpSaltBytes is the length of a user's SRP salt (Cognito's SALT is
	// 32 hex digits or fewer).
	srpSaltBytes = 16
	// srpEphemeralBytes is the length of the server's secret b: 256 bits,
	// the strength of the 3072-bit group.
	srpEphemeralBytes = 32
	// srpMaxAHexDigits bounds SRP_A: a number below N has at most 768 hex
	// digits; a few leading zeros are tolerated.
	srpMaxAHexDigits = 800
	srpInfo          = "Caldera Derived Key"
	// srpTimestampLayout is Cognito's TIMESTAMP, "EEE MMM d HH:mm:ss z
	// yyyy" in Java's terms. Go's "2" reads one digit or two, so the
	// zero-padded day some clients send parses too.
	srpTimestampLayout = "Mon Jan 2 15:04:05 UTC 2006"
)

func sha256Sum(parts ...[]byte) []byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	return h.Sum(nil)
}

// srpPad is PAD: the shortest big-endian form of x, with a leading zero
// byte when its top bit is set (zero is one zero byte).
func srpPad(x *big.Int) []byte {
	b := x.Bytes()
	if len(b) == 0 || b[0]&0x80 != 0 {
		return append([]byte{0}, b...)
	}
	return b
}

// poolNameOf is the poolName SRP hashes: the pool ID after "_".
func poolNameOf(poolID string) string {
	_, name, _ := strings.Cut(poolID, "_")
	return name
}

// newSRPSalt returns a random salt whose hex form every client reads the
// same way: its first byte is nonzero with the top bit clear, so PAD
// leaves it unchanged and no client drops or adds a leading zero.
func newSRPSalt() []byte {
	salt := make([]byte, srpSaltBytes)
	rand.Read(salt)
	canonicalSalt(salt)
	return salt
}

func canonicalSalt(salt []byte) {
	salt[0] = 0x10 + salt[0]%0x70
}

// srpX is x for a user: H(PAD(salt) | H(poolName | userID | ":" | password)).
func srpX(salt []byte, poolName, userID, password string) *big.Int {
	inner := sha256Sum([]byte(poolName + userID + ":" + password))
	return new(big.Int).SetBytes(sha256Sum(srpPad(new(big.Int).SetBytes(salt)), inner))
}

// srpVerifier is v = g^x mod N.
func srpVerifier(salt []byte, poolName, userID, password string) *big.Int {
	return new(big.Int).Exp(srpG, srpX(salt, poolName, userID, password), srpN)
}

var errSRPBadA = errors.New("cognito: SRP_A is not a valid group element")

// parseSRPA reads SRP_A (hex, as the clients send it) and refuses a value
// that is not a usable public key: empty, too long, not hex, or 0 mod N
// (which would let anyone compute S without the password).
func parseSRPA(s string) (*big.Int, error) {
	if s == "" || len(s) > srpMaxAHexDigits {
		return nil, errSRPBadA
	}
	a, ok := new(big.Int).SetString(s, 16)
	if !ok || a.Sign() <= 0 || strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		return nil, errSRPBadA
	}
	if new(big.Int).Mod(a, srpN).Sign() == 0 {
		return nil, errSRPBadA
	}
	return a, nil
}

// srpServerStep is the server's half of the exchange for public key A and
// verifier v: it returns B, to send, and the derived key K that a client
// knowing the password will also derive. Everything expensive happens
// here, once, at InitiateAuth; the answer only costs an HMAC.
func srpServerStep(A, v *big.Int) (B *big.Int, key []byte) {
	for {
		raw := make([]byte, srpEphemeralBytes)
		rand.Read(raw)
		b := new(big.Int).SetBytes(raw)
		if b.Sign() == 0 {
			continue
		}
		// B = (k*v + g^b) mod N
		B = new(big.Int).Mul(srpK, v)
		B.Add(B, new(big.Int).Exp(srpG, b, srpN))
		B.Mod(B, srpN)
		if B.Sign() == 0 {
			continue
		}
		u := new(big.Int).SetBytes(sha256Sum(srpPad(A), srpPad(B)))
		if u.Sign() == 0 {
			continue // the clients refuse u = 0; pick another b
		}
		// S = (A * v^u)^b mod N
		S := new(big.Int).Exp(v, u, srpN)
		S.Mul(S, A)
		S.Mod(S, srpN)
		S.Exp(S, b, srpN)
		return B, srpHKDF(srpPad(S), srpPad(u))
	}
}

// srpHKDF is the clients' one-block HKDF-SHA256: PRK = HMAC(salt, ikm),
// OKM = HMAC(PRK, info | 0x01), first 16 bytes.
func srpHKDF(ikm, salt []byte) []byte {
	m := hmac.New(sha256.New, salt)
	m.Write(ikm)
	prk := m.Sum(nil)
	m = hmac.New(sha256.New, prk)
	m.Write([]byte(srpInfo))
	m.Write([]byte{1})
	return m.Sum(nil)[:16]
}

// srpSignature is PASSWORD_CLAIM_SIGNATURE's raw bytes.
func srpSignature(key []byte, poolName, userID string, secretBlock []byte, timestamp string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(poolName))
	m.Write([]byte(userID))
	m.Write(secretBlock)
	m.Write([]byte(timestamp))
	return m.Sum(nil)
}

// canonicalSRPTimestamp parses TIMESTAMP and returns it the way Cognito
// re-prints it before checking the signature: "Tue Dec 1 21:05:03 UTC
// 2026", the day not zero-padded. A client that signed "Dec 01" therefore
// fails the proof, as against Cognito (warrant's fix for exactly that:
// github.com/capless/warrant PR #12); one that signed "Dec 1" passes
// whether it sends "1" or "01". The weekday must match the date.
func canonicalSRPTimestamp(s string) (string, bool) {
	if len(s) > 64 {
		return "", false
	}
	t, err := time.Parse(srpTimestampLayout, s)
	if err != nil {
		return "", false
	}
	// A wrong weekday parses, but the re-printed date has the right one,
	// so the signature cannot match.
	return t.Format(srpTimestampLayout), true
}

// srpHex is how SRP_B and SALT travel: lower-case hex without leading
// zeros, as Cognito sends them.
func srpHex(x *big.Int) string { return x.Text(16) }

func srpSaltHex(salt []byte) string { return hex.EncodeToString(salt) }
