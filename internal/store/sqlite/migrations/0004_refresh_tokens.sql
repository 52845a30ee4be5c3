-- 0004: refresh tokens, kept as SHA-256 hashes. Deleting a user or a pool
-- deletes their tokens.

CREATE TABLE refresh_tokens (
	hash        TEXT    NOT NULL PRIMARY KEY,
	pool_id     TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
	client_id   TEXT    NOT NULL,
	sub         TEXT    NOT NULL,
	scopes      TEXT    NOT NULL,
	origin_jti  TEXT    NOT NULL,
	auth_ms     INTEGER NOT NULL,
	created_ms  INTEGER NOT NULL,
	expires_ms  INTEGER NOT NULL,
	revoked_ms  INTEGER NOT NULL DEFAULT 0,
	FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
) STRICT;

CREATE INDEX refresh_tokens_user ON refresh_tokens (pool_id, sub);
CREATE INDEX refresh_tokens_origin ON refresh_tokens (pool_id, origin_jti);
