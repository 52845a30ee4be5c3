package token

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"runtime"
	"strconv"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

// Issuer mints tokens for every pool, with issuer <public URL>/<pool ID>.
// It is safe for concurrent use.
type Issuer struct {
	keys      *Keys
	publicURL string
	now       func() time.Time
	// signers admits one RSA signature per P at a time. Waiters on a
	// channel are served in arrival order, so under load requests queue
	// fairly instead of time-slicing 32 signatures over 2 cores, which
	// keeps tail latency near the queue length times one signature.
	signers chan struct{}
	// onSign, when set, is told how long each signature took (metrics).
	onSign func(time.Duration)
}

// NewIssuer returns an issuer whose tokens name publicURL. It signs at
// most signers tokens at once (0: GOMAXPROCS): the number of cores the
// process may use, so that signatures queue in order instead of sharing
// cores.
func NewIssuer(keys *Keys, publicURL string, now func() time.Time, signers int) *Issuer {
	if now == nil {
		now = time.Now
	}
	if signers <= 0 {
		signers = runtime.GOMAXPROCS(0)
	}
	return &Issuer{keys: keys, publicURL: publicURL, now: now, signers: make(chan struct{}, signers)}
}

// OnSign has fn told how long each RSA signature takes (not counting the
// wait for a signing slot). Call it before the issuer is used.
func (i *Issuer) OnSign(fn func(time.Duration)) { i.onSign = fn }

// Keys returns the issuer's key set.
func (i *Issuer) Keys() *Keys { return i.keys }

// IssuerURL is the iss claim of a pool's tokens.
func (i *Issuer) IssuerURL(poolID string) string { return i.publicURL + "/" + poolID }

// MintClientCredentials returns a signed access token with the claims
// Cognito sets for the client credentials grant: sub (the client ID),
// token_use, scope, auth_time, iss, exp, iat, version, jti, client_id.
// It reads no database while the pool's keys are cached.
func (i *Issuer) MintClientCredentials(ctx context.Context, c *cognito.ClientGrant) (string, error) {
	pk, err := i.keys.pool(ctx, c.PoolID)
	if err != nil {
		return "", err
	}
	now := i.now().Unix()
	exp := now + int64(c.Lifetime/time.Second)

	// The payload is written by hand: encoding/json's reflection would
	// cost more than everything but the signature.
	p := make([]byte, 0, 384)
	p = append(p, `{"sub":`...)
	p = appendJSONString(p, c.ClientID)
	p = append(p, `,"token_use":"access","scope":"`...)
	for n, s := range c.Scopes {
		if n > 0 {
			p = append(p, ' ')
		}
		p = appendJSONStringBody(p, s)
	}
	p = append(p, `","auth_time":`...)
	p = strconv.AppendInt(p, now, 10)
	p = append(p, `,"iss":`...)
	p = appendJSONString(p, i.IssuerURL(c.PoolID))
	p = append(p, `,"exp":`...)
	p = strconv.AppendInt(p, exp, 10)
	p = append(p, `,"iat":`...)
	p = strconv.AppendInt(p, now, 10)
	p = append(p, `,"version":2,"jti":"`...)
	p = cognito.AppendUUID(p)
	p = append(p, `","client_id":`...)
	p = appendJSONString(p, c.ClientID)
	p = append(p, '}')
	if c.Overrides != nil {
		if p, err = applyOverrides(p, c.Overrides); err != nil { // overrides.go
			return "", err
		}
	}
	return i.signQueued(ctx, pk.active, p)
}

// signQueued signs through the issuer's fair queue: one signature per
// core, in arrival order.
func (i *Issuer) signQueued(ctx context.Context, k *signingKey, payload []byte) (string, error) {
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
		return sign(k, payload)
	}
	start := time.Now()
	jws, err := sign(k, payload)
	i.onSign(time.Since(start))
	return jws, err
}

// sign returns the compact JWS of payload signed by k.
func sign(k *signingKey, payload []byte) (string, error) {
	enc := base64.RawURLEncoding
	sigLen := enc.EncodedLen(k.key.Size())
	out := make([]byte, 0, len(k.header)+1+enc.EncodedLen(len(payload))+1+sigLen)
	out = append(out, k.header...)
	out = append(out, '.')
	out = enc.AppendEncode(out, payload)
	digest := sha256.Sum256(out)
	sig, err := rsa.SignPKCS1v15(nil, k.key, crypto.SHA256, digest[:])
	if err != nil {
		return "", err
	}
	out = append(out, '.')
	out = enc.AppendEncode(out, sig)
	return string(out), nil
}

func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	b = appendJSONStringBody(b, s)
	return append(b, '"')
}

// appendJSONStringBody escapes s for the inside of a JSON string.
func appendJSONStringBody(b []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		default:
			b = append(b, c)
		}
	}
	return b
}
