package mail

import (
	"context"
	"crypto/tls"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/mail/smtptest"
)

func sender(t *testing.T, rawURL string, srv *smtptest.Server) *Sender {
	t.Helper()
	s, err := New(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	if srv != nil {
		s.TLS = &tls.Config{RootCAs: srv.RootCAs}
	}
	s.Timeout = 5 * time.Second
	return s
}

func message() cognito.Message {
	return cognito.Message{PoolID: "us-east-1_abc", Username: "alice", Kind: cognito.DeliverForgotPasswordCode, Medium: "EMAIL",
		To: "alice@example.com", From: "Photos App <no-reply@photos.example>", ReplyTo: "help@photos.example",
		Subject: "Code de vérification ✓", Body: "<p>Your verification code is 123456. " + strings.Repeat("long line ", 20) + "é</p>", Code: "123456"}
}

// TestSendWithSTARTTLSAndAuth: a real SMTP exchange upgraded with
// STARTTLS, AUTH PLAIN, and a message whose headers and body a mail
// reader decodes to what was sent.
func TestSendWithSTARTTLSAndAuth(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{Username: "mailer", Password: "p@ss:w/rd", RequireAuth: true})
	s := sender(t, "smtp://mailer:p%40ss%3Aw%2Frd@"+srv.Addr, srv)
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	if err := s.Send(t.Context(), message()); err != nil {
		t.Fatal(err)
	}
	got := srv.Next(t)
	if !got.TLS || got.AuthUser != "mailer" {
		t.Errorf("session: TLS %v, user %q; want STARTTLS and mailer", got.TLS, got.AuthUser)
	}
	if got.From != "no-reply@photos.example" || len(got.To) != 1 || got.To[0] != "alice@example.com" {
		t.Errorf("envelope: from %q to %v", got.From, got.To)
	}
	msg := got.Parse(t)
	h := msg.Header
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(h.Get("Subject"))
	if err != nil || subject != "Code de vérification ✓" {
		t.Errorf("Subject %q decodes to %q (%v)", h.Get("Subject"), subject, err)
	}
	if h.Get("Subject") == subject {
		t.Errorf("a non-ASCII subject was sent raw: %q", h.Get("Subject"))
	}
	from, _ := h.AddressList("From")
	if len(from) != 1 || from[0].Name != "Photos App" || from[0].Address != "no-reply@photos.example" {
		t.Errorf("From: %q", h.Get("From"))
	}
	if h.Get("To") != "<alice@example.com>" || h.Get("Reply-To") != "<help@photos.example>" {
		t.Errorf("To %q, Reply-To %q", h.Get("To"), h.Get("Reply-To"))
	}
	if d, err := h.Date(); err != nil || !d.Equal(now) {
		t.Errorf("Date %q: %v %v", h.Get("Date"), d, err)
	}
	if !regexp.MustCompile(`^<[0-9a-f]{32}@photos\.example>$`).MatchString(h.Get("Message-ID")) {
		t.Errorf("Message-ID %q", h.Get("Message-ID"))
	}
	if h.Get("MIME-Version") != "1.0" || h.Get("Content-Type") != `text/html; charset="UTF-8"` || h.Get("Content-Transfer-Encoding") != "quoted-printable" {
		t.Errorf("MIME headers: %v", h)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil || strings.TrimRight(string(body), "\r\n") != message().Body {
		t.Errorf("body %q (%v), want %q", body, err, message().Body)
	}
	for _, line := range strings.Split(string(got.Data), "\r\n") {
		if len(line) > 78 {
			t.Errorf("line longer than 78 characters: %q", line)
		}
	}
}

// TestLongHeadersFold: a subject of Cognito's maximum length (140
// characters) in four-byte UTF-8 encodes to some 2,000 characters, past
// the 998 a line may hold: go-smtp refused it as "too long a line" until
// the headers were folded. Folded, every line is short, and a mail
// reader gets the subject and the From display name back exactly.
func TestLongHeadersFold(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	s := sender(t, "smtp://"+srv.Addr, srv)
	name := strings.TrimSpace(strings.Repeat("Équipe Photos ", 12))
	for _, subject := range []string{strings.Repeat("🔐", 140), strings.TrimSpace(strings.Repeat("Your code ", 14))} {
		m := message()
		m.Subject, m.From = subject, name+" <no-reply@photos.example>"
		if err := s.Send(t.Context(), m); err != nil {
			t.Fatalf("subject %q: %v", subject, err)
		}
		got := srv.Next(t)
		head, _, _ := strings.Cut(string(got.Data), "\r\n\r\n")
		lines := strings.Split(head, "\r\n")
		for _, line := range lines {
			_, value, named := strings.Cut(line, ": ")
			if !named {
				value = line[1:] // a folded line starts with its space
			}
			if len(line) > 78 && strings.Contains(value, " ") {
				t.Errorf("a line that could fold is %d characters long: %q", len(line), line)
			}
		}
		if len(lines) < 12 {
			t.Errorf("the long headers were not folded:\n%s", head)
		}
		msg := got.Parse(t)
		var dec mime.WordDecoder
		if back, err := dec.DecodeHeader(msg.Header.Get("Subject")); err != nil || back != subject {
			t.Errorf("Subject decodes to %q (%v), want %q", back, err, subject)
		}
		if from, err := msg.Header.AddressList("From"); err != nil || len(from) != 1 || from[0].Name != name {
			t.Errorf("From %q: %v %v", msg.Header.Get("From"), from, err)
		}
	}

	// A header that has no space to fold at, longer than any line may
	// be, is refused before anything is sent.
	m := message()
	m.From = strings.Repeat("x", 1000) + " <no-reply@photos.example>"
	if err := s.Send(t.Context(), m); err == nil || !strings.Contains(err.Error(), "From header") {
		t.Fatalf("an unfoldable From: %v", err)
	}
	select {
	case m := <-srv.Messages:
		t.Fatalf("an unfoldable message arrived: %.200s", m.Data)
	case <-time.After(100 * time.Millisecond):
	}
}

// TestInternationalAddress: an address with non-ASCII characters (which
// Cognito's email pattern allows) goes only to a server that offers
// SMTPUTF8, and says so in MAIL; go-smtp, like many servers, took the
// raw UTF-8 without it.
func TestInternationalAddress(t *testing.T) {
	m := message()
	m.To = "josé@exämple.com"
	plain := smtptest.Start(t, smtptest.Options{})
	err := sender(t, "smtp://"+plain.Addr, plain).Send(t.Context(), m)
	if err == nil || !strings.Contains(err.Error(), "SMTPUTF8") {
		t.Fatalf("to a server without SMTPUTF8: %v", err)
	}
	select {
	case got := <-plain.Messages:
		t.Fatalf("a UTF-8 address went without SMTPUTF8: %v", got.To)
	case <-time.After(100 * time.Millisecond):
	}
	intl := smtptest.Start(t, smtptest.Options{SMTPUTF8: true})
	if err := sender(t, "smtp://"+intl.Addr, intl).Send(t.Context(), m); err != nil {
		t.Fatal(err)
	}
	got := intl.Next(t)
	if !got.UTF8 || len(got.To) != 1 || got.To[0] != "josé@exämple.com" {
		t.Errorf("SMTPUTF8 %v, to %v", got.UTF8, got.To)
	}
	if to, err := got.Parse(t).Header.AddressList("To"); err != nil || len(to) != 1 || to[0].Address != "josé@exämple.com" {
		t.Errorf("To header: %v %v", to, err)
	}
	// ASCII addresses need no SMTPUTF8.
	if err := sender(t, "smtp://"+plain.Addr, plain).Send(t.Context(), message()); err != nil {
		t.Fatal(err)
	}
	if got := plain.Next(t); got.UTF8 {
		t.Error("SMTPUTF8 said to a server that does not offer it")
	}
}

// TestImplicitTLS: smtps:// speaks TLS from the first byte.
func TestImplicitTLS(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{ImplicitTLS: true, Username: "u", Password: "pw", RequireAuth: true})
	if err := sender(t, "smtps://u:pw@"+srv.Addr, srv).Send(t.Context(), message()); err != nil {
		t.Fatal(err)
	}
	if got := srv.Next(t); !got.TLS || got.AuthUser != "u" {
		t.Errorf("TLS %v, user %q", got.TLS, got.AuthUser)
	}
}

