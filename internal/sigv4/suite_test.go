package sigv4

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
)

const (
	suiteKeyID  = "AKIDEXAMPLE"
	suiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	suiteTime   = "20150830T123600Z"
	suiteScope  = "20150830/us-east-1/service/aws4_request"
)

type suiteVector struct {
	name                    string
	req, creq, sts, authz   string
	hasCreq, hasSts, hasReq bool
}

// loadSuite reads testdata/aws-sig-v4-test-suite.txt: "-- NAME.EXT --"
// markers, each followed by the file's lines.
func loadSuite(t *testing.T) []suiteVector {
	t.Helper()
	data, err := os.ReadFile("testdata/aws-sig-v4-test-suite.txt")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	var order []string
	var cur string
	var buf []string
	flush := func() {
		if cur != "" {
			files[cur] = strings.Join(buf, "\n")
		}
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "-- ") && strings.HasSuffix(line, " --") && len(line) > 6 {
			flush()
			cur, buf = line[3:len(line)-3], nil
			order = append(order, cur)
			continue
		}
		if cur != "" {
			buf = append(buf, line)
		}
	}
	flush()
	if last := order[len(order)-1]; strings.HasSuffix(files[last], "\n") {
		files[last] = strings.TrimSuffix(files[last], "\n")
	}

	var out []suiteVector
	seen := map[string]bool{}
	for _, f := range order {
		name := f[:strings.LastIndexByte(f, '.')]
		if seen[name] {
			continue
		}
		seen[name] = true
		v := suiteVector{name: name}
		v.req, v.hasReq = files[name+".req"]
		v.creq, v.hasCreq = files[name+".creq"]
		v.sts, v.hasSts = files[name+".sts"]
		v.authz = files[name+".authz"]
		if !v.hasReq || v.authz == "" {
			t.Fatalf("vector %s lacks .req or .authz", name)
		}
		out = append(out, v)
	}
	return out
}

// parseSuiteRequest turns a suite .req into the *http.Request Go's server
// would hand a handler: the request line is split at its first and last
// space (so "/example space/" survives), the headers are read with
// net/textproto (which folds continuation lines), Host moves to r.Host, and
// RequestURI keeps the target as sent.
func parseSuiteRequest(t *testing.T, raw string) (*http.Request, []byte) {
	t.Helper()
	head, body, _ := strings.Cut(raw, "\n\n")
	reqLine, hdrText, _ := strings.Cut(head, "\n")
	method, rest, _ := strings.Cut(reqLine, " ")
	sp := strings.LastIndexByte(rest, ' ')
	if sp < 0 {
		t.Fatalf("bad request line %q", reqLine)
	}
	target := rest[:sp]
	mh, err := textproto.NewReader(bufio.NewReader(strings.NewReader(hdrText + "\n\n"))).ReadMIMEHeader()
	if err != nil {
		t.Fatalf("headers: %v", err)
	}
	h := http.Header(mh)
	host := h.Get("Host")
	h.Del("Host")
	u, err := url.ParseRequestURI(target)
	if err != nil {
		p, q, _ := strings.Cut(target, "?")
		u = &url.URL{Path: p, RawQuery: q}
	}
	return &http.Request{
		Method:        method,
		URL:           u,
		RequestURI:    target,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Host:          host,
		ContentLength: int64(len(body)),
		Body:          http.NoBody,
	}, []byte(body)
}

func suiteVerifier() *Verifier {
	now, _ := time.Parse(isoBasic, suiteTime)
	return &Verifier{
		Service: "service",
		Lookup: func(id string) (string, bool) {
			if id == suiteKeyID {
				return suiteSecret, true
			}
			return "", false
		},
		Now: func() time.Time { return now },
	}
}

func TestAWSSuite(t *testing.T) {
	vectors := loadSuite(t)
	if len(vectors) < 30 {
		t.Fatalf("loaded %d vectors, want at least 30", len(vectors))
	}
	for _, vec := range vectors {
		t.Run(vec.name, func(t *testing.T) {
			r, body := parseSuiteRequest(t, vec.req)
			p, err := parseAuthorization(vec.authz)
			if err != nil {
				t.Fatalf("parseAuthorization: %v", err)
			}

			payload := r.Header.Get(headerSHA256)
			if payload == "" {
				sum := sha256.Sum256(body)
				payload = hex.EncodeToString(sum[:])
			}
			uri := canonicalURIs(r)[0]
			creq := canonicalRequest(r.Method, uri, canonicalQuery(rawQuery(r)),
				canonicalHeaders(r, strings.Split(p.signedHeaders, ";")), p.signedHeaders, payload)
			if vec.hasCreq && creq != vec.creq {
				t.Errorf("canonical request:\ngot  %q\nwant %q", creq, vec.creq)
			}
			sts := stringToSign(suiteTime, suiteScope, creq)
			if vec.hasSts && sts != vec.sts {
				t.Errorf("string to sign:\ngot  %q\nwant %q", sts, vec.sts)
			}
			sig := hex.EncodeToString(hmacSHA256(signingKey(suiteSecret, "20150830", "us-east-1", "service"), []byte(sts)))
			if sig != p.signature {
				t.Errorf("signature: got %q, want %q", sig, p.signature)
			}

			r.Header.Set("Authorization", vec.authz)
			v := suiteVerifier()
			id, err := v.Verify(r, body)
			if r.Header.Get(headerToken) != "" {
				// The signature is right, but cognitod accepts no session tokens.
				assertError(t, err, typeUnrecognizedClient, msgUnknownKey)
				return
			}
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			want := Identity{AccessKeyID: suiteKeyID, Region: "us-east-1", Date: time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)}
			if id != want {
				t.Errorf("identity: got %+v, want %+v", id, want)
			}

			// One flipped signature digit must fail.
			bad := []byte(vec.authz)
			last := len(bad) - 1
			if bad[last] == '0' {
				bad[last] = '1'
			} else {
				bad[last] = '0'
			}
			r.Header.Set("Authorization", string(bad))
			_, err = v.Verify(r, body)
			assertError(t, err, typeInvalidSignature, msgSignatureDiffer)
		})
	}
}

