package token

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

// KeyBits is the size of every signing key, as Cognito's.
const KeyBits = 2048

// MaxTokenLifetime is the longest an access or ID token lives (one day,
// Cognito's maximum). A retired key stays in the JWKS this long after it
// stopped signing, so every token it signed verifies until it expires.
const MaxTokenLifetime = 24 * time.Hour

// cacheTTL bounds how long a process signs with keys it read without
// looking again: another process (cognitod keys rotate, a second
// instance) may have rotated them. Both keys involved in a rotation are in
// the JWKS, so signing with either during this window is valid.
const cacheTTL = 10 * time.Second

// Keys is the set of per-pool signing keys. It is safe for concurrent use.
type Keys struct {
	store  cognito.Store
	sealer *cognito.Sealer
	now    func() time.Time
	// generate makes a new private key; tests may replace it.
	generate func() (*rsa.PrivateKey, error)
	// newSigner wraps the active key for signing (GoSigner or
	// internal/signer/openssl).
	newSigner NewSigner

	// gen advances when another process may have changed the keys
	// (Invalidate); an entry read at an older gen is reloaded.
	gen   atomic.Uint64
	mu    sync.Mutex
	pools map[string]*poolKeys
	// creating serializes the creation of first keys, so that a burst of
	// requests for a keyless pool makes one pair, not one per request.
	creating sync.Mutex
}

// NewSigner makes the crypto.Signer a pool's active key signs with. The
// signer must produce RS256 (PKCS#1 v1.5, SHA-256) signatures of the
// key's size. If it is an io.Closer, it is closed when the key stops
// signing in this process (rotated out, its pool forgotten): a signer
// that copies the key elsewhere (OpenSSL's C memory) frees the copy then.
type NewSigner func(*rsa.PrivateKey) (crypto.Signer, error)

// GoSigner signs with crypto/rsa: the key itself.
func GoSigner(k *rsa.PrivateKey) (crypto.Signer, error) { return k, nil }

// signTo is implemented by signers that write a signature into a buffer
// of the key's size without allocating (internal/signer/openssl).
type signTo interface {
	SignTo(sig []byte, digest *[32]byte) error
}

// signingKey is a parsed, ready-to-sign key.
type signingKey struct {
	kid    string
	signer crypto.Signer
	size   int    // signature length in bytes
	header string // base64url of {"kid":"…","alg":"RS256"}, the JWS header
	// closed is set when the key stops signing here; a signature that
	// fails after it is retried with the pool's current key.
	closed atomic.Bool
}

// close releases the signer's resources, if it holds any. A signature
// in progress with it finishes first (internal/signer/openssl's Close
// waits); one that starts later fails and Issuer.sign retries it with the
// pool's new entry, so a request racing a rotation is not refused.
func (sk *signingKey) close() {
	sk.closed.Store(true)
	if c, ok := sk.signer.(io.Closer); ok {
		c.Close()
	}
}

type poolKeys struct {
	loaded time.Time
	gen    uint64 // Keys.gen when the read began
	active *signingKey
	jwks   []byte
	// public holds every published key by kid, to check tokens with.
	public map[string]*rsa.PublicKey
	// private holds the parsed private keys by kid, so that a reload
	// unseals and parses only keys it has not seen.
	private map[string]*rsa.PrivateKey
	// reloading is set while one caller reloads this stale entry.
	reloading atomic.Bool
}

// NewKeys returns a key set over store whose active keys sign through
// newSigner (nil: GoSigner).
func NewKeys(store cognito.Store, sealer *cognito.Sealer, now func() time.Time, newSigner NewSigner) *Keys {
	if now == nil {
		now = time.Now
	}
	if newSigner == nil {
		newSigner = GoSigner
	}
	return &Keys{store: store, sealer: sealer, now: now, pools: map[string]*poolKeys{}, newSigner: newSigner,
		generate: func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, KeyBits) }}
}

func keyPurpose(poolID, kid string) string { return "signing-key:" + poolID + ":" + kid }

