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

// rowScanner is pgx.Row or pgx.Rows.
type rowScanner = sqlstore.Row

func notFound(what, key string) error {
	return fmt.Errorf("postgres: %s %q: %w", what, key, cognito.ErrNotFound)
}

// ---- helpers for this package's own reads

func (r reader) count(ctx context.Context, op, query string, args ...any) (int, error) {
	var n int
	if err := r.q.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: %s: %w", op, err)
	}
	return n, nil
}

func collect[T any](rows pgx.Rows, scan func(rowScanner) (*T, error), op string) ([]*T, error) {
	defer rows.Close()
	var out []*T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: %s: %w", op, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", op, err)
	}
	return out, nil
}
