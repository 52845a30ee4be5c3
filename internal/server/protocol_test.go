package server

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
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

func TestOversizedBody(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	r := ts.raw(t, "CreateUserPool", `{"PoolName":"`+strings.Repeat("a", 2<<20)+`"}`)
	if r.Status != 400 || r.Body["__type"] != "SerializationException" {
		t.Errorf("got %d %.200s", r.Status, r.Raw)
	}
}
