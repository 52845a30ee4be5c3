package oauth

import (
	"net/http"
	"net/url"
	"strconv"
	"sync"

	"github.com/cognitod/cognitod/internal/cognito"
)

// The hosted pages' branding (SetUICustomization): the client's
// customization, else the pool's default (cognito.EffectiveUICustomization).
// Its CSS is never put into a page: the pages link /_static/custom.css,
// which serves only the CSS cognito.ParseHostedCSS read and
// cognito.HostedCSS wrote back out (Cognito's customizable classes and
// properties, values from a small grammar). The logo is served from
// /_static/logo with the media type sniffed when it was set, and nosniff.
// Both URLs carry the content's version, so that browsers may cache them.

// maxClientIDLen bounds a client_id query parameter (ClientIdType).
const maxClientIDLen = 128

// branding returns the custom stylesheet's and the logo's URLs for a
// client's pages, "" for none. A store failure shows the default look.
func (h *Handler) branding(r *http.Request, poolID, clientID string) (css, logo string) {
	c, err := h.svc.EffectiveUICustomization(r.Context(), poolID, clientID)
	if err != nil {
		h.logger.WarnContext(r.Context(), "hosted UI customization unavailable", "err", err)
		return "", ""
	}
	if c == nil {
		return "", ""
	}
	q := url.Values{"client_id": {c.ClientID}, "v": {cognito.UICustomizationVersion(c)}}.Encode()
	b := base(r, poolID)
	if c.CSS != "" {
		css = b + "/_static/custom.css?" + q
	}
	if len(c.Image) > 0 {
		logo = b + "/_static/logo?" + q
	}
	return css, logo
}

// customization returns the customization a static request names.
func (h *Handler) customization(r *http.Request, poolID string) (*cognito.UICustomization, error) {
	id := r.URL.Query().Get("client_id")
	if id == "" || len(id) > maxClientIDLen {
		return nil, nil
	}
	return h.svc.EffectiveUICustomization(r.Context(), poolID, id)
}

// customCSS serves GET /_static/custom.css?client_id=...
func (h *Handler) customCSS(w http.ResponseWriter, r *http.Request, poolID string) error {
	c, err := h.customization(r, poolID)
	if err != nil {
		return err
	}
	if c == nil {
		writeNotFound(w)
		return nil
	}
	out, err := h.cssCache.written(c)
	if err != nil {
		// Checked when it was set; a stored value that no longer reads
		// is not served.
		return ErrServerError.WithReason("stored hosted CSS does not parse").WithCause(err)
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/css; charset=utf-8")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Cache-Control", "public, max-age=300")
	w.Write([]byte(out))
	return nil
}

// logo serves GET /_static/logo?client_id=...
func (h *Handler) logo(w http.ResponseWriter, r *http.Request, poolID string) error {
	c, err := h.customization(r, poolID)
	if err != nil {
		return err
	}
	if c == nil || len(c.Image) == 0 || (c.ImageType != "image/png" && c.ImageType != "image/jpeg") {
		writeNotFound(w)
		return nil
	}
	hd := w.Header()
	hd.Set("Content-Type", c.ImageType)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	hd.Set("Cache-Control", "public, max-age=300")
	w.Write(c.Image)
	return nil
}

// maxCachedCSS bounds the written stylesheets kept: one per
// customization in use, so it is reached only with that many pools.
const maxCachedCSS = 1024

// cssCache keeps written stylesheets by content version, so that
// requests for custom.css (anyone may send them) cost a store read and a
// map lookup, not a parse.
type cssCache struct {
	mu sync.Mutex
	m  map[string]string
}

func (c *cssCache) written(u *cognito.UICustomization) (string, error) {
	// The version is the modification time; the lengths tell apart two
	// settings made in one millisecond.
	key := u.UserPoolID + "/" + u.ClientID + "/" + cognito.UICustomizationVersion(u) + "/" + strconv.Itoa(len(u.CSS))
	c.mu.Lock()
	out, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return out, nil
	}
	rules, err := cognito.ParseHostedCSS(u.CSS)
	if err != nil {
		return "", err
	}
	out = cognito.HostedCSS(rules)
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxCachedCSS {
		c.m = map[string]string{}
	}
	c.m[key] = out
	c.mu.Unlock()
	return out, nil
}
