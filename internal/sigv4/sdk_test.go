package sigv4

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Round trips with the AWS SDK for Go v2's own signer.

const (
	testKeyID   = "AKIAIOSFODNN7EXAMPLE"
	testSecret  = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	testService = "cognito-idp"
	testTarget  = "AWSCognitoIdentityProviderService.AdminGetUser"
	testBody    = `{"UserPoolId":"us-east-1_EXAMPLE","Username":"alice"}`
)

var testNow = time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)

func testVerifier() *Verifier {
	return &Verifier{
		Service: testService,
		Lookup: func(id string) (string, bool) {
			if id == testKeyID {
				return testSecret, true
			}
			return "", false
		},
		Now: func() time.Time { return testNow },
	}
}

func bodyHash(body string) string {
	sum := sha256.Sum256([]byte(body))
	return hex.EncodeToString(sum[:])
}

// adminRequest builds the request an SDK client sends for a cognito-idp
// JSON 1.1 operation.
func adminRequest(t testing.TB, region, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, "https://cognito-idp."+region+".amazonaws.com/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", testTarget)
	return req
}

type signOpts struct {
	keyID, service, region, token, payloadHash string
	at                                         time.Time
}

func sdkSign(t testing.TB, req *http.Request, body string, o signOpts) {
	t.Helper()
	if o.keyID == "" {
		o.keyID = testKeyID
	}
	if o.service == "" {
		o.service = testService
	}
	if o.region == "" {
		o.region = "us-east-1"
	}
	if o.at.IsZero() {
		o.at = testNow
	}
	if o.payloadHash == "" {
		o.payloadHash = bodyHash(body)
	}
	creds := aws.Credentials{AccessKeyID: o.keyID, SecretAccessKey: testSecret, SessionToken: o.token}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, o.payloadHash, o.service, o.region, o.at); err != nil {
		t.Fatalf("SignHTTP: %v", err)
	}
}

func TestSDKRoundTrip(t *testing.T) {
	cases := []struct {
		name, region, body string
		at                 time.Time
		prepare            func(*http.Request)
	}{
		{name: "us-east-1", region: "us-east-1", body: testBody},
		{name: "eu-central-2", region: "eu-central-2", body: `{"UserPoolId":"eu-central-2_abc","Limit":10}`},
		{name: "ap-southeast-3", region: "ap-southeast-3", body: `{}`},
		{name: "us-gov-west-1", region: "us-gov-west-1", body: `{"MaxResults":60}`},
		{name: "cn-north-1", region: "cn-north-1", body: `{"Username":"ünïcødé ✓"}`},
		{name: "empty-body", region: "us-west-2", body: ``},
		{name: "large-body", region: "us-east-1", body: `{"Blob":"` + strings.Repeat("x", 1<<16) + `"}`},
		{name: "four-minutes-old", region: "us-east-1", body: testBody, at: testNow.Add(-4 * time.Minute)},
		{name: "five-minutes-old", region: "us-east-1", body: testBody, at: testNow.Add(-5 * time.Minute)},
		{name: "five-minutes-ahead", region: "us-east-1", body: testBody, at: testNow.Add(5 * time.Minute)},
		{name: "sub-second-time", region: "us-east-1", body: testBody, at: testNow.Add(-700 * time.Millisecond)},
		{name: "content-sha256-header", region: "us-east-1", body: testBody, prepare: func(r *http.Request) {
			r.Header.Set("X-Amz-Content-Sha256", bodyHash(testBody))
		}},
		{name: "extra-headers", region: "us-east-1", body: testBody, prepare: func(r *http.Request) {
			r.Header.Set("X-Custom", "  spaced    out  value ")
			r.Header.Add("X-Multi", "one")
			r.Header.Add("X-Multi", "two")
			r.Header.Set("User-Agent", "aws-sdk-go-v2/1.48.0") // the SDK leaves this unsigned
		}},
		{name: "query-string", region: "us-east-1", body: testBody, prepare: func(r *http.Request) {
			r.URL.RawQuery = "b=2&a=x%20y&a=%2F&c"
		}},
		{name: "escaped-path", region: "us-east-1", body: testBody, prepare: func(r *http.Request) {
			r.URL.Path = "/some path/ሴ/"
		}},
		{name: "host-with-port", region: "us-east-1", body: testBody, prepare: func(r *http.Request) {
			r.URL.Host = "localhost:9229"
			r.Host = ""
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := adminRequest(t, c.region, c.body)
			if c.prepare != nil {
				c.prepare(req)
			}
			sdkSign(t, req, c.body, signOpts{region: c.region, at: c.at})
			id, err := testVerifier().Verify(req, []byte(c.body))
			if err != nil {
				t.Fatalf("Verify: %v\nAuthorization: %s", err, req.Header.Get("Authorization"))
			}
			at := c.at
			if at.IsZero() {
				at = testNow
			}
			want := Identity{AccessKeyID: testKeyID, Region: c.region, Date: at.Truncate(time.Second)}
			if id != want {
				t.Errorf("identity: got %+v, want %+v", id, want)
			}
		})
	}
}

