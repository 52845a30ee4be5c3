package cognito

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
)

// Sealer encrypts secrets at rest (client secrets, access keys, signing
// keys) with AES-256-GCM under keys derived from the master key. Each
// sealed value is bound to a purpose string (for example
// "client-secret:<client id>"), so a ciphertext copied to another row does
// not open there.
type Sealer struct {
	aead          cipher.AEAD
	paginationKey []byte
	// srpKey derives the stable fake SRP salts shown for unknown users.
	srpKey []byte
	// macRoot is the root of MACKey's purpose keys; it is itself derived,
	// so no caller ever holds the master key.
	macRoot []byte
}

// NewSealer derives the sealing keys from a 32-byte master key.
func NewSealer(masterKey []byte) (*Sealer, error) {
	if len(masterKey) != 32 {
		return nil, fmt.Errorf("cognito: master key must be 32 bytes, got %d", len(masterKey))
	}
	block, err := aes.NewCipher(deriveKey(masterKey, "cognitod seal v1"))
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead, paginationKey: deriveKey(masterKey, "cognitod pagination v1"),
		srpKey: deriveKey(masterKey, "cognitod srp v1"), macRoot: deriveKey(masterKey, "cognitod mac keys v1")}, nil
}

// MACKey returns a 32-byte HMAC key for one purpose (for example
// "cognitod hosted csrf v1"), derived from the master key: packages
// outside cognito that need a server-bound MAC get their own key, never
// the master key or another purpose's key.
func (s *Sealer) MACKey(purpose string) []byte {
	return deriveKey(s.macRoot, purpose)
}

func deriveKey(master []byte, label string) []byte {
	m := hmac.New(sha256.New, master)
	m.Write([]byte(label))
	return m.Sum(nil)
}

// Seal encrypts plaintext for purpose: nonce || ciphertext+tag.
func (s *Sealer) Seal(purpose string, plaintext []byte) []byte {
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plaintext)+s.aead.Overhead())
	rand.Read(nonce)
	return s.aead.Seal(nonce, nonce, plaintext, []byte(purpose))
}

// errUnseal is deliberately vague: the cause is a wrong master key or a
// tampered row, and neither detail belongs in a client's answer.
var errUnseal = errors.New("cognito: cannot open sealed value (wrong master key or corrupted data)")

// Open decrypts a value sealed for purpose.
func (s *Sealer) Open(purpose string, sealed []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n+s.aead.Overhead() {
		return nil, errUnseal
	}
	out, err := s.aead.Open(nil, sealed[:n], sealed[n:], []byte(purpose))
	if err != nil {
		return nil, errUnseal
	}
	return out, nil
}
