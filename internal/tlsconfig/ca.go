package tlsconfig

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// The development CA's files, in <data dir>/tls.
const (
	caCertName = "ca.pem"
	caKeyName  = "ca-key.pem"
	caLifetime = 10 * 365 * 24 * time.Hour
)

// loopbackRanges are the IP addresses the development CA may certify.
var loopbackRanges = []*net.IPNet{
	{IP: net.IPv4(127, 0, 0, 0).To4(), Mask: net.CIDRMask(8, 32)},
	{IP: net.IPv6loopback, Mask: net.CIDRMask(128, 128)},
}

// authority is a CA certificate and its key.
type authority struct {
	cert *x509.Certificate
	key  crypto.Signer
	path string // of the certificate file
}

// loadOrCreateCA reads the CA in dir, or makes one if there is none. The
// CA is name-constrained to localhost, the pool domain suffix and the
// loopback addresses: trusting it (as the start-up banner suggests) then
// cannot let anyone who copies its key impersonate other sites. A CA made
// for another suffix is refused rather than silently replaced, since
// replacing it would break every client already trusting the old one.
func loadOrCreateCA(dir, domainSuffix string, now time.Time) (*authority, bool, error) {
	certPath, keyPath := filepath.Join(dir, caCertName), filepath.Join(dir, caKeyName)
	certPEM, certErr := os.ReadFile(certPath)
	keyPEM, keyErr := os.ReadFile(keyPath)
	switch {
	case certErr == nil && keyErr == nil:
		ca, err := parseCA(certPEM, keyPEM)
		if err != nil {
			return nil, false, fmt.Errorf("development CA %s: %w (delete %s and %s to make a new one)", certPath, err, certPath, keyPath)
		}
		ca.path = certPath
		if now.After(ca.cert.NotAfter) {
			return nil, false, fmt.Errorf("development CA %s expired on %s: delete %s and %s to make a new one", certPath, ca.cert.NotAfter.Format(time.DateOnly), certPath, keyPath)
		}
		if !permitsDNS(ca.cert, domainSuffix) {
			return nil, false, fmt.Errorf("development CA %s may only certify %s, not the domain suffix %q: delete %s and %s to make a new one (and trust it again)",
				certPath, strings.Join(ca.cert.PermittedDNSDomains, ", "), domainSuffix, certPath, keyPath)
		}
		return ca, false, nil
	case errors.Is(certErr, os.ErrNotExist) && errors.Is(keyErr, os.ErrNotExist):
	case certErr != nil && !errors.Is(certErr, os.ErrNotExist):
		return nil, false, certErr
	case keyErr != nil && !errors.Is(keyErr, os.ErrNotExist):
		return nil, false, keyErr
	default:
		return nil, false, fmt.Errorf("development CA: only one of %s and %s exists; delete it to make a new CA", certPath, keyPath)
	}

	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, false, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, false, err
	}
	domains := []string{"localhost"}
	if domainSuffix != "localhost" && !strings.HasSuffix(domainSuffix, ".localhost") {
		domains = append(domains, domainSuffix)
	}
	tmpl := &x509.Certificate{
		SerialNumber:                randomSerial(),
		Subject:                     pkix.Name{Organization: []string{"cognitod development CA"}, CommonName: "cognitod development CA " + now.UTC().Format(time.DateOnly)},
		NotBefore:                   now.Add(-time.Hour),
		NotAfter:                    now.Add(caLifetime),
		KeyUsage:                    x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid:       true,
		IsCA:                        true,
		MaxPathLenZero:              true,
		PermittedDNSDomainsCritical: true,
		PermittedDNSDomains:         domains,
		PermittedIPRanges:           loopbackRanges,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, false, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, false, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, false, err
	}
	// The key first, readable by us only, so that a crash in between
	// leaves a key without a certificate (refused above) rather than a
	// trusted certificate whose key is gone.
	if err := writeExclusive(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		return nil, false, err
	}
	if err := writeExclusive(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return nil, false, err
	}
	return &authority{cert: cert, key: key, path: certPath}, true, nil
}

// writeExclusive creates path with data, failing if it exists (two
// processes starting at once must not each write half a CA).
func writeExclusive(path string, data []byte, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func parseCA(certPEM, keyPEM []byte) (*authority, error) {
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, err
	}
	if !pair.Leaf.IsCA {
		return nil, errors.New("not a CA certificate")
	}
	signer, ok := pair.PrivateKey.(crypto.Signer)
	if !ok {
		return nil, errors.New("unusable private key")
	}
	return &authority{cert: pair.Leaf, key: signer}, nil
}

// permitsDNS reports whether the CA's name constraints allow name.
func permitsDNS(ca *x509.Certificate, name string) bool {
	if len(ca.PermittedDNSDomains) == 0 {
		return true
	}
	return slices.ContainsFunc(ca.PermittedDNSDomains, func(d string) bool {
		return name == d || strings.HasSuffix(name, "."+d)
	})
}

func randomSerial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return n.Add(n, big.NewInt(1))
}
