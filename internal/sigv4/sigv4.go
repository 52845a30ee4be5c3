package sigv4

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Verifier checks SigV4 Authorization headers for one service.
type Verifier struct {
	// Service is the service name the credential scope must carry,
	// e.g. "cognito-idp".
	Service string
	// Lookup returns the secret access key for an access key ID. A nil
	// Lookup, ok == false or an empty secret all mean "unknown key".
	Lookup func(accessKeyID string) (secret string, ok bool)
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// MaxSkew is how far the request time may be from Now, either way;
	// zero (or negative) means 5 minutes, as AWS allows.
	MaxSkew time.Duration
	// RequireSigned names headers, besides host, that must be signed.
	// AWS does not require X-Amz-Target to be signed, but a request whose
	// operation is not signed could be replayed as another operation with
	// the same body; every AWS SDK signs it.
	RequireSigned []string
	// ValidRegion reports whether the credential scope's region is one
	// the service serves; nil accepts anything shaped like an AWS region
	// name. A service that keys data by region passes its own rule, so
	// that a request it could not serve fails here.
	ValidRegion func(region string) bool

	// keys caches derived signing keys (keycache.go).
	keys keyCache
}

// Identity is what a verified request proves.
type Identity struct {
	AccessKeyID string
	Region      string    // from the credential scope
	Date        time.Time // the request's X-Amz-Date (or Date), in UTC
}

// Error is returned for every failure; Type is the AWS exception name that
// the caller puts in `__type`, Message the text for `message`.
type Error struct {
	Type, Message string
}

func (e *Error) Error() string { return e.Type + ": " + e.Message }

// Exception names, as AWS's JSON 1.1 services send them in `__type`.
const (
	typeMissingToken        = "MissingAuthenticationTokenException"
	typeIncompleteSignature = "IncompleteSignatureException"
	typeInvalidSignature    = "InvalidSignatureException"
	typeUnrecognizedClient  = "UnrecognizedClientException"
)

