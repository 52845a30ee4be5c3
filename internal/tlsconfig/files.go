package tlsconfig

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"
)

// DefaultCheckEvery is how often a FilePair looks at its files' modification
// times and sizes, at most: a handshake pays for two stat calls once per
// interval, not on every connection.
const DefaultCheckEvery = 5 * time.Second

// FilePair serves the certificate in a PEM certificate file (the leaf
// first, then any intermediates) and its PEM private key file, re-reading
// both when either changes. A pair that does not load (a half-written
// rotation, a key that does not match) keeps the previous certificate in
// service and logs a warning once per change of the files.
type FilePair struct {
	certFile, keyFile string
	checkEvery        time.Duration
	logger            *slog.Logger
	now               func() time.Time

	mu        sync.Mutex
	cert      *tls.Certificate
	seen      fileStamp // of the files last tried, loaded or not
	lastCheck time.Time
}

// fileStamp is what tells a file changed without reading it.
type fileStamp struct {
	certMod, keyMod   time.Time
	certSize, keySize int64
}

// LoadFilePair reads certFile and keyFile; an error means the server
// should not start. checkEvery <= 0 means DefaultCheckEvery.
func LoadFilePair(certFile, keyFile string, checkEvery time.Duration, logger *slog.Logger) (*FilePair, error) {
	if checkEvery <= 0 {
		checkEvery = DefaultCheckEvery
	}
	if logger == nil {
		logger = slog.Default()
	}
	p := &FilePair{certFile: certFile, keyFile: keyFile, checkEvery: checkEvery, logger: logger, now: time.Now}
	st, err := p.stamp()
	if err != nil {
		return nil, err
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("load --tls-cert %s and --tls-key %s: %w", certFile, keyFile, err)
	}
	p.cert, p.seen, p.lastCheck = &cert, st, p.now()
	return p, nil
}

func (p *FilePair) stamp() (fileStamp, error) {
	c, err := os.Stat(p.certFile)
	if err != nil {
		return fileStamp{}, err
	}
	k, err := os.Stat(p.keyFile)
	if err != nil {
		return fileStamp{}, err
	}
	return fileStamp{certMod: c.ModTime(), keyMod: k.ModTime(), certSize: c.Size(), keySize: k.Size()}, nil
}

// Certificate returns the certificate in service, re-reading the files
// first if the check interval has passed and they changed.
func (p *FilePair) Certificate() *tls.Certificate {
	p.mu.Lock()
	defer p.mu.Unlock()
	if now := p.now(); now.Sub(p.lastCheck) >= p.checkEvery {
		p.lastCheck = now
		p.reloadLocked()
	}
	return p.cert
}

// reloadLocked loads the files if their stamp differs from the last one
// tried. Holding the lock while loading keeps a burst of handshakes from
// reading the files many times; loading a PEM pair takes well under a
// millisecond.
func (p *FilePair) reloadLocked() {
	st, err := p.stamp()
	if err != nil {
		if st != p.seen {
			p.logger.Warn("TLS certificate files unreadable; keeping the certificate in service", "cert", p.certFile, "key", p.keyFile, "err", err)
			p.seen = st
		}
		return
	}
	if st == p.seen {
		return
	}
	p.seen = st
	cert, err := tls.LoadX509KeyPair(p.certFile, p.keyFile)
	if err != nil {
		p.logger.Warn("new TLS certificate files do not load; keeping the certificate in service", "cert", p.certFile, "key", p.keyFile, "err", err)
		return
	}
	p.cert = &cert
	p.logger.Info("TLS certificate reloaded", "cert", p.certFile, "serial", cert.Leaf.SerialNumber.String(), "not_after", cert.Leaf.NotAfter)
}

// TLSConfig is the server configuration serving this pair.
func (p *FilePair) TLSConfig() *tls.Config {
	return config(func(*tls.ClientHelloInfo) (*tls.Certificate, error) { return p.Certificate(), nil })
}
