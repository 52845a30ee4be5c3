-- Access keys get a name (the IAM user name in AccessDeniedException
-- messages), a root flag and an IAM-style policy (its JSON text; NULL is
-- no policy). Keys that existed before this version were all full-rights
-- keys, so they become root keys named "root".
ALTER TABLE access_keys ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE access_keys ADD COLUMN root INTEGER NOT NULL DEFAULT 0 CHECK (root IN (0, 1));
ALTER TABLE access_keys ADD COLUMN policy TEXT;
UPDATE access_keys SET name = 'root', root = 1;
