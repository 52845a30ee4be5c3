package main

import (
	"context"

	"github.com/cognitod/cognitod/internal/cognito"
)

// watchStore keeps this instance's caches in step with the writes of other
// instances on the same database, until ctx ends (see cognito.WatchStore).
func watchStore(ctx context.Context, svc *cognito.Service) {
	svc.WatchStore(ctx, cognito.DefaultWatchInterval, nil)
}