// TestUntrustedCertificate: a certificate the sender does not trust ends
// the exchange before the password is sent.
func TestUntrustedCertificate(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{Username: "u", Password: "pw"})
	err := sender(t, "smtp://u:pw@"+srv.Addr, nil).Send(t.Context(), message())
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Fatalf("got %v, want a STARTTLS failure", err)
	}
	if n := srv.AuthAttempts(); n != 0 {
		t.Errorf("%d AUTH commands reached a server whose certificate failed", n)
	}
}

// TestNoCredentialsInClearText: without STARTTLS, the password goes to a
// loopback server only; to any other host the message is refused before
// AUTH.
func TestNoCredentialsInClearText(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{NoSTARTTLS: true, AllowInsecureAuth: true, Username: "u", Password: "pw", RequireAuth: true})
	if err := sender(t, "smtp://u:pw@"+srv.Addr, srv).Send(t.Context(), message()); err != nil {
		t.Fatalf("loopback without STARTTLS: %v", err)
	}
	if got := srv.Next(t); got.TLS || got.AuthUser != "u" {
		t.Errorf("loopback: TLS %v, user %q", got.TLS, got.AuthUser)
	}

	// The same kind of server under a name that is not loopback. The
	// connection still goes to 127.0.0.1 (tests send nothing off this
	// machine's loopback), but the sender decides by the URL's host, as it
	// does for a real relay.
	remote := smtptest.Start(t, smtptest.Options{NoSTARTTLS: true, AllowInsecureAuth: true, Username: "u", Password: "pw"})
	asRemote := func(rawURL string) *Sender {
		s := sender(t, rawURL, remote)
		s.host = "smtp.example.com"
		return s
	}
	err := asRemote("smtp://u:pw@"+remote.Addr).Send(t.Context(), message())
	if err == nil || !strings.Contains(err.Error(), "refusing to send the SMTP password in clear text") {
		t.Fatalf("got %v, want the clear-text refusal", err)
	}
	if strings.Contains(err.Error(), "pw") {
		t.Errorf("the error shows the password: %v", err)
	}
	if n := remote.AuthAttempts(); n != 0 {
		t.Errorf("%d AUTH commands sent in clear text to a non-loopback host", n)
	}
	// Without credentials there is nothing to protect: the message goes.
	if err := asRemote("smtp://"+remote.Addr).Send(t.Context(), message()); err != nil {
		t.Fatal(err)
	}
	remote.Next(t)
}

