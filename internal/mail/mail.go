// Package mail sends cognitod's messages to users (confirmation codes,
// temporary passwords) by SMTP: the MessageSender that --smtp-url chooses.
//
// The connection is TLS from the start for smtps:// URLs, and upgraded
// with STARTTLS for smtp:// URLs whenever the server offers it. Credentials
// (AUTH PLAIN) are never sent in clear text except to a loopback host,
// where nothing travels on a network: a server that offers no STARTTLS
// elsewhere is refused rather than handed the password.
package mail

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/url"
	"strings"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

// Sender sends email messages by SMTP; SMS messages, for which cognitod
// has no gateway, go to SMS (a cognito.LogSender by default).
type Sender struct {
	scheme   string // smtp or smtps
	host     string // host name, for TLS and EHLO checks
	addr     string // host:port
	username string
	password string
	// TLS is the TLS configuration (nil: the system's roots and the URL's
	// host name); tests set RootCAs.
	TLS *tls.Config
	// Timeout bounds one message: connection, TLS, the whole SMTP
	// exchange (default 30 seconds).
	Timeout time.Duration
	// SMS receives the messages that are not email.
	SMS cognito.MessageSender
	// Now is the clock for the Date header and the bound per recipient;
	// nil means time.Now.
	Now func() time.Time
	// PerRecipientPerHour bounds the messages to one address in an hour
	// (0: DefaultPerRecipientPerHour; see limit.go).
	PerRecipientPerHour int
	recipients          *recipientLimiter
}

// New parses an SMTP URL: smtp://[user[:password]@]host[:port] (port 587
// by default; STARTTLS when offered) or smtps://... (implicit TLS, port
// 465 by default). Errors never repeat the password.
func New(rawURL string) (*Sender, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, errors.New("mail: the SMTP URL does not parse") // the error would quote the URL, password and all
	}
	s := &Sender{scheme: u.Scheme, host: u.Hostname(), Timeout: 30 * time.Second, recipients: newRecipientLimiter()}
	port := u.Port()
	switch u.Scheme {
	case "smtp":
		if port == "" {
			port = "587"
		}
	case "smtps":
		if port == "" {
			port = "465"
		}
	default:
		return nil, fmt.Errorf("mail: SMTP URL scheme %q: want smtp or smtps", u.Scheme)
	}
	if s.host == "" {
		return nil, errors.New("mail: the SMTP URL names no host")
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return nil, errors.New("mail: the SMTP URL must be scheme://user:password@host:port and nothing more")
	}
	s.addr = net.JoinHostPort(s.host, port)
	if u.User != nil {
		s.username = u.User.Username()
		s.password, _ = u.User.Password()
	}
	if strings.ContainsAny(s.username+s.password, "\x00\r\n") {
		return nil, errors.New("mail: the SMTP user name or password holds a control character")
	}
	return s, nil
}

// String describes the sender for the log, without the password.
func (s *Sender) String() string {
	who := ""
	if s.username != "" {
		who = s.username + "@"
	}
	mode := "STARTTLS when offered"
	if s.scheme == "smtps" {
		mode = "implicit TLS"
	}
	return fmt.Sprintf("%s://%s%s (%s)", s.scheme, who, s.addr, mode)
}

// isLoopback reports whether host is this machine.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Send sends m: email by SMTP, anything else to s.SMS.
func (s *Sender) Send(ctx context.Context, m cognito.Message) error {
	if m.Medium != "EMAIL" {
		if s.SMS == nil {
			return cognito.LogSender{}.Send(ctx, m)
		}
		return s.SMS.Send(ctx, m)
	}
	from, err := parseAddress("From", m.From)
	if err != nil {
		return err
	}
	to, err := parseAddress("To", m.To)
	if err != nil {
		return err
	}
	if to.Name != "" || !strings.EqualFold(to.Address, strings.TrimSpace(m.To)) {
		// An email attribute such as "victim<attacker@example.com>" would
		// send the code to the address in brackets while the attribute,
		// once verified, says something else: only a bare address, the
		// attribute itself, receives mail.
		return fmt.Errorf("mail: the To address %q is not a bare address", m.To)
	}
	var replyTo *mail.Address
	if m.ReplyTo != "" {
		if replyTo, err = parseAddress("Reply-To", m.ReplyTo); err != nil {
			return err
		}
	}
	msg, err := s.compose(from, to, replyTo, m.Subject, m.Body)
	if err != nil {
		return err
	}
	limit := s.PerRecipientPerHour
	if limit <= 0 {
		limit = DefaultPerRecipientPerHour
	}
	if !s.recipients.allow(to.Address, limit, s.now()) {
		return ErrRecipientLimit
	}
	return s.deliver(ctx, from.Address, to.Address, msg)
}

func (s *Sender) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// parseAddress reads one address; CR and LF are refused outright, so that
// no value can add a header or end the envelope.
func parseAddress(field, v string) (*mail.Address, error) {
	if strings.ContainsAny(v, "\r\n\x00") {
		return nil, fmt.Errorf("mail: the %s address holds a line break", field)
	}
	a, err := mail.ParseAddress(v)
	if err != nil {
		return nil, fmt.Errorf("mail: the %s address %q: %v", field, v, err)
	}
	return a, nil
}