// TestSDKOverHTTP sends SDK-signed requests through a real net/http server,
// so Host, Content-Length and the request target arrive the way Go's server
// presents them.
func TestSDKOverHTTP(t *testing.T) {
	v := &Verifier{Service: testService, Lookup: testVerifier().Lookup}
	type result struct {
		id  Identity
		err error
	}
	results := make(chan result, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			results <- result{err: err}
			return
		}
		id, err := v.Verify(r, body)
		results <- result{id, err}
	}))
	defer srv.Close()

	for _, c := range []struct{ name, path, body string }{
		{"root", "/", testBody},
		{"empty-body", "/", ""},
		{"query", "/?Action=x&b=%20&a=1", testBody},
		{"encoded-path", "/a%20b/c%2Fd", testBody},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, srv.URL+c.path, strings.NewReader(c.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-amz-json-1.1")
			req.Header.Set("X-Amz-Target", testTarget)
			now := time.Now().UTC()
			sdkSign(t, req, c.body, signOpts{region: "eu-west-1", at: now})
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			got := <-results
			if got.err != nil {
				t.Fatalf("Verify: %v", got.err)
			}
			if got.id.AccessKeyID != testKeyID || got.id.Region != "eu-west-1" || !got.id.Date.Equal(now.Truncate(time.Second)) {
				t.Errorf("identity: got %+v", got.id)
			}
		})
	}
}

var signedHeadersRE = regexp.MustCompile(`SignedHeaders=[^,]*`)

