-- The change signal: one row whose value every configuration write
-- advances, so that another process on the same file sees that its caches
-- are stale by polling one row.
CREATE TABLE generation (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
);
INSERT INTO generation (id, value) VALUES (1, 0);
