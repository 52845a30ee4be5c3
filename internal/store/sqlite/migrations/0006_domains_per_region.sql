-- 0006: a prefix domain is unique within its region, as in Cognito, not
-- across regions: the key becomes (region, domain).

CREATE TABLE domains_new (
	region                TEXT    NOT NULL,
	domain                TEXT    NOT NULL,
	pool_id               TEXT    NOT NULL UNIQUE REFERENCES user_pools (id) ON DELETE CASCADE,
	created_ms            INTEGER NOT NULL,
	managed_login_version INTEGER NOT NULL,
	PRIMARY KEY (region, domain)
) STRICT;

INSERT INTO domains_new (region, domain, pool_id, created_ms, managed_login_version)
	SELECT substr(pool_id, 1, instr(pool_id, '_') - 1), domain, pool_id, created_ms, managed_login_version FROM domains;

DROP TABLE domains;
ALTER TABLE domains_new RENAME TO domains;
