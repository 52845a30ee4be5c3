package main

import (
	"context"
	"crypto/tls"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/tlsconfig"
)

// tlsOptions are serve's flags for the public edge: HTTPS from certificate
// files or the development CA, and whether pool domain hosts resolve for
// the server's clients (which decides what discovery advertises).
type tlsOptions struct {
	certFile, keyFile  string
	selfSigned         bool
	domainHostsResolve bool
	publicURLSet       bool // --public-url or COGNITOD_PUBLIC_URL given
}

func (o *tlsOptions) on() bool { return o.selfSigned || o.certFile != "" }

// addTLSFlags registers the TLS flags, each with its COGNITOD_* twin.
func addTLSFlags(fs *flag.FlagSet, c *serveConfig) {
	fs.StringVar(&c.tls.certFile, "tls-cert", "", "serve HTTPS with this PEM certificate chain, re-read when it changes (COGNITOD_TLS_CERT)")
	fs.StringVar(&c.tls.keyFile, "tls-key", "", "PEM private key of --tls-cert (COGNITOD_TLS_KEY)")
	fs.BoolVar(&c.tls.selfSigned, "tls-self-signed", false, "development HTTPS: a local CA in <data-dir>/tls certifies localhost, 127.0.0.1, ::1 and the pool domain hosts (COGNITOD_TLS_SELF_SIGNED)")
	fs.BoolVar(&c.tls.domainHostsResolve, "domain-hosts-resolve", false, "pool domain hosts (<prefix>.auth.<region>.<suffix>) resolve to this server for every client: discovery then advertises them instead of the issuer-path endpoints (COGNITOD_DOMAIN_HOSTS_RESOLVE)")
}

// checkTLSFlags validates the TLS flags after parsing.
func checkTLSFlags(fs *flag.FlagSet, c *serveConfig) []string {
	o := &c.tls
	// applyEnv has run: a COGNITOD_PUBLIC_URL counts as set here too.
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "public-url" {
			o.publicURLSet = true
		}
	})
	var problems []string
	if (o.certFile == "") != (o.keyFile == "") {
		problems = append(problems, "--tls-cert and --tls-key must be given together")
	}
	if o.selfSigned && o.certFile != "" {
		problems = append(problems, "--tls-self-signed and --tls-cert are exclusive")
	}
	if u, err := url.Parse(c.publicURL); err == nil && o.on() && o.publicURLSet && u.Scheme != "https" {
		problems = append(problems, fmt.Sprintf("--public-url %q: with TLS on, the server answers https only", c.publicURL))
	}
	return problems
}

// listen opens --addr, and with TLS on makes the certificate source,
// prints how to trust the development CA, and defaults the public URL to
// https://localhost:<port>. The tls.Config is nil for plain HTTP.
// isPoolHost reports whether a name is a pool domain's host (see
// poolDomainExists); it is first called at a TLS handshake.
func listen(c *serveConfig, isPoolHost func(name string) bool, logger *slog.Logger, stdout io.Writer) (net.Listener, *tls.Config, error) {
	var cfg *tls.Config
	switch {
	case c.tls.selfSigned:
		s, err := tlsconfig.NewSelfSigned(tlsconfig.SelfSignedOptions{
			Dir: filepath.Join(c.dataDir, "tls"), DomainSuffix: c.domainSuffix,
			IsPoolHost: isPoolHost,
		})
		if err != nil {
			return nil, nil, err
		}
		if s.Created {
			logger.Info("created a development CA", "path", s.CACertPath)
		}
		caPath, err := filepath.Abs(s.CACertPath)
		if err != nil {
			return nil, nil, err
		}
		printTrust(stdout, caPath, c.domainSuffix)
		cfg = s.TLSConfig()
	case c.tls.certFile != "":
		p, err := tlsconfig.LoadFilePair(c.tls.certFile, c.tls.keyFile, 0, logger)
		if err != nil {
			return nil, nil, err
		}
		cfg = p.TLSConfig()
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return nil, nil, err
	}
	if cfg != nil && !c.tls.publicURLSet {
		_, port, _ := net.SplitHostPort(ln.Addr().String())
		c.publicURL = "https://localhost:" + port
	}
	if u, _ := url.Parse(c.publicURL); c.tls.selfSigned && u != nil && !loopbackName(u.Hostname()) {
		logger.Warn("the development CA certifies only localhost, loopback addresses and pool domain hosts, not the public URL's host; use --tls-cert for it", "public_url", c.publicURL)
	}
	return ln, cfg, nil
}

// poolDomainExists reports whether name is the host of a pool domain that
// exists: the development CA mints leaves for those only, so a client
// sending made-up domain-shaped names costs a lookup, not a signature,
// and cannot churn the leaf cache.
func poolDomainExists(svc *cognito.Service, name string) bool {
	prefix, region, ok := svc.ParseDomainHost(name)
	if !ok {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	d, err := svc.LookupDomain(ctx, region, prefix)
	return err == nil && cognito.RegionOfPoolID(d.UserPoolID) == region
}

func loopbackName(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// serveOn serves plain HTTP, or HTTPS (HTTP/2 and HTTP/1.1) when the
// server has a TLS configuration.
func serveOn(srv *http.Server, ln net.Listener) error {
	if srv.TLSConfig != nil {
		return srv.ServeTLS(ln, "", "")
	}
	return srv.Serve(ln)
}

// listenScheme is the scheme the banner shows for the listener.
func listenScheme(c *serveConfig) string {
	if c.tls.on() {
		return "https"
	}
	return "http"
}

// printTrust tells how to make clients trust the development CA.
func printTrust(w io.Writer, caPath, suffix string) {
	fmt.Fprintf(w, "HTTPS with the development CA %s (certifies localhost, 127.0.0.1, ::1 and *.auth.<region>.%s).\n", caPath, suffix)
	fmt.Fprintf(w, "Trust it per client, e.g. in the shell that runs them:\n")
	fmt.Fprintf(w, "  export NODE_EXTRA_CA_CERTS=%s   # Node.js\n", caPath)
	fmt.Fprintf(w, "  export SSL_CERT_FILE=%s          # Go, OpenSSL, curl, Python's ssl\n", caPath)
	fmt.Fprintf(w, "  export AWS_CA_BUNDLE=%s          # AWS CLI and SDKs\n", caPath)
	fmt.Fprintf(w, "  export REQUESTS_CA_BUNDLE=%s     # Python requests\n", caPath)
}
