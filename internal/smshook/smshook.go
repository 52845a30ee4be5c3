package smshook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/triggers"
)

// SignatureHeader signs each request as the trigger webhooks' requests
// are signed (internal/triggers): t=<unix seconds>,id=<random request
// ID>,v1=<hex HMAC-SHA256(secret, "<t>.<id>." + body)>. A gateway checks
// it with triggers.Verify's rules and refuses an ID it has seen: the same
// text to the same number in one second is a new message, not a replay.
const SignatureHeader = triggers.SignatureHeader

// Timeout bounds one request to the gateway, connection included.
const Timeout = 5 * time.Second

// MinSecretLen is the shortest secret New accepts.
const MinSecretLen = 16

// maxReply bounds what is read of the gateway's answer (it is discarded:
// reading it lets the connection be reused).
const maxReply = 4096

// Payload is the JSON body a gateway receives.
type Payload struct {
	PhoneNumber string `json:"phoneNumber"`
	Message     string `json:"message"`
	// Kind says why the message is sent (cognito.DeliveryKind), PoolID
	// and Username whom it is for: for the gateway's own records.
	Kind     string `json:"kind"`
	PoolID   string `json:"userPoolId"`
	Username string `json:"username"`
}

// Sender posts SMS messages to a gateway.
type Sender struct {
	url    string
	secret []byte
	// Client sends the requests (default: Timeout, no redirects followed,
	// so a code is never handed to a host the URL does not name).
	Client *http.Client
	// Next receives the messages that are not SMS.
	Next cognito.MessageSender
	// Now is the clock of the timestamp and the bound per number; nil
	// means time.Now.
	Now func() time.Time
	// PerNumberPerHour bounds the messages to one number in an hour (0:
	// DefaultPerNumberPerHour; see limit.go).
	PerNumberPerHour int
	numbers          *numberLimiter
}

// New checks the gateway URL and the secret: the URL is https, or http to
// a loopback host (where nothing travels on a network), since it carries
// users' codes; the secret is at least MinSecretLen bytes. Errors never
// repeat the secret.
func New(rawURL string, secret []byte) (*Sender, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, errors.New("want an absolute https URL")
	}
	if u.User != nil {
		return nil, errors.New("the URL must not carry credentials; the secret signs each request")
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("plain http to %s would send users' codes unencrypted; use https", u.Hostname())
	}
	if len(secret) < MinSecretLen {
		return nil, fmt.Errorf("the signing secret must be at least %d bytes", MinSecretLen)
	}
	return &Sender{url: u.String(), secret: bytes.Clone(secret), numbers: newNumberLimiter(), Client: &http.Client{Timeout: Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// String names the gateway (scheme, host and path: nothing secret).
func (s *Sender) String() string { return s.url }

// Send posts m when it is an SMS and hands anything else to Next. A
// gateway answering other than 2xx is an error (the caller logs it,
// without the code).
func (s *Sender) Send(ctx context.Context, m cognito.Message) error {
	if m.Medium != "SMS" {
		if s.Next == nil {
			return fmt.Errorf("smshook: no sender for %s messages", m.Medium)
		}
		return s.Next.Send(ctx, m)
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	limit := s.PerNumberPerHour
	if limit <= 0 {
		limit = DefaultPerNumberPerHour
	}
	if !s.numbers.allow(m.To, limit, now()) {
		return ErrNumberLimit
	}
	body, err := json.Marshal(Payload{PhoneNumber: m.To, Message: m.Body, Kind: string(m.Kind), PoolID: m.PoolID, Username: m.Username})
	if err != nil {
		return err
	}
	at := now()
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "cognitod-sms-webhook/1")
	req.Header.Set(SignatureHeader, triggers.Sign(s.secret, at, triggers.NewRequestID(), body))
	resp, err := s.Client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL is ours and known; keep the cause
		}
		return fmt.Errorf("smshook: %s: %w", s.url, err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxReply))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("smshook: %s answered %s", s.url, resp.Status)
	}
	return nil
}
