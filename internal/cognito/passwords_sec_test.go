package cognito

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"
)

// Password and SRP work is bounded to one computation per core; callers
// beyond that wait, but only so many of them. Once the queue is full a
// caller is shed at once with TooManyRequestsException instead of
// waiting behind an anonymous flood (it used to wait for its whole
// deadline, however many were ahead of it). Not parallel: it fills the
// package's shared slots.
func TestHashSlotsShedPastTheQueue(t *testing.T) {
	for range cap(hashSlots) {
		if err := acquireHashSlot(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	released := false
	release := func() {
		if !released {
			released = true
			for range cap(hashSlots) {
				releaseHashSlot()
			}
		}
	}
	defer release()

	waitCtx, stopWaiting := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	defer func() { stopWaiting(); wg.Wait() }()
	for range 64 * runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() { defer wg.Done(); acquireHashSlot(waitCtx) }()
	}
	time.Sleep(200 * time.Millisecond) // let them all queue

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	err := acquireHashSlot(ctx)
	if err == nil {
		releaseHashSlot()
	}
	if !errors.Is(err, ErrTooManyRequests) {
		t.Fatalf("with the queue full: %v after %v, want TooManyRequestsException at once", err, time.Since(start))
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Fatalf("shed after %v, want at once", d)
	}

	// Once the flood is gone, callers are served again.
	stopWaiting()
	wg.Wait()
	release()
	if err := acquireHashSlot(context.Background()); err != nil {
		t.Fatalf("after the queue drained: %v", err)
	}
	releaseHashSlot()
}
