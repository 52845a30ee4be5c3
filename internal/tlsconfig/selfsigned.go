package tlsconfig

import (
	"container/list"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"net"
	"strings"
	"sync"
	"time"
)

const (
	leafLifetime = 30 * 24 * time.Hour
	// leafRenewBefore is how long before expiry a cached leaf is replaced,
	// so a long-running development server never serves an expired one.
	leafRenewBefore = 7 * 24 * time.Hour
	// maxLeaves bounds the cache of minted leaves: SNI names come from
	// anyone who connects, and a pool-domain-shaped name costs one
	// signature and one cache slot, never more than this many slots.
	maxLeaves = 256
	// maxSNI is the longest server name considered (a DNS name is at most
	// 253 characters).
	maxSNI = 253
)

// SelfSigned serves certificates from a development CA kept in a
// directory: one leaf for localhost, 127.0.0.1 and ::1 (the answer to a
// ClientHello without a server name, as clients send for an IP address),
// and one per pool-domain host, minted the first time a client asks for
// it by name.
type SelfSigned struct {
	ca         *authority
	isPoolHost func(string) bool
	now        func() time.Time
	mu         sync.Mutex
	loopback   *tls.Certificate
	leaves     map[string]*list.Element // of *leafEntry
	order      *list.List               // most recently used first
	Created    bool                     // the CA was made by this call
	CACertPath string
	CACertPEM  []byte
}

type leafEntry struct {
	name string
	cert *tls.Certificate
}

// SelfSignedOptions configures NewSelfSigned.
type SelfSignedOptions struct {
	// Dir holds ca.pem and ca-key.pem (made when missing).
	Dir string
	// DomainSuffix is the pool domain suffix the CA may certify.
	DomainSuffix string
	// IsPoolHost reports whether a server name is a pool-domain host
	// (<prefix>.auth.<region>.<suffix>); only those names, localhost and
	// the loopback addresses get a certificate.
	IsPoolHost func(string) bool
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

// NewSelfSigned loads or makes the development CA.
func NewSelfSigned(o SelfSignedOptions) (*SelfSigned, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.IsPoolHost == nil {
		o.IsPoolHost = func(string) bool { return false }
	}
	ca, created, err := loadOrCreateCA(o.Dir, strings.ToLower(o.DomainSuffix), o.Now())
	if err != nil {
		return nil, err
	}
	return &SelfSigned{ca: ca, isPoolHost: o.IsPoolHost, now: o.Now, leaves: map[string]*list.Element{}, order: list.New(),
		Created: created, CACertPath: ca.path, CACertPEM: encodeCert(ca.cert)}, nil
}

// GetCertificate picks or mints the leaf for a ClientHello.
func (s *SelfSigned) GetCertificate(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	name := strings.ToLower(strings.TrimSuffix(hello.ServerName, "."))
	if name == "" || name == "localhost" || len(name) > maxSNI || !s.isPoolHost(name) {
		// Names we do not certify get the loopback leaf: the client's
		// verification then fails naming the hosts it does cover.
		return s.loopbackLeaf()
	}
	return s.poolLeaf(name)
}

func (s *SelfSigned) fresh(c *tls.Certificate) bool {
	return c != nil && s.now().Before(c.Leaf.NotAfter.Add(-leafRenewBefore))
}

func (s *SelfSigned) loopbackLeaf() (*tls.Certificate, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.fresh(s.loopback) {
		c, err := s.mint([]string{"localhost"}, []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback})
		if err != nil {
			return nil, err
		}
		s.loopback = c
	}
	return s.loopback, nil
}

func (s *SelfSigned) poolLeaf(name string) (*tls.Certificate, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if el, ok := s.leaves[name]; ok {
		e := el.Value.(*leafEntry)
		if s.fresh(e.cert) {
			s.order.MoveToFront(el)
			return e.cert, nil
		}
		s.order.Remove(el)
		delete(s.leaves, name)
	}
	c, err := s.mint([]string{name}, nil)
	if err != nil {
		return nil, err
	}
	s.leaves[name] = s.order.PushFront(&leafEntry{name: name, cert: c})
	for s.order.Len() > maxLeaves {
		old := s.order.Back()
		s.order.Remove(old)
		delete(s.leaves, old.Value.(*leafEntry).name)
	}
	return c, nil
}

// mint signs a leaf for names and ips with a fresh P-256 key.
func (s *SelfSigned) mint(names []string, ips []net.IP) (*tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := s.now()
	notAfter := now.Add(leafLifetime)
	if notAfter.After(s.ca.cert.NotAfter) {
		notAfter = s.ca.cert.NotAfter
	}
	tmpl := &x509.Certificate{
		SerialNumber: randomSerial(),
		Subject:      pkix.Name{Organization: []string{"cognitod development"}, CommonName: names[0]},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     names,
		IPAddresses:  ips,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, s.ca.cert, &key.PublicKey, s.ca.key)
	if err != nil {
		return nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &tls.Certificate{Certificate: [][]byte{der, s.ca.cert.Raw}, PrivateKey: key, Leaf: leaf}, nil
}

// TLSConfig is the server configuration serving these leaves.
func (s *SelfSigned) TLSConfig() *tls.Config { return config(s.GetCertificate) }

// cached reports how many pool-domain leaves are cached (for tests).
func (s *SelfSigned) cached() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.order.Len()
}

func encodeCert(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}
