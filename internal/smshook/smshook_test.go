package smshook

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/triggers"
)

var secret = []byte("a-gateway-secret-of-some-length")

// A real HTTP server receives the message as JSON with a signature it can
// check; other media go to Next; a failing gateway is an error.
func TestSendsSignedJSON(t *testing.T) {
	type got struct {
		header http.Header
		body   []byte
	}
	received := make(chan got, 4)
	status := http.StatusAccepted
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		received <- got{r.Header.Clone(), b}
		w.WriteHeader(status)
	}))
	defer srv.Close()
	s, err := New(srv.URL+"/sms", secret)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Unix(1_800_000_000, 0)
	s.Now = func() time.Time { return at }
	var next []cognito.Message
	s.Next = senderFunc(func(_ context.Context, m cognito.Message) error { next = append(next, m); return nil })

	m := cognito.Message{PoolID: "us-east-1_abc", Username: "erin", Kind: cognito.DeliverMFACode, Medium: "SMS", To: "+15555550123",
		Body: "Your code is 123456", Code: "123456"}
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	r := <-received
	var p Payload
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatal(err)
	}
	if p != (Payload{PhoneNumber: "+15555550123", Message: "Your code is 123456", Kind: "sign-in code", PoolID: "us-east-1_abc", Username: "erin"}) {
		t.Errorf("payload %+v", p)
	}
	sig := r.header.Get(SignatureHeader)
	if !strings.HasPrefix(sig, "t="+strconv.FormatInt(at.Unix(), 10)+",id=") || r.header.Get("Content-Type") != "application/json" {
		t.Errorf("headers %v", r.header)
	}
	if _, err := triggers.Verify(secret, sig, r.body, at, time.Minute); err != nil {
		t.Errorf("signature %q does not verify: %v", sig, err)
	}
	// The signature covers the body and the secret.
	if _, err := triggers.Verify(secret, sig, append(r.body, ' '), at, time.Minute); err == nil {
		t.Error("signature does not depend on the body")
	}
	if _, err := triggers.Verify([]byte("another-secret-of-length"), sig, r.body, at, time.Minute); err == nil {
		t.Error("signature does not depend on the secret")
	}
	if strings.Contains(sig, string(secret)) {
		t.Error("secret sent in the clear")
	}

	email := m
	email.Medium, email.To = "EMAIL", "erin@example.com"
	if err := s.Send(context.Background(), email); err != nil || len(next) != 1 || next[0].To != "erin@example.com" {
		t.Fatalf("email went %v, %v", next, err)
	}
	select {
	case r := <-received:
		t.Fatalf("email reached the SMS gateway: %s", r.body)
	default:
	}

	status = http.StatusInternalServerError
	if err := s.Send(context.Background(), m); err == nil || !strings.Contains(err.Error(), "500") {
		t.Errorf("gateway failure: %v", err)
	}
	<-received
}

// A gateway that hangs is given up on after the timeout; a redirect is not
// followed (the code would go to a host the URL does not name).
func TestTimeoutAndRedirect(t *testing.T) {
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
	defer slow.Close()
	defer close(release)
	s, err := New(slow.URL, secret)
	if err != nil {
		t.Fatal(err)
	}
	s.Client.Timeout = 200 * time.Millisecond // the production bound is Timeout
	if err := s.Send(context.Background(), cognito.Message{Medium: "SMS", To: "+1555", Body: "x"}); err == nil {
		t.Fatal("a hanging gateway did not fail the send")
	}
	if Timeout != 5*time.Second {
		t.Errorf("Timeout = %v", Timeout)
	}

	hit := make(chan struct{}, 1)
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hit <- struct{}{} }))
	defer target.Close()
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL, http.StatusTemporaryRedirect)
	}))
	defer redirect.Close()
	s, _ = New(redirect.URL, secret)
	if err := s.Send(context.Background(), cognito.Message{Medium: "SMS", To: "+1555", Body: "x"}); err == nil {
		t.Error("a redirect counted as delivered")
	}
	select {
	case <-hit:
		t.Error("the redirect was followed")
	default:
	}
}

func TestNewRefuses(t *testing.T) {
	for _, tc := range []struct{ url, secret string }{
		{"http://gateway.example.com/sms", string(secret)}, // plain http off loopback
		{"ftp://gateway.example.com/", string(secret)},
		{"/relative", string(secret)},
		{"https://user:pw@gateway.example.com/", string(secret)},
		{"https://gateway.example.com/", "short"},
	} {
		_, err := New(tc.url, []byte(tc.secret))
		if err == nil {
			t.Errorf("New(%q) accepted", tc.url)
		} else if strings.Contains(err.Error(), tc.secret) {
			t.Errorf("error repeats the secret: %v", err)
		}
	}
	for _, u := range []string{"https://gateway.example.com/sms", "http://127.0.0.1:8080/sms", "http://localhost/sms", "http://[::1]/sms"} {
		if _, err := New(u, secret); err != nil {
			t.Errorf("New(%q): %v", u, err)
		}
	}
}

type senderFunc func(context.Context, cognito.Message) error

func (f senderFunc) Send(ctx context.Context, m cognito.Message) error { return f(ctx, m) }

// A number gets at most PerNumberPerHour messages an hour, however many
// users name it; other numbers still get theirs, and the hour ends.
func TestPerNumberBound(t *testing.T) {
	var mu sync.Mutex
	got := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p Payload
		json.NewDecoder(r.Body).Decode(&p)
		mu.Lock()
		got[p.PhoneNumber]++
		mu.Unlock()
	}))
	defer srv.Close()
	s, err := New(srv.URL, secret)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_800_000_000, 0)
	s.Now = func() time.Time { return now }
	send := func(to string) error {
		return s.Send(context.Background(), cognito.Message{Medium: "SMS", To: to, Body: "code"})
	}
	for i := range DefaultPerNumberPerHour + 5 {
		err := send("+19005550100")
		if (i < DefaultPerNumberPerHour) != (err == nil) || (err != nil && err != ErrNumberLimit) {
			t.Fatalf("message %d: %v", i+1, err)
		}
	}
	if err := send("+15555550123"); err != nil {
		t.Fatalf("another number: %v", err)
	}
	now = now.Add(time.Hour)
	if err := send("+19005550100"); err != nil {
		t.Fatalf("after the hour: %v", err)
	}
	if got["+19005550100"] != DefaultPerNumberPerHour+1 || got["+15555550123"] != 1 {
		t.Errorf("gateway received %v", got)
	}
}
