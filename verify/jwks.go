package verify

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

const (
	// MaxJWKSSize is the largest JWKS response body, in bytes, that a
	// Verifier accepts. A larger response is a failed fetch.
	MaxJWKSSize = 1 << 20

	// DefaultRefreshCooldown is the cool-down used when
	// Verifier.RefreshCooldown is zero.
	DefaultRefreshCooldown = time.Minute

	// DefaultHTTPTimeout is the timeout of the HTTP client used when
	// Verifier.HTTPClient is nil.
	DefaultHTTPTimeout = 10 * time.Second

	// initialRetryInterval bounds how often a fetch is retried while no key
	// set has been fetched yet (when shorter than the cool-down).
	initialRetryInterval = 5 * time.Second

	// fetchTimeout caps one JWKS fetch even if the HTTP client has no timeout.
	fetchTimeout = 30 * time.Second

	minRSABits = 2048
	maxRSABits = 8192
)

var defaultHTTPClient = &http.Client{Timeout: DefaultHTTPTimeout}

// key is one entry of the parsed key set: either a usable RSA public key or
// the reason the JWK with this kid cannot be used.
type key struct {
	pub *rsa.PublicKey
	err error // ErrAlgorithm or ErrKeyRejected, with pub == nil
	why string
}

// keySet is an immutable parsed JWKS.
type keySet struct {
	keys map[string]*key
}

// keyCache fetches and caches the JWKS. Reads of the current key set are
// lock-free; fetching is serialized so that at most one fetch is in flight.
type keyCache struct {
	url      string
	client   *http.Client
	cooldown time.Duration
	now      func() time.Time

	current atomic.Pointer[keySet]

	mu        sync.Mutex
	inflight  *fetchCall // non-nil while a fetch runs
	lastFetch time.Time  // start of the last fetch attempt
	attempted bool       // a fetch has been attempted
	lastErr   error      // error of the last fetch attempt, nil on success
	fetches   int        // number of fetch attempts, for tests
}

type fetchCall struct {
	done chan struct{}
	err  error
}

// lookup returns the key for kid, fetching or refetching the JWKS when
// needed and allowed.
func (kc *keyCache) lookup(ctx context.Context, kid string) (*key, *Error) {
	if ks := kc.current.Load(); ks != nil {
		if k, ok := ks.keys[kid]; ok {
			return k, nil
		}
	}
	return kc.lookupSlow(ctx, kid)
}

func (kc *keyCache) lookupSlow(ctx context.Context, kid string) (*key, *Error) {
	kc.mu.Lock()
	// The key set may have been replaced while we waited for the lock.
	ks := kc.current.Load()
	if ks != nil {
		if k, ok := ks.keys[kid]; ok {
			kc.mu.Unlock()
			return k, nil
		}
	}
	call := kc.inflight
	if call == nil {
		if kc.attempted && !kc.mayFetchLocked(ks != nil) {
			lastErr := kc.lastErr
			kc.mu.Unlock()
			return nil, kc.missError(ks != nil, kid, "refresh cool-down in effect", lastErr)
		}
		call = &fetchCall{done: make(chan struct{})}
		kc.inflight = call
		kc.attempted = true
		kc.lastFetch = kc.now()
		kc.fetches++
		// The fetch runs on its own goroutine, detached from the caller's
		// cancellation, so that a caller that gives up does not fail the
		// fetch for the others waiting on it.
		go kc.fetch(context.WithoutCancel(ctx), call)
	}
	kc.mu.Unlock()

	select {
	case <-call.done:
	case <-ctx.Done():
		return nil, kc.missError(ks != nil, kid, "gave up waiting for the JWKS fetch", ctx.Err())
	}
	ks = kc.current.Load()
	if ks != nil {
		if k, ok := ks.keys[kid]; ok {
			return k, nil
		}
	}
	return nil, kc.missError(ks != nil, kid, "not in JWKS", call.err)
}

// mayFetchLocked reports whether the cool-down allows a new fetch.
func (kc *keyCache) mayFetchLocked(haveKeys bool) bool {
	wait := kc.cooldown
	if !haveKeys && initialRetryInterval < wait {
		wait = initialRetryInterval
	}
	return !kc.now().Before(kc.lastFetch.Add(wait))
}

func (kc *keyCache) missError(haveKeys bool, kid, why string, cause error) *Error {
	if !haveKeys {
		return &Error{Code: codeOf(ErrKeySetUnavailable), Err: ErrKeySetUnavailable, Detail: "no JWKS fetched from " + kc.url, Cause: cause}
	}
	return &Error{Code: codeOf(ErrUnknownKey), Err: ErrUnknownKey, Detail: fmt.Sprintf("kid %q: %s", kid, why), Cause: cause}
}

