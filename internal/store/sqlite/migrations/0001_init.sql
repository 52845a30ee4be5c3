-- 0001: user pools, app clients, resource servers, domains, access keys.
--
-- Times are UTC Unix milliseconds. settings and scopes hold JSON written by
-- encoding/json. seq is AUTOINCREMENT so that a deleted row's seq is never
-- handed out again: List* paginate by seq, and a reused seq could hide a new
-- row behind a client's cursor.

CREATE TABLE user_pools (
	seq         INTEGER PRIMARY KEY AUTOINCREMENT,
	id          TEXT    NOT NULL UNIQUE,
	region      TEXT    NOT NULL,
	name        TEXT    NOT NULL,
	created_ms  INTEGER NOT NULL,
	modified_ms INTEGER NOT NULL,
	settings    TEXT    NOT NULL
) STRICT;

CREATE INDEX user_pools_region_seq ON user_pools (region, seq);

CREATE TABLE app_clients (
	seq           INTEGER PRIMARY KEY AUTOINCREMENT,
	client_id     TEXT    NOT NULL UNIQUE,
	pool_id       TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
	sealed_secret BLOB,
	created_ms    INTEGER NOT NULL,
	modified_ms   INTEGER NOT NULL,
	settings      TEXT    NOT NULL
) STRICT;

CREATE INDEX app_clients_pool_seq ON app_clients (pool_id, seq);

CREATE TABLE resource_servers (
	seq        INTEGER PRIMARY KEY AUTOINCREMENT,
	pool_id    TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
	identifier TEXT    NOT NULL,
	name       TEXT    NOT NULL,
	scopes     TEXT    NOT NULL,
	UNIQUE (pool_id, identifier)
) STRICT;

CREATE INDEX resource_servers_pool_seq ON resource_servers (pool_id, seq);

CREATE TABLE domains (
	domain                TEXT    NOT NULL PRIMARY KEY,
	pool_id               TEXT    NOT NULL UNIQUE REFERENCES user_pools (id) ON DELETE CASCADE,
	created_ms            INTEGER NOT NULL,
	managed_login_version INTEGER NOT NULL
) STRICT;

CREATE TABLE access_keys (
	access_key_id TEXT    NOT NULL PRIMARY KEY,
	sealed_secret BLOB,
	created_ms    INTEGER NOT NULL
) STRICT;
