package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitod/cognitod/internal/sdktest"
)

// trusting is an HTTP client that trusts only the CA in caFile; with
// dialTo set it connects there whatever the URL's host.
func trusting(t *testing.T, caFile, dialTo string) *http.Client {
	t.Helper()
	pem, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		t.Fatalf("%s holds no certificate", caFile)
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}, ForceAttemptHTTP2: true}
	if dialTo != "" {
		var d net.Dialer
		tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
			return d.DialContext(ctx, network, dialTo)
		}
	}
	return &http.Client{Transport: tr}
}

// tlsSDKClient is the SDK client of sdkClient over an HTTP client that
// trusts the development CA (never InsecureSkipVerify).
func tlsSDKClient(t *testing.T, dataDir, url string, hc *http.Client) *cip.Client {
	t.Helper()
	// The machine may name a CA bundle of its own; this client's trust
	// comes from hc alone.
	t.Setenv("AWS_CA_BUNDLE", "")
	cfg, err := config.LoadDefaultConfig(context.Background(),
		config.WithSharedCredentialsFiles([]string{filepath.Join(dataDir, "credentials")}),
		config.WithSharedConfigFiles([]string{}),
		config.WithSharedConfigProfile("cognitod"),
		config.WithRegion("us-east-1"), config.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	return cip.NewFromConfig(cfg, func(o *cip.Options) {
		o.BaseEndpoint = aws.String(url)
		o.RetryMaxAttempts = 1
		o.HTTPClient = &http.Client{Transport: sdktest.BufferedBodies{Next: hc.Transport}}
	})
}

// publicURL is the public URL the banner printed.
func (p *process) publicURL(t *testing.T) string {
	t.Helper()
	for _, l := range p.stdout {
		if _, rest, ok := strings.Cut(l, "(public URL "); ok {
			return strings.TrimSuffix(rest, ")")
		}
	}
	t.Fatalf("no public URL in %q", p.stdout)
	return ""
}

// TestServeSelfSigned: a real `cognitod serve --tls-self-signed` answers
// HTTPS with HTTP/2 on localhost, 127.0.0.1 and a pool domain host, prints
// how to trust its CA, defaults its public URL to https://localhost:<port>,
// serves the AWS SDK and the AWS CLI through the CA bundle, keeps its CA
// across restarts, and certifies no other name.
func TestServeSelfSigned(t *testing.T) {
	if testing.Short() {
		t.Skip("starts cognitod processes")
	}
	dataDir := t.TempDir()
	p := start(t, dataDir, "--addr", "127.0.0.1:0", "--tls-self-signed")
	caFile := filepath.Join(dataDir, "tls", "ca.pem")
	out := strings.Join(p.stdout, "\n")
	for _, v := range []string{"NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "AWS_CA_BUNDLE", "REQUESTS_CA_BUNDLE"} {
		if !strings.Contains(out, "export "+v+"="+caFile) {
			t.Errorf("the banner does not say export %s=%s:\n%s", v, caFile, out)
		}
	}
	if fi, err := os.Stat(filepath.Join(dataDir, "tls", "ca-key.pem")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("CA key: %v %v", err, fi)
	}
	if !strings.HasPrefix(p.url, "https://127.0.0.1:") {
		t.Fatalf("listening on %s", p.url)
	}
	port := strings.TrimPrefix(p.url, "https://127.0.0.1:")
	public := p.publicURL(t)
	if public != "https://localhost:"+port {
		t.Errorf("public URL %s, want https://localhost:%s", public, port)
	}
	hc := trusting(t, caFile, "")
	// (::1 is certified too, as the tlsconfig tests show; this server
	// listens on 127.0.0.1 only.)
	for _, u := range []string{public + "/healthz", p.url + "/healthz"} {
		resp, err := hc.Get(u)
		if err != nil {
			t.Fatalf("GET %s: %v", u, err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Proto != "HTTP/2.0" || resp.TLS.Version < tls.VersionTLS12 {
			t.Errorf("GET %s: %d %s TLS %x, want 200 over HTTP/2.0 on TLS 1.2+", u, resp.StatusCode, resp.Proto, resp.TLS.Version)
		}
	}
	// TLS 1.1 is refused.
	if c, err := tls.Dial("tcp", "127.0.0.1:"+port, &tls.Config{MaxVersion: tls.VersionTLS11, ServerName: "localhost", RootCAs: hc.Transport.(*http.Transport).TLSClientConfig.RootCAs}); err == nil {
		c.Close()
		t.Error("a TLS 1.1 handshake succeeded")
	}

	c := tlsSDKClient(t, dataDir, public, hc)
	ctx := context.Background()
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("tls")})
	if err != nil {
		t.Fatalf("CreateUserPool over HTTPS: %v", err)
	}
	poolID := aws.ToString(pool.UserPool.Id)
	if _, err := c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(poolID), Domain: aws.String("tls-photos")}); err != nil {
		t.Fatal(err)
	}
	// The pool domain host gets a leaf of its own, minted on demand.
	domainHost := "tls-photos.auth.us-east-1.localhost"
	resp, err := trusting(t, caFile, "127.0.0.1:"+port).Get("https://" + domainHost + ":" + port + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatalf("discovery on the domain host: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.TLS.PeerCertificates[0].DNSNames[0] != domainHost {
		t.Errorf("domain host: %d, certificate for %v", resp.StatusCode, resp.TLS.PeerCertificates[0].DNSNames)
	}
	// Names outside localhost and the pool domains get no certificate.
	// Nor do domain-shaped names of domains that do not exist.
	for _, name := range []string{"example.com", "tls-photos.auth.us-east-1.example.com", "no-such-domain.auth.us-east-1.localhost", "tls-photos.auth.eu-west-1.localhost"} {
		if _, err := trusting(t, caFile, "127.0.0.1:"+port).Get("https://" + name + ":" + port + "/healthz"); err == nil {
			t.Errorf("%s: a certificate verified", name)
		}
	}

	// The AWS CLI with AWS_CA_BUNDLE, as the banner says.
	for version, cli := range awsCLIs(t) {
		cmd := exec.Command(cli, "cognito-idp", "describe-user-pool", "--user-pool-id", poolID, "--endpoint-url", public, "--query", "UserPool.Name", "--output", "text")
		cmd.Env = append(withCLI(t, cli), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dataDir, "credentials"), "AWS_PROFILE=cognitod",
			"AWS_DEFAULT_REGION=us-east-1", "AWS_CA_BUNDLE="+caFile, "AWS_CONFIG_FILE=/dev/null")
		got, err := cmd.CombinedOutput()
		if err != nil || strings.TrimSpace(string(got)) != "tls" {
			t.Errorf("%s with AWS_CA_BUNDLE: %v %s", version, err, got)
		}
	}

	// A restart keeps the CA (clients that trust it go on trusting it).
	before, _ := os.ReadFile(caFile)
	p.cmd.Process.Kill()
	p.cmd.Wait()
	p2 := start(t, dataDir, "--addr", "127.0.0.1:0", "--tls-self-signed")
	after, _ := os.ReadFile(caFile)
	if string(before) != string(after) {
		t.Error("the CA changed across a restart")
	}
	if resp, err := hc.Get(p2.url + "/healthz"); err != nil {
		t.Errorf("after the restart: %v", err)
	} else {
		resp.Body.Close()
	}
}
