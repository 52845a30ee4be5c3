-- 0008: refresh token rotation. A rotated token keeps its row: rotated_ms
-- is when it was exchanged for its successor (0: it is current), and
-- sealed_successor is that successor, sealed, so that a retry inside the
-- client's grace period gets the same successor rather than a second one.
-- A family (one sign-in and every token rotated from it) shares origin_jti.

ALTER TABLE refresh_tokens ADD COLUMN rotated_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE refresh_tokens ADD COLUMN sealed_successor BLOB;