// keyID derives a kid from the public key: base64 of its SHA-256, the
// shape of Cognito's kids.
func keyID(pub *rsa.PublicKey) string {
	der, _ := x509.MarshalPKIXPublicKey(pub)
	sum := sha256.Sum256(der)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// newStoredKey generates a key pair and seals it for the store.
func (k *Keys) newStoredKey(poolID, status string) (*cognito.SigningKey, error) {
	priv, err := k.generate()
	if err != nil {
		return nil, fmt.Errorf("token: generate key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, err
	}
	kid := keyID(&priv.PublicKey)
	return &cognito.SigningKey{UserPoolID: poolID, KID: kid, Status: status,
		SealedPrivateKey: k.sealer.Seal(keyPurpose(poolID, kid), der), CreationDate: k.now().UTC()}, nil
}

// errNoKeys: a pool has no keys, and the caller may not create them.
var errNoKeys = errors.New("token: the pool has no signing keys")

// existing returns the pool's keys without ever creating any: for checking
// tokens, where the pool ID comes from an unverified claim.
func (k *Keys) existing(ctx context.Context, poolID string) (*poolKeys, error) {
	return k.load(ctx, poolID, false)
}

// pool returns the pool's keys, creating a pool's first pair: for
// signing.
func (k *Keys) pool(ctx context.Context, poolID string) (*poolKeys, error) {
	return k.load(ctx, poolID, true)
}

// load returns the pool's keys from the cache, reading them again when
// the cache has none or they are older than cacheTTL. A pool without keys
// gets its first pair when create is set, and is errNoKeys otherwise.
func (k *Keys) load(ctx context.Context, poolID string, create bool) (*poolKeys, error) {
	k.mu.Lock()
	pk := k.pools[poolID]
	k.mu.Unlock()
	gen := k.gen.Load()
	if pk != nil && pk.gen == gen && k.now().Sub(pk.loaded) < cacheTTL {
		return pk, nil
	}
	// One caller reloads a stale entry; the others go on with it for the
	// few milliseconds that takes, rather than each read and parse the
	// same rows. Rotation drops the entry, so it is never stale across a
	// rotation made by this process; another process's rotation signs
	// with the next key, which every process already publishes.
	if pk != nil && !pk.reloading.CompareAndSwap(false, true) {
		return pk, nil
	}
	fresh, err := k.reload(ctx, poolID, create, pk)
	if err != nil {
		if pk != nil {
			pk.reloading.Store(false)
			if errors.Is(err, cognito.ErrStoreUnavailable) {
				// The database is down: the keys read before it went
				// down are the best there are (no rotation can commit
				// meanwhile), so signing and the JWKS go on from memory
				// and the next caller tries the store again.
				return pk, nil
			}
		}
		return nil, err
	}
	fresh.gen = gen
	k.mu.Lock()
	if cur := k.pools[poolID]; cur != nil && cur != pk {
		// Another caller installed an entry meanwhile (first loads of a
		// pool race): callers may already sign with its signer, so it
		// stays, and ours, which no one else has seen, is closed.
		k.mu.Unlock()
		if pk == nil || fresh.active != pk.active {
			fresh.active.close()
		}
		return cur, nil
	}
	k.pools[poolID] = fresh
	k.mu.Unlock()
	if pk != nil && pk.active != fresh.active {
		// The active key changed (another process rotated): callers
		// still holding pk retry with fresh (Issuer.signWith).
		pk.active.close()
	}
	return fresh, nil
}

// reload reads the pool's keys from the store, reusing what prev (which
// may be nil) already parsed.
func (k *Keys) reload(ctx context.Context, poolID string, create bool, prev *poolKeys) (*poolKeys, error) {
	stored, err := k.store.ListSigningKeys(ctx, poolID)
	if err != nil {
		return nil, err
	}
	if !hasActive(stored) {
		if !create {
			return nil, errNoKeys
		}
		k.creating.Lock()
		stored, err = k.store.ListSigningKeys(ctx, poolID)
		if err == nil && !hasActive(stored) {
			stored, err = k.createFirstKeys(ctx, poolID)
		}
		k.creating.Unlock()
		if err != nil {
			return nil, err
		}
	}
	return k.parse(poolID, stored, prev)
}

// openKey unseals and parses a stored private key.
func (k *Keys) openKey(poolID string, sk *cognito.SigningKey) (*rsa.PrivateKey, error) {
	der, err := k.sealer.Open(keyPurpose(poolID, sk.KID), sk.SealedPrivateKey)
	if err != nil {
		return nil, err
	}
	parsed, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("token: key %s of %s: %w", sk.KID, poolID, err)
	}
	priv, ok := parsed.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("token: key %s of %s is not RSA", sk.KID, poolID)
	}
	priv.Precompute()
	return priv, nil
}

