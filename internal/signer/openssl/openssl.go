//go:build cgo && !noopenssl

package openssl

/*
#cgo LDFLAGS: -lcrypto
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

// cog_error returns the oldest queued OpenSSL error of this thread and
// clears the queue. The queue is per thread and successive cgo calls may
// run on different threads, so it is read inside the call that failed.
static unsigned long cog_error(void) {
	unsigned long e = ERR_get_error();
	ERR_clear_error();
	return e;
}

// The components of an RSA private key, big-endian, in the order of
// names[] below: n, e public; the rest private.
enum { NCOMP = 8 };
static const char *names[NCOMP] = {
	OSSL_PKEY_PARAM_RSA_N, OSSL_PKEY_PARAM_RSA_E, OSSL_PKEY_PARAM_RSA_D,
	OSSL_PKEY_PARAM_RSA_FACTOR1, OSSL_PKEY_PARAM_RSA_FACTOR2,
	OSSL_PKEY_PARAM_RSA_EXPONENT1, OSSL_PKEY_PARAM_RSA_EXPONENT2,
	OSSL_PKEY_PARAM_RSA_COEFFICIENT1,
};

// cog_new_pkey builds an RSA EVP_PKEY from its components. The private
// components go into BIGNUMs made with BN_secure_new, so that
// OSSL_PARAM_BLD puts them in the parameter block OSSL_PARAM_free clears
// (OPENSSL_secure_clear_free; without a secure heap that is a cleared
// ordinary allocation), and each BIGNUM is BN_clear_free'd: once this
// returns, the EVP_PKEY holds the only C copy of the key.
static EVP_PKEY *cog_new_pkey(const unsigned char *comp[NCOMP], const int len[NCOMP], unsigned long *err) {
	BIGNUM *bn[NCOMP] = {0};
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;
	int i;
	for (i = 0; i < NCOMP; i++) {
		bn[i] = i < 2 ? BN_new() : BN_secure_new();
		if (bn[i] == NULL || BN_bin2bn(comp[i], len[i], bn[i]) == NULL) goto done;
	}
	if ((bld = OSSL_PARAM_BLD_new()) == NULL) goto done;
	for (i = 0; i < NCOMP; i++) {
		if (!OSSL_PARAM_BLD_push_BN(bld, names[i], bn[i])) goto done;
	}
	if ((params = OSSL_PARAM_BLD_to_param(bld)) == NULL) goto done;
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) == NULL) goto done;
	if (EVP_PKEY_fromdata_init(ctx) <= 0 || EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_KEYPAIR, params) <= 0) {
		pkey = NULL;
	}
done:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	for (i = 0; i < NCOMP; i++) BN_clear_free(bn[i]);
	*err = pkey == NULL ? cog_error() : 0;
	return pkey;
}

// cog_sign_ctx makes a signing context for pkey, initialized for RS256
// (PKCS#1 v1.5 padding over SHA-256), or returns NULL with the OpenSSL
// error in err. Making one costs a provider fetch under OpenSSL 3's
// global locks (a tenth of a signature's time with two threads signing),
// so Signer keeps them for reuse. A context is used by one signature at
// a time; the EVP_PKEY itself is only read.
static EVP_PKEY_CTX *cog_sign_ctx(EVP_PKEY *pkey, unsigned long *err) {
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
	if (ctx == NULL || EVP_PKEY_sign_init(ctx) <= 0 || EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) <= 0 ||
	    EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) <= 0) {
		EVP_PKEY_CTX_free(ctx);
		*err = cog_error();
		if (*err == 0) *err = 1;
		return NULL;
	}
	*err = 0;
	return ctx;
}

// cog_sign signs a SHA-256 digest with ctx into sig, which is exactly the
// key's size. It returns 0, or the OpenSSL error (1 when none was
// queued). The error is the return value, not an out parameter, so that
// no Go memory but the buffers is passed (an out parameter would escape
// to the heap on every signature).
static unsigned long cog_sign(EVP_PKEY_CTX *ctx, const unsigned char *digest, unsigned char *sig, size_t siglen) {
	size_t n = siglen;
	if (EVP_PKEY_sign(ctx, sig, &n, digest, 32) <= 0 || n != siglen) {
		unsigned long err = cog_error();
		return err == 0 ? 1 : err;
	}
	return 0;
}
*/
import "C"

