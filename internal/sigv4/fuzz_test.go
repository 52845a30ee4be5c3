package sigv4

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fuzzRequest builds the same cognito-idp admin request for every input,
// varying only Authorization, X-Amz-Date and the body.
func fuzzRequest(auth, amzDate string, body []byte) *http.Request {
	h := http.Header{}
	h.Set("Content-Type", "application/x-amz-json-1.1")
	h.Set("X-Amz-Target", testTarget)
	if len(body) > 0 {
		h.Set("Content-Length", strconv.Itoa(len(body)))
	}
	if amzDate != "" {
		h.Set("X-Amz-Date", amzDate)
	}
	if auth != "" {
		h.Set("Authorization", auth)
	}
	return &http.Request{
		Method:        http.MethodPost,
		RequestURI:    "/",
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Host:          "cognito-idp.us-east-1.amazonaws.com",
		ContentLength: int64(len(body)),
		Body:          http.NoBody,
	}
}

// sdkAuthorization signs fuzzRequest's request with the AWS SDK and returns
// its Authorization header.
func sdkAuthorization(t testing.TB, region string, at time.Time, body []byte) string {
	t.Helper()
	req := adminRequest(t, "us-east-1", string(body))
	req.Host = "cognito-idp.us-east-1.amazonaws.com"
	sdkSign(t, req, string(body), signOpts{region: region, at: at})
	return req.Header.Get("Authorization")
}

func FuzzVerify(f *testing.F) {
	date := testNow.Format(isoBasic)
	for _, s := range []struct {
		region string
		at     time.Time
		body   string
	}{
		{"us-east-1", testNow, testBody},
		{"eu-central-2", testNow, `{}`},
		{"us-gov-west-1", testNow.Add(-4 * time.Minute), `{"Username":"ünïcødé"}`},
		{"cn-north-1", testNow.Add(3 * time.Minute), ``},
	} {
		auth := sdkAuthorization(f, s.region, s.at, []byte(s.body))
		d := s.at.Format(isoBasic)
		f.Add(auth, d, []byte(s.body))
		f.Add(auth, d, []byte(s.body+" "))                                              // tampered body
		f.Add(strings.Replace(auth, "Signature=", "Signature=0", 1), d, []byte(s.body)) // bad signature
		f.Add(strings.Replace(auth, ", ", ",", -1), d, []byte(s.body))                  // tight separators
		f.Add(strings.Replace(auth, "host;", "", 1), d, []byte(s.body))                 // host not signed
		f.Add(auth, "", []byte(s.body))                                                 // no date
	}
	for _, auth := range []string{
		"",
		"garbage",
		"Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig",
		"AWS4-",
		"AWS4-HMAC-SHA256",
		"AWS4-HMAC-SHA256 ",
		"AWS4-HMAC-SHA256 Credential=, SignedHeaders=, Signature=",
		"AWS4-HMAC-SHA256 Credential=a/b/c/d/e/, SignedHeaders=host, Signature=00",
		"AWS4-HMAC-SHA256 Credential=" + testKeyID + "/20260314/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=",
		"AWS4-HMAC-SHA256 Credential=" + testKeyID + "/20260314/us-east-1/cognito-idp/aws4_request, SignedHeaders=HOST;;x-amz-date;, Signature=ab",
		"AWS4-HMAC-SHA256 Credential=" + testKeyID + " /20260314/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=ab",
		"AWS4-HMAC-SHA256 Credential=" + testKeyID + "/20260314/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=ab, Signature=cd",
		"AWS4-HMAC-SHA512 Credential=x/20260314/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=ab",
		"AWS4-HMAC-SHA256 Credential=x/20260314/../cognito-idp/aws4_request, SignedHeaders=host, Signature=ab",
		"AWS4-HMAC-SHA256\tCredential=x/20260314/us-east-1/cognito-idp/aws4_request,\tSignedHeaders=host,\tSignature=ab",
		"AWS4-HMAC-SHA256 Credential=\x00/\xff/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=ab",
	} {
		f.Add(auth, date, []byte(testBody))
	}
	for _, d := range []string{"", "2026", "20260314T092653", "20260314T092653ZZ", "20261314T092653Z", "99991231T235959Z", "00010101T000000Z", "Sat, 14 Mar 2026 09:26:53 GMT"} {
		f.Add(sdkAuthorization(f, "us-east-1", testNow, []byte(testBody)), d, []byte(testBody))
	}

	v := testVerifier()
	f.Fuzz(func(t *testing.T, auth, amzDate string, body []byte) {
		req := fuzzRequest(auth, amzDate, body)
		id, err := v.Verify(req, body)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error: got %T %v, want *Error", err, err)
			}
			switch e.Type {
			case typeMissingToken, typeIncompleteSignature, typeInvalidSignature, typeUnrecognizedClient:
			default:
				t.Fatalf("Type: got %q, want a known exception", e.Type)
			}
			if e.Message == "" {
				t.Fatalf("empty message for %s", e.Type)
			}
			if strings.Contains(e.Message, testSecret) || strings.Contains(e.Message, dummySecret) {
				t.Fatalf("message leaks a secret: %q", e.Message)
			}
			if id != (Identity{}) {
				t.Fatalf("identity on failure: got %+v, want zero", id)
			}
			return
		}

		// Success: the identity must be the one the header claims, at the
		// time X-Amz-Date says, within the skew.
		if id.AccessKeyID != testKeyID {
			t.Fatalf("AccessKeyID: got %q, want %q", id.AccessKeyID, testKeyID)
		}
		if !regionShaped(id.Region) {
			t.Fatalf("Region: got %q, not a region name", id.Region)
		}
		if got := id.Date.Format(isoBasic); got != amzDate {
			t.Fatalf("Date: got %q, want %q", got, amzDate)
		}
		if d := id.Date.Sub(testNow); d > 5*time.Minute || d < -5*time.Minute {
			t.Fatalf("Date %v is %v from now, beyond the skew", id.Date, d)
		}
		scope := "Credential=" + id.AccessKeyID + "/" + id.Date.Format(scopeDate) + "/" + id.Region + "/" + testService + "/" + terminator
		if !strings.Contains(auth, scope) {
			t.Fatalf("Authorization %q does not carry %q", auth, scope)
		}

		// Independent oracle: the AWS SDK signing the same request must
		// produce the same signature when it signs the same headers.
		p, err := parseAuthorization(strings.TrimSpace(auth))
		if err != nil {
			t.Fatalf("accepted header does not parse: %v", err)
		}
		sdk, err := parseAuthorization(sdkAuthorization(t, id.Region, id.Date, body))
		if err != nil {
			t.Fatal(err)
		}
		if sdk.signedHeaders == p.signedHeaders && sdk.signature != p.signature {
			t.Fatalf("Signature: got %q accepted, the SDK computes %q", p.signature, sdk.signature)
		}
	})
}

