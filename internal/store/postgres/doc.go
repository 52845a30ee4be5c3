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
package postgres
