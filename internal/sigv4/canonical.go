package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// This file builds the SigV4 canonical request and string to sign, as
// specified in the IAM User Guide, "Create a signed AWS API request"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html):
//
//	CanonicalRequest =
//	  HTTPMethod + '\n' + CanonicalURI + '\n' + CanonicalQueryString + '\n' +
//	  CanonicalHeaders + '\n' + SignedHeaders + '\n' + HashedPayload

func hmacSHA256(key, data []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(data)
	return m.Sum(nil)
}

// signingKey derives kSigning = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date),
// region), service), "aws4_request").
func signingKey(secret, date, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), []byte(date))
	k = hmacSHA256(k, []byte(region))
	k = hmacSHA256(k, []byte(service))
	return hmacSHA256(k, []byte(terminator))
}

func canonicalRequest(method, uri, query, headers, signedHeaders, payloadHash string) string {
	return string(appendCanonicalRequest(nil, method, uri, query, []byte(headers), signedHeaders, []byte(payloadHash)))
}

// appendCanonicalRequest appends the canonical request: method, URI,
// query, headers (appendCanonicalHeaders), signed header names and the
// payload's hash, one per line.
func appendCanonicalRequest(dst []byte, method, uri, query string, headers []byte, signedHeaders string, payloadHash []byte) []byte {
	dst = append(dst, method...)
	dst = append(dst, '\n')
	dst = append(dst, uri...)
	dst = append(dst, '\n')
	dst = append(dst, query...)
	dst = append(dst, '\n')
	dst = append(dst, headers...)
	dst = append(dst, '\n')
	dst = append(dst, signedHeaders...)
	dst = append(dst, '\n')
	return append(dst, payloadHash...)
}

func stringToSign(isoTime, scope, creq string) string {
	return string(appendStringToSign(nil, isoTime, scope, []byte(creq)))
}

// appendStringToSign appends the string to sign of canonical request
// creq, made at isoTime within the credential scope
// (date/region/service/aws4_request).
func appendStringToSign(dst []byte, isoTime, scope string, creq []byte) []byte {
	sum := sha256.Sum256(creq)
	dst = append(dst, algorithm+"\n"...)
	dst = append(dst, isoTime...)
	dst = append(dst, '\n')
	dst = append(dst, scope...)
	dst = append(dst, '\n')
	return hex.AppendEncode(dst, sum[:])
}

// uriEncode percent-encodes every byte outside RFC 3986's unreserved set
// (A-Z a-z 0-9 - . _ ~), with upper-case hex; '/' is kept when keepSlash.
func uriEncode(s string, keepSlash bool) string {
	const hexDigits = "0123456789ABCDEF"
	n := 0
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) && !(keepSlash && s[i] == '/') {
			n++
		}
	}
	if n == 0 {
		return s
	}
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) || (keepSlash && c == '/') {
			b = append(b, c)
			continue
		}
		b = append(b, '%', hexDigits[c>>4], hexDigits[c&15])
	}
	return string(b)
}

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// requestPath returns the path exactly as the client sent it (still
// percent-encoded): from r.RequestURI on a server request, else from r.URL.
func requestPath(r *http.Request) string {
	if p := r.RequestURI; p != "" && p != "*" {
		if i := strings.IndexByte(p, '?'); i >= 0 {
			p = p[:i]
		}
		if !strings.HasPrefix(p, "/") {
			// absolute-form: scheme://authority/path
			if i := strings.Index(p, "://"); i >= 0 {
				p = p[i+3:]
				if j := strings.IndexByte(p, '/'); j >= 0 {
					p = p[j:]
				} else {
					p = ""
				}
			}
		}
		return p
	}
	if r.URL == nil {
		return ""
	}
	if o := r.URL.Opaque; o != "" {
		// "//host/path" or "scheme://host/path" (see url.URL.Opaque).
		if i := strings.IndexByte(o, '?'); i >= 0 {
			o = o[:i]
		}
		o = strings.TrimPrefix(o, "//")
		if j := strings.IndexByte(o, '/'); j >= 0 {
			return o[j:]
		}
		return ""
	}
	return r.URL.EscapedPath()
}

