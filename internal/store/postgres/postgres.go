package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cognitod/cognitod/internal/cognito"
)

var _ cognito.Store = (*Store)(nil)

const (
	// DefaultStatementTimeout bounds every statement unless the DSN sets
	// statement_timeout itself: a query never hangs a request for longer.
	DefaultStatementTimeout = 10 * time.Second
	// DefaultConnectTimeout bounds opening a connection unless the DSN
	// sets connect_timeout.
	DefaultConnectTimeout = 5 * time.Second
	// idleInTxTimeout ends a session left idle inside a transaction (a
	// stuck client), releasing its locks.
	idleInTxTimeout = time.Minute
	// updateAttempts bounds the runs of one Update after serialization
	// failures and deadlocks.
	updateAttempts = 10
)

// Store is a [cognito.Store] on a PostgreSQL database, through a pgx pool.
// It is safe for concurrent use, also by several processes.
type Store struct {
	reader
	pool *pgxpool.Pool

	closeOnce sync.Once
}

// Open connects to the database dsn names (a postgres:// URL or a
// key=value string, as libpq takes; search_path may be given as a
// parameter), applies pending migrations and returns a Store. Errors never
// contain the DSN's password.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := poolConfig(dsn)
	if err != nil {
		return nil, err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	return &Store{reader: newReader(q{c: pool}), pool: pool}, nil
}

// poolConfig parses dsn and sets the bounded timeouts it leaves unset.
func poolConfig(dsn string) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgconn redacts the password in its parse errors.
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	cc := cfg.ConnConfig
	if cc.ConnectTimeout == 0 {
		cc.ConnectTimeout = DefaultConnectTimeout
	}
	if cc.RuntimeParams == nil {
		cc.RuntimeParams = map[string]string{}
	}
	setDefault(cc.RuntimeParams, "statement_timeout", DefaultStatementTimeout)
	setDefault(cc.RuntimeParams, "idle_in_transaction_session_timeout", idleInTxTimeout)
	setDefault(cc.RuntimeParams, "lock_timeout", DefaultStatementTimeout)
	if _, ok := cc.RuntimeParams["application_name"]; !ok {
		cc.RuntimeParams["application_name"] = "cognitod"
	}
	return cfg, nil
}

func setDefault(p map[string]string, name string, d time.Duration) {
	if _, ok := p[name]; !ok {
		p[name] = strconv.FormatInt(d.Milliseconds(), 10)
	}
}

// Close closes the pool. It is safe to call more than once.
func (s *Store) Close() error {
	s.closeOnce.Do(s.pool.Close)
	return nil
}

// Update runs fn in a SERIALIZABLE transaction and commits if fn returns
// nil, running it again (at most updateAttempts times in all, with a
// jittered backoff) when PostgreSQL reports a serialization failure or a
// deadlock. fn's error is returned unchanged. If fn panics, the
// transaction is rolled back and the panic continues.
func (s *Store) Update(ctx context.Context, fn func(tx cognito.Tx) error) error {
	backoff := 2 * time.Millisecond
	lockSeqs := false
	for attempt := 1; ; attempt++ {
		err, retry, seqConflict := s.attempt(ctx, fn, lockSeqs)
		lockSeqs = lockSeqs || seqConflict
		if !retry || attempt == updateAttempts {
			return unavailable(err)
		}
		t := time.NewTimer(backoff/2 + rand.N(backoff))
		select {
		case <-ctx.Done():
			t.Stop()
			return unavailable(fmt.Errorf("postgres: update: %w (after %w)", ctx.Err(), err))
		case <-t.C:
		}
		backoff = min(backoff*2, 200*time.Millisecond)
	}
}

// errConflict stands for a serialization failure that fn saw and did not
// return.
var errConflict = errors.New("postgres: update: serialization failure")

