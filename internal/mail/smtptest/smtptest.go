// Package smtptest runs a real SMTP server for tests: emersion's go-smtp
// (the server maddy and others are built on), over a real TCP socket, with
// STARTTLS or implicit TLS on a certificate it makes for 127.0.0.1, and
// AUTH PLAIN through go-sasl. cognitod's client is tested against an SMTP
// implementation it shares no code or reading of the RFCs with. The
// package only adds what a test needs to look at: every accepted message,
// with what the session looked like (TLS, the user who authenticated), and
// a count of AUTH commands.
package smtptest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/mail"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Options shape the server.
type Options struct {
	// NoSTARTTLS hides STARTTLS from EHLO (go-smtp has no TLS
	// configuration then).
	NoSTARTTLS bool
	// ImplicitTLS makes the listener TLS from the first byte (smtps).
	ImplicitTLS bool
	// Username and Password, when set, are the only credentials AUTH
	// PLAIN accepts; without them the server offers no AUTH. With
	// RequireAuth, MAIL needs them.
	Username, Password string
	RequireAuth        bool
	// AllowInsecureAuth lets AUTH through on an unencrypted connection,
	// as a relay without TLS must. Without it the server does what
	// go-smtp does by default and Postfix with smtpd_tls_auth_only: it
	// offers AUTH only under TLS and answers an AUTH sent in clear text
	// with 523 5.7.10.
	AllowInsecureAuth bool
	// SMTPUTF8 offers RFC 6531's SMTPUTF8, which addresses with
	// non-ASCII characters need.
	SMTPUTF8 bool
}

// Message is one accepted message.
type Message struct {
	From     string
	To       []string
	Data     []byte // as go-smtp hands it over: dots unstuffed, CRLF kept
	TLS      bool   // the session was encrypted when DATA came
	AuthUser string // who authenticated ("" for no one)
	UTF8     bool   // MAIL FROM said SMTPUTF8
}

// Parse reads Data as an RFC 5322 message.
func (m Message) Parse(t testing.TB) *mail.Message {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		t.Fatalf("smtptest: the received message does not parse: %v\n%s", err, m.Data)
	}
	return msg
}

// Server is a running server.
type Server struct {
	Addr string
	// RootCAs trusts the server's certificate.
	RootCAs *x509.CertPool
	// Messages receives each accepted message.
	Messages chan Message

	mu           sync.Mutex
	authAttempts int

	opts Options
	done chan struct{} // closed when the test ends
}

// authRequired is RFC 4954's answer to MAIL before AUTH (go-smtp's
// ErrAuthRequired is a 502, which says the command is not implemented).
var authRequired = &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}

// Start listens on 127.0.0.1 and serves until the test ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	return StartOn(t, "127.0.0.1:0", opts)
}

// StartOn is Start on another address.
func StartOn(t testing.TB, addr string, opts Options) *Server {
	t.Helper()
	cert, pool := certificate(t)
	tlsConfig := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	s := &Server{RootCAs: pool, Messages: make(chan Message, 16), opts: opts, done: make(chan struct{})}

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	s.Addr = ln.Addr().String()
	var served net.Listener = &clearTextListener{Listener: ln, s: s}
	if opts.ImplicitTLS {
		served = tls.NewListener(ln, tlsConfig) // nothing travels in clear text
	}

	logs := &testLog{t: t}
	srv := smtp.NewServer(backend{s})
	srv.Domain = "smtptest"
	srv.AllowInsecureAuth = opts.AllowInsecureAuth
	srv.ReadTimeout, srv.WriteTimeout = 30*time.Second, 30*time.Second
	srv.MaxMessageBytes = 1 << 20
	srv.ErrorLog = logs
	srv.EnableSMTPUTF8 = opts.SMTPUTF8
	if !opts.NoSTARTTLS {
		srv.TLSConfig = tlsConfig
	}
	serving := make(chan struct{})
	go func() {
		defer close(serving)
		srv.Serve(served)
	}()
	t.Cleanup(func() {
		close(s.done)
		srv.Close()
		<-serving
		logs.stop()
	})
	return s
}

// AuthAttempts is how many AUTH commands the server has seen, accepted or
// not: in clear text, every line that starts with AUTH (whether go-smtp
// took it or refused it for want of TLS); under TLS, every AUTH that
// go-smtp handed to the session (it answers a malformed one itself).
func (s *Server) AuthAttempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.authAttempts
}

func (s *Server) countAuth() {
	s.mu.Lock()
	s.authAttempts++
	s.mu.Unlock()
}

// Next waits for the next message.
func (s *Server) Next(t testing.TB) Message {
	t.Helper()
	select {
	case m := <-s.Messages:
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("smtptest: no message arrived")
		return Message{}
	}
}

type backend struct{ s *Server }

func (b backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{s: b.s, conn: c}, nil
}

// session is one go-smtp session: go-smtp starts a new one after
// STARTTLS, so nothing said in clear text (AUTH included) carries over.
type session struct {
	s    *Server
	conn *smtp.Conn
	user string
	from string
	to   []string
	utf8 bool
}

var _ smtp.AuthSession = (*session)(nil)

func (se *session) encrypted() bool {
	_, ok := se.conn.TLSConnectionState()
	return ok
}

func (se *session) AuthMechanisms() []string {
	if se.s.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (se *session) Auth(mech string) (sasl.Server, error) {
	if se.encrypted() { // AUTH in clear text was counted on the wire
		se.s.countAuth()
	}
	if se.s.opts.Username == "" {
		return nil, smtp.ErrAuthUnsupported
	}
	if mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if identity != "" && identity != username {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "No authorization identity other than the user"}
		}
		okUser := subtle.ConstantTimeCompare([]byte(username), []byte(se.s.opts.Username))
		okPassword := subtle.ConstantTimeCompare([]byte(password), []byte(se.s.opts.Password))
		if okUser&okPassword != 1 {
			return smtp.ErrAuthFailed
		}
		se.user = username
		return nil
	}), nil
}

func (se *session) Mail(from string, opts *smtp.MailOptions) error {
	if se.s.opts.RequireAuth && se.user == "" {
		return authRequired
	}
	se.from, se.utf8 = from, opts != nil && opts.UTF8
	return nil
}

func (se *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	se.to = append(se.to, to)
	return nil
}

func (se *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := Message{From: se.from, To: se.to, Data: data, TLS: se.encrypted(), AuthUser: se.user, UTF8: se.utf8}
	select {
	case se.s.Messages <- m:
		return nil
	case <-se.s.done:
		return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 2}, Message: "The test is over"}
	}
}

func (se *session) Reset() { se.from, se.to, se.utf8 = "", nil, false }

func (se *session) Logout() error { return nil }

// testLog sends go-smtp's error log to the test's, until the test ends.
type testLog struct {
	mu   sync.Mutex
	t    testing.TB
	over bool
}

func (l *testLog) Printf(format string, v ...any) { l.log(fmt.Sprintf(format, v...)) }
func (l *testLog) Println(v ...any)               { l.log(fmt.Sprintln(v...)) }

func (l *testLog) log(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.over {
		l.t.Log("smtptest (go-smtp): " + s)
	}
}

func (l *testLog) stop() {
	l.mu.Lock()
	l.over = true
	l.mu.Unlock()
}

// certificate makes a self-signed certificate for 127.0.0.1 and
// localhost, and a pool that trusts it.
func certificate(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "smtptest"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}