// rawQuery returns the query string exactly as the client sent it.
func rawQuery(r *http.Request) string {
	if p := r.RequestURI; p != "" && p != "*" {
		_, q, _ := strings.Cut(p, "?")
		return q
	}
	if r.URL == nil {
		return ""
	}
	return r.URL.RawQuery
}

// canonicalURIs returns the canonical URI of the request: the wire path
// (already percent-encoded once by the client), normalized per RFC 3986
// (dot segments and repeated slashes removed), then URI-encoded again, which
// is the "encoded twice" rule for every service but S3. When normalizing
// changes the path, the unnormalized form is returned too, as a second
// candidate: the AWS SDKs (Go v2 among them) sign the path unnormalized, and
// either form authenticates the same received bytes.
func canonicalURIs(r *http.Request) []string {
	raw := requestPath(r)
	if raw == "" {
		raw = "/"
	}
	norm := uriEncode(normalizePath(raw), true)
	plain := uriEncode(raw, true)
	if plain == norm {
		return []string{norm}
	}
	return []string{norm, plain}
}

// normalizePath removes "." and ".." segments and empty segments (repeated
// slashes), keeping a leading slash and a trailing one.
func normalizePath(p string) string {
	segs := strings.Split(p, "/")
	out := make([]string, 0, len(segs))
	for _, s := range segs {
		switch s {
		case "", ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return "/"
	}
	last := segs[len(segs)-1]
	trailing := last == "" || last == "." || last == ".."
	res := "/" + strings.Join(out, "/")
	if trailing {
		res += "/"
	}
	return res
}

// canonicalQuery sorts the query parameters by encoded name, then encoded
// value, each URI-encoded per RFC 3986 (space as %20). Parameters are
// decoded first the way url.ParseQuery does ('+' is a space), which is
// what the AWS SDKs do before re-encoding; an undecodable component is
// used as sent.
func canonicalQuery(raw string) string {
	if raw == "" {
		return ""
	}
	type param struct{ k, v string }
	var ps []param
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		ps = append(ps, param{uriEncode(queryUnescape(k), false), uriEncode(queryUnescape(v), false)})
	}
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].k != ps[j].k {
			return ps[i].k < ps[j].k
		}
		return ps[i].v < ps[j].v
	})
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.k)
		b.WriteByte('=')
		b.WriteString(p.v)
	}
	return b.String()
}

func queryUnescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// canonicalHeaders renders "name:value\n" for each signed header, in the
// order SignedHeaders lists them. Names are lower-cased; values are trimmed,
// runs of spaces inside collapsed to one, and repeated headers joined with
// commas in the order received. The names must be distinct (see
// distinctNames), which bounds the result by the size of the request's
// headers.
func canonicalHeaders(r *http.Request, names []string) string {
	return string(appendCanonicalHeaders(nil, r, names))
}

// appendCanonicalHeaders is canonicalHeaders appending to dst.
func appendCanonicalHeaders(dst []byte, r *http.Request, names []string) []byte {
	// When every key is in canonical form, as Go's server and client store
	// well-formed names, no two keys differ only in case, and a name's
	// values are under its canonical key, found without indexing the
	// whole header.
	canonical := canonicalKeys(r.Header)
	var idx map[string][]string
	if !canonical {
		idx = indexHeaders(r.Header)
	}
	for _, n := range names {
		n = strings.ToLower(n)
		var vs []string
		if canonical {
			vs = r.Header[canonicalName(n)]
		} else {
			vs = idx[n]
		}
		dst = append(dst, n...)
		dst = append(dst, ':')
		dst = appendHeaderValue(dst, r, vs, n)
		dst = append(dst, '\n')
	}
	return dst
}

