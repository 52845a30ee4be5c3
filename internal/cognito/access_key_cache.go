package cognito

import (
	"context"
	"errors"
	"sync"
)

// accessKeyCache keeps the access keys that signed requests use, each
// with its secret opened, so that a signed call costs no database read
// and no decryption: SigV4 verification asks for the secret, then
// Authorize for the key's policy, and both are answered from here.
//
// Entries belong to the grant cache's generation: every write through
// the Service (access key writes included, see accessKeyWrite) and every
// change WatchStore sees on the store's generation advances it, and an
// entry read at an older generation is never used. A deleted or rotated
// key therefore stops working on this instance as its write commits, and
// on other instances on the same database within the watch interval.
// Only keys that exist are kept, so made-up IDs cannot fill it.
//
// The secrets are held in the clear in memory, as the master key that
// opens them is.
type accessKeyCache struct {
	mu sync.RWMutex
	m  map[string]*cachedAccessKey
}

type cachedAccessKey struct {
	gen    uint64
	key    *AccessKey // read-only: shared by every request that finds it
	secret string
}

// maxCachedAccessKeys bounds the cache; the store holds at most
// MaxAccessKeys keys, and past the bound the cache starts afresh.
const maxCachedAccessKeys = 2 * MaxAccessKeys

// accessKey returns access key id with its secret opened, from memory
// while nothing has changed; nil when there is no such key.
func (s *Service) accessKey(ctx context.Context, id string) (*cachedAccessKey, error) {
	c := &s.accessKeys
	gen := s.grants.gen.Load()
	c.mu.RLock()
	e := c.m[id]
	c.mu.RUnlock()
	if e != nil && e.gen == gen {
		return e, nil
	}
	k, err := s.store.GetAccessKey(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	b, err := s.sealer.Open(accessKeyPurpose(id), k.SealedSecret)
	if err != nil {
		return nil, err
	}
	e = &cachedAccessKey{gen: gen, key: k, secret: string(b)}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxCachedAccessKeys {
		c.m = make(map[string]*cachedAccessKey)
	}
	c.m[id] = e
	c.mu.Unlock()
	return e, nil
}

// accessKeyWrite runs an access key write in a transaction that advances
// the store's generation, so that this instance's access key cache, and
// every other instance's within the watch interval, drops what it knew.
func (s *Service) accessKeyWrite(ctx context.Context, fn func(tx Tx) error) error {
	return s.update(ctx, fn)
}
