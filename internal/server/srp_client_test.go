package server

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"math/big"
	"strings"
	"testing"
	"time"
)

// srpClient is the client side of Cognito's SRP, written from the
// clients' description (amazon-cognito-identity-js AuthenticationHelper)
// for the Go tests; the third-party clients themselves run in
// srp_node_test.go.
type srpClient struct {
	poolName string
	a, A     *big.Int
}

var (
	testN, _ = new(big.Int).SetString("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF", 16)
	testG    = big.NewInt(2)
)

func testPad(x *big.Int) []byte {
	b := x.Bytes()
	if len(b) == 0 || b[0]&0x80 != 0 {
		return append([]byte{0}, b...)
	}
	return b
}

func testHash(parts ...[]byte) []byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	return h.Sum(nil)
}

func newSRPClient(poolID string) *srpClient {
	raw := make([]byte, 128)
	rand.Read(raw)
	a := new(big.Int).SetBytes(raw)
	_, name, _ := strings.Cut(poolID, "_")
	return &srpClient{poolName: name, a: a, A: new(big.Int).Exp(testG, a, testN)}
}

func (c *srpClient) srpA() string { return c.A.Text(16) }

// key derives K from the challenge, for password.
func (c *srpClient) key(t testing.TB, params map[string]string, password string) []byte {
	t.Helper()
	B, ok1 := new(big.Int).SetString(params["SRP_B"], 16)
	salt, ok2 := new(big.Int).SetString(params["SALT"], 16)
	if !ok1 || !ok2 || params["USER_ID_FOR_SRP"] == "" || params["SECRET_BLOCK"] == "" {
		t.Fatalf("not a PASSWORD_VERIFIER challenge: %v", params)
	}
	k := new(big.Int).SetBytes(testHash(testPad(testN), testPad(testG)))
	u := new(big.Int).SetBytes(testHash(testPad(c.A), testPad(B)))
	x := new(big.Int).SetBytes(testHash(testPad(salt), testHash([]byte(c.poolName+params["USER_ID_FOR_SRP"]+":"+password))))
	// S = (B - k*g^x)^(a + u*x) mod N
	base := new(big.Int).Sub(B, new(big.Int).Mul(k, new(big.Int).Exp(testG, x, testN)))
	base.Mod(base, testN)
	S := new(big.Int).Exp(base, new(big.Int).Add(c.a, new(big.Int).Mul(u, x)), testN)
	m := hmac.New(sha256.New, testPad(u))
	m.Write(testPad(S))
	m = hmac.New(sha256.New, m.Sum(nil))
	m.Write([]byte("Caldera Derived Key\x01"))
	return m.Sum(nil)[:16]
}

// answer computes the PASSWORD_VERIFIER responses, signing timestamp.
func (c *srpClient) answer(t testing.TB, params map[string]string, password, timestamp string) map[string]string {
	t.Helper()
	block, err := base64.StdEncoding.DecodeString(params["SECRET_BLOCK"])
	if err != nil {
		t.Fatal(err)
	}
	m := hmac.New(sha256.New, c.key(t, params, password))
	m.Write([]byte(c.poolName + params["USER_ID_FOR_SRP"]))
	m.Write(block)
	m.Write([]byte(timestamp))
	return map[string]string{"USERNAME": params["USER_ID_FOR_SRP"], "PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
		"TIMESTAMP": timestamp, "PASSWORD_CLAIM_SIGNATURE": base64.StdEncoding.EncodeToString(m.Sum(nil))}
}

// srpNow is the TIMESTAMP the JavaScript clients send.
func srpNow() string { return time.Now().UTC().Format("Mon Jan 2 15:04:05 UTC 2006") }
