package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/cognitod/cognitod/internal/cognito"
)

var _ cognito.Store = (*Store)(nil)

const (
	// busyTimeoutMS is how long SQLite itself waits for a lock held by
	// another connection (another process, in practice: this process has a
	// single writer) before it reports SQLITE_BUSY.
	busyTimeoutMS = 5000
	// readConns is the size of the read pool.
	readConns = 4
	// beginAttempts bounds the retries of BEGIN IMMEDIATE after SQLITE_BUSY;
	// each attempt already waited busyTimeoutMS inside SQLite.
	beginAttempts = 4
)

// DSN parameters understood by modernc.org/sqlite. The writer sets WAL (a
// property of the file, so readers inherit it), synchronous=FULL so that a
// commit is on disk when Update returns, and begins every transaction with
// BEGIN IMMEDIATE so that a transaction that reads before it writes never
// has its lock upgrade refused halfway. foreign_keys is per connection and
// needed on both sides only for the writer's cascades, but costs readers
// nothing.
var (
	writerParams = fmt.Sprintf("_busy_timeout=%d&_foreign_keys=1&_journal_mode=WAL&_synchronous=FULL&_txlock=immediate", busyTimeoutMS)
	readerParams = fmt.Sprintf("_busy_timeout=%d&_foreign_keys=1&_query_only=1", busyTimeoutMS)
)

// Store is a [cognito.Store] backed by one SQLite file. It is safe for
// concurrent use; writes are serialized through a single connection.
type Store struct {
	reader // reads outside a transaction, through the read pool

	w *sql.DB // exactly one connection; every write goes through it
	r *sql.DB // query_only connections
	// reads is r with its statements prepared once (stmtcache.go).
	reads *preparedReads

	closeOnce sync.Once
	closeErr  error
}

// Open opens (creating it if needed) the database file at path, applies any
// pending migrations and returns a Store. It fails if the file's schema is
// newer than this build knows.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("sqlite: open: empty path")
	}
	if strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("sqlite: open %q: path must not contain '?'", path)
	}

	w, err := sql.Open("sqlite", path+"?"+writerParams)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %q: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := checkWriter(ctx, w); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %q: %w", path, err)
	}
	if err := migrate(ctx, w); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %q: %w", path, err)
	}

	r, err := sql.Open("sqlite", path+"?"+readerParams)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %q: %w", path, err)
	}
	r.SetMaxOpenConns(readConns)
	r.SetMaxIdleConns(readConns)
	r.SetConnMaxIdleTime(5 * time.Minute)
	if err := r.PingContext(ctx); err != nil {
		r.Close()
		w.Close()
		return nil, fmt.Errorf("sqlite: open %q: read pool: %w", path, err)
	}

	reads := &preparedReads{db: r}
	return &Store{reader: newReader(reads), w: w, r: r, reads: reads}, nil
}

// checkWriter verifies that the DSN pragmas took effect: a silently
// ignored pragma would cost durability or cascades without any error.
func checkWriter(ctx context.Context, w *sql.DB) error {
	var mode string
	if err := w.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return fmt.Errorf("read journal_mode: %w", err)
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("journal_mode is %q, want wal", mode)
	}
	var fk, sync int
	if err := w.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
		return fmt.Errorf("read foreign_keys: %w", err)
	}
	if fk != 1 {
		return fmt.Errorf("foreign_keys is %d, want 1", fk)
	}
	if err := w.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil {
		return fmt.Errorf("read synchronous: %w", err)
	}
	if sync != 2 { // FULL
		return fmt.Errorf("synchronous is %d, want 2 (FULL)", sync)
	}
	return nil
}

// Close closes both pools. It is safe to call more than once.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.reads.close()
		rerr := s.r.Close()
		werr := s.w.Close() // the last connection checkpoints the WAL
		if err := errors.Join(rerr, werr); err != nil {
			s.closeErr = fmt.Errorf("sqlite: close: %w", err)
		}
	})
	return s.closeErr
}

// Update runs fn in one IMMEDIATE transaction on the writer connection and
// commits if fn returns nil. fn's error is returned unchanged. If fn
// panics, the transaction is rolled back and the panic continues.
func (s *Store) Update(ctx context.Context, fn func(tx cognito.Tx) error) error {
	st, err := s.begin(ctx)
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			// Also runs while a panic from fn unwinds.
			_ = st.Rollback()
		}
	}()
	if err := fn(&tx{reader: newReader(st), st: st}); err != nil {
		return err
	}
	done = true
	if err := st.Commit(); err != nil {
		_ = st.Rollback()
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	return nil
}

// begin starts an IMMEDIATE transaction, retrying with a bounded, jittered
// backoff while another process holds the write lock past busy_timeout.
func (s *Store) begin(ctx context.Context) (*sql.Tx, error) {
	return beginRetry(ctx, s.w)
}

func beginRetry(ctx context.Context, db *sql.DB) (*sql.Tx, error) {
	backoff := 10 * time.Millisecond
	for attempt := 1; ; attempt++ {
		st, err := db.BeginTx(ctx, nil)
		if err == nil {
			return st, nil
		}
		if !isBusy(err) || attempt == beginAttempts {
			return nil, fmt.Errorf("sqlite: begin: %w", err)
		}
		d := backoff/2 + rand.N(backoff)
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("sqlite: begin: %w (after %w)", ctx.Err(), err)
		case <-t.C:
		}
		backoff = min(backoff*4, time.Second)
	}
}

// sqliteCode returns the extended result code of err, or 0.
func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code()
	}
	return 0
}

func isBusy(err error) bool {
	switch sqliteCode(err) & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return true
	}
	return false
}

// writeErr maps a failed INSERT to the domain's sentinels: a taken key is
// ErrAlreadyExists, a missing parent pool (foreign key) is ErrNotFound.
func writeErr(op string, err error) error {
	switch sqliteCode(err) {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return fmt.Errorf("sqlite: %s: %w (%w)", op, cognito.ErrAlreadyExists, err)
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return fmt.Errorf("sqlite: %s: user pool: %w (%w)", op, cognito.ErrNotFound, err)
	}
	return fmt.Errorf("sqlite: %s: %w", op, err)
}
