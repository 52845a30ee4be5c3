package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// listenerName is the application_name of the listening connection, so
// that an operator can tell it from the pool's.
const listenerName = "cognitod-listen"

// Notifications returns a channel that receives a value soon after any
// process commits a configuration write on the database (BumpGeneration's
// NOTIFY), until ctx ends. It listens on a connection of its own, outside
// the pool, and reconnects with backoff when that connection drops; a
// notification sent while it is down is lost, so callers also poll
// Generation (cognito.Service.WatchStore does), and a reconnect sends a
// value so that the caller reads the generation at once. Notifications
// are database-wide: another schema's writes wake the caller too, which
// then finds its own generation unchanged.
func (s *Store) Notifications(ctx context.Context) <-chan struct{} {
	ch := make(chan struct{}, 1)
	wake := func() {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
	go func() {
		backoff := 100 * time.Millisecond
		for ctx.Err() == nil {
			cc := s.pool.Config().ConnConfig.Copy()
			cc.RuntimeParams["application_name"] = listenerName
			conn, err := pgx.ConnectConfig(ctx, cc)
			if err == nil {
				_, err = conn.Exec(ctx, "LISTEN "+notifyChannel)
			}
			if err == nil {
				backoff = 100 * time.Millisecond
				wake() // writes may have been missed while not listening
				for err == nil {
					_, err = conn.WaitForNotification(ctx)
					if err == nil {
						wake()
					}
				}
			}
			if conn != nil {
				closeCtx, cancel := context.WithTimeout(context.Background(), time.Second)
				_ = conn.Close(closeCtx)
				cancel()
			}
			select {
			case <-ctx.Done():
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, 5*time.Second)
		}
	}()
	return ch
}
