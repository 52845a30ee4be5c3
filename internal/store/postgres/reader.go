package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/sqlstore"
)

// reader implements cognito.Reader on q (the pool outside a
// transaction, the transaction inside one, so reads see its writes): the
// reads both SQL stores answer alike (sqlstore.Reader) and this package's
// own, which use q directly.
type reader struct {
	sqlstore.Reader
	q q
}

var _ cognito.Reader = reader{}

func newReader(q q) reader {
	return reader{Reader: sqlstore.Reader{Q: pgQueryer{q}, Name: "postgres", NoRows: pgx.ErrNoRows}, q: q}
}

// pgQueryer is q as sqlstore needs it.
type pgQueryer struct{ q q }

func (a pgQueryer) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	return a.q.QueryRowContext(ctx, query, args...)
}

func (a pgQueryer) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	rows, err := a.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return rows, nil
}

func notFound(what, key string) error {
	return fmt.Errorf("postgres: %s %q: %w", what, key, cognito.ErrNotFound)
}
