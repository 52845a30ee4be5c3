-- 0001: the whole schema as of SQLite migration 0012.
--
-- Times are UTC Unix milliseconds (BIGINT). settings, scopes, attributes
-- and attribute_verifications hold JSON written by encoding/json, kept as
-- TEXT so that it reads back byte for byte (jsonb would reorder keys).
-- seq values come from seq_counters inside the inserting transaction, not
-- from a SEQUENCE: a sequence value is taken before commit, so a row with
-- a lower seq could become visible after a reader's cursor had passed it.
-- The counter row serializes the writers of one table, so seqs become
-- visible in order, and a committed seq is never handed out again.

CREATE TABLE seq_counters (
	name TEXT   NOT NULL PRIMARY KEY,
	v    BIGINT NOT NULL
);

INSERT INTO seq_counters (name, v) VALUES
	('user_pools', 0), ('app_clients', 0), ('resource_servers', 0), ('users', 0), ('user_groups', 0);

CREATE TABLE user_pools (
	seq         BIGINT NOT NULL PRIMARY KEY,
	id          TEXT   NOT NULL UNIQUE,
	region      TEXT   NOT NULL,
	name        TEXT   NOT NULL,
	created_ms  BIGINT NOT NULL,
	modified_ms BIGINT NOT NULL,
	settings    TEXT   NOT NULL
);

CREATE INDEX user_pools_region_seq ON user_pools (region, seq);

CREATE TABLE app_clients (
	seq           BIGINT NOT NULL PRIMARY KEY,
	client_id     TEXT   NOT NULL UNIQUE,
	pool_id       TEXT   NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
	sealed_secret BYTEA,
	created_ms    BIGINT NOT NULL,
	modified_ms   BIGINT NOT NULL,
	settings      TEXT   NOT NULL
);

CREATE INDEX app_clients_pool_seq ON app_clients (pool_id, seq);

CREATE TABLE resource_servers (
	seq        BIGINT NOT NULL PRIMARY KEY,
	pool_id    TEXT   NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
	identifier TEXT   NOT NULL,
	name       TEXT   NOT NULL,
	scopes     TEXT   NOT NULL,
	UNIQUE (pool_id, identifier)
);

CREATE INDEX resource_servers_pool_seq ON resource_servers (pool_id, seq);

-- A prefix domain is unique within its region, as in Cognito.
CREATE TABLE domains (
	region                TEXT    NOT NULL,
	domain                TEXT    NOT NULL,
	pool_id               TEXT    NOT NULL UNIQUE REFERENCES user_pools (id) ON DELETE CASCADE,
	created_ms            BIGINT  NOT NULL,
	managed_login_version INTEGER NOT NULL,
	PRIMARY KEY (region, domain)
);

CREATE TABLE access_keys (
	access_key_id TEXT    NOT NULL PRIMARY KEY,
	sealed_secret BYTEA,
	created_ms    BIGINT  NOT NULL,
	name          TEXT    NOT NULL DEFAULT '',
	root          BOOLEAN NOT NULL DEFAULT false,
	policy        TEXT
);

-- The partial unique indexes allow one active and one next key per pool,
-- so two instances that both create a pool's first keys cannot both
-- succeed.
CREATE TABLE signing_keys (
	pool_id            TEXT   NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
	kid                TEXT   NOT NULL,
	sealed_private_key BYTEA  NOT NULL,
	status             TEXT   NOT NULL CHECK (status IN ('active', 'next', 'retired')),
	created_ms         BIGINT NOT NULL,
	retired_ms         BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (pool_id, kid)
);

CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (pool_id) WHERE status = 'active';
CREATE UNIQUE INDEX signing_keys_one_next ON signing_keys (pool_id) WHERE status = 'next';