func hasActive(keys []*cognito.SigningKey) bool {
	for _, sk := range keys {
		if sk.Status == cognito.KeyActive {
			return true
		}
	}
	return false
}

// createFirstKeys gives a pool its active and next keys. Keys are made
// before the transaction (RSA generation is slow); if another instance got
// there first, its keys win and ours are dropped.
func (k *Keys) createFirstKeys(ctx context.Context, poolID string) ([]*cognito.SigningKey, error) {
	active, err := k.newStoredKey(poolID, cognito.KeyActive)
	if err != nil {
		return nil, err
	}
	next, err := k.newStoredKey(poolID, cognito.KeyNext)
	if err != nil {
		return nil, err
	}
	err = k.store.Update(ctx, func(tx cognito.Tx) error {
		existing, err := tx.ListSigningKeys(ctx, poolID)
		if err != nil || hasActive(existing) {
			return err
		}
		if err := tx.CreateSigningKey(ctx, active); err != nil {
			return err
		}
		if err := tx.CreateSigningKey(ctx, next); err != nil {
			return err
		}
		return tx.BumpGeneration(ctx)
	})
	if errors.Is(err, cognito.ErrAlreadyExists) {
		err = nil // another instance created them concurrently
	}
	if err != nil {
		return nil, err
	}
	return k.store.ListSigningKeys(ctx, poolID)
}

// parse opens the sealed keys and builds the JWKS: the active and next
// keys, and retired keys whose tokens may still be live.
func (k *Keys) parse(poolID string, stored []*cognito.SigningKey, prev *poolKeys) (*poolKeys, error) {
	pk := &poolKeys{loaded: k.now(), public: map[string]*rsa.PublicKey{}, private: map[string]*rsa.PrivateKey{}}
	var jwks jwkSet
	for _, sk := range stored {
		// Another process may sign with a key for up to cacheTTL after
		// retiring it, so it stays published that much longer.
		if sk.Status == cognito.KeyRetired && k.now().Sub(sk.RetiredAt) > MaxTokenLifetime+cacheTTL {
			continue
		}
		var priv *rsa.PrivateKey
		if prev != nil {
			priv = prev.private[sk.KID]
		}
		if priv == nil {
			var err error
			if priv, err = k.openKey(poolID, sk); err != nil {
				return nil, err
			}
		}
		pk.private[sk.KID] = priv
		jwks.Keys = append(jwks.Keys, publicJWK(sk.KID, &priv.PublicKey))
		pk.public[sk.KID] = &priv.PublicKey
		if sk.Status != cognito.KeyActive {
			continue
		}
		if prev != nil && prev.active.kid == sk.KID {
			pk.active = prev.active // a reload keeps the signer it had
			continue
		}
		signer, err := k.newSigner(priv)
		if err != nil {
			return nil, fmt.Errorf("token: signer for key %s of %s: %w", sk.KID, poolID, err)
		}
		header, _ := json.Marshal(struct {
			KID string `json:"kid"`
			Alg string `json:"alg"`
		}{sk.KID, "RS256"})
		h := base64.RawURLEncoding.EncodeToString(header)
		pk.active = &signingKey{kid: sk.KID, signer: signer, size: priv.Size(), header: h}
	}
	if pk.active == nil {
		return nil, fmt.Errorf("token: pool %s has no active signing key", poolID)
	}
	var err error
	pk.jwks, err = json.Marshal(jwks)
	return pk, err
}