// TestHeaderInjection: a line break in any value is refused, and nothing
// is sent.
func TestHeaderInjection(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	s := sender(t, "smtp://"+srv.Addr, srv)
	for name, change := range map[string]func(*cognito.Message){
		"subject":    func(m *cognito.Message) { m.Subject = "Hi\r\nBcc: victim@example.com" },
		"subject LF": func(m *cognito.Message) { m.Subject = "Hi\nBcc: victim@example.com" },
		"to":         func(m *cognito.Message) { m.To = "alice@example.com\r\nBcc: victim@example.com" },
		"from":       func(m *cognito.Message) { m.From = "a@example.com\nX: y" },
		"reply-to":   func(m *cognito.Message) { m.ReplyTo = "a@example.com\r\n.\r\nMAIL FROM:<x@y>" },
		"bad to":     func(m *cognito.Message) { m.To = "not an address" },
	} {
		m := message()
		change(&m)
		if err := s.Send(t.Context(), m); err == nil {
			t.Errorf("%s: sent", name)
		}
	}
	select {
	case m := <-srv.Messages:
		t.Fatalf("a refused message arrived: %s", m.Data)
	case <-time.After(100 * time.Millisecond):
	}
}

// TestTimeout: a server that never answers costs at most the timeout.
func TestTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // silent
		}
	}()
	s := sender(t, "smtp://"+ln.Addr().String(), nil)
	s.Timeout = 300 * time.Millisecond
	start := time.Now()
	if err := s.Send(context.Background(), message()); err == nil {
		t.Fatal("a silent server accepted the message")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v with a 300ms timeout", d)
	}
}

type recorder struct{ got []cognito.Message }

func (r *recorder) Send(_ context.Context, m cognito.Message) error {
	r.got = append(r.got, m)
	return nil
}

// TestSMSGoesToTheFallback: cognitod has no SMS gateway.
func TestSMSGoesToTheFallback(t *testing.T) {
	s := sender(t, "smtp://127.0.0.1:1", nil)
	rec := &recorder{}
	s.SMS = rec
	m := message()
	m.Medium, m.To = "SMS", "+15555550100"
	if err := s.Send(t.Context(), m); err != nil || len(rec.got) != 1 || rec.got[0].To != "+15555550100" {
		t.Fatalf("SMS: %v %+v", err, rec.got)
	}
}

// TestNew: the URL forms, and no error or description shows the password.
func TestNew(t *testing.T) {
	for _, tc := range []struct{ url, addr string }{
		{"smtp://mail.example.com", "mail.example.com:587"},
		{"smtps://mail.example.com", "mail.example.com:465"},
		{"smtp://u:secret@127.0.0.1:2525", "127.0.0.1:2525"},
		{"smtp://u:secret@[::1]:25", "[::1]:25"},
	} {
		s, err := New(tc.url)
		if err != nil || s.addr != tc.addr {
			t.Errorf("New(%q): addr %v, %v; want %s", tc.url, s, err, tc.addr)
			continue
		}
		if strings.Contains(s.String(), "secret") {
			t.Errorf("String() shows the password: %s", s)
		}
	}
	for _, bad := range []string{"http://u:secret@mail.example.com", "smtp://u:secret@", "smtp://u:secret@host/path", "smtp://u:secret@host?x=1",
		"smtp://u:sec%0Dret@host", "smtp://u:secret@ho st:25", "://u:secret@x"} {
		_, err := New(bad)
		if err == nil {
			t.Errorf("New(%q) accepted", bad)
		} else if strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), "sec") && strings.Contains(err.Error(), "ret") {
			t.Errorf("New(%q) error shows the password: %v", bad, err)
		}
	}
}
