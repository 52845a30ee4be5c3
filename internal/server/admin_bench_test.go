package server

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/sigv4"
)

// BenchmarkSignedReadHandler is the server's own work for one signed
// DescribeResourceServer and ListResourceServers, without a network or a
// client: the request is signed once (as `cognitod bench admin` re-signs
// only once a second), and each iteration runs the whole handler chain
// (observation, SigV4 verification in full, quotas, validation, the
// policy check, the read, the JSON answer) into a recorder. Compare with
// `cognitod bench admin`, whose remainder is net/http and the kernel.
func BenchmarkSignedReadHandler(b *testing.B) {
	ts := newTestServer(b, cognito.Limits{})
	c := ts.client("us-east-1")
	poolID := createPool(b, c, "bench")
	if _, err := c.CreateResourceServer(context.Background(), photoServer(poolID)); err != nil {
		b.Fatal(err)
	}
	h := ts.http.Config.Handler
	for _, op := range []struct{ name, body string }{
		{"DescribeResourceServer", `{"UserPoolId":"` + poolID + `","Identifier":"com.example.photos"}`},
		{"ListResourceServers", `{"UserPoolId":"` + poolID + `","MaxResults":50}`},
	} {
		b.Run(op.name, func(b *testing.B) {
			body := []byte(op.body)
			req := httptest.NewRequest(http.MethodPost, ts.URL+"/", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/x-amz-json-1.1")
			req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+op.name)
			sigv4.Sign(req, body, testKeyID, testSecret, "us-east-1", "cognito-idp", time.Now())
			b.ReportAllocs()
			for b.Loop() {
				r := req.Clone(req.Context())
				r.Body = readerOf(body)
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				if w.Code != http.StatusOK {
					b.Fatalf("%d %s", w.Code, w.Body)
				}
			}
		})
	}
}

// readerOf is a request body over b.
func readerOf(b []byte) *bodyReader { return &bodyReader{Reader: bytes.NewReader(b)} }

type bodyReader struct{ *bytes.Reader }

func (*bodyReader) Close() error { return nil }
