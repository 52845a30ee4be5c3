package cognito

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"strings"
	"testing"
	"time"
)

// clientKey is the client's side of the exchange (as
// amazon-cognito-identity-js computes it), to check the server's.
func clientKey(a, A, B *big.Int, salt []byte, poolName, userID, password string) []byte {
	u := new(big.Int).SetBytes(sha256Sum(srpPad(A), srpPad(B)))
	x := srpX(salt, poolName, userID, password)
	base := new(big.Int).Sub(B, new(big.Int).Mul(srpK, new(big.Int).Exp(srpG, x, srpN)))
	base.Mod(base, srpN)
	S := new(big.Int).Exp(base, new(big.Int).Add(a, new(big.Int).Mul(u, x)), srpN)
	return srpHKDF(srpPad(S), srpPad(u))
}

func TestSRPMath(t *testing.T) {
	// k as every Cognito client computes it (hex of H(00|N|02)).
	if got := srpK.Text(16); got != "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6" {
		t.Fatalf("k = %s", got)
	}
	if p := srpPad(big.NewInt(0x80)); !bytes.Equal(p, []byte{0, 0x80}) {
		t.Fatalf("PAD(0x80) = %x", p)
	}
	if p := srpPad(big.NewInt(0)); !bytes.Equal(p, []byte{0}) {
		t.Fatalf("PAD(0) = %x", p)
	}
	for i := 0; i < 20; i++ {
		salt := newSRPSalt()
		if salt[0] < 0x10 || salt[0] >= 0x80 {
			t.Fatalf("salt %x: not canonical", salt)
		}
		v := srpVerifier(salt, "abc123", "alice", "pw")
		raw := make([]byte, 128)
		rand.Read(raw)
		a := new(big.Int).SetBytes(raw)
		A := new(big.Int).Exp(srpG, a, srpN)
		B, K := srpServerStep(A, v)
		if got := clientKey(a, A, B, salt, "abc123", "alice", "pw"); !hmac.Equal(got, K) {
			t.Fatal("client and server keys differ")
		}
		if got := clientKey(a, A, B, salt, "abc123", "alice", "px"); hmac.Equal(got, K) {
			t.Fatal("a wrong password gives the same key")
		}
	}
}

