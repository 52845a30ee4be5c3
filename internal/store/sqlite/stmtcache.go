package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// preparedReads is the read pool with its statements prepared once:
// database/sql otherwise has SQLite parse and plan every query again on
// every call, which was the larger part of a one-row read (a signed
// DescribeResourceServer spent 10% of the server's CPU in SQLite's parser).
// A *sql.Stmt is safe for concurrent use; database/sql prepares it on each
// connection of the pool the first time it runs there. The queries are the
// package's own constant strings, so the map stays small; it is bounded
// all the same, and a query past the bound runs unprepared.
type preparedReads struct {
	db    *sql.DB
	mu    sync.RWMutex
	stmts map[string]*sql.Stmt
}

const maxPreparedReads = 256

var _ queryer = (*preparedReads)(nil)

func (p *preparedReads) stmt(ctx context.Context, query string) *sql.Stmt {
	p.mu.RLock()
	st := p.stmts[query]
	p.mu.RUnlock()
	if st != nil {
		return st
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if st := p.stmts[query]; st != nil {
		return st
	}
	if len(p.stmts) >= maxPreparedReads {
		return nil
	}
	st, err := p.db.PrepareContext(ctx, query)
	if err != nil {
		return nil // the unprepared call reports the error
	}
	if p.stmts == nil {
		p.stmts = make(map[string]*sql.Stmt)
	}
	p.stmts[query] = st
	return st
}

func (p *preparedReads) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := p.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return p.db.QueryContext(ctx, query, args...)
}

func (p *preparedReads) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := p.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return p.db.QueryRowContext(ctx, query, args...)
}

// ExecContext is not prepared: the read pool is query_only.
func (p *preparedReads) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return p.db.ExecContext(ctx, query, args...)
}

// close closes the prepared statements; the pool closes after.
func (p *preparedReads) close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var first error
	for q, st := range p.stmts {
		if err := st.Close(); err != nil && first == nil {
			first = err
		}
		delete(p.stmts, q)
	}
	return first
}