import (
	"crypto"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"math/big"
	"runtime"
	"sync"
	"unsafe"
)

// Available reports whether OpenSSL signing works in this binary: nil
// when the linked libcrypto is OpenSSL 3 or later.
func Available() error {
	if v := uint64(C.OpenSSL_version_num()); v < 0x30000000 {
		return fmt.Errorf("openssl: libcrypto %s is older than 3.0", Version())
	}
	return nil
}

// Version is the version string of the libcrypto in use.
func Version() string { return C.GoString(C.OpenSSL_version(C.OPENSSL_VERSION)) }

// handle owns one EVP_PKEY and the signing contexts made for it. It is
// apart from Signer so that the cleanup the garbage collector runs for an
// unreachable Signer can reach it (runtime.AddCleanup's argument must not
// keep the Signer alive).
type handle struct {
	// mu is read-locked for the length of each signature and locked to
	// free the key, so that Close never frees a key a signature is using.
	mu   sync.RWMutex
	pkey *C.EVP_PKEY
	// idle holds signing contexts between signatures, at most maxIdle of
	// them: as many as signatures run at once, in practice.
	idleMu  sync.Mutex
	idle    []*C.EVP_PKEY_CTX
	maxIdle int
}

// context returns an idle signing context, or makes one. The caller holds
// mu read-locked, with pkey not nil.
func (h *handle) context() (*C.EVP_PKEY_CTX, error) {
	h.idleMu.Lock()
	if n := len(h.idle); n > 0 {
		ctx := h.idle[n-1]
		h.idle = h.idle[:n-1]
		h.idleMu.Unlock()
		return ctx, nil
	}
	h.idleMu.Unlock()
	var cerr C.ulong
	ctx := C.cog_sign_ctx(h.pkey, &cerr)
	if ctx == nil {
		return nil, fmt.Errorf("openssl: signing context: error %#x", uint64(cerr))
	}
	return ctx, nil
}

// release keeps ctx for the next signature, or frees it when enough are
// idle. A context whose signature failed is freed, in case the failure
// left it in a state the next one should not inherit.
func (h *handle) release(ctx *C.EVP_PKEY_CTX, failed bool) {
	h.idleMu.Lock()
	if !failed && len(h.idle) < h.maxIdle {
		h.idle = append(h.idle, ctx)
		ctx = nil
	}
	h.idleMu.Unlock()
	if ctx != nil {
		C.EVP_PKEY_CTX_free(ctx)
	}
}

func (h *handle) free() {
	h.mu.Lock()
	if h.pkey != nil {
		// The contexts hold references to the key: freed first, so that
		// EVP_PKEY_free releases the last one and frees the RSA key with
		// BN_clear_free on its private components (the key material is
		// overwritten).
		h.idleMu.Lock()
		for _, ctx := range h.idle {
			C.EVP_PKEY_CTX_free(ctx)
		}
		h.idle = nil
		h.idleMu.Unlock()
		C.EVP_PKEY_free(h.pkey)
		h.pkey = nil
	}
	h.mu.Unlock()
}

// Signer signs RS256 with one RSA key through libcrypto. It is safe for
// concurrent use. Its C copy of the private key lives until Close, or
// until the Signer is garbage (whichever is first): the owner closes it
// when the key is retired, and the cleanup covers a Signer dropped
// without Close.
type Signer struct {
	pub    rsa.PublicKey
	size   int
	h      *handle
	closed sync.Once
}

