-- 0016: each user's multi-factor state (issue 13). The TOTP secrets are
-- sealed by the domain; totp_last_step is the 30-second step of the last
-- code accepted, so that a code works once. Deleting a user or a pool
-- deletes the row.

CREATE TABLE user_mfa (
	pool_id        TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
	sub            TEXT    NOT NULL,
	totp_secret    BLOB,
	totp_pending   BLOB,
	totp_last_step INTEGER NOT NULL DEFAULT 0,
	totp_enabled   INTEGER NOT NULL DEFAULT 0,
	sms_enabled    INTEGER NOT NULL DEFAULT 0,
	email_enabled  INTEGER NOT NULL DEFAULT 0,
	preferred      TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (pool_id, sub),
	FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
) STRICT;
