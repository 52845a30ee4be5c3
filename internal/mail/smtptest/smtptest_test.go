package smtptest

import (
	"crypto/tls"
	"encoding/base64"
	"net"
	"net/textproto"
	"strings"
	"testing"
)

// dial opens a raw SMTP conversation, so that the tests can say what
// cognitod's client never would.
func dial(t *testing.T, s *Server) (*textproto.Conn, net.Conn) {
	t.Helper()
	c, err := net.Dial("tcp", s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	tc := textproto.NewConn(c)
	expect(t, tc, 220)
	return tc, c
}

func expect(t *testing.T, c *textproto.Conn, code int) string {
	t.Helper()
	_, msg, err := c.ReadResponse(code)
	if err != nil {
		t.Fatalf("want %d: %v", code, err)
	}
	return msg
}

func say(t *testing.T, c *textproto.Conn, line string, code int) string {
	t.Helper()
	if err := c.PrintfLine("%s", line); err != nil {
		t.Fatal(err)
	}
	return expect(t, c, code)
}

func plain(user, password string) string {
	return "AUTH PLAIN " + base64.StdEncoding.EncodeToString([]byte("\x00"+user+"\x00"+password))
}

// TestAuthOnlyUnderTLS: AUTH is neither offered nor taken before
// STARTTLS, yet counted; after STARTTLS it is offered, a wrong password
// fails, and the message records TLS and the user.
func TestAuthOnlyUnderTLS(t *testing.T) {
	s := Start(t, Options{Username: "u", Password: "pw", RequireAuth: true})
	c, raw := dial(t, s)
	if ehlo := say(t, c, "EHLO client.example", 250); !strings.Contains(ehlo, "STARTTLS") || strings.Contains(ehlo, "AUTH") {
		t.Fatalf("EHLO before TLS:\n%s", ehlo)
	}
	say(t, c, plain("u", "pw"), 523)
	say(t, c, "MAIL FROM:<a@example.com>", 530)
	if n := s.AuthAttempts(); n != 1 {
		t.Fatalf("AUTH in clear text counted %d times, want 1", n)
	}
	say(t, c, "STARTTLS", 220)
	tc := tls.Client(raw, &tls.Config{RootCAs: s.RootCAs, ServerName: "127.0.0.1"})
	if err := tc.Handshake(); err != nil {
		t.Fatal(err)
	}
	c = textproto.NewConn(tc)
	if ehlo := say(t, c, "EHLO client.example", 250); !strings.Contains(ehlo, "AUTH PLAIN") || strings.Contains(ehlo, "STARTTLS") {
		t.Fatalf("EHLO under TLS:\n%s", ehlo)
	}
	say(t, c, plain("u", "wrong"), 535)
	say(t, c, plain("u", "pw"), 235)
	if n := s.AuthAttempts(); n != 3 {
		t.Fatalf("%d AUTH commands counted, want 3", n)
	}
	say(t, c, "MAIL FROM:<a@example.com>", 250)
	say(t, c, "RCPT TO:<b@example.com>", 250)
	say(t, c, "DATA", 354)
	say(t, c, "Subject: hi\r\n\r\n..dot\r\n.", 250)
	m := s.Next(t)
	if !m.TLS || m.AuthUser != "u" || m.From != "a@example.com" || len(m.To) != 1 || m.To[0] != "b@example.com" || string(m.Data) != "Subject: hi\r\n\r\n.dot\r\n" {
		t.Fatalf("%+v %q", m, m.Data)
	}
}

// TestClearTextCount: a message line that reads like AUTH is not an
// AUTH command; commands after the message are counted again.
func TestClearTextCount(t *testing.T) {
	s := Start(t, Options{NoSTARTTLS: true, AllowInsecureAuth: true, Username: "u", Password: "pw"})
	c, _ := dial(t, s)
	if ehlo := say(t, c, "EHLO client.example", 250); strings.Contains(ehlo, "STARTTLS") || !strings.Contains(ehlo, "AUTH PLAIN") {
		t.Fatalf("EHLO:\n%s", ehlo)
	}
	say(t, c, "MAIL FROM:<a@example.com>", 250)
	say(t, c, "RCPT TO:<b@example.com>", 250)
	say(t, c, "DATA", 354)
	say(t, c, "AUTH PLAIN in a message\r\n.", 250)
	if m := s.Next(t); m.TLS || m.AuthUser != "" {
		t.Fatalf("%+v", m)
	}
	if n := s.AuthAttempts(); n != 0 {
		t.Fatalf("a message line was counted as AUTH (%d)", n)
	}
	say(t, c, plain("u", "pw"), 235)
	if n := s.AuthAttempts(); n != 1 {
		t.Fatalf("%d AUTH commands counted, want 1", n)
	}
}

// TestImplicitTLSServer: smtps from the first byte, AUTH offered at once.
func TestImplicitTLSServer(t *testing.T) {
	s := Start(t, Options{ImplicitTLS: true, Username: "u", Password: "pw"})
	tc, err := tls.Dial("tcp", s.Addr, &tls.Config{RootCAs: s.RootCAs})
	if err != nil {
		t.Fatal(err)
	}
	defer tc.Close()
	c := textproto.NewConn(tc)
	expect(t, c, 220)
	if ehlo := say(t, c, "EHLO client.example", 250); strings.Contains(ehlo, "STARTTLS") || !strings.Contains(ehlo, "AUTH PLAIN") {
		t.Fatalf("EHLO:\n%s", ehlo)
	}
	say(t, c, plain("u", "pw"), 235)
	if n := s.AuthAttempts(); n != 1 {
		t.Fatalf("%d AUTH commands counted, want 1", n)
	}
}
