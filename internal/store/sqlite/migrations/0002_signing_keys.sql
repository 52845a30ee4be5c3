-- 0002: per-pool RSA signing keys. The partial unique indexes allow one
-- active and one next key per pool, so two instances that both create a
-- pool's first keys cannot both succeed.

CREATE TABLE signing_keys (
	pool_id            TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
	kid                TEXT    NOT NULL,
	sealed_private_key BLOB    NOT NULL,
	status             TEXT    NOT NULL CHECK (status IN ('active', 'next', 'retired')),
	created_ms         INTEGER NOT NULL,
	retired_ms         INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (pool_id, kid)
) STRICT;

CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (pool_id) WHERE status = 'active';
CREATE UNIQUE INDEX signing_keys_one_next ON signing_keys (pool_id) WHERE status = 'next';
