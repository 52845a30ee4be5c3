package oauth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The hosted sign-in form's CSRF defence. The browser holds a random
// nonce in the XSRF-TOKEN cookie; the form carries a token the server
// minted: expiry || HMAC(key, pool, nonce, expiry), under a key derived
// from the master key for this purpose only. A token is good for one
// pool, one browser nonce and csrfLifetime; a value the server never
// issued, one minted for another pool, one paired with another nonce (a
// cookie tossed in from a sibling host or port) or an expired one is
// refused. On top, the POST must not say it comes from another site
// (sameSiteRequest).

const (
	// csrfLifetime is how long a sign-in form stays usable: the session
	// cookie's hour, so that a form left open as long as a session lasts
	// still works.
	csrfLifetime = time.Hour
	// nonceLen is the length of a randomToken: 32 bytes, base64url.
	nonceLen = 43
	// csrfTokenLen is 8 bytes of expiry and a 32-byte HMAC, base64url.
	csrfTokenLen   = 54
	csrfKeyPurpose = "cognitod hosted csrf v1"
)

func (h *Handler) csrfMAC(poolID, nonce string, expires int64) []byte {
	m := hmac.New(sha256.New, h.csrfKey)
	var n [8]byte
	// Each field is length-prefixed, so no two (pool, nonce) pairs share
	// an input.
	for _, f := range []string{poolID, nonce} {
		binary.BigEndian.PutUint64(n[:], uint64(len(f)))
		m.Write(n[:])
		m.Write([]byte(f))
	}
	binary.BigEndian.PutUint64(n[:], uint64(expires))
	m.Write(n[:])
	return m.Sum(nil)
}

// mintCSRF returns a form token for the pool and browser nonce.
func (h *Handler) mintCSRF(poolID, nonce string) string {
	exp := h.now().Add(csrfLifetime).Unix()
	b := binary.BigEndian.AppendUint64(make([]byte, 0, 40), uint64(exp))
	return base64.RawURLEncoding.EncodeToString(append(b, h.csrfMAC(poolID, nonce, exp)...))
}

// checkCSRF reports whether token was minted by this server for the pool
// and nonce and has not expired. The MAC is compared in constant time.
func (h *Handler) checkCSRF(poolID, nonce, token string) bool {
	if len(nonce) != nonceLen || len(token) != csrfTokenLen {
		return false
	}
	// Strict: the last character's spare bits must be zero, so one MAC has
	// one spelling.
	raw, err := base64.RawURLEncoding.Strict().DecodeString(token)
	if err != nil || len(raw) != 40 {
		return false
	}
	exp := int64(binary.BigEndian.Uint64(raw[:8]))
	ok := hmac.Equal(raw[8:], h.csrfMAC(poolID, nonce, exp))
	return ok && h.now().Unix() <= exp
}

// browserNonce returns the request's XSRF-TOKEN nonce, setting a new one
// when it has none of the right shape.
func (h *Handler) browserNonce(w http.ResponseWriter, r *http.Request, poolID string) string {
	if c, err := r.Cookie(csrfCookie); err == nil && validNonce(c.Value) {
		return c.Value
	}
	nonce := randomToken()
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: nonce, Path: h.cookiePath(r, poolID), HttpOnly: true, Secure: h.secure(), SameSite: http.SameSiteLaxMode})
	return nonce
}

func validNonce(s string) bool {
	if len(s) != nonceLen {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil
}

// sameSiteRequest refuses a state-changing request that a browser says
// comes from elsewhere. The hosted form posts to its own URL, so a real
// sign-in is always same-origin:
//   - Sec-Fetch-Site "cross-site" and also "same-site" are refused.
//     Same-site covers sibling hosts and ports: another pool's domain host
//     under the same suffix, or another app on localhost:<port>, which can
//     also toss cookies into this host; none of them has a reason to post
//     this form.
//   - An Origin header must be the request's own origin or the public
//     URL's. "null" (an opaque origin: sandboxed frames, or a page whose
//     referrer policy hides its origin) passes only when Sec-Fetch-Site
//     vouches for same-origin.
//   - A request with neither header (curl, scripts written for Cognito's
//     hosted UI) passes: it is not a browser another site can drive.
func (h *Handler) sameSiteRequest(r *http.Request) bool {
	site := r.Header.Get("Sec-Fetch-Site")
	if site != "" && site != "same-origin" && site != "none" {
		return false
	}
	origin := r.Header.Get("Origin")
	switch {
	case origin == "":
		return true
	case origin == "null":
		return site == "same-origin"
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || u.Path != "" || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	return strings.EqualFold(u.Scheme, h.publicURL.Scheme) && strings.EqualFold(u.Host, h.publicURL.Host)
}