// attempt runs fn once; retry reports a serialization failure or deadlock,
// seqConflict one on a seq counter (see tx.nextSeq).
//
// With lockSeqs, the transaction first locks seq_counters against every
// other writer of a counter. LOCK TABLE takes no snapshot, so the
// transaction's snapshot is taken once the writers before it have
// committed, and its own counter update cannot conflict: a run that lost
// the race for a seq once wins it the next time, and a burst of creates
// does not exhaust the retries.
func (s *Store) attempt(ctx context.Context, fn func(tx cognito.Tx) error, lockSeqs bool) (err error, retry, seqConflict bool) {
	deadline := time.Now().Add(updateBound) // unavailable.go
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	pt, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.Serializable})
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", err), false, false
	}
	done := false
	defer func() {
		if !done {
			// Also runs while a panic from fn unwinds; a cancelled ctx
			// must not keep the rollback from being sent.
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), DefaultStatementTimeout)
			_ = pt.Rollback(rctx)
			cancel()
		}
	}()
	if lockSeqs {
		if _, err := pt.Exec(ctx, `LOCK TABLE seq_counters IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return fmt.Errorf("postgres: lock seq counters: %w", err), isRetryable(err), false
		}
	}
	t := &tx{st: pt, deadline: deadline}
	t.reader = newReader(q{c: pt, t: t})
	if err := fn(t); err != nil {
		return err, t.conflict || isRetryable(err), t.seqConflict
	}
	if t.conflict {
		return errConflict, true, t.seqConflict
	}
	if err := pt.Commit(ctx); err != nil {
		done = true // a failed COMMIT has ended the transaction
		return fmt.Errorf("postgres: commit: %w", err), isRetryable(err), false
	}
	done = true
	return nil, false, false
}

func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// isRetryable reports serialization_failure and deadlock_detected.
func isRetryable(err error) bool {
	switch pgCode(err) {
	case "40001", "40P01":
		return true
	}
	return false
}

// writeErr maps a failed write to the domain's sentinels: a taken key is
// ErrAlreadyExists, a missing parent row (foreign key) is ErrNotFound.
func writeErr(op string, err error) error {
	switch pgCode(err) {
	case "23505": // unique_violation
		return fmt.Errorf("postgres: %s: %w (%w)", op, cognito.ErrAlreadyExists, err)
	case "23503": // foreign_key_violation
		return fmt.Errorf("postgres: %s: user pool: %w (%w)", op, cognito.ErrNotFound, err)
	}
	return fmt.Errorf("postgres: %s: %w", op, err)
}

// conn is what a pool and a transaction both offer.
type conn interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// q runs the SQL, written with ? placeholders, on a pool or a
// transaction. Inside a transaction (t set) every Exec is a write and runs
// under a savepoint, so that its failure leaves the transaction usable,
// and a serialization failure is remembered for Update.
type q struct {
	c conn
	t *tx
}

func (q q) ExecContext(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	sql = rebind(sql)
	ctx, cancel := q.bound(ctx)
	defer cancel()
	if q.t == nil {
		tag, err := q.c.Exec(ctx, sql, args...)
		return tag, unavailable(err)
	}
	if _, err := q.c.Exec(ctx, "SAVEPOINT w"); err != nil {
		return pgconn.CommandTag{}, q.t.saw(err)
	}
	tag, err := q.c.Exec(ctx, sql, args...)
	if err != nil {
		if _, rerr := q.c.Exec(ctx, "ROLLBACK TO SAVEPOINT w"); rerr != nil {
			q.t.conflict = true // the transaction is unusable: never commit it
			return tag, errors.Join(q.t.saw(err), rerr)
		}
		_, _ = q.c.Exec(ctx, "RELEASE SAVEPOINT w")
		return tag, q.t.saw(err)
	}
	if _, err := q.c.Exec(ctx, "RELEASE SAVEPOINT w"); err != nil {
		return tag, q.t.saw(err)
	}
	return tag, nil
}

func (q q) QueryContext(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	ctx, cancel := q.bound(ctx)
	rs, err := q.c.Query(ctx, rebind(sql), args...)
	if err != nil {
		cancel()
		if q.t != nil {
			q.t.saw(err)
		}
		return rs, unavailable(err)
	}
	return rows{rs, cancel}, nil
}

func (q q) QueryRowContext(ctx context.Context, sql string, args ...any) pgx.Row {
	ctx, cancel := q.bound(ctx)
	return row{q.c.QueryRow(ctx, rebind(sql), args...), cancel}
}

// rebind turns the ? placeholders of sql into $1, $2, ... (no statement
// here has a ? inside a literal).
func rebind(sql string) string {
	if !strings.Contains(sql, "?") {
		return sql
	}
	var b strings.Builder
	b.Grow(len(sql) + 16)
	n := 0
	for i := 0; i < len(sql); i++ {
		if sql[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(sql[i])
	}
	return b.String()
}
