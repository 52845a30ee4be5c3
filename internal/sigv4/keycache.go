package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"hash"
	"sync"
)

// The signing key of a credential scope, HMAC(HMAC(HMAC(HMAC("AWS4" +
// secret, date), region), service), "aws4_request"), is the same for
// every request an access key signs that day in that region for that
// service: the AWS SDKs derive it once and keep it (aws-sdk-go-v2's
// v4.SigningKeyDeriver, botocore's credential cache). Deriving it is four
// HMACs, as much work as the rest of a small request's verification, so
// the verifier keeps it too.
//
// An entry is found by access key ID and scope, and used only when the
// secret it was derived from is, compared in constant time, the secret
// Lookup returns now: a rotated or deleted secret never matches its old
// entries, whatever Lookup's own caching. Keys of unknown access key IDs
// are never kept, so a caller cannot fill the cache with made-up IDs.

// maxCachedKeys bounds the cache: one entry per access key, region and
// day in use (MaxAccessKeys is 1,000); past it the cache starts afresh.
const maxCachedKeys = 4096

type keyCache struct {
	mu sync.RWMutex
	m  map[string]*cachedKey
}

type cachedKey struct {
	secret string
	key    []byte
	// macs holds HMAC-SHA256 instances keyed with key: a reset one
	// starts from its saved keyed state, where a new one would hash the
	// key's pads and allocate anew for every request.
	macs sync.Pool
}

func newCachedKey(secret string, key []byte) *cachedKey {
	k := &cachedKey{secret: secret, key: key}
	k.macs.New = func() any { return hmac.New(sha256.New, key) }
	return k
}

// sign appends HMAC-SHA256(key, msg) to dst.
func (k *cachedKey) sign(dst, msg []byte) []byte {
	m := k.macs.Get().(hash.Hash)
	m.Reset()
	m.Write(msg)
	dst = m.Sum(dst)
	k.macs.Put(m)
	return dst
}

// scopeID is the cache's key: the access key ID and the credential scope.
// '/' cannot be in a region, date or service that passed the scope
// checks, so distinct scopes give distinct keys.
func scopeID(keyID, date, region, service string) string {
	return keyID + "/" + date + "/" + region + "/" + service
}

// signingKey returns the signing key of secret for the scope, from the
// cache when it holds one derived from this very secret.
func (c *keyCache) signingKey(keyID, secret, date, region, service string) []byte {
	return c.signer(keyID, secret, date, region, service).key
}

// signer is signingKey with its pool of keyed HMACs.
func (c *keyCache) signer(keyID, secret, date, region, service string) *cachedKey {
	id := scopeID(keyID, date, region, service)
	c.mu.RLock()
	e := c.m[id]
	c.mu.RUnlock()
	if e != nil && subtle.ConstantTimeCompare([]byte(e.secret), []byte(secret)) == 1 {
		return e
	}
	e = newCachedKey(secret, signingKey(secret, date, region, service))
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxCachedKeys {
		c.m = make(map[string]*cachedKey)
	}
	c.m[id] = e
	c.mu.Unlock()
	return e
}

// len is how many keys the cache holds (tests).
func (c *keyCache) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}
