// Package sdktest holds what tests need to drive cognitod with the AWS SDK
// for Go v2 and see every answer as the server sent it. It is imported by
// tests only.
package sdktest

import (
	"bytes"
	"io"
	"net/http"
)

// BufferedBodies is a RoundTripper that hands net/http a copy of each
// request body. smithy-go closes the body it built as soon as the response
// headers arrive, while net/http's write loop may still read it (to check
// it is at its end); on a loopback server that answers at once, about one
// call in 1,500 then has its connection closed under the response body
// ("use of closed network connection", aws/aws-sdk-go-v2#2737). The SDK
// retries that by default; tests that allow no retry take the race away
// instead.
type BufferedBodies struct{ Next http.RoundTripper }

// RoundTrip sends r with its body read into memory first.
func (b BufferedBodies) RoundTrip(r *http.Request) (*http.Response, error) {
	next := b.Next
	if next == nil {
		next = http.DefaultTransport
	}
	if r.Body == nil || r.Body == http.NoBody {
		return next.RoundTrip(r)
	}
	body, err := io.ReadAll(r.Body)
	r.Body.Close()
	if err != nil {
		return nil, err
	}
	r = r.Clone(r.Context())
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	return next.RoundTrip(r)
}

// Client is an HTTP client for SDK clients that allow no retry.
func Client() *http.Client { return &http.Client{Transport: BufferedBodies{}} }
