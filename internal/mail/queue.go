package mail

import (
	"context"
	"errors"
	"log/slog"
	"sync"

	"github.com/cognitod/cognitod/internal/cognito"
)

// Queue sends messages in the background, as Cognito does: the API call
// that asks for a message returns without waiting for the mail server.
// That keeps a slow server from slowing the API down, and keeps response
// times from telling a real user (a message goes out) from an unknown
// name (nothing does) when a client prevents user-existence errors.
//
// The queue is bounded: when it is full, Send fails at once (the caller
// logs it) instead of holding memory for a flood of requests.
type Queue struct {
	next   cognito.MessageSender
	logger *slog.Logger
	ch     chan queued
	wg     sync.WaitGroup
	once   sync.Once
}

type queued struct {
	ctx context.Context
	m   cognito.Message
}

// ErrQueueFull is Send's answer when the queue holds depth messages.
var ErrQueueFull = errors.New("mail: the outgoing queue is full")

// NewQueue starts workers goroutines sending through next, holding up to
// depth messages; send failures go to logger, without the message's code
// or body.
func NewQueue(next cognito.MessageSender, logger *slog.Logger, workers, depth int) *Queue {
	if logger == nil {
		logger = slog.Default()
	}
	q := &Queue{next: next, logger: logger, ch: make(chan queued, depth)}
	for range workers {
		q.wg.Add(1)
		go q.work()
	}
	return q
}

func (q *Queue) work() {
	defer q.wg.Done()
	for it := range q.ch {
		if err := q.next.Send(it.ctx, it.m); err != nil {
			q.logger.ErrorContext(it.ctx, "message to a user not sent", "pool", it.m.PoolID, "username", it.m.Username,
				"kind", string(it.m.Kind), "medium", it.m.Medium, "err", err)
		}
	}
}

// Send queues m.
func (q *Queue) Send(ctx context.Context, m cognito.Message) error {
	select {
	case q.ch <- queued{ctx: context.WithoutCancel(ctx), m: m}:
		return nil
	default:
		return ErrQueueFull
	}
}

// Close stops taking messages and waits, until ctx is done, for the queued
// ones to be sent. Send must not be called after Close.
func (q *Queue) Close(ctx context.Context) error {
	q.once.Do(func() { close(q.ch) })
	done := make(chan struct{})
	go func() { q.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
