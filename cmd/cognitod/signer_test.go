package main

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/cognitod/cognitod/internal/signer/openssl"
)

// TestSignerFlag: --signer takes go or openssl and nothing else; openssl
// in a binary without it is a start-up error that says how to get it; the
// default is openssl exactly when it is available; the choice is logged
// and the chosen wrapper really signs with that implementation.
func TestSignerFlag(t *testing.T) {
	if _, err := parseServe([]string{"--signer", "boringssl"}, io.Discard); err == nil || !strings.Contains(err.Error(), `--signer "boringssl": want go or openssl`) {
		t.Errorf("--signer boringssl: %v", err)
	}
	_, err := parseServe([]string{"--signer", "openssl"}, io.Discard)
	if avail := openssl.Available(); avail != nil {
		if err == nil || !strings.Contains(err.Error(), "--signer openssl") || !strings.Contains(err.Error(), "CGO_ENABLED=1") {
			t.Errorf("--signer openssl without OpenSSL: %v, want a start-up error naming the fix", err)
		}
	} else if err != nil {
		t.Errorf("--signer openssl with OpenSSL available: %v", err)
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	for _, flag := range []string{"", "go", "openssl"} {
		if flag == "openssl" && openssl.Available() != nil {
			continue
		}
		args := []string{}
		if flag != "" {
			args = []string{"--signer", flag}
		}
		cfg, err := parseServe(args, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		var logs bytes.Buffer
		newSigner := chooseSigner(cfg, slog.New(slog.NewTextHandler(&logs, nil)))
		s, err := newSigner(key)
		if err != nil {
			t.Fatal(err)
		}
		_, isOpenSSL := s.(*openssl.Signer)
		wantOpenSSL := flag == "openssl" || (flag == "" && openssl.Available() == nil)
		if isOpenSSL != wantOpenSSL {
			t.Errorf("--signer %q: signer %T, want OpenSSL %v", flag, s, wantOpenSSL)
		}
		want := "signer=\"go (crypto/rsa)\""
		if wantOpenSSL {
			want = "signer=openssl libcrypto=\"OpenSSL 3"
		}
		if !strings.Contains(logs.String(), "msg=\"token signer\" "+want) {
			t.Errorf("--signer %q logged %q, want %s", flag, logs.String(), want)
		}
		d := sha256.Sum256([]byte("x"))
		sig, err := s.Sign(nil, d[:], crypto.SHA256)
		if err != nil || rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, d[:], sig) != nil {
			t.Errorf("--signer %q: the signer does not sign: %v", flag, err)
		}
	}
}
