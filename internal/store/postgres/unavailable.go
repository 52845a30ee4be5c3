package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

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

// row classifies the error of a QueryRow's Scan.
type row struct{ pgx.Row }

func (r row) Scan(dest ...any) error { return unavailable(r.Row.Scan(dest...)) }

// rows classifies the error a result set ends with.
type rows struct{ pgx.Rows }

func (r rows) Err() error { return unavailable(r.Rows.Err()) }
