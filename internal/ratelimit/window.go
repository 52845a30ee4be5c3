package ratelimit

import (
	"sync"
	"time"
)

// Windows counts events per key in fixed windows (the first event of a key
// opens its window), for bounds such as "at most 20 messages to one
// address an hour". It holds at most MaxKeys keys: when that many windows
// are open, ended ones are dropped, and if none has ended the event is
// refused (fail closed: that many keys in one window is itself a flood).
// Dropping ended windows scans the table, so it runs at most once a
// second: a flood of new keys against a full table costs a map read each,
// not a scan each. The zero value is not usable; fill Window and MaxKeys.
type Windows struct {
	Window  time.Duration
	MaxKeys int

	mu        sync.Mutex
	counts    map[string]*windowCount
	nextSweep time.Time
}

type windowCount struct {
	n     int
	start time.Time
}

// Allow counts one event for key at now and reports whether it is within
// limit for key's window.
func (w *Windows) Allow(key string, limit int, now time.Time) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.counts == nil {
		w.counts = map[string]*windowCount{}
	}
	c := w.counts[key]
	if c != nil && now.Sub(c.start) >= w.Window {
		delete(w.counts, key)
		c = nil
	}
	if c == nil {
		if len(w.counts) >= w.MaxKeys {
			if now.Before(w.nextSweep) {
				return false
			}
			w.nextSweep = now.Add(time.Second)
			for k, v := range w.counts {
				if now.Sub(v.start) >= w.Window {
					delete(w.counts, k)
				}
			}
			if len(w.counts) >= w.MaxKeys {
				return false
			}
		}
		c = &windowCount{start: now}
		w.counts[key] = c
	}
	if c.n >= limit {
		return false
	}
	c.n++
	return true
}

// Len is the number of keys with a window in the table.
func (w *Windows) Len() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.counts)
}
