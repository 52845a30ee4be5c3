package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/ratelimit"
	"github.com/cognitod/cognitod/internal/sdktest"
	"github.com/cognitod/cognitod/internal/store/sqlite"
)

const (
	testKeyID  = "AKIDCOGNITODTEST0001"
	testSecret = "cognitod-test-secret-access-key-0000000000"
)

type testServer struct {
	URL  string
	svc  *cognito.Service
	http *httptest.Server
	// log holds what the service logged: the temporary passwords and
	// confirmation codes cognitod "sends" users.
	log *syncBuffer
	// dbPath is the SQLite file, for tests that tamper with rows as an
	// attacker with write access to the database would.
	dbPath string
}

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newTestServer starts cognitod on a loopback port over a fresh SQLite
// file, with a known root access key.
func newTestServer(t testing.TB, limits cognito.Limits) *testServer {
	t.Helper()
	return newTestServerWith(t, limits, nil, nil)
}

// newTestServerWith is newTestServer with hooks to change the service's
// cognito.Config (its clock, message sender, ...) and the server's Config;
// either may be nil.
func newTestServerWith(t testing.TB, limits cognito.Limits, service func(*cognito.Config), configure func(*Config)) *testServer {
	t.Helper()
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "cognitod.db")
	store, err := sqlite.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	sealer, err := cognito.NewSealer(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	svcCfg := cognito.Config{Store: store, Sealer: sealer, Limits: limits, Logger: slog.New(slog.NewTextHandler(logs, nil))}
	if service != nil {
		service(&svcCfg)
	}
	hs := httptest.NewUnstartedServer(nil)
	publicURL := "http://" + hs.Listener.Addr().String()
	// The harness makes many pools and clients in a moment: quotas are
	// off unless a test sets Limits (the per-source limits stay on, at
	// their defaults, as in production).
	cfg := Config{Cognito: svcCfg, PublicURL: publicURL, Limits: ratelimit.New(RateLimits(QuotaOptions{Off: true}))}
	if configure != nil {
		configure(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	svc := srv.Service()
	if err := svc.EnsureAccessKey(ctx, testKeyID, testSecret); err != nil {
		t.Fatal(err)
	}
	hs.Config.Handler = srv.Handler()
	hs.Start()
	t.Cleanup(hs.Close)
	return &testServer{URL: hs.URL, svc: svc, http: hs, log: logs, dbPath: dbPath}
}

// client returns an AWS SDK for Go v2 client for region, signing with the
// given credentials.
func (ts *testServer) clientWith(region, keyID, secret string) *cip.Client {
	return cip.New(cip.Options{
		Region:       region,
		BaseEndpoint: aws.String(ts.URL),
		Credentials:  credentials.NewStaticCredentialsProvider(keyID, secret, ""),
		// No retries: every test asserts the first answer.
		RetryMaxAttempts: 1,
		HTTPClient:       sdktest.Client(), // no retry: no closed-connection race either
	})
}

func (ts *testServer) client(region string) *cip.Client {
	return ts.clientWith(region, testKeyID, testSecret)
}

// rawResponse is an HTTP answer of the API.
type rawResponse struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    string
}

// raw sends body to operation, SigV4-signed as the SDKs sign, bypassing
// the SDK's own client-side checks, so that the server's are tested.
func (ts *testServer) raw(t testing.TB, operation, body string) rawResponse {
	t.Helper()
	return do(t, signedRequest(t, ts, operation, body))
}

// signedRequest builds a request to operation signed with the test key.
func signedRequest(t testing.TB, ts *testServer, operation, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, ts.URL+"/", bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	if operation != "" {
		req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+operation)
	}
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "cognito-idp", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	return req
}

func do(t testing.TB, req *http.Request) rawResponse {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	out := rawResponse{Status: resp.StatusCode, Header: resp.Header, Raw: string(b)}
	if len(b) > 0 {
		if err := json.Unmarshal(b, &out.Body); err != nil {
			t.Fatalf("response is not JSON: %q", b)
		}
	}
	return out
}

// apiError returns the code and message of an SDK error.
func apiError(t testing.TB, err error) (code, message string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("got error %v (%T), want an API error", err, err)
	}
	return ae.ErrorCode(), ae.ErrorMessage()
}

// wantAPIError fails unless err is the exception code with message (any
// message when message is "").
func wantAPIError(t testing.TB, err error, code, message string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got nil error, want %s", code)
	}
	gotCode, gotMsg := apiError(t, err)
	if gotCode != code || (message != "" && gotMsg != message) {
		t.Fatalf("got %s %q, want %s %q", gotCode, gotMsg, code, message)
	}
}
