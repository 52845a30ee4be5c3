package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/sqlstore"
)

// Shared state (cognito.SharedState): one table, each method one
// statement on the writer (or a reader for GetShared).

func checkShared(kind, key string, value []byte) error {
	if kind == "" || len(kind) > cognito.MaxSharedKindLen || len(key) > cognito.MaxSharedKeyLen || len(value) > cognito.MaxSharedValueLen {
		return fmt.Errorf("sqlite: shared state entry out of bounds (kind %d, key %d, value %d bytes)", len(kind), len(key), len(value))
	}
	return nil
}

func (s *Store) PutShared(ctx context.Context, kind, key string, value []byte, expires time.Time) error {
	if err := checkShared(kind, key, value); err != nil {
		return err
	}
	if value == nil {
		value = []byte{}
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO shared_state (kind, key, value, n, expires_ms) VALUES (?, ?, ?, 0, ?)
		ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value, n = 0, expires_ms = excluded.expires_ms`, kind, key, value, sqlstore.ToMS(expires))
	return sharedErr("put shared state", err)
}

func (s *Store) GetShared(ctx context.Context, kind, key string, now time.Time) ([]byte, error) {
	if err := checkShared(kind, key, nil); err != nil {
		return nil, err
	}
	var v []byte
	err := s.r.QueryRowContext(ctx, `SELECT value FROM shared_state WHERE kind = ? AND key = ? AND expires_ms > ?`, kind, key, sqlstore.ToMS(now)).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("shared state entry", "")
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: get shared state: %w", err)
	}
	if v == nil {
		v = []byte{}
	}
	return v, nil
}

func (s *Store) DeleteShared(ctx context.Context, kind, key string) error {
	if err := checkShared(kind, key, nil); err != nil {
		return err
	}
	_, err := s.w.ExecContext(ctx, `DELETE FROM shared_state WHERE kind = ? AND key = ?`, kind, key)
	return sharedErr("delete shared state", err)
}

func (s *Store) IncrShared(ctx context.Context, kind, key string, now, expires time.Time) (int64, error) {
	if err := checkShared(kind, key, nil); err != nil {
		return 0, err
	}
	var n int64
	err := s.w.QueryRowContext(ctx, `INSERT INTO shared_state (kind, key, value, n, expires_ms) VALUES (?, ?, x'', 1, ?)
		ON CONFLICT (kind, key) DO UPDATE SET
			n = CASE WHEN shared_state.expires_ms <= ? THEN 1 ELSE shared_state.n + 1 END,
			value = CASE WHEN shared_state.expires_ms <= ? THEN x'' ELSE shared_state.value END,
			expires_ms = excluded.expires_ms
		RETURNING n`, kind, key, sqlstore.ToMS(expires), sqlstore.ToMS(now), sqlstore.ToMS(now)).Scan(&n)
	if err != nil {
		return 0, sharedErr("increment shared counter", err)
	}
	return n, nil
}

func (s *Store) SweepShared(ctx context.Context, now time.Time, limit int) (int, error) {
	if limit <= 0 {
		return 0, nil
	}
	res, err := s.w.ExecContext(ctx, `DELETE FROM shared_state WHERE (kind, key) IN
		(SELECT kind, key FROM shared_state WHERE expires_ms <= ? ORDER BY expires_ms LIMIT ?)`, sqlstore.ToMS(now), limit)
	if err != nil {
		return 0, sharedErr("sweep shared state", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

func (s *Store) TrimShared(ctx context.Context, kind string, keep, limit int) (int, error) {
	if err := checkShared(kind, "", nil); err != nil {
		return 0, err
	}
	if limit <= 0 {
		return 0, nil
	}
	var count int
	if err := s.w.QueryRowContext(ctx, `SELECT count(*) FROM shared_state WHERE kind = ?`, kind).Scan(&count); err != nil {
		return 0, fmt.Errorf("sqlite: count shared state: %w", err)
	}
	over := min(count-max(keep, 0), limit)
	if over <= 0 {
		return 0, nil
	}
	res, err := s.w.ExecContext(ctx, `DELETE FROM shared_state WHERE kind = ? AND key IN
		(SELECT key FROM shared_state WHERE kind = ? ORDER BY expires_ms, key LIMIT ?)`, kind, kind, over)
	if err != nil {
		return 0, sharedErr("trim shared state", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

func sharedErr(op string, err error) error {
	if err == nil {
		return nil
	}
	return writeErr(op, err)
}