// Messages. Where AWS's exact wording is known it is used verbatim. Sources:
//
//   - IAM User Guide, "Troubleshoot Signature Version 4 signing for AWS API
//     requests",
//     https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-troubleshooting.html:
//     "Missing Authentication Token" for an unsigned request, and "The
//     request signature we calculated does not match the signature you
//     provided".
//   - The responses of AWS's JSON ("Coral") services recorded in dynalite's
//     request handler (https://github.com/architect/dynalite, index.js, the
//     comments after the IncompleteSignatureException check): the order of
//     the checks, the exception each raises, and the texts "Authorization
//     header requires 'Credential' parameter. … Authorization=…", "Date must
//     be in ISO-8601 'basic format'. Got '…'. See
//     http://en.wikipedia.org/wiki/ISO_8601", "'Host' must be a
//     'SignedHeader' in the AWS Authorization.", "Unsupported AWS
//     'algorithm': '…' (only AWS4-HMAC-SHA256 for now). ", "Credential must
//     have exactly 5 slash-delimited elements, e.g.
//     keyid/date/region/service/term, got '…'", the four credential-scope
//     sentences (joined, in that order), "The security token included in
//     the request is invalid." and the full signature-mismatch text.
//   - "Signature expired: 20160610T180547Z is now earlier than
//     20160610T180612Z (20160610T181112Z - 5 min.)" (InvalidSignatureException):
//     hassy/artillery-dino#2, aws/aws-sdk-js#254 (with "- 15 min.").
//   - "Signature not yet current: 20181120T211543Z is still later than
//     20181120T211529Z (20181120T211029Z + 5 min.)": serverless/enterprise#11.
//   - "'…' not a valid key=value pair (missing equal-sign) in Authorization
//     header: '…'." (IncompleteSignature): aws/aws-sdk-go#289,
//     awslabs/fhir-works-on-aws-deployment#379.
//   - "Credential should be scoped to correct service: 'batch'. ":
//     cllunsford/aws-signing-proxy#25.
//   - "Credential should be scoped to a valid region. " is the form JSON
//     services send today as an InvalidSignatureException; older and
//     query-protocol responses read "…a valid region, not '<region>'. ".
const (
	msgMissingToken    = "Missing Authentication Token"
	msgRequiresCred    = "Authorization header requires 'Credential' parameter. "
	msgRequiresSig     = "Authorization header requires 'Signature' parameter. "
	msgRequiresSigned  = "Authorization header requires 'SignedHeaders' parameter. "
	msgRequiresDate    = "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
	msgHostNotSigned   = "'Host' must be a 'SignedHeader' in the AWS Authorization."
	msgBadRegion       = "Credential should be scoped to a valid region. "
	msgUnknownKey      = "The security token included in the request is invalid."
	msgSignatureDiffer = "The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)

const (
	algorithm     = "AWS4-HMAC-SHA256"
	terminator    = "aws4_request"
	isoBasic      = "20060102T150405Z"
	scopeDate     = "20060102"
	defaultSkew   = 5 * time.Minute
	unsignedBody  = "UNSIGNED-PAYLOAD"
	headerAuth    = "Authorization"
	headerAmzDate = "X-Amz-Date"
	headerDate    = "Date"
	headerSHA256  = "X-Amz-Content-Sha256"
	headerToken   = "X-Amz-Security-Token"
)

// dummySecret is what an unknown access key is "signed" with, so that an
// unknown key costs the same work as a wrong signature.
const dummySecret = "cognitod-sigv4-unknown-access-key-placeholder"

func fail(typ, msg string) error { return &Error{Type: typ, Message: msg} }

// authParams is the parsed Authorization header.
type authParams struct {
	algorithm                                           string
	credential, signedHeaders, signature                string
	hasCredential, hasSignedHeaders, hasSignature, dupe bool
	dupeName                                            string
}

// parseAuthorization splits "ALG k=v, k=v, …". Parameters are separated by
// commas and/or white space, as AWS does (a stray space inside a credential
// yields the "missing equal-sign" error). Unknown parameters are ignored.
func parseAuthorization(auth string) (authParams, error) {
	var p authParams
	alg, rest, _ := strings.Cut(auth, " ")
	p.algorithm = alg
	// The fields, split by hand, a byte at a time: strings.FieldsFunc's
	// slice, then IndexFunc's rune decoding, were measurable shares of a
	// verification.
	for rest != "" {
		i := 0
		for i < len(rest) && isFieldSep(rest[i]) {
			i++
		}
		if i == len(rest) {
			break
		}
		rest = rest[i:]
		j := 0
		for j < len(rest) && !isFieldSep(rest[j]) {
			j++
		}
		f := rest[:j]
		rest = rest[j:]
		k, val, ok := strings.Cut(f, "=")
		if !ok {
			return p, fail(typeIncompleteSignature,
				"'"+f+"' not a valid key=value pair (missing equal-sign) in Authorization header: '"+auth+"'.")
		}
		var dst *string
		var seen *bool
		switch k {
		case "Credential":
			dst, seen = &p.credential, &p.hasCredential
		case "SignedHeaders":
			dst, seen = &p.signedHeaders, &p.hasSignedHeaders
		case "Signature":
			dst, seen = &p.signature, &p.hasSignature
		default:
			continue
		}
		if *seen && !p.dupe {
			p.dupe, p.dupeName = true, k
		}
		*dst, *seen = val, true
	}
	return p, nil
}

func isFieldSep(c byte) bool { return c == ',' || c == ' ' || c == '\t' }

// requirements builds AWS's "Authorization header requires …" message, or
// "" when nothing is missing.
func requirements(p authParams, haveDate bool, auth string) string {
	var b strings.Builder
	if p.credential == "" {
		b.WriteString(msgRequiresCred)
	}
	if p.signature == "" {
		b.WriteString(msgRequiresSig)
	}
	if !p.hasSignedHeaders {
		b.WriteString(msgRequiresSigned)
	}
	if !haveDate {
		b.WriteString(msgRequiresDate)
	}
	if b.Len() == 0 {
		return ""
	}
	b.WriteString("Authorization=")
	b.WriteString(auth)
	return b.String()
}

// parseRequestTime parses X-Amz-Date (ISO 8601 basic format only, and only
// its canonical spelling) or, failing that header, the Date header (ISO 8601
// basic or an HTTP date). iso reports that value is already the time in ISO
// 8601 basic format, as the string to sign carries it.
func parseRequestTime(value string, fromDateHeader bool) (t time.Time, iso, ok bool) {
	if t, ok := parseISOBasic(value); ok {
		return t, true, true
	}
	if fromDateHeader {
		if t, err := http.ParseTime(value); err == nil {
			return t.UTC(), false, true
		}
	}
	return time.Time{}, false, false
}

// parseISOBasic parses exactly the strings time.Parse(isoBasic) accepts
// and formats back unchanged ("20060102T150405Z", every field in range),
// without its general parser: it runs for every signed request.
func parseISOBasic(v string) (time.Time, bool) {
	if len(v) != len(isoBasic) || v[8] != 'T' || v[15] != 'Z' {
		return time.Time{}, false
	}
	num := func(s string) (int, bool) {
		n := 0
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	year, ok1 := num(v[0:4])
	month, ok2 := num(v[4:6])
	day, ok3 := num(v[6:8])
	hour, ok4 := num(v[9:11])
	minute, ok5 := num(v[11:13])
	sec, ok6 := num(v[13:15])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC)
	if t.Day() != day { // February 30th and the like
		return time.Time{}, false
	}
	return t, true
}

// skewMinutes renders MaxSkew as AWS's "5 min." figure.
func skewMinutes(d time.Duration) string {
	if d%time.Minute == 0 {
		return strconv.FormatInt(int64(d/time.Minute), 10)
	}
	return strconv.FormatFloat(d.Minutes(), 'f', -1, 64)
}

// regionShaped reports whether s has the shape of an AWS region name:
// two lowercase letters, one or more lowercase words, and a number, all
// hyphen-separated (us-east-1, us-gov-west-1, cn-north-1, eu-isoe-west-1).
func regionShaped(s string) bool {
	if len(s) > 32 {
		return false
	}
	parts := strings.Split(s, "-")
	if len(parts) < 3 || len(parts) > 5 {
		return false
	}
	if len(parts[0]) != 2 || !allIn(parts[0], 'a', 'z') {
		return false
	}
	for _, w := range parts[1 : len(parts)-1] {
		if w == "" || !allIn(w, 'a', 'z') {
			return false
		}
	}
	n := parts[len(parts)-1]
	return n != "" && len(n) <= 3 && allIn(n, '0', '9')
}

// splitInto appends the sep-separated parts of s to dst, as strings.Split
// would return them.
func splitInto(dst []string, s string, sep byte) []string {
	for {
		i := strings.IndexByte(s, sep)
		if i < 0 {
			return append(dst, s)
		}
		dst = append(dst, s[:i])
		s = s[i+1:]
	}
}

func allIn(s string, lo, hi byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < lo || s[i] > hi {
			return false
		}
	}
	return true
}

