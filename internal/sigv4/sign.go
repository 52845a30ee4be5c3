package sigv4

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"sort"
	"strings"
	"time"
)

// Sign signs r, whose body is body, for service in region: it sets
// X-Amz-Date and an Authorization header over host, x-amz-date and, when
// present, content-length, content-type and x-amz-target, as the AWS SDKs
// sign. It is for cognitod's own
// command-line tools; the tests sign with the AWS SDK's signer instead, so
// Sign and Verify are never each other's only check.
func Sign(r *http.Request, body []byte, accessKeyID, secret, region, service string, t time.Time) {
	if r.Host == "" {
		r.Host = r.URL.Host
	}
	t = t.UTC()
	iso := t.Format(isoBasic)
	date := t.Format(scopeDate)
	r.Header.Set(headerAmzDate, iso)
	names := []string{"host", "x-amz-date"}
	if r.ContentLength > 0 {
		names = append(names, "content-length")
	}
	for _, h := range []string{"Content-Type", "X-Amz-Target"} {
		if r.Header.Get(h) != "" {
			names = append(names, strings.ToLower(h))
		}
	}
	sort.Strings(names)
	signed := strings.Join(names, ";")
	sum := sha256.Sum256(body)
	creq := canonicalRequest(r.Method, canonicalURIs(r)[0], canonicalQuery(rawQuery(r)), canonicalHeaders(r, names), signed, hex.EncodeToString(sum[:]))
	scope := date + "/" + region + "/" + service + "/" + terminator
	sig := hex.EncodeToString(hmacSHA256(signingKey(secret, date, region, service), []byte(stringToSign(iso, scope, creq))))
	r.Header.Set(headerAuth, algorithm+" Credential="+accessKeyID+"/"+scope+", SignedHeaders="+signed+", Signature="+sig)
}
