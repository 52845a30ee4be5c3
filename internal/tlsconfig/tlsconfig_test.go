package tlsconfig

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// serveTLS accepts TLS connections on a loopback port with cfg and
// completes their handshakes; it returns the address.
func serveTLS(t *testing.T, cfg *tls.Config) string {
	t.Helper()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				c.(*tls.Conn).Handshake()
				c.Close()
			}()
		}
	}()
	return ln.Addr().String()
}

// handshake connects as a real client trusting roots and returns the
// certificate the server presented.
func handshake(t *testing.T, addr, serverName string, roots *x509.CertPool) (*x509.Certificate, error) {
	t.Helper()
	c, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: roots, ServerName: serverName, NextProtos: []string{"h2"}})
	if err != nil {
		return nil, err
	}
	defer c.Close()
	st := c.ConnectionState()
	if st.NegotiatedProtocol != "h2" || st.Version < tls.VersionTLS12 {
		t.Errorf("negotiated %q version %x, want h2 on TLS 1.2+", st.NegotiatedProtocol, st.Version)
	}
	return st.PeerCertificates[0], nil
}

// testCA is a CA the test controls, to issue the operator's certificates.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pool *x509.CertPool
}

func newTestCA(t *testing.T) *testCA {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &testCA{cert, key, pool}
}