CREATE TABLE users (
	seq                     BIGINT  NOT NULL PRIMARY KEY,
	pool_id                 TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
	username                TEXT    NOT NULL,
	username_key            TEXT    NOT NULL,
	sub                     TEXT    NOT NULL,
	attributes              TEXT    NOT NULL,
	password_hash           TEXT    NOT NULL,
	status                  TEXT    NOT NULL,
	enabled                 INTEGER NOT NULL,
	created_ms              BIGINT  NOT NULL,
	modified_ms             BIGINT  NOT NULL,
	password_expires_ms     BIGINT  NOT NULL DEFAULT 0,
	code_hash               TEXT    NOT NULL DEFAULT '',
	code_expires_ms         BIGINT  NOT NULL DEFAULT 0,
	failed_sign_ins         INTEGER NOT NULL DEFAULT 0,
	locked_until_ms         BIGINT  NOT NULL DEFAULT 0,
	signed_out_ms           BIGINT  NOT NULL DEFAULT 0,
	attribute_verifications TEXT    NOT NULL DEFAULT '[]',
	srp_verifier            BYTEA,
	UNIQUE (pool_id, username_key),
	UNIQUE (pool_id, sub)
);

CREATE INDEX users_pool_seq ON users (pool_id, seq);

CREATE TABLE refresh_tokens (
	hash             TEXT   NOT NULL PRIMARY KEY,
	pool_id          TEXT   NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
	client_id        TEXT   NOT NULL,
	sub              TEXT   NOT NULL,
	scopes           TEXT   NOT NULL,
	origin_jti       TEXT   NOT NULL,
	auth_ms          BIGINT NOT NULL,
	created_ms       BIGINT NOT NULL,
	expires_ms       BIGINT NOT NULL,
	revoked_ms       BIGINT NOT NULL DEFAULT 0,
	rotated_ms       BIGINT NOT NULL DEFAULT 0,
	sealed_successor BYTEA,
	FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
);

CREATE INDEX refresh_tokens_user ON refresh_tokens (pool_id, sub);
CREATE INDEX refresh_tokens_origin ON refresh_tokens (pool_id, origin_jti);

CREATE TABLE auth_codes (
	hash           TEXT   NOT NULL PRIMARY KEY,
	pool_id        TEXT   NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
	client_id      TEXT   NOT NULL,
	redirect_uri   TEXT   NOT NULL,
	sub            TEXT   NOT NULL,
	scopes         TEXT   NOT NULL,
	nonce          TEXT   NOT NULL,
	code_challenge TEXT   NOT NULL,
	auth_ms        BIGINT NOT NULL,
	created_ms     BIGINT NOT NULL,
	expires_ms     BIGINT NOT NULL,
	used_ms        BIGINT NOT NULL DEFAULT 0,
	origin_jti     TEXT   NOT NULL DEFAULT ''
);

CREATE INDEX auth_codes_expires ON auth_codes (expires_ms);

CREATE TABLE user_groups (
	seq         BIGINT  NOT NULL PRIMARY KEY,
	pool_id     TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
	name        TEXT    NOT NULL,
	name_key    TEXT    NOT NULL,
	description TEXT    NOT NULL,
	role_arn    TEXT    NOT NULL,
	precedence  INTEGER,
	created_ms  BIGINT  NOT NULL,
	modified_ms BIGINT  NOT NULL,
	UNIQUE (pool_id, name_key)
);

CREATE INDEX user_groups_pool_seq ON user_groups (pool_id, seq);
CREATE INDEX user_groups_pool_name ON user_groups (pool_id, name);

CREATE TABLE group_members (
	group_seq BIGINT NOT NULL REFERENCES user_groups (seq) ON DELETE CASCADE,
	user_seq  BIGINT NOT NULL REFERENCES users (seq) ON DELETE CASCADE,
	PRIMARY KEY (group_seq, user_seq)
);

CREATE INDEX group_members_user ON group_members (user_seq, group_seq);

CREATE TABLE user_codes (
	pool_id         TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
	sub             TEXT    NOT NULL,
	purpose         TEXT    NOT NULL,
	code_hash       TEXT    NOT NULL,
	expires_ms      BIGINT  NOT NULL,
	attempts        INTEGER NOT NULL,
	sends           INTEGER NOT NULL,
	window_start_ms BIGINT  NOT NULL,
	PRIMARY KEY (pool_id, sub, purpose),
	FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
);
