package mail

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/mail/smtptest"
)

// blocker holds every Send until released.
type blocker struct {
	release chan struct{}
	mu      sync.Mutex
	sent    int
}

func (b *blocker) Send(ctx context.Context, m cognito.Message) error {
	<-b.release
	b.mu.Lock()
	b.sent++
	b.mu.Unlock()
	return nil
}

type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *safeBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// TestQueue: Send returns before the message goes, a full queue refuses
// at once, and Close waits for what is queued.
func TestQueue(t *testing.T) {
	b := &blocker{release: make(chan struct{})}
	q := NewQueue(b, nil, 1, 2)
	ctx, cancel := context.WithCancel(context.Background())
	for i := range 3 { // one in the worker, two queued
		if err := q.Send(ctx, message()); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := q.Send(ctx, message()); !errors.Is(err, ErrQueueFull) {
		t.Fatalf("a fourth message: %v, want ErrQueueFull", err)
	}
	cancel() // the caller's context ending does not stop queued sends
	close(b.release)
	if err := q.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if b.sent != 3 {
		t.Errorf("%d sent, want 3", b.sent)
	}
}

// TestQueueSendsAndLogsFailures through a real SMTP server, and logs a
// failure without the code.
func TestQueueSendsAndLogsFailures(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	logs := &safeBuffer{}
	q := NewQueue(sender(t, "smtp://"+srv.Addr, srv), slog.New(slog.NewTextHandler(logs, nil)), 2, 8)
	if err := q.Send(t.Context(), message()); err != nil {
		t.Fatal(err)
	}
	srv.Next(t)
	bad := message()
	bad.To = "nobody-at-all"
	if err := q.Send(t.Context(), bad); err != nil {
		t.Fatal(err)
	}
	q.Close(context.Background())
	out := logs.String()
	if !strings.Contains(out, "message to a user not sent") || !strings.Contains(out, "username=alice") {
		t.Errorf("failure not logged: %s", out)
	}
	if strings.Contains(out, bad.Code) || strings.Contains(out, "verification code is") {
		t.Errorf("the log shows the code or body: %s", out)
	}
}
