-- 0007: hosted-UI customizations (SetUICustomization): per pool, the
-- default (client_id 'ALL') and per app client, the CSS as sent and the
-- logo with its sniffed media type. Deleting a pool deletes its rows; the
-- domain deletes a client's row with the client.
CREATE TABLE ui_customizations (
	pool_id     TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
	client_id   TEXT    NOT NULL,
	css         TEXT    NOT NULL,
	image       BYTEA   NOT NULL,
	image_type  TEXT    NOT NULL,
	created_ms  BIGINT  NOT NULL,
	modified_ms BIGINT  NOT NULL,
	PRIMARY KEY (pool_id, client_id)
);