// signedNames are the canonical forms of the header names the SDKs sign,
// by their lower-case spelling, so that looking one up costs no
// allocation.
var signedNames = map[string]string{
	"host": "Host", "content-type": "Content-Type", "content-length": "Content-Length",
	"x-amz-date": "X-Amz-Date", "x-amz-target": "X-Amz-Target", "x-amz-content-sha256": "X-Amz-Content-Sha256",
	"x-amz-security-token": "X-Amz-Security-Token", "x-amz-user-agent": "X-Amz-User-Agent", "user-agent": "User-Agent",
	"amz-sdk-invocation-id": "Amz-Sdk-Invocation-Id", "amz-sdk-request": "Amz-Sdk-Request",
	"accept-encoding": "Accept-Encoding", "x-amz-api-version": "X-Amz-Api-Version",
}

// canonicalName is http.CanonicalHeaderKey of a lower-case name.
func canonicalName(n string) string {
	if c, ok := signedNames[n]; ok {
		return c
	}
	return http.CanonicalHeaderKey(n)
}

// distinctNames reports whether no header name is listed twice (ignoring
// case). A signer never lists one twice; refusing it keeps a small
// Authorization header from repeating a large header value many times over.
func distinctNames(names []string) bool {
	if len(names) <= 16 {
		// The usual handful: pairwise, without a map.
		for i, n := range names {
			for _, m := range names[:i] {
				if strings.EqualFold(n, m) {
					return false
				}
			}
		}
		return true
	}
	seen := make(map[string]struct{}, len(names))
	for _, n := range names {
		n = strings.ToLower(n)
		if _, dup := seen[n]; dup {
			return false
		}
		seen[n] = struct{}{}
	}
	return true
}

// canonicalKeys reports whether every key of h is in canonical form.
func canonicalKeys(h http.Header) bool {
	for k := range h {
		if http.CanonicalHeaderKey(k) != k {
			return false
		}
	}
	return true
}

// indexHeaders maps lower-cased header names to their values. Keys that
// differ only in case (possible for names Go does not canonicalize) are
// merged in sorted key order, so the result does not depend on map order.
func indexHeaders(h http.Header) map[string][]string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	idx := make(map[string][]string, len(h))
	for _, k := range keys {
		lk := strings.ToLower(k)
		idx[lk] = append(idx[lk], h[k]...)
	}
	return idx
}

// appendHeaderValue appends the canonical value of one (lower-case)
// header name, whose values in r.Header are vs. Go's HTTP server moves
// some headers out of r.Header: Host into r.Host, Transfer-Encoding into
// r.TransferEncoding; Content-Length stays in the header map but a
// client-built request may carry it only in r.ContentLength.
func appendHeaderValue(dst []byte, r *http.Request, vs []string, name string) []byte {
	switch name {
	case "host":
		h := r.Host
		if h == "" && r.URL != nil {
			h = r.URL.Host
		}
		return append(dst, trimAll(h)...)
	case "content-length":
		if len(vs) > 0 {
			return appendValues(dst, vs)
		}
		if r.ContentLength >= 0 {
			return strconv.AppendInt(dst, r.ContentLength, 10)
		}
		return dst
	case "transfer-encoding":
		if len(vs) > 0 {
			return appendValues(dst, vs)
		}
		return appendValues(dst, r.TransferEncoding)
	}
	return appendValues(dst, vs)
}

// appendValues appends a header's values, each trimmed, joined by commas.
func appendValues(dst []byte, vs []string) []byte {
	for i, v := range vs {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, trimAll(v)...)
	}
	return dst
}

// trimAll trims leading and trailing white space and collapses each run of
// spaces inside the value to a single space (SigV4's Trimall).
func trimAll(s string) string {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "  ") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' && i > 0 && s[i-1] == ' ' {
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}