type jwkSet struct {
	Keys []jwk `json:"keys"`
}

// jwk is a public key as Cognito's JWKS lists it.
type jwk struct {
	Alg string `json:"alg"`
	E   string `json:"e"`
	KID string `json:"kid"`
	Kty string `json:"kty"`
	N   string `json:"n"`
	Use string `json:"use"`
}

func publicJWK(kid string, pub *rsa.PublicKey) jwk {
	return jwk{Alg: "RS256", Kty: "RSA", Use: "sig", KID: kid,
		E: base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
		N: base64.RawURLEncoding.EncodeToString(pub.N.Bytes())}
}

// Ensure makes sure the pool has its active and next keys, creating them
// if it has none.
func (k *Keys) Ensure(ctx context.Context, poolID string) error {
	_, err := k.pool(ctx, poolID)
	return err
}

// JWKS returns the pool's JSON Web Key Set document.
func (k *Keys) JWKS(ctx context.Context, poolID string) ([]byte, error) {
	pk, err := k.pool(ctx, poolID)
	if err != nil {
		return nil, err
	}
	return pk.jwks, nil
}

// Rotate retires the pool's active key, promotes the next key, and creates
// a new next key. Retired keys older than MaxTokenLifetime are deleted.
// It returns the kid that now signs.
func (k *Keys) Rotate(ctx context.Context, poolID string) (string, error) {
	if _, err := k.pool(ctx, poolID); err != nil { // a pool without keys gets them first
		return "", err
	}
	fresh, err := k.newStoredKey(poolID, cognito.KeyNext)
	if err != nil {
		return "", err
	}
	var promoted string
	err = k.store.Update(ctx, func(tx cognito.Tx) error {
		keys, err := tx.ListSigningKeys(ctx, poolID)
		if err != nil {
			return err
		}
		now := k.now().UTC()
		var active, next *cognito.SigningKey
		for _, sk := range keys {
			switch {
			case sk.Status == cognito.KeyActive:
				active = sk
			case sk.Status == cognito.KeyNext:
				next = sk
			case now.Sub(sk.RetiredAt) > MaxTokenLifetime+cacheTTL:
				if err := tx.DeleteSigningKey(ctx, poolID, sk.KID); err != nil {
					return err
				}
			}
		}
		if active == nil || next == nil {
			return fmt.Errorf("token: pool %s lacks an active or next key", poolID)
		}
		active.Status, active.RetiredAt = cognito.KeyRetired, now
		if err := tx.UpdateSigningKey(ctx, active); err != nil {
			return err
		}
		next.Status = cognito.KeyActive
		if err := tx.UpdateSigningKey(ctx, next); err != nil {
			return err
		}
		promoted = next.KID
		if err := tx.CreateSigningKey(ctx, fresh); err != nil {
			return err
		}
		return tx.BumpGeneration(ctx) // other instances reload their keys
	})
	if err != nil {
		return "", err
	}
	k.drop(poolID)
	return promoted, nil
}

// Invalidate makes every cached pool reload its keys on next use: the
// store's generation changed, so another process may have rotated them.
// It costs the signing path one atomic load.
func (k *Keys) Invalidate() { k.gen.Add(1) }

// Forget drops a pool's cached keys (after the pool is deleted).
func (k *Keys) Forget(poolID string) { k.drop(poolID) }

// drop removes a pool's cached keys and closes its signer (see
// signingKey.close).
func (k *Keys) drop(poolID string) {
	k.mu.Lock()
	pk := k.pools[poolID]
	delete(k.pools, poolID)
	k.mu.Unlock()
	if pk != nil {
		pk.active.close()
	}
}
