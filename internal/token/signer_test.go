package token

import (
	"context"
	"crypto"
	"crypto/rsa"
	"errors"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/signer/openssl"
)

func opensslSigner(k *rsa.PrivateKey) (crypto.Signer, error) { return openssl.New(k) }

type namedSigner struct {
	name      string
	newSigner NewSigner
}

// benchSigners are the signers this binary has: crypto/rsa, and OpenSSL
// when built with cgo.
func benchSigners(tb testing.TB) []namedSigner {
	list := []namedSigner{{"go", GoSigner}}
	if openssl.Available() == nil {
		list = append(list, namedSigner{"openssl", opensslSigner})
	} else {
		tb.Logf("OpenSSL signer not measured: %v", openssl.Available())
	}
	return list
}

// TestSignersMakeTheSameJWS: one payload signed by a pool's active key
// through crypto/rsa and through OpenSSL is the same JWS, byte for byte,
// before and after a rotation.
func TestSignersMakeTheSameJWS(t *testing.T) {
	if err := openssl.Available(); err != nil {
		t.Skipf("no OpenSSL signer in this build: %v", err)
	}
	f := newFixtureWith(t, opensslSigner)
	ctx := context.Background()
	for round := 0; round < 2; round++ {
		pk, err := f.keys.pool(ctx, f.poolID)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := pk.active.signer.(*openssl.Signer); !ok {
			t.Fatalf("active signer is %T, want *openssl.Signer", pk.active.signer)
		}
		goKey := &signingKey{kid: pk.active.kid, signer: pk.private[pk.active.kid], size: pk.active.size, header: pk.active.header}
		for _, payload := range []string{`{}`, `{"sub":"a","scope":"x y"}`, string(make([]byte, 3000))} {
			a, err := sign(pk.active, &scratch{payload: []byte(payload)})
			if err != nil {
				t.Fatal(err)
			}
			b, err := sign(goKey, &scratch{payload: []byte(payload)})
			if err != nil {
				t.Fatal(err)
			}
			if a != b {
				t.Fatalf("round %d: OpenSSL and crypto/rsa JWS differ for %q", round, payload)
			}
		}
		if _, err := f.keys.Rotate(ctx, f.poolID); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRotationClosesTheOldSigner: rotating frees the retired key's
// OpenSSL copy (its signer refuses to sign), and a mint that read the old
// entry just before is retried with the new key rather than failing.
func TestRotationClosesTheOldSigner(t *testing.T) {
	if err := openssl.Available(); err != nil {
		t.Skipf("no OpenSSL signer in this build: %v", err)
	}
	f := newFixtureWith(t, opensslSigner)
	ctx := context.Background()
	old, err := f.keys.pool(ctx, f.poolID)
	if err != nil {
		t.Fatal(err)
	}
	promoted, err := f.keys.Rotate(ctx, f.poolID)
	if err != nil {
		t.Fatal(err)
	}
	if !old.active.closed.Load() {
		t.Fatal("the rotated-out key is not marked closed")
	}
	if _, err := sign(old.active, &scratch{payload: []byte(`{}`)}); !errors.Is(err, openssl.ErrClosed) {
		t.Fatalf("signing with the rotated-out key: %v, want openssl.ErrClosed", err)
	}
	// A mint that read the entry before the rotation: the first attempt
	// fails on the closed signer, the retry signs with the promoted key.
	tok, err := f.issuer.signWith(ctx, &scratch{payload: []byte(`{"sub":"x"}`)}, f.poolID, old)
	if err != nil {
		t.Fatal(err)
	}
	if kid, _ := verifyWithJose(t, tok, f.jwks(t)); kid != promoted {
		t.Errorf("signed by %s, want the promoted %s", kid, promoted)
	}
	// Forgetting the pool (deleted) closes its signer too.
	cur, _ := f.keys.pool(ctx, f.poolID)
	f.issuer.Forget(f.poolID)
	if !cur.active.closed.Load() {
		t.Error("Forget left the pool's signer open")
	}
	if _, err := f.issuer.MintClientCredentials(ctx, &cognito.ClientGrant{PoolID: f.poolID, ClientID: "c", Lifetime: time.Hour}); err != nil {
		t.Errorf("minting after Forget (keys reloaded): %v", err)
	}
}

// TestFirstUseBurstWithOpenSSL: bursts of 64 first tokens for a pool (its
// keys not yet in memory) all succeed. Each racing load builds its own
// signer; only the first installed is kept and the others are closed
// before anyone signs with them (closing the installed one instead made
// requests fail with "signer closed").
func TestFirstUseBurstWithOpenSSL(t *testing.T) {
	if err := openssl.Available(); err != nil {
		t.Skipf("no OpenSSL signer in this build: %v", err)
	}
	f := newFixtureWith(t, opensslSigner)
	ctx := context.Background()
	if err := f.keys.Ensure(ctx, f.poolID); err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 10; round++ {
		f.keys.Forget(f.poolID) // keys stored, none in memory
		errs := make(chan error, 64)
		for range 64 {
			go func() {
				_, err := f.issuer.MintClientCredentials(ctx, &cognito.ClientGrant{PoolID: f.poolID, ClientID: "c", Lifetime: time.Hour})
				errs <- err
			}()
		}
		for range 64 {
			if err := <-errs; err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
	}
}