func TestSDKFailures(t *testing.T) {
	const mismatch = msgSignatureDiffer
	cases := []struct {
		name     string
		sign     *signOpts           // nil: leave the request unsigned
		prepare  func(*http.Request) // before signing
		tamper   func(*http.Request) // after signing
		body     string              // body handed to Verify; "" means testBody
		verifier func(*Verifier)
		typ, msg string
	}{
		{
			name: "fail/missing-auth",
			typ:  typeMissingToken, msg: "Missing Authentication Token",
		},
		{
			name: "fail/empty-auth",
			tamper: func(r *http.Request) {
				r.Header.Set("Authorization", "   ")
			},
			typ: typeMissingToken, msg: "Missing Authentication Token",
		},
		{
			name: "fail/unknown-key",
			sign: &signOpts{keyID: "AKIDUNKNOWNEXAMPLE00"},
			typ:  typeUnrecognizedClient, msg: "The security token included in the request is invalid.",
		},
		{
			name:     "fail/empty-secret",
			sign:     &signOpts{},
			verifier: func(v *Verifier) { v.Lookup = func(string) (string, bool) { return "", true } },
			typ:      typeUnrecognizedClient, msg: "The security token included in the request is invalid.",
		},
		{
			name:     "fail/nil-lookup",
			sign:     &signOpts{},
			verifier: func(v *Verifier) { v.Lookup = nil },
			typ:      typeUnrecognizedClient, msg: "The security token included in the request is invalid.",
		},
		{
			name: "fail/tampered-body",
			sign: &signOpts{},
			body: `{"UserPoolId":"us-east-1_EXAMPLE","Username":"mallory"}`,
			typ:  typeInvalidSignature, msg: mismatch,
		},
		{
			name: "fail/tampered-header",
			sign: &signOpts{},
			tamper: func(r *http.Request) {
				r.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.AdminDeleteUser")
			},
			typ: typeInvalidSignature, msg: mismatch,
		},
		{
			name: "fail/tampered-host",
			sign: &signOpts{},
			tamper: func(r *http.Request) {
				r.Host = "cognito-idp.eu-west-1.amazonaws.com"
			},
			typ: typeInvalidSignature, msg: mismatch,
		},
		{
			name: "fail/tampered-query",
			sign: &signOpts{},
			tamper: func(r *http.Request) {
				r.URL.RawQuery = "x=1"
			},
			typ: typeInvalidSignature, msg: mismatch,
		},
		{
			name: "fail/tampered-signature",
			sign: &signOpts{},
			tamper: func(r *http.Request) {
				a := r.Header.Get("Authorization")
				r.Header.Set("Authorization", a[:len(a)-1]+string("0123456789abcdef"[(strings.IndexByte("0123456789abcdef", a[len(a)-1])+1)%16]))
			},
			typ: typeInvalidSignature, msg: mismatch,
		},
		{
			name: "fail/uppercase-signature",
			sign: &signOpts{},
			tamper: func(r *http.Request) {
				a := r.Header.Get("Authorization")
				i := strings.Index(a, "Signature=") + len("Signature=")
				r.Header.Set("Authorization", a[:i]+strings.ToUpper(a[i:]))
			},
			typ: typeInvalidSignature, msg: mismatch,
		},
		{
			name: "fail/wrong-service",
			sign: &signOpts{service: "cognito-identity"},
			typ:  typeInvalidSignature, msg: "Credential should be scoped to correct service: 'cognito-idp'. ",
		},
		{
			name: "fail/bad-region",
			sign: &signOpts{region: "not_a_region"},
			typ:  typeInvalidSignature, msg: "Credential should be scoped to a valid region. ",
		},
		{
			name: "fail/bad-region-and-service",
			sign: &signOpts{region: "moon-1", service: "iam"},
			typ:  typeInvalidSignature,
			msg:  "Credential should be scoped to a valid region. Credential should be scoped to correct service: 'cognito-idp'. ",
		},
		{
			name: "fail/expired",
			sign: &signOpts{at: testNow.Add(-6 * time.Minute)},
			typ:  typeInvalidSignature,
			msg:  "Signature expired: 20260314T092053Z is now earlier than 20260314T092153Z (20260314T092653Z - 5 min.)",
		},
		{
			name:     "fail/expired-custom-skew",
			sign:     &signOpts{at: testNow.Add(-16 * time.Minute)},
			verifier: func(v *Verifier) { v.MaxSkew = 15 * time.Minute },
			typ:      typeInvalidSignature,
			msg:      "Signature expired: 20260314T091053Z is now earlier than 20260314T091153Z (20260314T092653Z - 15 min.)",
		},
		{
			name: "fail/future",
			sign: &signOpts{at: testNow.Add(6 * time.Minute)},
			typ:  typeInvalidSignature,
			msg:  "Signature not yet current: 20260314T093253Z is still later than 20260314T093153Z (20260314T092653Z + 5 min.)",
		},
		{
			name: "fail/scope-date-mismatch",
			sign: &signOpts{},
			tamper: func(r *http.Request) {
				r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/20260314/", "/20260313/", 1))
			},
			typ: typeInvalidSignature,
			msg: "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20260313' != '20260314', from '20260314T092653Z'.",
		},
		{
			name: "fail/bad-terminator",
			sign: &signOpts{},
			tamper: func(r *http.Request) {
				r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "aws4_request", "aws5_request", 1))
			},
			typ: typeInvalidSignature,
			msg: "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. ",
		},
		{
			name: "fail/host-not-signed",
			sign: &signOpts{},
			tamper: func(r *http.Request) {
				a := r.Header.Get("Authorization")
				r.Header.Set("Authorization", signedHeadersRE.ReplaceAllString(a, "SignedHeaders=content-type;x-amz-date;x-amz-target"))
			},
			typ: typeInvalidSignature, msg: "'Host' must be a 'SignedHeader' in the AWS Authorization.",
		},
		{
			name: "fail/duplicate-signed-header",
			sign: &signOpts{},
			tamper: func(r *http.Request) {
				a := r.Header.Get("Authorization")
				r.Header.Set("Authorization", signedHeadersRE.ReplaceAllString(a,
					"SignedHeaders=content-length;content-type;host;HOST;x-amz-date;x-amz-target"))
			},
			typ: typeInvalidSignature, msg: mismatch,
		},
		{
			name: "fail/empty-signed-headers",
			sign: &signOpts{},
			tamper: func(r *http.Request) {
				a := r.Header.Get("Authorization")
				r.Header.Set("Authorization", signedHeadersRE.ReplaceAllString(a, "SignedHeaders="))
			},
			typ: typeInvalidSignature, msg: "'Host' must be a 'SignedHeader' in the AWS Authorization.",
		},
		{
			name: "fail/garbage-header",
			tamper: func(r *http.Request) {
				r.Header.Set("X-Amz-Date", "20260314T092653Z")
				r.Header.Set("Authorization", "garbage")
			},
			typ: typeIncompleteSignature,
			msg: "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
				"Authorization header requires 'SignedHeaders' parameter. Authorization=garbage",
		},
		{
			name: "fail/bearer-no-date",
			tamper: func(r *http.Request) {
				r.Header.Set("Authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig")
			},
			typ: typeIncompleteSignature,
			msg: "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
				"Authorization header requires 'SignedHeaders' parameter. " +
				"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
				"Authorization=Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig",
		},
		{
			name: "fail/missing-signature",
			tamper: func(r *http.Request) {
				r.Header.Set("X-Amz-Date", "20260314T092653Z")
				r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260314/us-east-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date")
			},
			typ: typeIncompleteSignature,
			msg: "Authorization header requires 'Signature' parameter. Authorization=AWS4-HMAC-SHA256 " +
				"Credential=AKIAIOSFODNN7EXAMPLE/20260314/us-east-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date",
		},
		{
			name: "fail/missing-date",
			sign: &signOpts{},
			tamper: func(r *http.Request) {
				r.Header.Del("X-Amz-Date")
				r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=A/B, SignedHeaders=host, Signature=00")
			},
			typ: typeIncompleteSignature,
			msg: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
				"Authorization=AWS4-HMAC-SHA256 Credential=A/B, SignedHeaders=host, Signature=00",
		},
		{
			name: "fail/bad-date",
			sign: &signOpts{},
			tamper: func(r *http.Request) {
				r.Header.Set("X-Amz-Date", "2026-03-14T09:26:53Z")
			},
			typ: typeIncompleteSignature,
			msg: "Date must be in ISO-8601 'basic format'. Got '2026-03-14T09:26:53Z'. See http://en.wikipedia.org/wiki/ISO_8601",
		},
		{
			name: "fail/missing-equal-sign",
			sign: &signOpts{},
			tamper: func(r *http.Request) {
				r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), testKeyID+"/", testKeyID+" /", 1))
			},
			typ: typeIncompleteSignature,
			msg: "'/20260314/us-east-1/cognito-idp/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE /20260314/us-east-1/cognito-idp/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-target, Signature=",
		},
		{
			name: "fail/unsupported-algorithm",
			sign: &signOpts{},
			tamper: func(r *http.Request) {
				r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512", 1))
			},
			typ: typeIncompleteSignature,
			msg: "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). ",
		},
		{
			name: "fail/credential-four-parts",
			sign: &signOpts{},
			tamper: func(r *http.Request) {
				r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/aws4_request", "", 1))
			},
			typ: typeIncompleteSignature,
			msg: "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIAIOSFODNN7EXAMPLE/20260314/us-east-1/cognito-idp'",
		},
		{
			name: "fail/duplicate-parameter",
			sign: &signOpts{},
			tamper: func(r *http.Request) {
				r.Header.Set("Authorization", r.Header.Get("Authorization")+", Signature=00")
			},
			typ: typeIncompleteSignature,
			msg: "Authorization header has more than one 'Signature' parameter. Authorization=",
		},
		{
			name: "fail/session-token",
			sign: &signOpts{token: "FwoGZXIvYXdzEXAMPLETOKEN"},
			typ:  typeUnrecognizedClient, msg: "The security token included in the request is invalid.",
		},
		{
			name: "fail/unsigned-payload",
			prepare: func(r *http.Request) {
				r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
			},
			sign: &signOpts{payloadHash: "UNSIGNED-PAYLOAD"},
			typ:  typeInvalidSignature, msg: mismatch,
		},
		{
			name: "fail/content-sha256-mismatch",
			prepare: func(r *http.Request) {
				r.Header.Set("X-Amz-Content-Sha256", bodyHash(`{"other":true}`))
			},
			sign: &signOpts{payloadHash: bodyHash(`{"other":true}`)},
			typ:  typeInvalidSignature, msg: mismatch,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := adminRequest(t, "us-east-1", testBody)
			if c.prepare != nil {
				c.prepare(req)
			}
			if c.sign != nil {
				sdkSign(t, req, testBody, *c.sign)
			}
			if c.tamper != nil {
				c.tamper(req)
			}
			v := testVerifier()
			if c.verifier != nil {
				c.verifier(v)
			}
			body := c.body
			if body == "" {
				body = testBody
			}
			id, err := v.Verify(req, []byte(body))
			if err == nil {
				t.Fatalf("Verify succeeded with %+v, want %s", id, c.typ)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error: got %T %v, want *Error", err, err)
			}
			if e.Type != c.typ {
				t.Errorf("Type: got %q, want %q", e.Type, c.typ)
			}
			// Messages that echo the Authorization header end with the
			// signature, which differs per run for some cases: compare the
			// fixed prefix where the case says so.
			if strings.HasSuffix(c.msg, "Signature=") || strings.HasSuffix(c.msg, "Authorization=") {
				if !strings.HasPrefix(e.Message, c.msg) {
					t.Errorf("Message: got %q, want prefix %q", e.Message, c.msg)
				}
			} else if e.Message != c.msg {
				t.Errorf("Message: got %q, want %q", e.Message, c.msg)
			}
			if strings.Contains(e.Message, testSecret) || strings.Contains(err.Error(), testSecret) {
				t.Errorf("error leaks the secret: %q", e.Message)
			}
			if id != (Identity{}) {
				t.Errorf("identity on failure: got %+v, want zero", id)
			}
		})
	}
}

