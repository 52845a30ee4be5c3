-- 0003: users. username_key is what sign-in looks up (the username, or the
-- email or phone number, case-folded in case-insensitive pools); sub is
-- the user's permanent ID. Both are unique within a pool.

CREATE TABLE users (
	seq               INTEGER PRIMARY KEY AUTOINCREMENT,
	pool_id           TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
	username          TEXT    NOT NULL,
	username_key      TEXT    NOT NULL,
	sub               TEXT    NOT NULL,
	attributes        TEXT    NOT NULL,
	password_hash     TEXT    NOT NULL,
	status            TEXT    NOT NULL,
	enabled           INTEGER NOT NULL,
	created_ms        INTEGER NOT NULL,
	modified_ms       INTEGER NOT NULL,
	password_expires_ms INTEGER NOT NULL DEFAULT 0,
	code_hash         TEXT    NOT NULL DEFAULT '',
	code_expires_ms   INTEGER NOT NULL DEFAULT 0,
	failed_sign_ins   INTEGER NOT NULL DEFAULT 0,
	locked_until_ms   INTEGER NOT NULL DEFAULT 0,
	signed_out_ms     INTEGER NOT NULL DEFAULT 0,
	UNIQUE (pool_id, username_key),
	UNIQUE (pool_id, sub)
) STRICT;

CREATE INDEX users_pool_seq ON users (pool_id, seq);