func TestSRPTimestampParsing(t *testing.T) {
	for in, want := range map[string]string{
		"Tue Dec 1 21:05:03 UTC 2026":  "Tue Dec 1 21:05:03 UTC 2026",
		"Tue Dec 01 21:05:03 UTC 2026": "Tue Dec 1 21:05:03 UTC 2026",
		"Wed Dec 1 21:05:03 UTC 2026":  "Tue Dec 1 21:05:03 UTC 2026",
		"Sun Feb 29 00:00:00 UTC 2032": "Sun Feb 29 00:00:00 UTC 2032",
	} {
		if got, ok := canonicalSRPTimestamp(in); !ok || got != want {
			t.Errorf("%q: got %q %v, want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "Tue Dec 1 21:05:03 GMT 2026", "Tue Dec 32 21:05:03 UTC 2026",
		"Tue Dec 1 21:05:03 UTC 2026 ", strings.Repeat("x", 100), "Tue Feb 29 00:00:00 UTC 2027"} {
		if got, ok := canonicalSRPTimestamp(in); ok {
			t.Errorf("%q accepted as %q", in, got)
		}
	}
}

func testSRPService(tb testing.TB) *Service {
	sealer, err := NewSealer(bytes.Repeat([]byte{9}, 32))
	if err != nil {
		tb.Fatal(err)
	}
	return &Service{sealer: sealer, now: time.Now}
}

// FuzzSRPResponse feeds what a client sends in the two SRP steps (SRP_A,
// PASSWORD_CLAIM_SECRET_BLOCK, TIMESTAMP, PASSWORD_CLAIM_SIGNATURE) to
// the decoding the server does before any store access: nothing panics,
// a value accepted as SRP_A is a usable group element, a forged secret
// block never opens, and an accepted timestamp is in Cognito's form.
func FuzzSRPResponse(f *testing.F) {
	s := testSRPService(f)
	block := srpBlock{Pool: "us-east-1_abc", Client: "c", Sub: "s", UserID: "alice", Name: "alice", Key: make([]byte, 16), Nonce: []byte("n"), Expires: 1}
	plain, _ := json.Marshal(block)
	valid := base64.StdEncoding.EncodeToString(s.sealer.Seal(srpBlockPurpose, plain))
	f.Add(new(big.Int).Exp(srpG, big.NewInt(12345), srpN).Text(16), valid, "Tue Dec 1 21:05:03 UTC 2026", "c2ln")
	f.Add("0", valid[:len(valid)-4], "Tue Dec 01 21:05:03 UTC 2026", "")
	f.Add(srpN.Text(16), "AAAA", "Mon Jan 2 15:04:05 UTC 2006", "%%")
	f.Add("-1", "", "", "")
	f.Fuzz(func(t *testing.T, srpA, secretBlock, timestamp, signature string) {
		if A, err := parseSRPA(srpA); err == nil {
			if A.Sign() <= 0 || new(big.Int).Mod(A, srpN).Sign() == 0 || len(srpA) > srpMaxAHexDigits {
				t.Fatalf("SRP_A %q accepted as %v", srpA, A)
			}
		}
		if b, raw, ok := s.openSRPBlock(secretBlock); ok {
			// Only a block this sealer made opens (the seeds' block is
			// sealed anew in each fuzzing process, with another nonce).
			if b.Pool != block.Pool || b.UserID != block.UserID || len(b.Key) != 16 || len(raw) == 0 {
				t.Fatalf("forged secret block %q opened", secretBlock)
			}
		}
		if canon, ok := canonicalSRPTimestamp(timestamp); ok {
			again, ok2 := canonicalSRPTimestamp(canon)
			if !ok2 || again != canon {
				t.Fatalf("timestamp %q: canonical %q does not round-trip", timestamp, canon)
			}
		}
		sig, err := base64.StdEncoding.DecodeString(signature)
		want := srpSignature(block.Key, "abc", "alice", []byte(secretBlock), timestamp)
		if err == nil && hmac.Equal(sig, want) && len(sig) != sha256.Size {
			t.Fatal("a short signature matched")
		}
	})
}

// BenchmarkSRPServerMath is the server's whole SRP cost for one sign-in:
// B and the derived key (three 3072-bit exponentiations with 256-bit
// exponents). Deriving a verifier when a password is set costs one more.
func BenchmarkSRPServerMath(b *testing.B) {
	salt := newSRPSalt()
	v := srpVerifier(salt, "abc", "alice", "Correct-horse-1")
	raw := make([]byte, 128)
	rand.Read(raw)
	A := new(big.Int).Exp(srpG, new(big.Int).SetBytes(raw), srpN)
	b.ResetTimer()
	for b.Loop() {
		srpServerStep(A, v)
	}
}

func BenchmarkSRPVerifier(b *testing.B) {
	salt := newSRPSalt()
	for b.Loop() {
		srpVerifier(salt, "abc", "alice", "Correct-horse-1")
	}
}

// TestSRPBlockExpiry: a secret block is good for the client's
// AuthSessionValidity (3 minutes by default), then refused as an expired
// session; a block is bound to its pool and client.
func TestSRPBlockExpiry(t *testing.T) {
	s := testSRPService(t)
	now := time.Date(2026, 12, 1, 21, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return now }
	pool := &UserPool{ID: "us-east-1_abc"}
	client := &AppClient{UserPoolID: pool.ID, ClientID: "client1"}
	if got := s.sessionExpiry(client); !got.Equal(now.Add(3 * time.Minute)) {
		t.Fatalf("default expiry %v", got)
	}
	client.Settings.AuthSessionValidity = 15
	if got := s.sessionExpiry(client); !got.Equal(now.Add(15 * time.Minute)) {
		t.Fatalf("AuthSessionValidity 15: expiry %v", got)
	}
	seal := func(b srpBlock) string {
		plain, _ := json.Marshal(b)
		return base64.StdEncoding.EncodeToString(s.sealer.Seal(srpBlockPurpose, plain))
	}
	block := srpBlock{Pool: pool.ID, Client: client.ClientID, Sub: "sub", UserID: "alice", Name: "alice", Key: make([]byte, 16),
		Nonce: []byte("nonce"), Expires: now.Add(-time.Second).UnixMilli()}
	r := map[string]string{"USERNAME": "alice", "PASSWORD_CLAIM_SECRET_BLOCK": seal(block), "PASSWORD_CLAIM_SIGNATURE": "x", "TIMESTAMP": "Tue Dec 1 21:00:00 UTC 2026"}
	_, err := s.respondSRP(t.Context(), pool, client, r)
	if e, ok := err.(*Error); !ok || e.Type != ErrNotAuthorized.Type || e.Message != msgSessionExpired {
		t.Fatalf("expired block: %v", err)
	}
	block.Expires = now.Add(time.Minute).UnixMilli()
	block.Client = "other"
	r["PASSWORD_CLAIM_SECRET_BLOCK"] = seal(block)
	_, err = s.respondSRP(t.Context(), pool, client, r)
	if e, ok := err.(*Error); !ok || e.Message != msgIncorrectPassword {
		t.Fatalf("another client's block: %v", err)
	}
}