func TestErrorString(t *testing.T) {
	err := error(&Error{Type: typeInvalidSignature, Message: "boom"})
	if got, want := err.Error(), "InvalidSignatureException: boom"; got != want {
		t.Errorf("Error(): got %q, want %q", got, want)
	}
}

func TestNilRequest(t *testing.T) {
	_, err := testVerifier().Verify(nil, nil)
	assertError(t, err, typeMissingToken, msgMissingToken)
}

// TestDateHeader checks a request dated by the Date header alone (no
// X-Amz-Date), in both accepted spellings.
func TestDateHeader(t *testing.T) {
	for _, date := range []string{"20260314T092653Z", "Sat, 14 Mar 2026 09:26:53 GMT"} {
		t.Run(date, func(t *testing.T) {
			req := adminRequest(t, "us-east-1", testBody)
			req.Header.Set("Date", date)
			signed := "content-type;date;host;x-amz-target"
			creq := canonicalRequest("POST", "/", "", canonicalHeaders(req, strings.Split(signed, ";")), signed, bodyHash(testBody))
			scope := "20260314/us-east-1/cognito-idp/aws4_request"
			sig := hex.EncodeToString(hmacSHA256(signingKey(testSecret, "20260314", "us-east-1", testService),
				[]byte(stringToSign("20260314T092653Z", scope, creq))))
			req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+testKeyID+"/"+scope+", SignedHeaders="+signed+", Signature="+sig)
			id, err := testVerifier().Verify(req, []byte(testBody))
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if !id.Date.Equal(testNow) {
				t.Errorf("Date: got %v, want %v", id.Date, testNow)
			}
		})
	}
}