func assertError(t *testing.T, err error, typ, msg string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error: got %v, want *Error %s", err, typ)
	}
	if e.Type != typ {
		t.Errorf("Type: got %q, want %q", e.Type, typ)
	}
	if e.Message != msg {
		t.Errorf("Message: got %q, want %q", e.Message, msg)
	}
}

func TestNormalizePath(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"/", "/"},
		{"//", "/"},
		{"/a/b", "/a/b"},
		{"/a/b/", "/a/b/"},
		{"//example//", "/example/"},
		{"/example/..", "/"},
		{"/example1/example2/../..", "/"},
		{"/./", "/"},
		{"/./example", "/example"},
		{"/a/./b/../c", "/a/c"},
		{"/a/.", "/a/"},
		{"/..", "/"},
	} {
		if got := normalizePath(c.in); got != c.want {
			t.Errorf("normalizePath(%q): got %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCanonicalQuery(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"b=2&a=1", "a=1&b=2"},
		{"a=2&a=1", "a=1&a=2"},
		{"a", "a="},
		{"a=&&b=", "a=&b="},
		{"k=a+b", "k=a%20b"},
		{"k=a%20b", "k=a%20b"},
		{"k=a%2Fb&k=a-b", "k=a%2Fb&k=a-b"},
		{"k=%zz", "k=%25zz"},
		{"Param-3=3&Param=2", "Param=2&Param-3=3"},
		{"k=;", "k=%3B"},
	} {
		if got := canonicalQuery(c.in); got != c.want {
			t.Errorf("canonicalQuery(%q): got %q, want %q", c.in, got, c.want)
		}
	}
}

func TestValidRegion(t *testing.T) {
	for _, r := range []string{
		"us-east-1", "us-west-2", "eu-central-2", "ap-southeast-3", "us-gov-west-1",
		"cn-north-1", "cn-northwest-1", "il-central-1", "us-isob-east-1", "eu-isoe-west-1",
		"me-south-1", "sa-east-1", "ca-west-1", "mx-central-1",
	} {
		if !regionShaped(r) {
			t.Errorf("regionShaped(%q): got false, want true", r)
		}
	}
	for _, r := range []string{
		"", "us", "us-east", "useast1", "US-EAST-1", "us-east-1a", "us_east_1", "u-east-1",
		"usa-east-1", "us--1", "us-east-", "-east-1", "us-east-1-", "us-east-1234", "us-ea st-1",
		"us-east-1\n", "not_a_region", "us-a-b-c-d-1", "../../etc", "us-east-١",
	} {
		if regionShaped(r) {
			t.Errorf("regionShaped(%q): got true, want false", r)
		}
	}
}

func TestTrimAll(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"  a  ", "a"},
		{"a   b    c", "a b c"},
		{"\ta b\t", "a b"},
		{`"a   b   c"`, `"a b c"`},
	} {
		if got := trimAll(c.in); got != c.want {
			t.Errorf("trimAll(%q): got %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCanonicalHeaders(t *testing.T) {
	r := &http.Request{
		Method:           http.MethodPost,
		Host:             "  example.com:8080 ",
		Header:           http.Header{},
		ContentLength:    42,
		TransferEncoding: []string{"chunked"},
	}
	r.Header.Add("X-Multi", " one ")
	r.Header.Add("X-Multi", "two   three")
	r.Header["x-multi"] = []string{"four"} // a key Go did not canonicalize
	r.Header["My_Header"] = []string{"odd"}
	names := []string{"content-length", "host", "my_header", "transfer-encoding", "x-missing", "X-Multi"}
	got := canonicalHeaders(r, names)
	want := "content-length:42\nhost:example.com:8080\nmy_header:odd\ntransfer-encoding:chunked\nx-missing:\nx-multi:one,two three,four\n"
	if got != want {
		t.Errorf("canonicalHeaders:\ngot  %q\nwant %q", got, want)
	}

	r.Header.Set("Content-Length", "7")
	if got, want := canonicalHeaders(r, []string{"content-length"}), "content-length:7\n"; got != want {
		t.Errorf("canonicalHeaders with a Content-Length header: got %q, want %q", got, want)
	}
}

func TestDistinctNames(t *testing.T) {
	for _, c := range []struct {
		in   string
		want bool
	}{
		{"host", true},
		{"content-type;host;x-amz-date", true},
		{"host;host", false},
		{"host;x-amz-date;HOST", false},
		{";", false},
	} {
		if got := distinctNames(strings.Split(c.in, ";")); got != c.want {
			t.Errorf("distinctNames(%q): got %v, want %v", c.in, got, c.want)
		}
	}
}

// TestRepeatedNamesCost makes sure a small header cannot make Verify build
// a huge canonical request out of one large header value.
func TestRepeatedNamesCost(t *testing.T) {
	r := &http.Request{Method: http.MethodPost, RequestURI: "/", Host: "example.amazonaws.com", Header: http.Header{}}
	r.Header.Set("X-Big", strings.Repeat("a", 512<<10))
	r.Header.Set("X-Amz-Date", suiteTime)
	names := "host" + strings.Repeat(";x-big", 50000)
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+suiteKeyID+"/"+suiteScope+", SignedHeaders="+names+", Signature=00")
	start := time.Now()
	_, err := suiteVerifier().Verify(r, nil)
	assertError(t, err, typeInvalidSignature, msgSignatureDiffer)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Verify took %v", d)
	}
}
