-- Short-lived state shared by every instance on the database (issue 12):
-- console sessions, ended hosted-login sessions, sign-in failure counters.
-- key is a hash the caller computed, so each row has a fixed bound;
-- expires_ms orders the periodic sweep and the per-kind cap.
CREATE TABLE shared_state (
	kind       TEXT    NOT NULL,
	key        TEXT    NOT NULL,
	value      BLOB    NOT NULL,
	n          INTEGER NOT NULL DEFAULT 0,
	expires_ms INTEGER NOT NULL,
	PRIMARY KEY (kind, key)
) WITHOUT ROWID;
CREATE INDEX shared_state_expires ON shared_state (expires_ms);
CREATE INDEX shared_state_kind_expires ON shared_state (kind, expires_ms);
