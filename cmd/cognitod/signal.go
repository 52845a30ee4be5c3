package main

import (
	"context"

	"github.com/cognitod/cognitod/internal/cognito"
)

// notifier is a store that can wake the watcher when another process
// writes (PostgreSQL's LISTEN/NOTIFY); polling stays on as the fallback.
type notifier interface {
	Notifications(ctx context.Context) <-chan struct{}
}

// watchStore keeps this instance's caches in step with the writes of other
// instances on the same database, until ctx ends (see cognito.WatchStore).
func watchStore(ctx context.Context, svc *cognito.Service, store cognito.Store) {
	var wake <-chan struct{}
	if n, ok := store.(notifier); ok {
		wake = n.Notifications(ctx)
	}
	svc.WatchStore(ctx, cognito.DefaultWatchInterval, wake)
}
