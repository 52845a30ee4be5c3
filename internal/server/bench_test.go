package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/token"
)

// BenchmarkCreateResourceServer measures CreateResourceServer through the
// whole stack: the AWS SDK signing, HTTP on loopback, SigV4 verification,
// validation, and a durable SQLite commit.
func BenchmarkCreateResourceServer(b *testing.B) {
	ts := newTestServer(b, cognito.Limits{ResourceServersPerPool: 1 << 30})
	c := ts.client("us-east-1")
	poolID := createPool(b, c, "bench")
	ctx := context.Background()
	var n atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			in := photoServer(poolID)
			in.Identifier = aws.String(fmt.Sprint("com.example.api", n.Add(1)))
			if _, err := c.CreateResourceServer(ctx, in); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
}

// BenchmarkListResourceServers measures a 25-server page.
func BenchmarkListResourceServers(b *testing.B) {
	ts := newTestServer(b, cognito.Limits{})
	c := ts.client("us-east-1")
	poolID := createPool(b, c, "bench")
	ctx := context.Background()
	for i := range 25 {
		in := photoServer(poolID)
		in.Identifier = aws.String(fmt.Sprint("com.example.api", i))
		if _, err := c.CreateResourceServer(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			out, err := c.ListResourceServers(ctx, &cip.ListResourceServersInput{UserPoolId: aws.String(poolID), MaxResults: aws.Int32(50)})
			if err != nil || len(out.ResourceServers) != 25 {
				b.Fatal(err)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
}

// BenchmarkTokenEndpoint measures client credentials tokens through the
// whole HTTP stack (client and server in this process): compare with
// BenchmarkMintClientCredentials in internal/token to see what HTTP adds.
// It runs once per signer the binary has (crypto/rsa; OpenSSL with cgo).
func BenchmarkTokenEndpoint(b *testing.B) {
	for _, sg := range testSigners(b) {
		b.Run(sg.name, func(b *testing.B) { benchmarkTokenEndpoint(b, sg.newSigner) })
	}
}

func benchmarkTokenEndpoint(b *testing.B, newSigner token.NewSigner) {
	m := newM2MBenchWith(b, func(c *Config) { c.NewSigner = newSigner })
	b.ReportAllocs()
	driveTokens(b, m)
}

// driveTokens asks m's token endpoint for client credentials tokens from
// parallel goroutines for b.N requests, each answered 200, and reports
// tokens/s.
func driveTokens(b *testing.B, m *m2m) {
	body := "grant_type=client_credentials&scope=com.example.photos%2Fread"
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodPost, m.tokenURL(), strings.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.SetBasicAuth(m.clientID, m.secret)
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
