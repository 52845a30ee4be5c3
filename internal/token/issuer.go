package token

import (
	"context"
	"crypto"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

// Issuer mints tokens for every pool, with issuer <public URL>/<pool ID>.
// It is safe for concurrent use.
type Issuer struct {
	keys      *Keys
	publicURL string
	now       func() time.Time
	// signers admits one RSA signature per core at a time. Waiters on a
	// channel are served in arrival order, so under load requests queue
	// fairly instead of time-slicing 32 signatures over 2 cores, which
	// keeps tail latency near the queue length times one signature. The
	// bound suits both signers: each keeps a core busy for a whole
	// signature; an OpenSSL one runs on a cgo thread whose P the runtime
	// hands to other goroutines, so only this bound stops the kernel from
	// time-slicing more signatures than cores (BenchmarkTokenEndpointSigners
	// in internal/server measures 1 to 4 slots).
	signers chan struct{}
	// onSign, when set, is told how long each signature took (metrics).
	onSign func(time.Duration)
	// verifiers holds a *verify.Verifier per pool (VerifyAccessToken).
	verifiers sync.Map
	// issuers caches IssuerURL per pool for minting (pools that exist:
	// their grants were found), saving the concatenation per token.
	issuers sync.Map
}

// IssuerConfig configures an Issuer.
type IssuerConfig struct {
	Keys *Keys
	// PublicURL is where clients reach the server: tokens name
	// <PublicURL>/<pool ID> as their issuer.
	PublicURL string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Signers is how many tokens are signed at once (0: GOMAXPROCS): the
	// cores the process may use, so that signatures queue in order
	// instead of sharing cores. It suits both signers: each signature
	// keeps one core busy for its whole length, crypto/rsa's or OpenSSL's.
	Signers int
	// OnSign, when set, is told how long each RSA signature takes (not
	// counting the wait for a signing slot), for metrics.
	OnSign func(time.Duration)
}

// NewIssuer returns an issuer for cfg.
func NewIssuer(cfg IssuerConfig) *Issuer {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Signers <= 0 {
		cfg.Signers = runtime.GOMAXPROCS(0)
	}
	return &Issuer{keys: cfg.Keys, publicURL: cfg.PublicURL, now: cfg.Now, signers: make(chan struct{}, cfg.Signers), onSign: cfg.OnSign}
}

// Forget drops a pool's cached keys and Verifier (after the pool is
// deleted).
func (i *Issuer) Forget(poolID string) {
	i.keys.Forget(poolID)
	i.verifiers.Delete(poolID)
	i.issuers.Delete(poolID)
}

// issuerOf is IssuerURL, cached: for pools being minted for.
func (i *Issuer) issuerOf(poolID string) string {
	if v, ok := i.issuers.Load(poolID); ok {
		return v.(string)
	}
	iss := i.IssuerURL(poolID)
	i.issuers.Store(poolID, iss)
	return iss
}

// Keys returns the issuer's key set.
func (i *Issuer) Keys() *Keys { return i.keys }

// IssuerURL is the iss claim of a pool's tokens.
func (i *Issuer) IssuerURL(poolID string) string { return i.publicURL + "/" + poolID }

// MintClientCredentials returns a signed access token with the claims
// Cognito sets for the client credentials grant: sub (the client ID),
// token_use, scope, auth_time, iss, exp, iat, version, jti, client_id.
// It reads no database while the pool's keys are cached.
func (i *Issuer) MintClientCredentials(ctx context.Context, c *cognito.ClientGrant) (string, error) {
	now := i.now().Unix()
	s := getScratch()
	defer s.put()
	// The claims live in the pooled scratch: as an argument of type any
	// they would otherwise be allocated for every token.
	s.cc = clientCredentialsClaims{Sub: c.ClientID, TokenUse: "access", Scope: strings.Join(c.Scopes, " "),
		AuthTime: now, Iss: i.issuerOf(c.PoolID), Exp: now + int64(c.Lifetime/time.Second), Iat: now,
		Version: 2, JTI: cognito.NewUUID(), ClientID: c.ClientID}
	return i.mintWith(ctx, s, c.PoolID, &s.cc, nil, overrideExtras(c.Overrides)) // overrides.go
}

// scratch is the pooled working space of one token: the claims JSON,
// then the JWS and the raw signature, the digest, and the claims struct
// of the client credentials grant (the hot path). Tokens are a few
// hundred bytes to a few kilobytes; a buffer that grew past maxPooled is
// not kept.
type scratch struct {
	payload []byte
	jws     []byte
	digest  [32]byte
	cc      clientCredentialsClaims
}

var scratches = sync.Pool{New: func() any { return &scratch{payload: make([]byte, 0, 1024), jws: make([]byte, 0, 2048)} }}

const maxPooled = 16 << 10

func getScratch() *scratch { return scratches.Get().(*scratch) }

func (s *scratch) put() {
	if cap(s.payload) <= maxPooled && cap(s.jws) <= maxPooled {
		s.cc = clientCredentialsClaims{} // no strings kept alive
		scratches.Put(s)
	}
}

// mint marshals claims, own extras and overrides (see Extras) and signs
// them with the pool's active key.
func (i *Issuer) mint(ctx context.Context, poolID string, claims any, own, overrides Extras) (string, error) {
	s := getScratch()
	defer s.put()
	return i.mintWith(ctx, s, poolID, claims, own, overrides)
}

func (i *Issuer) mintWith(ctx context.Context, s *scratch, poolID string, claims any, own, overrides Extras) (string, error) {
	payload, err := appendClaims(s.payload[:0], claims, own, overrides)
	if err != nil {
		return "", err
	}
	s.payload = payload
	return i.signFor(ctx, s, poolID)
}

// signFor signs s.payload with the pool's active key.
func (i *Issuer) signFor(ctx context.Context, s *scratch, poolID string) (string, error) {
	pk, err := i.keys.pool(ctx, poolID)
	if err != nil {
		return "", err
	}
	return i.signWith(ctx, s, poolID, pk)
}

// signWith signs payload with pk's active key. A key rotated out (and
// its signer closed) since pk was read is retried once with the pool's
// current key, so a request racing a rotation still gets its token.
func (i *Issuer) signWith(ctx context.Context, s *scratch, poolID string, pk *poolKeys) (string, error) {
	jws, err := i.signQueued(ctx, s, pk.active)
	if err == nil || !pk.active.closed.Load() {
		return jws, err
	}
	cur, lerr := i.keys.pool(ctx, poolID)
	if lerr != nil || cur.active.closed.Load() {
		return "", err
	}
	return i.signQueued(ctx, s, cur.active)
}

// signQueued signs through the issuer's fair queue: one signature per
// signing slot, in arrival order.
func (i *Issuer) signQueued(ctx context.Context, s *scratch, k *signingKey) (string, error) {
	select {
	case i.signers <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-i.signers }()
	// The goroutine that just got a signing slot was put first in line to
	// run; yielding once lets the goroutines reading new requests off the
	// network run before it takes the core for a whole signature. With
	// every core signing, they would otherwise wait for the scheduler's
	// 10 ms preemption, which showed as a 60 ms p99 at concurrency 32 on 2
	// cores (25 ms with the yield; see the bench notes in the README).
	runtime.Gosched()
	if i.onSign == nil {
		return sign(k, s)
	}
	start := time.Now()
	jws, err := sign(k, s)
	i.onSign(time.Since(start))
	return jws, err
}

// sign returns the compact JWS of s.payload signed by k, built in s;
// the returned string is its only allocation with a signer that signs
// into a buffer (signTo).
func sign(k *signingKey, s *scratch) (string, error) {
	enc := base64.RawURLEncoding
	sigLen := enc.EncodedLen(k.size)
	// Layout: header "." payload "." base64url(signature), then room for
	// the raw signature past the end.
	need := len(k.header) + 1 + enc.EncodedLen(len(s.payload)) + 1 + sigLen + k.size
	out := slices.Grow(s.jws[:0], need)
	s.jws = out
	out = append(out, k.header...)
	out = append(out, '.')
	out = enc.AppendEncode(out, s.payload)
	s.digest = sha256.Sum256(out)
	out = append(out, '.')
	var sig []byte
	if st, ok := k.signer.(signTo); ok {
		sig = out[len(out)+sigLen : len(out)+sigLen+k.size]
		if err := st.SignTo(sig, &s.digest); err != nil {
			return "", err
		}
	} else {
		var err error
		if sig, err = k.signer.Sign(nil, s.digest[:], crypto.SHA256); err != nil {
			return "", err
		}
	}
	if len(sig) != k.size {
		return "", fmt.Errorf("token: signer returned %d bytes, want %d", len(sig), k.size)
	}
	out = enc.AppendEncode(out, sig)
	return string(out), nil
}
