// Package sqlite stores cognitod's data in a single SQLite file through
// modernc.org/sqlite (pure Go, no cgo) and implements [cognito.Store].
//
// It owns its SQL, its schema and the migrations under migrations/, applied
// in order at [Open]; rules (quotas, validation) live in internal/cognito.
// The file runs in WAL mode with synchronous=FULL, so a write acknowledged by
// [Store.Update] survives a killed process or a power loss. Writes go through
// one connection that begins every transaction with BEGIN IMMEDIATE; reads
// outside a transaction use a separate pool of query_only connections.
package sqlite
