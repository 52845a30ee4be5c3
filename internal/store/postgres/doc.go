// Package postgres is the PostgreSQL [cognito.Store] backend, for
// deployments that run several cognitod instances on one database. It
// behaves as internal/store/sqlite does (both pass storetest.Run
// unchanged) with its own SQL and its own migrations.
//
// Every Update runs SERIALIZABLE and is retried, a bounded number of times
// with jitter, after a serialization failure or a deadlock; every write
// inside it runs under a savepoint, so that a taken key or a missing row
// leaves the transaction usable. Migrations run at Open under a
// transaction-scoped advisory lock, so instances starting together apply
// each one once.
//
// A database that cannot be reached, or does not answer within the bounds
// (connect_timeout, statement_timeout, lock_timeout, and a deadline of the
// client's own for a server that stops answering on an open connection),
// is reported as cognito.ErrStoreUnavailable (unavailable.go), which the
// protocol layers answer with "try again"; such failures are not retried
// here. The pool reconnects by itself when the database returns.
package postgres
