package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/awsjson"
	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/metrics"
)

// discardWriter is a ResponseWriter that keeps nothing, so that the
// benchmark below measures the middleware and not a recorder.
type discardWriter struct{ h http.Header }

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(int)             {}

// BenchmarkObservation measures what metrics and the access log add to
// one token request, around a handler that does nothing but answer: the
// middleware's own cost, without HTTP or signing.
func BenchmarkObservation(b *testing.B) {
	body := []byte(`{"access_token":"x","expires_in":3600,"token_type":"Bearer"}`)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /{pool}/oauth2/token", func(w http.ResponseWriter, r *http.Request) { w.Write(body) })
	discard := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, c := range []struct {
		name      string
		metrics   bool
		accessLog bool
	}{{"none", false, false}, {"metrics", true, false}, {"access-log", false, true}, {"metrics+access-log", true, true}} {
		b.Run(c.name, func(b *testing.B) {
			var m *metrics.Metrics
			if c.metrics {
				m = metrics.New(awsjson.Operations())
			}
			h := withObservation(discard, c.accessLog, m, mux)
			req, _ := http.NewRequest(http.MethodPost, "http://localhost/us-east-1_abcdefghi/oauth2/token", nil)
			req.RemoteAddr = "127.0.0.1:54321"
			req.Header.Set("User-Agent", "Go-http-client/1.1")
			w := &discardWriter{h: http.Header{}}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				h.ServeHTTP(w, req)
			}
		})
	}
}

// BenchmarkTokenEndpointObserved is BenchmarkTokenEndpoint with metrics
// (store wrapped) and the access log on, logging to nowhere: compare the
// two for the whole cost on the token endpoint.
func BenchmarkTokenEndpointObserved(b *testing.B) {
	m := metrics.New(awsjson.Operations())
	ts := newTestServerWith(b, cognito.Limits{}, func(c *cognito.Config) { c.Store = m.WrapStore(c.Store) }, func(c *Config) {
		c.Metrics, c.AccessLog, c.Logger = m, true, slog.New(slog.NewTextHandler(io.Discard, nil))
	})
	c := ts.client("us-east-1")
	poolID := createPool(b, c, "m2m")
	ctx := context.Background()
	if _, err := c.CreateResourceServer(ctx, photoServer(poolID)); err != nil {
		b.Fatal(err)
	}
	out, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(poolID), ClientName: aws.String("machine"), GenerateSecret: true,
		AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials}, AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthScopes: []string{"com.example.photos/read"},
	})
	if err != nil {
		b.Fatal(err)
	}
	tokenURL := ts.URL + "/" + poolID + "/oauth2/token"
	id, secret := *out.UserPoolClient.ClientId, *out.UserPoolClient.ClientSecret
	body := "grant_type=client_credentials&scope=com.example.photos%2Fread"
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodPost, tokenURL, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.SetBasicAuth(id, secret)
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Fatalf("status %d", resp.StatusCode)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
}
