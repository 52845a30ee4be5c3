-- 0005: authorization codes, kept as SHA-256 hashes, single use.

CREATE TABLE auth_codes (
	hash           TEXT    NOT NULL PRIMARY KEY,
	pool_id        TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
	client_id      TEXT    NOT NULL,
	redirect_uri   TEXT    NOT NULL,
	sub            TEXT    NOT NULL,
	scopes         TEXT    NOT NULL,
	nonce          TEXT    NOT NULL,
	code_challenge TEXT    NOT NULL,
	auth_ms        INTEGER NOT NULL,
	created_ms     INTEGER NOT NULL,
	expires_ms     INTEGER NOT NULL,
	used_ms        INTEGER NOT NULL DEFAULT 0,
	origin_jti     TEXT    NOT NULL DEFAULT ''
) STRICT;