func TestParseRequestTime(t *testing.T) {
	for _, c := range []struct {
		in       string
		dateHdr  bool
		ok       bool
		wantTime string
		wantISO  bool // the value is the string to sign's own spelling
	}{
		{"20150830T123600Z", false, true, "20150830T123600Z", true},
		{"20150830T123600Z", true, true, "20150830T123600Z", true},
		{"20150830T123600", false, false, "", false},
		{"20150830T1236Z", false, false, "", false},
		{"20150832T123600Z", false, false, "", false},
		{"20150830T243600Z", false, false, "", false},
		{" 20150830T123600Z", false, false, "", false},
		{"2015-08-30T12:36:00Z", false, false, "", false},
		{"Sun, 30 Aug 2015 12:36:00 GMT", false, false, "", false},
		{"Sun, 30 Aug 2015 12:36:00 GMT", true, true, "20150830T123600Z", false},
		{"yesterday", true, false, "", false},
	} {
		got, iso, ok := parseRequestTime(c.in, c.dateHdr)
		if ok != c.ok {
			t.Errorf("parseRequestTime(%q, %v): got ok %v, want %v", c.in, c.dateHdr, ok, c.ok)
			continue
		}
		if ok && iso != c.wantISO {
			t.Errorf("parseRequestTime(%q, %v): iso %v, want %v", c.in, c.dateHdr, iso, c.wantISO)
		}
		if ok && got.Format(isoBasic) != c.wantTime {
			t.Errorf("parseRequestTime(%q, %v): got %q, want %q", c.in, c.dateHdr, got.Format(isoBasic), c.wantTime)
		}
	}
}