// issue returns PEM files' contents for a localhost leaf with serial.
func (ca *testCA) issue(t *testing.T, serial int64) (certPEM, keyPEM []byte) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), DNSNames: []string{"localhost"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	kd, _ := x509.MarshalPKCS8PrivateKey(key)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kd})
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// TestFilePairRotation: rewriting the files changes the certificate a
// client sees without a restart; a pair that does not load keeps the old
// one and logs a warning.
func TestFilePairRotation(t *testing.T) {
	ca := newTestCA(t)
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	// Each write moves the file's modification time a second on, so the
	// test does not depend on the file system's timestamp resolution.
	mtime := time.Now().Add(-time.Hour)
	write := func(c, k []byte) {
		mtime = mtime.Add(time.Second)
		if c != nil {
			os.WriteFile(certFile, c, 0o644)
			os.Chtimes(certFile, mtime, mtime)
		}
		if k != nil {
			os.WriteFile(keyFile, k, 0o600)
			os.Chtimes(keyFile, mtime, mtime)
		}
	}
	c1, k1 := ca.issue(t, 1001)
	write(c1, k1)
	var logs syncBuffer
	// A check interval of a nanosecond: every handshake looks at the files.
	p, err := LoadFilePair(certFile, keyFile, time.Nanosecond, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	addr := serveTLS(t, p.TLSConfig())
	serial := func() int64 {
		t.Helper()
		c, err := handshake(t, addr, "localhost", ca.pool)
		if err != nil {
			t.Fatalf("handshake: %v", err)
		}
		return c.SerialNumber.Int64()
	}
	if got := serial(); got != 1001 {
		t.Fatalf("serial %d, want 1001", got)
	}
	c2, k2 := ca.issue(t, 1002)
	write(c2, k2)
	if got := serial(); got != 1002 {
		t.Fatalf("after rotation: serial %d, want 1002", got)
	}
	// Half a rotation: the new certificate, the old key. The old pair stays.
	c3, k3 := ca.issue(t, 1003)
	write(c3, nil)
	if got := serial(); got != 1002 {
		t.Fatalf("mismatched pair: serial %d, want 1002 kept", got)
	}
	if !strings.Contains(logs.String(), "do not load") {
		t.Errorf("no warning for the bad pair; logs: %s", logs.String())
	}
	write(nil, k3)
	if got := serial(); got != 1003 {
		t.Fatalf("completed rotation: serial %d, want 1003", got)
	}
	// Garbage keeps the certificate too.
	write([]byte("not PEM"), nil)
	if got := serial(); got != 1003 {
		t.Fatalf("garbage: serial %d, want 1003", got)
	}
	if _, err := LoadFilePair(certFile, keyFile, 0, nil); err == nil {
		t.Error("LoadFilePair accepted a garbage certificate at start")
	}
}

// TestFilePairChecksAtMostEveryInterval: within the interval the files
// are not looked at (the clock is the test's).
func TestFilePairChecksAtMostEveryInterval(t *testing.T) {
	ca := newTestCA(t)
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	c1, k1 := ca.issue(t, 1)
	os.WriteFile(certFile, c1, 0o644)
	os.WriteFile(keyFile, k1, 0o600)
	p, err := LoadFilePair(certFile, keyFile, time.Minute, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	p.now = func() time.Time { return now }
	p.lastCheck = now
	c2, k2 := ca.issue(t, 2)
	os.WriteFile(certFile, c2, 0o644)
	os.WriteFile(keyFile, k2, 0o600)
	if got := p.Certificate().Leaf.SerialNumber.Int64(); got != 1 {
		t.Fatalf("inside the interval: serial %d, want 1", got)
	}
	now = now.Add(time.Minute)
	if got := p.Certificate().Leaf.SerialNumber.Int64(); got != 2 {
		t.Fatalf("after the interval: serial %d, want 2", got)
	}
}

func poolHost(name string) bool { return strings.HasSuffix(name, ".auth.us-east-1.localhost") }

// TestSelfSigned: the CA is made once with a private key file of mode
// 0600 and reused; its leaves verify for the loopback names and pool
// hosts, and nothing else gets a certificate.
func TestSelfSigned(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tls")
	s, err := NewSelfSigned(SelfSignedOptions{Dir: dir, DomainSuffix: "localhost", IsPoolHost: poolHost})
	if err != nil {
		t.Fatal(err)
	}
	if !s.Created || s.CACertPath != filepath.Join(dir, "ca.pem") {
		t.Fatalf("created %v path %s", s.Created, s.CACertPath)
	}
	if fi, err := os.Stat(filepath.Join(dir, "ca-key.pem")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("CA key file: %v mode %v", err, fi.Mode())
	}
	again, err := NewSelfSigned(SelfSignedOptions{Dir: dir, DomainSuffix: "localhost", IsPoolHost: poolHost})
	if err != nil || again.Created || !bytes.Equal(again.CACertPEM, s.CACertPEM) {
		t.Fatalf("second start: created %v, same CA %v, err %v", again.Created, bytes.Equal(again.CACertPEM, s.CACertPEM), err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(s.CACertPEM) {
		t.Fatal("CA PEM does not parse")
	}
	addr := serveTLS(t, again.TLSConfig())
	for _, name := range []string{"localhost", "127.0.0.1", "::1", "photos.auth.us-east-1.localhost"} {
		if _, err := handshake(t, addr, name, roots); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, name := range []string{"example.com", "photos.auth.us-east-1.localhost.example.com", "localhost.localdomain"} {
		if _, err := handshake(t, addr, name, roots); err == nil {
			t.Errorf("%s: a certificate verified for a name cognitod must not certify", name)
		}
	}
	// The name constraints hold even for a leaf signed with the CA's key.
	evil, err := again.mint([]string{"www.example.com"}, []net.IP{net.IPv4(192, 0, 2, 1)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := evil.Leaf.Verify(x509.VerifyOptions{Roots: roots, DNSName: "www.example.com"}); err == nil {
		t.Error("the CA's name constraints let it certify www.example.com")
	}
	// The leaf cache is bounded however many pool-shaped names are asked for.
	for i := range maxLeaves + 20 {
		if _, err := again.GetCertificate(&tls.ClientHelloInfo{ServerName: fmt.Sprintf("p%d.auth.us-east-1.localhost", i)}); err != nil {
			t.Fatal(err)
		}
	}
	if n := again.cached(); n != maxLeaves {
		t.Errorf("%d leaves cached, want the bound %d", n, maxLeaves)
	}
	// The same name is served from the cache.
	a, _ := again.GetCertificate(&tls.ClientHelloInfo{ServerName: "p1.auth.us-east-1.localhost"})
	b, _ := again.GetCertificate(&tls.ClientHelloInfo{ServerName: "P1.auth.us-east-1.localhost."})
	if a != b {
		t.Error("a cached name was minted again")
	}
}

// TestSelfSignedRenewsLeaves: a leaf close to expiry is replaced.
func TestSelfSignedRenewsLeaves(t *testing.T) {
	now := time.Now()
	s, err := NewSelfSigned(SelfSignedOptions{Dir: t.TempDir(), DomainSuffix: "localhost", IsPoolHost: poolHost, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	first, _ := s.GetCertificate(&tls.ClientHelloInfo{})
	now = now.Add(leafLifetime - leafRenewBefore + time.Minute)
	second, _ := s.GetCertificate(&tls.ClientHelloInfo{})
	if first == second || !second.Leaf.NotAfter.After(now) {
		t.Errorf("leaf not renewed: same %v, not after %v", first == second, second.Leaf.NotAfter)
	}
}

// TestSelfSignedOtherSuffix: a CA made for one domain suffix is refused,
// saying what to do, when the server runs with another; a lone key file
// is refused too.
func TestSelfSignedOtherSuffix(t *testing.T) {
	dir := t.TempDir()
	if _, err := NewSelfSigned(SelfSignedOptions{Dir: dir, DomainSuffix: "dev.example"}); err != nil {
		t.Fatal(err)
	}
	if _, err := NewSelfSigned(SelfSignedOptions{Dir: dir, DomainSuffix: "dev.example"}); err != nil {
		t.Fatalf("same suffix: %v", err)
	}
	_, err := NewSelfSigned(SelfSignedOptions{Dir: dir, DomainSuffix: "other.example"})
	if err == nil || !strings.Contains(err.Error(), "delete") {
		t.Fatalf("other suffix: %v", err)
	}
	os.Remove(filepath.Join(dir, "ca.pem"))
	if _, err := NewSelfSigned(SelfSignedOptions{Dir: dir, DomainSuffix: "dev.example"}); err == nil {
		t.Fatal("a key without its certificate was accepted")
	}
}
