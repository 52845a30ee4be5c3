// Package storetest is the conformance suite for [cognito.Store] backends:
// every backend under internal/store runs [Run] unchanged, with no opt-outs,
// so that the domain in internal/cognito can rely on one behaviour
// whichever database is underneath. It owns the definition of that
// behaviour beyond what the interface's comments say.
//
// Conventions every backend must follow, beyond the interface comments:
//
//   - Times are kept at millisecond precision and come back in UTC
//     (time.Time with a nil Location, as time.UnixMilli(ms).UTC() makes),
//     whatever Location they were written in.
//   - Settings (PoolSettings, ClientSettings) and resource server scopes
//     round-trip through encoding/json: every member comes back
//     reflect.DeepEqual, json.RawMessage members byte for byte (callers
//     hand them in compact form; a backend must not reorder keys, so
//     PostgreSQL stores them as text or json, not jsonb), and no HTML
//     escaping is added. Empty slices, maps and RawMessages come back nil,
//     as encoding/json decodes an omitted member; empty Scopes and empty
//     SealedSecret come back nil too. One rule: empty reads back as nil.
//   - UpdateUserPool writes Name, Settings and LastModifiedDate;
//     UpdateAppClient writes SealedSecret, Settings and LastModifiedDate
//     and matches on both UserPoolID and ClientID; UpdateResourceServer
//     writes Name and Scopes. Seq and creation dates never change.
//   - Seq values are never reused, even after the row with the highest Seq
//     is deleted and the store restarted, so a cursor never hides a new row.
//   - An error from a Tx method (a taken key, a missing row) does not
//     abort the transaction: fn may handle it and go on, and the
//     transaction still commits (PostgreSQL needs a savepoint per write).
//     The domain relies on this when it retries a colliding random ID or
//     replaces an access key.
//   - Update returns fn's error so that errors.Is and errors.As see it,
//     rolls back on error and on panic (the panic continues), and is
//     serializable: read-then-write closures racing each other behave as
//     if run one at a time.
//   - Close may be called more than once.
package storetest
