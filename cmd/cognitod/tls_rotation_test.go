package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// operatorCA issues the certificates an operator would give --tls-cert.
type operatorCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	file string
}

func newOperatorCA(t *testing.T, dir string) *operatorCA {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "operator CA"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	file := filepath.Join(dir, "operator-ca.pem")
	os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
	return &operatorCA{cert, key, file}
}

// issue writes a localhost/127.0.0.1 leaf with serial to certFile and its
// key to keyFile.
func (ca *operatorCA) issue(t *testing.T, serial int64, certFile, keyFile string) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), DNSNames: []string{"localhost"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	kd, _ := x509.MarshalPKCS8PrivateKey(key)
	// Written beside and renamed into place, as rotation tools do.
	for file, data := range map[string][]byte{certFile: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), keyFile: pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kd})} {
		if err := os.WriteFile(file+".new", data, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(file+".new", file); err != nil {
			t.Fatal(err)
		}
	}
}

// TestServeTLSCertRotation: `cognitod serve --tls-cert --tls-key` serves
// the files' certificate, and after the files are rewritten a new TLS
// client sees the new certificate's serial without a restart.
func TestServeTLSCertRotation(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a cognitod process")
	}
	dir := t.TempDir()
	ca := newOperatorCA(t, dir)
	certFile, keyFile := filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")
	ca.issue(t, 7001, certFile, keyFile)
	p := start(t, filepath.Join(dir, "data"), "--addr", "127.0.0.1:0", "--tls-cert", certFile, "--tls-key", keyFile)
	pub := p.publicURL(t)
	if !strings.HasPrefix(pub, "https://localhost:") {
		t.Errorf("public URL %s, want https://localhost:<port>", pub)
	}
	hc := trusting(t, ca.file, "")
	hc.Transport.(*http.Transport).DisableKeepAlives = true // each request a new handshake
	serial := func() int64 {
		t.Helper()
		resp, err := hc.Get(pub + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.Proto != "HTTP/2.0" {
			t.Errorf("proto %s, want HTTP/2.0", resp.Proto)
		}
		return resp.TLS.PeerCertificates[0].SerialNumber.Int64()
	}
	if got := serial(); got != 7001 {
		t.Fatalf("serial %d, want 7001", got)
	}
	ca.issue(t, 7002, certFile, keyFile)
	// The server looks at the files at most every few seconds: ask until
	// it has (the bound is generous; nothing here measures time).
	deadline := time.Now().Add(60 * time.Second)
	for serial() != 7002 {
		if time.Now().After(deadline) {
			t.Fatal("the rewritten certificate was never served")
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestParseServeTLSFlags: the TLS flags' checks and environment twins.
func TestParseServeTLSFlags(t *testing.T) {
	for _, v := range []string{"COGNITOD_TLS_CERT", "COGNITOD_TLS_KEY", "COGNITOD_TLS_SELF_SIGNED", "COGNITOD_DOMAIN_HOSTS_RESOLVE", "COGNITOD_PUBLIC_URL"} {
		t.Setenv(v, "")
		os.Unsetenv(v)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--tls-cert", "c.pem"}, "--tls-cert and --tls-key must be given together"},
		{[]string{"--tls-key", "k.pem"}, "--tls-cert and --tls-key must be given together"},
		{[]string{"--tls-self-signed", "--tls-cert", "c.pem", "--tls-key", "k.pem"}, "exclusive"},
		{[]string{"--tls-self-signed", "--public-url", "http://localhost:9229"}, "answers https only"},
	} {
		if _, err := parseServe(tc.args, io.Discard); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want %q", tc.args, err, tc.want)
		}
	}
	cfg, err := parseServe([]string{"--tls-self-signed", "--public-url", "https://localhost:8443"}, io.Discard)
	if err != nil {
		t.Fatalf("explicit https public URL: %v", err)
	}
	if !cfg.tls.publicURLSet || cfg.publicURL != "https://localhost:8443" || listenScheme(cfg) != "https" {
		t.Errorf("explicit https public URL: %+v %s", cfg.tls, cfg.publicURL)
	}
	if cfg, err = parseServe(nil, io.Discard); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	if cfg.tls.on() || cfg.tls.domainHostsResolve || listenScheme(cfg) != "http" {
		t.Errorf("defaults: %+v", cfg.tls)
	}
	t.Setenv("COGNITOD_TLS_SELF_SIGNED", "true")
	t.Setenv("COGNITOD_DOMAIN_HOSTS_RESOLVE", "1")
	if cfg, err = parseServe(nil, io.Discard); err != nil {
		t.Fatalf("environment twins: %v", err)
	}
	if !cfg.tls.selfSigned || !cfg.tls.domainHostsResolve || cfg.tls.publicURLSet {
		t.Errorf("environment twins: %+v", cfg.tls)
	}
	if cfg, err := parseServe([]string{"--tls-self-signed=false"}, io.Discard); err != nil {
		t.Errorf("a flag overriding the environment: %v", err)
	} else if cfg.tls.selfSigned {
		t.Error("--tls-self-signed=false did not win over COGNITOD_TLS_SELF_SIGNED=true")
	}
	t.Setenv("COGNITOD_TLS_SELF_SIGNED", "yes please")
	if _, err := parseServe(nil, io.Discard); err == nil || !strings.Contains(err.Error(), "COGNITOD_TLS_SELF_SIGNED") {
		t.Errorf("a malformed environment twin: %v", err)
	}
}
