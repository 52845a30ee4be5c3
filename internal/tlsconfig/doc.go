// Package tlsconfig owns the server's TLS certificates: a certificate and
// key pair read from PEM files and re-read when the files change (so a
// certificate can be rotated without a restart), and a development mode
// with a local certificate authority kept in the data directory that
// mints leaf certificates for loopback names and pool-domain hosts on
// demand. Both hand out a *tls.Config with a modern baseline (TLS 1.2 or
// later, HTTP/2 offered by ALPN).
package tlsconfig

import "crypto/tls"

// config is the baseline every listener uses: TLS 1.2 or later (Go's
// default cipher suites for 1.2 are all AEAD with forward secrecy) and
// HTTP/2 offered before HTTP/1.1.
func config(get func(*tls.ClientHelloInfo) (*tls.Certificate, error)) *tls.Config {
	return &tls.Config{
		MinVersion:     tls.VersionTLS12,
		NextProtos:     []string{"h2", "http/1.1"},
		GetCertificate: get,
	}
}
