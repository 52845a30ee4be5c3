-- 0007: one-time codes sent to users (password reset codes, and the count
-- of confirmation codes resent), kept as SHA-256 hashes, one per user and
-- purpose. Deleting a user or a pool deletes their codes.

CREATE TABLE user_codes (
	pool_id         TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
	sub             TEXT    NOT NULL,
	purpose         TEXT    NOT NULL,
	code_hash       TEXT    NOT NULL,
	expires_ms      INTEGER NOT NULL,
	attempts        INTEGER NOT NULL,
	sends           INTEGER NOT NULL,
	window_start_ms INTEGER NOT NULL,
	PRIMARY KEY (pool_id, sub, purpose),
	FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
) STRICT;
