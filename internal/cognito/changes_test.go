package cognito_test

import (
	"context"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

// TestWatchStoreExpires: with no write at all, the watcher still drops the
// caches after its fallback expiry (a fixed number of polls).
func TestWatchStoreExpires(t *testing.T) {
	fired := make(chan struct{}, 1)
	svc, _ := newServiceWith(t, nil, func(c *cognito.Config) {
		c.OnStoreChanged = func() {
			select {
			case fired <- struct{}{}:
			default:
			}
		}
	})
	ctx, cancel := context.WithCancel(t.Context())
	done := svc.WatchStore(ctx, time.Millisecond, nil)
	defer func() { cancel(); <-done }()
	select {
	case <-fired:
	case <-time.After(30 * time.Second):
		t.Fatal("the caches were never dropped without a write")
	}
}