// requestBuffers hold the canonical request and the string to sign while
// a signature is computed; buffers that grew past maxPooledBuffer (a
// request with very large signed headers) are left to the collector.
var requestBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

const maxPooledBuffer = 16 << 10

// equalConstantTime compares the computed signature with the presented
// one in time that depends only on their lengths.
func equalConstantTime(want []byte, got string) bool {
	if len(want) != len(got) {
		return false
	}
	var d byte
	for i := range want {
		d |= want[i] ^ got[i]
	}
	return d == 0
}

// Verify checks r's Authorization header (header-based SigV4 only). body is
// the full request body, already read by the caller; r.Body is not read.
//
// The checks run in the order AWS's JSON services use: presence of the
// header and its parameters, the request time and its skew, 'host' being
// signed, the algorithm, the credential's shape, the credential scope, the
// access key, the signature, and finally any session token.
func (v *Verifier) Verify(r *http.Request, body []byte) (Identity, error) {
	return v.VerifyWith(r, body, v.Lookup)
}

// VerifyWith is Verify with lookup in place of v.Lookup, for a caller
// that wants what its lookup found for this one request (the key row it
// read, to authorize the request without reading it again).
func (v *Verifier) VerifyWith(r *http.Request, body []byte, lookup func(accessKeyID string) (secret string, ok bool)) (Identity, error) {
	if r == nil {
		return Identity{}, fail(typeMissingToken, msgMissingToken)
	}
	values := r.Header.Values(headerAuth)
	auth := strings.TrimSpace(strings.Join(values, ", "))
	if auth == "" {
		return Identity{}, fail(typeMissingToken, msgMissingToken)
	}

	amzDate := r.Header.Get(headerAmzDate)
	dateValue, fromDateHeader := amzDate, false
	if dateValue == "" {
		dateValue, fromDateHeader = r.Header.Get(headerDate), true
	}
	haveDate := dateValue != ""

	// Not a SigV4 header at all (e.g. "Bearer …"): AWS answers with every
	// requirement it misses.
	if !strings.HasPrefix(auth, "AWS4-") {
		return Identity{}, fail(typeIncompleteSignature, requirements(authParams{}, haveDate, auth))
	}
	p, err := parseAuthorization(auth)
	if err != nil {
		return Identity{}, err
	}
	if msg := requirements(p, haveDate, auth); msg != "" {
		return Identity{}, fail(typeIncompleteSignature, msg)
	}
	if p.dupe {
		// Not an AWS text: AWS's behaviour for a repeated parameter is not
		// documented; refusing it keeps the header unambiguous.
		return Identity{}, fail(typeIncompleteSignature,
			"Authorization header has more than one '"+p.dupeName+"' parameter. Authorization="+auth)
	}

	// Request time.
	reqTime, iso, ok := parseRequestTime(dateValue, fromDateHeader)
	if !ok {
		return Identity{}, fail(typeIncompleteSignature,
			"Date must be in ISO-8601 'basic format'. Got '"+dateValue+"'. See http://en.wikipedia.org/wiki/ISO_8601")
	}
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	nowT := now().UTC()
	skew := v.MaxSkew
	if skew <= 0 {
		skew = defaultSkew
	}
	reqISO := dateValue
	if !iso {
		reqISO = reqTime.Format(isoBasic)
	}
	if earliest := nowT.Add(-skew); reqTime.Before(earliest) {
		return Identity{}, fail(typeInvalidSignature, "Signature expired: "+reqISO+" is now earlier than "+
			earliest.Format(isoBasic)+" ("+nowT.Format(isoBasic)+" - "+skewMinutes(skew)+" min.)")
	}
	if latest := nowT.Add(skew); reqTime.After(latest) {
		return Identity{}, fail(typeInvalidSignature, "Signature not yet current: "+reqISO+" is still later than "+
			latest.Format(isoBasic)+" ("+nowT.Format(isoBasic)+" + "+skewMinutes(skew)+" min.)")
	}

	// 'host' must be signed. The usual handful of names fits the array on
	// the stack.
	var nameBuf [16]string
	names := splitInto(nameBuf[:0], p.signedHeaders, ';')
	hostSigned := false
	for _, n := range names {
		if strings.EqualFold(n, "host") {
			hostSigned = true
			break
		}
	}
	if !hostSigned {
		return Identity{}, fail(typeInvalidSignature, msgHostNotSigned)
	}
	for _, req := range v.RequireSigned {
		if !slices.ContainsFunc(names, func(n string) bool { return strings.EqualFold(n, req) }) {
			return Identity{}, fail(typeInvalidSignature, "'"+http.CanonicalHeaderKey(req)+"' must be a 'SignedHeader' in the AWS Authorization.")
		}
	}

	if p.algorithm != algorithm {
		return Identity{}, fail(typeIncompleteSignature,
			"Unsupported AWS 'algorithm': '"+p.algorithm+"' (only AWS4-HMAC-SHA256 for now). ")
	}

	// Credential: keyid/date/region/service/aws4_request (trailing slashes
	// are ignored, as AWS does).
	var scopeBuf [5]string
	scope := splitInto(scopeBuf[:0], strings.TrimRight(p.credential, "/"), '/')
	if len(scope) != 5 {
		return Identity{}, fail(typeIncompleteSignature,
			"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '"+
				p.credential+"'")
	}
	keyID, credDate, region, service, term := scope[0], scope[1], scope[2], scope[3], scope[4]
	var scopeErr strings.Builder
	regionOK := v.ValidRegion
	if regionOK == nil {
		regionOK = regionShaped
	}
	if !regionOK(region) {
		scopeErr.WriteString(msgBadRegion)
	}
	if service != v.Service {
		scopeErr.WriteString("Credential should be scoped to correct service: '" + v.Service + "'. ")
	}
	if term != terminator {
		scopeErr.WriteString("Credential should be scoped with a valid terminator: '" + terminator + "', not '" + term + "'. ")
	}
	if want := reqISO[:len(scopeDate)]; credDate != want {
		scopeErr.WriteString("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" +
			credDate + "' != '" + want + "', from '" + reqISO + "'.")
	}
	if scopeErr.Len() > 0 {
		return Identity{}, fail(typeInvalidSignature, scopeErr.String())
	}

	// Access key. An unknown key still goes through the whole signature
	// computation, with a placeholder secret, so that it is not cheaper
	// than a wrong signature.
	secret, known := "", false
	if lookup != nil {
		secret, known = lookup(keyID)
	}
	if secret == "" {
		known = false
	}
	if !known {
		secret = dummySecret
	}

	// Payload: the body's own hash, unless X-Amz-Content-Sha256 names one,
	// which must then be the body's. UNSIGNED-PAYLOAD is not honoured: the
	// body is always covered by the signature.
	sum := sha256.Sum256(body)
	var bodyHex [2 * sha256.Size]byte
	hex.Encode(bodyHex[:], sum[:])
	payloadHash, payloadOK := bodyHex[:], true
	if h := r.Header.Get(headerSHA256); h != "" && h != unsignedBody {
		payloadHash = []byte(h)
		payloadOK = subtle.ConstantTimeCompare(payloadHash, bodyHex[:]) == 1
	}

	matched := false
	if distinctNames(names) {
		var key *cachedKey
		if known {
			key = v.keys.signer(keyID, secret, credDate, region, service)
		} else {
			key = newCachedKey(secret, signingKey(secret, credDate, region, service))
		}
		bp := requestBuffers.Get().(*[]byte)
		buf := (*bp)[:0]
		// The canonical request, its headers rendered once for every URI
		// form.
		headers := appendCanonicalHeaders(buf, r, names)
		nh := len(headers)
		buf = headers
		query := canonicalQuery(rawQuery(r))
		credScope := credDate + "/" + region + "/" + service + "/" + terminator
		for _, uri := range canonicalURIs(r) {
			buf = appendCanonicalRequest(buf[:nh], r.Method, uri, query, headers[:nh], p.signedHeaders, payloadHash)
			sts := len(buf)
			buf = appendStringToSign(buf, reqISO, credScope, buf[nh:])
			var mac [sha256.Size]byte
			key.sign(mac[:0], buf[sts:])
			var want [2 * sha256.Size]byte
			hex.Encode(want[:], mac[:])
			if equalConstantTime(want[:], p.signature) {
				matched = true
			}
		}
		if cap(buf) <= maxPooledBuffer {
			*bp = buf[:0]
			requestBuffers.Put(bp)
		}
	}
	if !known {
		return Identity{}, fail(typeUnrecognizedClient, msgUnknownKey)
	}
	if !matched || !payloadOK {
		return Identity{}, fail(typeInvalidSignature, msgSignatureDiffer)
	}
	if len(r.Header.Values(headerToken)) > 0 {
		// cognitod issues no temporary credentials, so no token can be valid.
		return Identity{}, fail(typeUnrecognizedClient, msgUnknownKey)
	}
	return Identity{AccessKeyID: keyID, Region: region, Date: reqTime}, nil
}
