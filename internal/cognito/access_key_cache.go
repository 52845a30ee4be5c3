package cognito

import (
	"bytes"
	"context"
	"errors"
	"sync"
)

// A signed call reads its access key from the store once: SigV4
// verification asks for the key (AccessKeyForSigV4) and Authorize is
// handed the same row through the caller (Caller.WithKey), instead of
// reading it again. The row is read fresh for every request, so a key
// deleted, given a new secret or a new policy, by this process or by any
// other on the database (`cognitod keys`, a second instance), is decided
// by its next request.
//
// What is kept is the opened secret: openedSecrets maps a key's sealed
// secret, byte for byte, to its plaintext, so that a request costs no
// decryption. An entry is used only when the sealed bytes the store
// returns now are the ones it was opened from; a replaced secret has new
// sealed bytes and is opened anew, and a deleted key is never found.
// Only keys that exist get entries, so made-up IDs cannot fill it. The
// secrets are held in the clear in memory, as the master key that opens
// them is.
type openedSecrets struct {
	mu sync.RWMutex
	m  map[string]*openedSecret // by access key ID
}

type openedSecret struct {
	sealed []byte
	secret string
}

// maxOpenedSecrets bounds the cache; the store holds at most
// MaxAccessKeys keys, and past the bound the cache starts afresh.
const maxOpenedSecrets = 2 * MaxAccessKeys

// VerifiedAccessKey is an access key as one request's SigV4 verification
// read it, with its secret opened; see Caller.WithKey.
type VerifiedAccessKey struct {
	key    *AccessKey
	secret string
}

// Secret is the key's secret access key.
func (k *VerifiedAccessKey) Secret() string { return k.secret }

// AccessKeyForSigV4 reads access key id for one request's signature
// check: nil (and no error) when there is no such key.
func (s *Service) AccessKeyForSigV4(ctx context.Context, id string) (*VerifiedAccessKey, error) {
	k, err := s.store.GetAccessKey(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	c := &s.accessKeys
	c.mu.RLock()
	e := c.m[id]
	c.mu.RUnlock()
	if e != nil && bytes.Equal(e.sealed, k.SealedSecret) {
		return &VerifiedAccessKey{key: k, secret: e.secret}, nil
	}
	b, err := s.sealer.Open(accessKeyPurpose(id), k.SealedSecret)
	if err != nil {
		return nil, err
	}
	e = &openedSecret{sealed: bytes.Clone(k.SealedSecret), secret: string(b)}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxOpenedSecrets {
		c.m = make(map[string]*openedSecret)
	}
	c.m[id] = e
	c.mu.Unlock()
	return &VerifiedAccessKey{key: k, secret: e.secret}, nil
}

// WithKey returns c carrying the key its request's signature was verified
// with, for Authorize to decide on without reading it again. A key for
// another access key ID than c's is ignored.
func (c Caller) WithKey(k *VerifiedAccessKey) Caller {
	c.verified = k
	return c
}

// callerAccessKey returns the access key a call is authorized as: the one its
// SigV4 verification read, or else a fresh read; nil when it is gone.
func (s *Service) callerAccessKey(ctx context.Context, c Caller) (*AccessKey, error) {
	if v := c.verified; v != nil && v.key.AccessKeyID == c.AccessKeyID {
		return v.key, nil
	}
	k, err := s.store.GetAccessKey(ctx, c.AccessKeyID)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	return k, err
}