// New builds a Signer over a copy of priv in libcrypto. priv must be a
// two-prime key (every key crypto/rsa and cognitod generate).
func New(priv *rsa.PrivateKey) (*Signer, error) {
	if err := Available(); err != nil {
		return nil, err
	}
	if len(priv.Primes) != 2 {
		return nil, fmt.Errorf("openssl: RSA key with %d primes, want 2", len(priv.Primes))
	}
	p, q, d := priv.Primes[0], priv.Primes[1], priv.D
	one := big.NewInt(1)
	dp := new(big.Int).Mod(d, new(big.Int).Sub(p, one))
	dq := new(big.Int).Mod(d, new(big.Int).Sub(q, one))
	qinv := new(big.Int).ModInverse(q, p)
	if qinv == nil {
		return nil, errors.New("openssl: invalid RSA key")
	}
	nums := [C.NCOMP]*big.Int{priv.N, big.NewInt(int64(priv.E)), d, p, q, dp, dq, qinv}
	// One C buffer for the components (cgo may not pass Go memory that
	// holds Go pointers, and C.malloc'd memory can be cleared for sure):
	// it is zeroed and freed before New returns.
	total := 0
	for _, n := range nums {
		if n == nil {
			return nil, errors.New("openssl: incomplete RSA key")
		}
		total += (n.BitLen() + 7) / 8
	}
	buf := unsafe.Slice((*byte)(C.malloc(C.size_t(total+1))), total+1)
	defer func() {
		clear(buf)
		C.free(unsafe.Pointer(&buf[0]))
	}()
	var comp [C.NCOMP]*C.uchar
	var lens [C.NCOMP]C.int
	off := 0
	for i, n := range nums {
		l := (n.BitLen() + 7) / 8
		n.FillBytes(buf[off : off+l])
		comp[i], lens[i] = (*C.uchar)(unsafe.Pointer(&buf[off])), C.int(l)
		off += l
	}
	// comp is a Go array of C pointers, passed by address: allowed (the
	// memory it points into is C's).
	var cerr C.ulong
	pkey := C.cog_new_pkey(&comp[0], &lens[0], &cerr)
	if pkey == nil {
		return nil, fmt.Errorf("openssl: load RSA key: error %#x", uint64(cerr))
	}
	s := &Signer{pub: priv.PublicKey, size: priv.Size(), h: &handle{pkey: pkey, maxIdle: 2 * runtime.GOMAXPROCS(0)}}
	runtime.AddCleanup(s, (*handle).free, s.h)
	return s, nil
}

// Public returns the public key.
func (s *Signer) Public() crypto.PublicKey { return &s.pub }

// Sign signs a SHA-256 digest with PKCS#1 v1.5 padding; opts must name
// crypto.SHA256 and not be PSS. rand is not used: the padding is
// deterministic and libcrypto blinds with its own generator.
func (s *Signer) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	if _, pss := opts.(*rsa.PSSOptions); pss || opts.HashFunc() != crypto.SHA256 {
		return nil, errors.New("openssl: only PKCS#1 v1.5 with SHA-256 is supported")
	}
	if len(digest) != 32 {
		return nil, errors.New("openssl: digest is not 32 bytes")
	}
	sig := make([]byte, s.size)
	if err := s.SignTo(sig, (*[32]byte)(digest)); err != nil {
		return nil, err
	}
	return sig, nil
}

// SignTo writes the RS256 signature of digest into sig, which must be
// exactly the key's size: the allocation-free form of Sign.
func (s *Signer) SignTo(sig []byte, digest *[32]byte) error {
	if len(sig) != s.size {
		return fmt.Errorf("openssl: signature buffer of %d bytes, want %d", len(sig), s.size)
	}
	// digest and sig are Go memory without Go pointers in it, which cgo
	// lets C read and write for the length of the call.
	s.h.mu.RLock()
	defer s.h.mu.RUnlock()
	if s.h.pkey == nil {
		return ErrClosed
	}
	ctx, err := s.h.context()
	if err != nil {
		return err
	}
	cerr := C.cog_sign(ctx, (*C.uchar)(unsafe.Pointer(&digest[0])), (*C.uchar)(unsafe.Pointer(&sig[0])), C.size_t(len(sig)))
	s.h.release(ctx, cerr != 0)
	runtime.KeepAlive(s) // the cleanup must not run while the key is in use
	if cerr != 0 {
		return fmt.Errorf("openssl: sign: error %#x", uint64(cerr))
	}
	return nil
}

// Close frees the C copy of the private key, waiting for signatures in
// progress; Sign fails afterwards. It is safe to call more than once.
func (s *Signer) Close() error {
	s.closed.Do(s.h.free)
	return nil
}
