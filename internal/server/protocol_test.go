package server

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitod/cognitod/internal/cognito"
)

// TestAuthentication: each SigV4 failure gets its own AWS exception, all
// with status 400, through the real SDK where it can send the request.
func TestAuthentication(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	ctx := context.Background()
	in := &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)}

	_, err := ts.clientWith("us-east-1", "AKIDUNKNOWN000000000", testSecret).ListUserPools(ctx, in)
	wantAPIError(t, err, "UnrecognizedClientException", "The security token included in the request is invalid.")

	_, err = ts.clientWith("us-east-1", testKeyID, "wrong-secret").ListUserPools(ctx, in)
	wantAPIError(t, err, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")

	if _, err := ts.client("us-east-1").ListUserPools(ctx, in); err != nil {
		t.Fatalf("valid signature: %v", err)
	}

	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/", strings.NewReader(`{"MaxResults":10}`))
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.ListUserPools")
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	r := do(t, req)
	if r.Status != 400 || r.Raw != `{"__type":"MissingAuthenticationTokenException","message":"Missing Authentication Token"}` {
		t.Errorf("unsigned request: got %d %s", r.Status, r.Raw)
	}
}

func TestTamperedBodyRejected(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	// Sign one body, send another.
	rt := &tamperTransport{next: http.DefaultTransport}
	c := cip.New(cip.Options{Region: "us-east-1", BaseEndpoint: aws.String(ts.URL), RetryMaxAttempts: 1,
		Credentials: ts.client("us-east-1").Options().Credentials, HTTPClient: &http.Client{Transport: rt}})
	_, err := c.ListUserPools(context.Background(), &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
	wantAPIError(t, err, "InvalidSignatureException", "")
}

type tamperTransport struct{ next http.RoundTripper }

func (tt *tamperTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	body := []byte(`{"MaxResults":11}`)
	r = r.Clone(r.Context())
	r.Body = nopCloser{bytes.NewReader(body)}
	r.ContentLength = int64(len(body))
	return tt.next.RoundTrip(r)
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

func TestMissingTarget(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	r := ts.raw(t, "", `{}`)
	if r.Status != 400 || r.Body["code"] != "BadRequest" || r.Body["message"] != "The server did not understand the operation that was requested." {
		t.Errorf("got %d %s", r.Status, r.Raw)
	}
}

func TestHealthz(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	for _, path := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d", path, resp.StatusCode)
		}
	}
}

// TestOversizedBody: a body over 1 MiB is refused with the same error
// whether its length is declared (refused before it is read) or it comes
// chunked (refused once the limit is passed); one of exactly 1 MiB and a
// small chunked one are read whole, so the limit is not off by one and
// chunked bodies are not refused as such.
func TestOversizedBody(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	const limit = 1 << 20
	const wantMsg = "Request body is larger than 1048576 bytes"
	poolName := func(total int) string { // a CreateUserPool body of total bytes
		const frame = `{"PoolName":""}`
		return `{"PoolName":"` + strings.Repeat("a", total-len(frame)) + `"}`
	}
	chunked := func(body string) *http.Request { // signed with no length: sent chunked
		req := signedRequest(t, ts, "CreateUserPool", "")
		req.Body = io.NopCloser(strings.NewReader(body))
		req.ContentLength = -1
		sum := sha256.Sum256([]byte(body))
		creds := aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret}
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "cognito-idp", "us-east-1", time.Now()); err != nil {
			t.Fatal(err)
		}
		return req
	}
	for name, c := range map[string]struct {
		req          *http.Request
		status       int
		typ, message string
	}{
		"declared, over":     {signedRequest(t, ts, "CreateUserPool", poolName(limit+1)), 400, "SerializationException", wantMsg},
		"chunked, over":      {chunked(poolName(2 * limit)), 400, "SerializationException", wantMsg},
		"declared, at limit": {signedRequest(t, ts, "CreateUserPool", poolName(limit)), 400, "InvalidParameterException", ""},
		"chunked, small":     {chunked(`{"PoolName":"chunked"}`), 200, "", ""},
	} {
		r := do(t, c.req)
		if r.Status != c.status || (c.typ != "" && r.Body["__type"] != c.typ) || (c.message != "" && r.Body["Message"] != c.message) {
			t.Errorf("%s: got %d %.300s", name, r.Status, r.Raw)
		}
	}
}

// TestShortBody: a client that declares more body than it sends and then
// stops writing gets a SerializationException, not a request decoded from
// the part that came.
func TestShortBody(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	conn, err := net.Dial("tcp", strings.TrimPrefix(ts.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: AWSCognitoIdentityProviderService.InitiateAuth\r\nContent-Length: 100\r\n\r\n{\"AuthFlow\":\"USER_PASSWORD_AUTH\"}")
	conn.(*net.TCPConn).CloseWrite()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 400 || !strings.Contains(string(b), `"__type":"SerializationException"`) {
		t.Errorf("got %d %s", resp.StatusCode, b)
	}
}
