package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cognitod/cognitod/internal/cognito"
)

// Every error that means "the database could not be reached or did not
// answer in time" is wrapped in cognito.ErrStoreUnavailable here, at the
// two places errors leave this package: the q methods (reads outside a
// transaction) and Store.Update (everything inside one). The rest of the
// package keeps wrapping errors with %w as before; the classification
// only adds a sentinel, so pgCode and errors.Is(err, pgx.ErrNoRows) still
// see the original error.

// unavailable returns err wrapped in cognito.ErrStoreUnavailable when it
// is a connection or timeout failure, err unchanged otherwise.
func unavailable(err error) error {
	if err == nil || errors.Is(err, cognito.ErrStoreUnavailable) || !isUnavailable(err) {
		return err
	}
	return fmt.Errorf("%w: %w", cognito.ErrStoreUnavailable, err)
}

// isUnavailable reports a failure to reach PostgreSQL or to get an answer
// within the bounds: the connect timeout, statement_timeout, lock_timeout
// or the caller's deadline.
func isUnavailable(err error) bool {
	switch pgCode(err) {
	case "":
	case "57014", // query_canceled: statement_timeout
		"55P03",                   // lock_not_available: lock_timeout
		"57P01", "57P02", "57P03", // admin_shutdown, crash_shutdown, cannot_connect_now
		"53300": // too_many_connections
		return true
	default:
		// Class 08: connection exception.
		return strings.HasPrefix(pgCode(err), "08")
	}
	if errors.Is(err, pgx.ErrNoRows) || errors.Is(err, context.Canceled) {
		return false
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	switch {
	case errors.As(err, &ce), errors.As(err, &ne),
		pgconn.Timeout(err),
		errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return true
	}
	// pgx reports a connection it has already closed (after a failed
	// read or write) and a closed pool without a typed error.
	msg := err.Error()
	return strings.Contains(msg, "conn closed") || strings.Contains(msg, "closed pool")
}

// statement_timeout and lock_timeout are enforced by the server: a server
// that stops answering (a frozen host, a network that drops packets on an
// open connection) would leave a query waiting for TCP to give up, many
// minutes. So every read outside a transaction, and every attempt of an
// Update, also runs under a deadline of the client's own, past the
// server's bounds so that their errors come first; when it passes, pgx
// cancels the query and closes the connection.
var (
	readBound   = DefaultStatementTimeout + DefaultConnectTimeout + 5*time.Second
	updateBound = 3 * readBound
)

// bounded returns ctx with a deadline at most d away.
func bounded(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) <= d {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, d)
}

// bound gives a statement its deadline: readBound outside a transaction,
// the attempt's inside one (fn's statements run on the caller's context,
// not the attempt's).
func (q q) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	if q.t == nil {
		return bounded(ctx, readBound)
	}
	return context.WithDeadline(ctx, q.t.deadline)
}

// row classifies the error of a QueryRow's Scan and ends its deadline.
type row struct {
	pgx.Row
	cancel context.CancelFunc
}

func (r row) Scan(dest ...any) error {
	err := r.Row.Scan(dest...)
	r.cancel()
	return unavailable(err)
}

// rows classifies the error a result set ends with and ends its deadline
// when closed.
type rows struct {
	pgx.Rows
	cancel context.CancelFunc
}

func (r rows) Err() error { return unavailable(r.Rows.Err()) }

func (r rows) Close() {
	r.Rows.Close()
	r.cancel()
}
