-- The change signal: one row whose value every configuration write
-- advances in its own transaction, so that another instance sees that its
-- caches are stale by polling one row.
CREATE TABLE generation (
    id    integer PRIMARY KEY CHECK (id = 1),
    value bigint NOT NULL
);
INSERT INTO generation (id, value) VALUES (1, 0);