// compose builds the message: headers (Date, Message-ID, MIME, a subject
// in RFC 2047 UTF-8 when it is not ASCII) and the HTML body, quoted-
// printable so that long lines and any UTF-8 survive every relay.
func (s *Sender) compose(from, to, replyTo *mail.Address, subject, body string) ([]byte, error) {
	if strings.ContainsAny(subject, "\r\n\x00") {
		return nil, errors.New("mail: the subject holds a line break")
	}
	id := make([]byte, 16)
	rand.Read(id)
	domain := from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	var b strings.Builder
	header := func(k, v string) { writeHeader(&b, k, v) }
	header("From", from.String())
	header("To", to.String())
	if replyTo != nil {
		header("Reply-To", replyTo.String())
	}
	header("Subject", mime.QEncoding.Encode("utf-8", subject))
	header("Date", s.now().Format(time.RFC1123Z))
	header("Message-ID", "<"+hex.EncodeToString(id)+"@"+domain+">")
	header("MIME-Version", "1.0")
	header("Content-Type", `text/html; charset="UTF-8"`)
	header("Content-Transfer-Encoding", "quoted-printable")
	for line := range strings.SplitSeq(b.String(), "\r\n") {
		if len(line) > maxHeaderLine {
			name, _, _ := strings.Cut(line, ":")
			return nil, fmt.Errorf("mail: the %s header does not fold within %d characters a line", name, maxHeaderLine)
		}
	}
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	if _, err := qp.Write([]byte(body)); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	b.WriteString("\r\n")
	return []byte(b.String()), nil
}

// Header lines SHOULD stay within 78 characters and MUST within 998
// (RFC 5322 section 2.1.1). Servers enforce a limit near the second:
// go-smtp refuses a line past 2,000 bytes, Postfix splits one past 2,048.
const (
	foldAt        = 78
	maxHeaderLine = 998
)

// writeHeader writes "name: value", folded (RFC 5322 section 2.2.3) before
// a space wherever the line would pass foldAt characters. Encoded words
// (RFC 2047) are at most 75 characters apart from one another by spaces,
// so an encoded subject or display name of any length folds; unfolding
// (removing each CRLF) gives the value back exactly.
func writeHeader(b *strings.Builder, name, value string) {
	b.WriteString(name + ":")
	n, words := len(name)+1, 0
	for _, w := range strings.Split(value, " ") {
		if words > 0 && n+1+len(w) > foldAt {
			b.WriteString("\r\n")
			n, words = 0, 0
		}
		b.WriteString(" " + w)
		n += 1 + len(w)
		words++
	}
	b.WriteString("\r\n")
}

func (s *Sender) tlsConfig() *tls.Config {
	c := &tls.Config{MinVersion: tls.VersionTLS12}
	if s.TLS != nil {
		c = s.TLS.Clone()
	}
	if c.ServerName == "" {
		c.ServerName = s.host
	}
	return c
}

// deliver runs one SMTP exchange within s.Timeout.
func (s *Sender) deliver(ctx context.Context, from, to string, msg []byte) error {
	ctx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()
	d := &net.Dialer{}
	conn, err := d.DialContext(ctx, "tcp", s.addr)
	if err != nil {
		return fmt.Errorf("mail: connect to %s: %w", s.addr, err)
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	// A cancelled context ends the exchange at once.
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if s.scheme == "smtps" {
		tc := tls.Client(conn, s.tlsConfig())
		if err := tc.HandshakeContext(ctx); err != nil {
			return fmt.Errorf("mail: TLS with %s: %w", s.addr, err)
		}
		conn = tc
	}
	c, err := smtp.NewClient(conn, s.host)
	if err != nil {
		return fmt.Errorf("mail: %s: %w", s.addr, err)
	}
	defer c.Close()
	if err := c.Hello("localhost"); err != nil {
		return fmt.Errorf("mail: EHLO: %w", err)
	}
	secure := s.scheme == "smtps"
	if !secure {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(s.tlsConfig()); err != nil {
				return fmt.Errorf("mail: STARTTLS with %s: %w", s.addr, err)
			}
			secure = true
		}
	}
	if s.username != "" {
		if !secure && !isLoopback(s.host) {
			return fmt.Errorf("mail: %s offers no STARTTLS: refusing to send the SMTP password in clear text (use smtps://, or a server with STARTTLS)", s.addr)
		}
		if ok, _ := c.Extension("AUTH"); !ok {
			return fmt.Errorf("mail: %s does not offer AUTH, but the SMTP URL has credentials", s.addr)
		}
		if err := c.Auth(plainAuth{username: s.username, password: s.password}); err != nil {
			return fmt.Errorf("mail: AUTH PLAIN as %s: %w", s.username, err)
		}
	}
	// net/smtp says SMTPUTF8 in MAIL whenever the server offers it; a
	// server that does not may mangle or bounce UTF-8 addresses later,
	// so the message is refused here, with the reason.
	if !isASCII(from) || !isASCII(to) || !isASCII(string(msg)) {
		if ok, _ := c.Extension("SMTPUTF8"); !ok {
			return fmt.Errorf("mail: an address holds non-ASCII characters, which need SMTPUTF8 (RFC 6531), and %s does not offer it", s.addr)
		}
	}
	if err := c.Mail(from); err != nil {
		return fmt.Errorf("mail: MAIL FROM: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("mail: RCPT TO: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("mail: DATA: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("mail: DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("mail: the server refused the message: %w", err)
	}
	return c.Quit()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// plainAuth is AUTH PLAIN (RFC 4616). The clear-text rule is deliver's,
// one rule for both schemes that knows loopback addresses as well as the
// name localhost (net/smtp's PlainAuth has its own, narrower one).
type plainAuth struct{ username, password string }

func (a plainAuth) Start(*smtp.ServerInfo) (string, []byte, error) {
	return "PLAIN", []byte("\x00" + a.username + "\x00" + a.password), nil
}

func (a plainAuth) Next(_ []byte, more bool) ([]byte, error) {
	if more {
		return nil, errors.New("mail: unexpected server challenge during AUTH PLAIN")
	}
	return nil, nil
}
