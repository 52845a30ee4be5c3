package cognito

import (
	"context"
	"sync"
	"time"
)

// Several instances on one database: each polls the store's generation
// (ChangeSignal) and, when another process has advanced it, drops its
// grant cache and runs the hooks registered with OnStoreChanged (the
// signing-key cache). Polling is one tiny read per interval, never per
// request; requests only load an atomic counter.

// DefaultWatchInterval is how often WatchStore reads the generation: a
// write through one instance reaches the caches of the others within
// about this long.
const DefaultWatchInterval = 250 * time.Millisecond

// changeHooks holds the functions OnStoreChanged registered.
type changeHooks struct {
	mu    sync.Mutex
	hooks []func()
}

// OnStoreChanged registers fn to run when WatchStore sees a generation it
// has not seen before. fn must be quick: it runs on the watcher's
// goroutine.
func (s *Service) OnStoreChanged(fn func()) {
	s.changes.mu.Lock()
	s.changes.hooks = append(s.changes.hooks, fn)
	s.changes.mu.Unlock()
}

// storeChanged drops everything cached from the store.
func (s *Service) storeChanged() {
	s.grants.invalidate()
	s.changes.mu.Lock()
	hooks := append([]func(){}, s.changes.hooks...)
	s.changes.mu.Unlock()
	for _, fn := range hooks {
		fn()
	}
}

// WatchStore reads the store's generation now and then every interval
// (zero: DefaultWatchInterval) on a goroutine until ctx ends, and drops
// the caches when it changes; done is closed when the goroutine has ended.
// A wake from the store (a notification) makes it read at once. A failed
// read is retried at the next tick, and the caches are dropped when the
// store answers again, since a write may have been missed meanwhile.
func (s *Service) WatchStore(ctx context.Context, interval time.Duration, wake <-chan struct{}) (done <-chan struct{}) {
	if interval <= 0 {
		interval = DefaultWatchInterval
	}
	last, err := s.readGeneration(ctx)
	failed := err != nil
	ch := make(chan struct{})
	go func() {
		defer close(ch)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			case <-wake:
			}
			g, err := s.readGeneration(ctx)
			if err != nil {
				if !failed && ctx.Err() == nil {
					s.logger.Warn("cannot read the store's generation; caches are kept until it answers", "err", err)
				}
				failed = true
				continue
			}
			if g != last || failed {
				s.storeChanged()
			}
			last, failed = g, false
		}
	}()
	return ch
}

func (s *Service) readGeneration(ctx context.Context) (uint64, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return s.store.Generation(ctx)
}