// FuzzParseISOBasic: the hand-written X-Amz-Date parser accepts exactly
// what time.Parse accepts and formats back unchanged, with the same time.
func FuzzParseISOBasic(f *testing.F) {
	for _, s := range []string{"20260304T050607Z", "20260230T000000Z", "20261301T000000Z", "2026030AT050607Z",
		"20260304T240000Z", "00000101T000000Z", "20240229T235959Z", "20230229T000000Z", "+0260304T050607Z", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseISOBasic(s)
		want, err := time.Parse(isoBasic, s)
		wantOK := err == nil && want.Format(isoBasic) == s
		if ok != wantOK || (ok && !got.Equal(want)) {
			t.Fatalf("parseISOBasic(%q) = %v, %v; time.Parse: %v, %v (%v)", s, got, ok, want, wantOK, err)
		}
	})
}

// FuzzSplitInto holds splitInto to strings.Split, whatever the array it
// starts from.
func FuzzSplitInto(f *testing.F) {
	for _, s := range []string{"", "host", "host;x-amz-date", ";;", "a/b/c/d/e/", "/"} {
		f.Add(s, byte(';'))
	}
	f.Fuzz(func(t *testing.T, s string, sep byte) {
		var buf [2]string
		got := splitInto(buf[:0], s, sep)
		if want := strings.Split(s, string([]byte{sep})); !slices.Equal(got, want) {
			t.Fatalf("splitInto(%q, %q) = %q, strings.Split: %q", s, sep, got, want)
		}
	})
}
