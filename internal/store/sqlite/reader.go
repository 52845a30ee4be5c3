package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/sqlstore"
)

// queryer is what reads and writes need: the read pool outside a
// transaction, the *sql.Tx inside one (so reads see its writes).
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// reader implements cognito.Reader on a queryer: the reads both SQL
// stores answer alike (sqlstore.Reader) and this package's own, which use
// q directly.
type reader struct {
	sqlstore.Reader
	q queryer
}

var _ cognito.Reader = reader{}

func newReader(q queryer) reader {
	return reader{Reader: sqlstore.Reader{Q: sqlQueryer{q}, Name: "sqlite", NoRows: sql.ErrNoRows}, q: q}
}

// sqlQueryer is a queryer as sqlstore needs it.
type sqlQueryer struct{ q queryer }

func (a sqlQueryer) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	return a.q.QueryRowContext(ctx, query, args...)
}

func (a sqlQueryer) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	rows, err := a.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return sqlRows{rows}, nil
}

// sqlRows are *sql.Rows whose Close leaves its error to Err, which
// reports whatever ended the rows.
type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { r.Rows.Close() }

func notFound(what, key string) error {
	return fmt.Errorf("sqlite: %s %q: %w", what, key, cognito.ErrNotFound)
}