// fetch downloads and parses the JWKS, installs it on success, and
// completes call.
func (kc *keyCache) fetch(ctx context.Context, call *fetchCall) {
	ks, err := kc.download(ctx)
	kc.mu.Lock()
	if err == nil {
		kc.current.Store(ks)
	}
	kc.lastErr = err
	kc.inflight = nil
	call.err = err
	kc.mu.Unlock()
	close(call.done)
}

func (kc *keyCache) download(ctx context.Context) (*keySet, error) {
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, kc.url, nil)
	if err != nil {
		return nil, fmt.Errorf("verify: fetching JWKS: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := kc.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("verify: fetching JWKS: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		return nil, fmt.Errorf("verify: fetching JWKS from %s: HTTP status %s", kc.url, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxJWKSSize+1))
	if err != nil {
		return nil, fmt.Errorf("verify: reading JWKS: %w", err)
	}
	if len(body) > MaxJWKSSize {
		return nil, fmt.Errorf("verify: JWKS from %s is larger than %d bytes", kc.url, MaxJWKSSize)
	}
	return parseJWKS(body)
}

// jwk is the subset of RFC 7517 members the verifier looks at.
type jwk struct {
	Kty    string   `json:"kty"`
	Kid    string   `json:"kid"`
	Alg    string   `json:"alg"`
	Use    string   `json:"use"`
	KeyOps []string `json:"key_ops"`
	N      string   `json:"n"`
	E      string   `json:"e"`
}

// parseJWKS parses a JWKS document. Keys whose kty is not RSA, or that have
// no kid, are ignored. RSA keys that are unusable are kept as entries that
// explain why, so that a token naming them fails with a precise error and
// does not trigger refetches. The first entry for a kid wins. A document
// without at least one usable key is an error, so that a broken response
// never replaces a working cache.
func parseJWKS(body []byte) (*keySet, error) {
	var doc struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("verify: parsing JWKS: %w", err)
	}
	ks := &keySet{keys: make(map[string]*key, len(doc.Keys))}
	usable := 0
	for _, raw := range doc.Keys {
		var j jwk
		if err := json.Unmarshal(raw, &j); err != nil {
			continue // a key of a shape we do not understand
		}
		if j.Kty != "RSA" || j.Kid == "" {
			continue
		}
		if _, dup := ks.keys[j.Kid]; dup {
			continue
		}
		k := parseRSAKey(&j)
		if k.pub != nil {
			usable++
		}
		ks.keys[j.Kid] = k
	}
	if usable == 0 {
		return nil, errors.New("verify: JWKS has no usable RS256 signing key")
	}
	return ks, nil
}

func parseRSAKey(j *jwk) *key {
	if j.Alg != "" && j.Alg != "RS256" {
		return &key{err: ErrAlgorithm, why: fmt.Sprintf("JWK alg is %q", j.Alg)}
	}
	if j.Use != "" && j.Use != "sig" {
		return &key{err: ErrKeyRejected, why: fmt.Sprintf("JWK use is %q", j.Use)}
	}
	if j.KeyOps != nil {
		verifyOK := false
		for _, op := range j.KeyOps {
			if op == "verify" {
				verifyOK = true
			}
		}
		if !verifyOK {
			return &key{err: ErrKeyRejected, why: "JWK key_ops do not include verify"}
		}
	}
	nb, err := base64.RawURLEncoding.DecodeString(j.N)
	if err != nil || len(nb) == 0 || nb[0] == 0 {
		return &key{err: ErrKeyRejected, why: "JWK n is not valid base64url of an unsigned integer"}
	}
	eb, err := base64.RawURLEncoding.DecodeString(j.E)
	if err != nil || len(eb) == 0 || len(eb) > 4 || eb[0] == 0 {
		return &key{err: ErrKeyRejected, why: "JWK e is not a valid exponent"}
	}
	var e int
	for _, b := range eb {
		e = e<<8 | int(b)
	}
	if e < 3 || e%2 == 0 || e > 1<<31-1 {
		return &key{err: ErrKeyRejected, why: fmt.Sprintf("JWK e %d is not a valid exponent", e)}
	}
	n := new(big.Int).SetBytes(nb)
	if bits := n.BitLen(); bits < minRSABits || bits > maxRSABits {
		return &key{err: ErrKeyRejected, why: fmt.Sprintf("RSA key has %d bits, want %d to %d", bits, minRSABits, maxRSABits)}
	}
	if n.Bit(0) == 0 {
		return &key{err: ErrKeyRejected, why: "RSA modulus is even"}
	}
	return &key{pub: &rsa.PublicKey{N: n, E: e}}
}
