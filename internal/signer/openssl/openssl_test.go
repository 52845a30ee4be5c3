//go:build cgo && !noopenssl

package openssl

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
	"testing"
)

// testKeys are made once per test binary: 18 of 2048 bits (cognitod's
// size) and 2 of 3072, so that a length or padding slip shows at a
// second size too.
var testKeys = sync.OnceValue(func() []*rsa.PrivateKey {
	keys := make([]*rsa.PrivateKey, 20)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			bits := 2048
			if i >= 18 {
				bits = 3072
			}
			k, err := rsa.GenerateKey(rand.Reader, bits)
			if err != nil {
				panic(err)
			}
			keys[i] = k
		}()
	}
	wg.Wait()
	return keys
})

// signers are the OpenSSL signers of testKeys, by index.
var signers = sync.OnceValue(func() []*Signer {
	var out []*Signer
	for _, k := range testKeys() {
		s, err := New(k)
		if err != nil {
			panic(err)
		}
		out = append(out, s)
	}
	return out
})

func goSign(t testing.TB, k *rsa.PrivateKey, msg []byte) []byte {
	digest := sha256.Sum256(msg)
	sig, err := rsa.SignPKCS1v15(nil, k, crypto.SHA256, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

// TestSameSignaturesAsCryptoRSA: for 20 keys and 50 messages each (empty,
// one byte, JWS-sized, long), OpenSSL's signature is byte for byte the
// one crypto/rsa makes (PKCS#1 v1.5 is deterministic), through Sign and
// SignTo, and verifies with the public key.
func TestSameSignaturesAsCryptoRSA(t *testing.T) {
	if err := Available(); err != nil {
		t.Fatal(err)
	}
	keys, ss := testKeys(), signers()
	for ki, k := range keys {
		for m := 0; m < 50; m++ {
			msg := make([]byte, []int{0, 1, 31, 32, 33, 700, 4096}[m%7]+m)
			rand.Read(msg)
			want := goSign(t, k, msg)
			digest := sha256.Sum256(msg)
			got, err := ss[ki].Sign(rand.Reader, digest[:], crypto.SHA256)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("key %d (%d bits), message %d (%d bytes): OpenSSL signature differs from crypto/rsa's", ki, k.N.BitLen(), m, len(msg))
			}
			into := make([]byte, k.Size())
			if err := ss[ki].SignTo(into, &digest); err != nil || !bytes.Equal(into, want) {
				t.Fatalf("key %d, message %d: SignTo = %v, signature equal %v", ki, m, err, bytes.Equal(into, want))
			}
			if err := rsa.VerifyPKCS1v15(&k.PublicKey, crypto.SHA256, digest[:], got); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestConcurrentSigning: one Signer used by 8 goroutines at once gives
// every one of them the right signature: each signature has a context of
// its own, taken from the idle ones or made, and more signatures at once
// than the Signer keeps contexts for free the surplus. Close frees the
// idle contexts with the key.
func TestConcurrentSigning(t *testing.T) {
	k := testKeys()[0]
	s, err := New(k)
	if err != nil {
		t.Fatal(err)
	}
	s.h.maxIdle = 3 // fewer than the goroutines: some contexts are freed
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 40; i++ {
				msg := []byte(fmt.Sprintf("goroutine %d message %d", g, i))
				digest := sha256.Sum256(msg)
				got, err := s.Sign(nil, digest[:], crypto.SHA256)
				if err != nil {
					errs <- err
					return
				}
				if want := goSign(t, k, msg); !bytes.Equal(got, want) {
					errs <- fmt.Errorf("goroutine %d message %d: wrong signature", g, i)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := len(s.h.idle); n < 1 || n > 3 {
		t.Errorf("%d idle signing contexts after the goroutines, want 1 to 3", n)
	}
	s.Close()
	if s.h.idle != nil || s.h.pkey != nil {
		t.Errorf("Close left %d contexts and key %p", len(s.h.idle), s.h.pkey)
	}
}

// TestRefusals: other hashes, PSS and wrong digest or buffer lengths are
// errors, not signatures over something else; a closed signer signs
// nothing, and closing twice is harmless.
func TestRefusals(t *testing.T) {
	k := testKeys()[1]
	s, err := New(k)
	if err != nil {
		t.Fatal(err)
	}
	d := sha256.Sum256([]byte("x"))
	if _, err := s.Sign(nil, d[:20], crypto.SHA1); err == nil {
		t.Error("signed with SHA-1")
	}
	if _, err := s.Sign(nil, d[:], &rsa.PSSOptions{Hash: crypto.SHA256}); err == nil {
		t.Error("signed PSS")
	}
	if _, err := s.Sign(nil, d[:31], crypto.SHA256); err == nil {
		t.Error("signed a 31-byte digest")
	}
	if err := s.SignTo(make([]byte, 10), &d); err == nil {
		t.Error("SignTo wrote into a short buffer")
	}
	if s.Public().(*rsa.PublicKey).N.Cmp(k.N) != 0 {
		t.Error("Public is not the key's")
	}
	s.Close()
	s.Close()
	if _, err := s.Sign(nil, d[:], crypto.SHA256); !errors.Is(err, ErrClosed) {
		t.Errorf("Sign after Close: %v, want ErrClosed", err)
	}
	multi, err := rsa.GenerateMultiPrimeKey(rand.Reader, 3, 2048)
	if err == nil {
		if _, err := New(multi); err == nil {
			t.Error("New accepted a three-prime key")
		}
	}
}

// FuzzSameSignatures: random messages with a random choice among the 20
// keys sign identically with OpenSSL and crypto/rsa.
func FuzzSameSignatures(f *testing.F) {
	f.Add([]byte(""), uint8(0))
	f.Add([]byte(`{"kid":"x","alg":"RS256"}.eyJzdWIiOiJhIn0`), uint8(7))
	f.Add(bytes.Repeat([]byte{0xff}, 1000), uint8(19))
	f.Fuzz(func(t *testing.T, msg []byte, ki uint8) {
		keys, ss := testKeys(), signers()
		i := int(ki) % len(keys)
		digest := sha256.Sum256(msg)
		got, err := ss[i].Sign(nil, digest[:], crypto.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		if want := goSign(t, keys[i], msg); !bytes.Equal(got, want) {
			t.Fatalf("key %d: signatures differ for %q", i, msg)
		}
	})
}

func BenchmarkSign(b *testing.B) {
	k := testKeys()[0]
	s := signers()[0]
	d := sha256.Sum256([]byte("benchmark"))
	b.Run("openssl", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			sig := make([]byte, k.Size())
			for pb.Next() {
				if err := s.SignTo(sig, &d); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	b.Run("crypto-rsa", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := rsa.SignPKCS1v15(nil, k, crypto.SHA256, d[:]); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}
