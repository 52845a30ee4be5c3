package mail

import (
	"bytes"
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// FuzzNew: whatever --smtp-url holds, New never repeats the password in an
// error or in String, and a URL it accepts names a host and one of the two
// schemes, with no control character in the credentials it will send.
func FuzzNew(f *testing.F) {
	for _, s := range []string{
		"smtp://user:secret@mail.example.com:587", "smtps://u:p%40ss@127.0.0.1", "smtp://mail.example.com",
		"smtp://u:p%0d%0aRCPT@host", "http://u:secret@host", "smtp://u:secret@", "smtp://u:secret@host/path?q#f",
		"smtp://[::1]:25", "smtp://u:se%cret@host", "::", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		password := ""
		if u, err := url.Parse(raw); err == nil && u.User != nil {
			password, _ = u.User.Password()
		}
		s, err := New(raw)
		if err != nil {
			if len(password) >= 4 && strings.Contains(err.Error(), password) {
				t.Fatalf("error %q repeats the password", err)
			}
			return
		}
		if s.host == "" || (s.scheme != "smtp" && s.scheme != "smtps") {
			t.Fatalf("%q accepted with host %q scheme %q", raw, s.host, s.scheme)
		}
		if strings.ContainsAny(s.username+s.password, "\x00\r\n") {
			t.Fatalf("%q accepted with a control character in the credentials", raw)
		}
		if len(s.password) >= 4 && strings.Contains(s.String(), s.password) {
			t.Fatalf("String %q shows the password", s.String())
		}
	})
}

// FuzzCompose: addresses and subjects come from users (their email
// attribute, its case and quoting) and from pool settings; whatever they
// hold, a message that is composed has exactly cognitod's headers, each
// once, and the envelope address is the one the To header names.
func FuzzCompose(f *testing.F) {
	f.Add("Photos <no-reply@photos.example>", "alice@example.com", "", "Your code", "<p>123456</p>")
	f.Add("a@b.c", "\"Evil\r\nBcc: x@y.z\" <v@example.com>", "r@b.c", "s\r\nBcc: x@y.z", "body\r\n.\r\nMAIL FROM:<x>")
	f.Add("=?utf-8?q?x?= <a@b.c>", "v@example.com\nBcc: x@y.z", "", "été", "")
	s := &Sender{}
	f.Fuzz(func(t *testing.T, from, to, replyTo, subject, body string) {
		fa, err := parseAddress("From", from)
		if err != nil {
			return
		}
		ta, err := parseAddress("To", to)
		if err != nil {
			return
		}
		var ra *mail.Address
		if replyTo != "" {
			if ra, err = parseAddress("Reply-To", replyTo); err != nil {
				return
			}
		}
		msg, err := s.compose(fa, ta, ra, subject, body)
		if err != nil {
			return
		}
		head, _, ok := bytes.Cut(msg, []byte("\r\n\r\n"))
		if !ok {
			t.Fatal("no end of headers")
		}
		var names []string
		for _, line := range strings.Split(string(head), "\r\n") {
			name, _, ok := strings.Cut(line, ":")
			if !ok || strings.ContainsAny(line, "\r\n") {
				t.Fatalf("header line %q", line)
			}
			names = append(names, name)
		}
		want := []string{"From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"}
		if ra != nil {
			want = slices.Insert(want, 2, "Reply-To")
		}
		if !slices.Equal(names, want) {
			t.Fatalf("headers %v, want %v\n%s", names, want, head)
		}
		parsed, err := mail.ReadMessage(bytes.NewReader(msg))
		if err != nil {
			return // net/mail is stricter than SMTP about some encoded names
		}
		if got, err := parsed.Header.AddressList("To"); err == nil && (len(got) != 1 || got[0].Address != ta.Address) {
			t.Fatalf("To header %q names %v, envelope %q", parsed.Header.Get("To"), got, ta.Address)
		}
	})
}
