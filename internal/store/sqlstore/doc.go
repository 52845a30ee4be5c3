// Package sqlstore holds what cognitod's two SQL stores (store/sqlite and
// store/postgres) share: the encodings of their columns (times as UTC Unix
// milliseconds, JSON documents, blobs with empty as NULL) and the reads
// both answer with the same SQL, written once against Queryer, which each
// backend implements over its own driver. The backends keep what differs:
// connections, transactions and their retries, change notification, and
// the SQL that is not the same in both dialects.
package sqlstore
