package cognito

import (
	"context"
	"time"
)

// Several instances on one database: each polls the store's generation
// (ChangeSignal) and, when another process has advanced it, drops its
// grant cache and runs Config.OnStoreChanged (the signing-key cache). Polling is one tiny read per interval, never per
// request; requests only load an atomic counter.

// DefaultWatchInterval is how often WatchStore reads the generation: a
// write through one instance reaches the caches of the others within
// about this long.
const DefaultWatchInterval = 250 * time.Millisecond

// maxAgePolls is the fallback expiry, counted in polls (30 s at the
// default interval): the caches are dropped this often even when the
// generation has not moved, so that a write that failed to advance it
// (a bug, or a tool writing the database directly) is not served from
// memory forever. It costs each cached row one read per period, and is
// skipped while the store cannot be read, so that cached clients keep
// getting tokens during an outage.
const maxAgePolls = 120

// storeChanged drops everything cached from the store.
func (s *Service) storeChanged() {
	s.grants.invalidate()
	if s.storeChangedHook != nil {
		s.storeChangedHook()
	}
}

// WatchStore reads the store's generation now and then every interval
// (zero: DefaultWatchInterval) on a goroutine until ctx ends, and drops
// the caches when it changes, and at the latest every maxAgePolls polls;
// done is closed when the goroutine has ended.
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
		polls := 0
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
			polls++
			if g != last || failed || polls >= maxAgePolls {
				s.storeChanged()
				polls = 0
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
