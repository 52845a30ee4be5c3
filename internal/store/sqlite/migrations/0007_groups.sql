-- 0007: user pool groups and their members. name_key (the name case-folded)
-- is what makes a name unique in its pool. Members are keyed by the seqs of
-- their group and user, which never change: listing a group's users walks
-- (group_seq, user_seq) and a user's groups walks (user_seq, group_seq), both
-- in keyset order. Deleting a pool, a group or a user deletes the
-- memberships with it.

CREATE TABLE user_groups (
	seq         INTEGER PRIMARY KEY AUTOINCREMENT,
	pool_id     TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
	name        TEXT    NOT NULL,
	name_key    TEXT    NOT NULL,
	description TEXT    NOT NULL,
	role_arn    TEXT    NOT NULL,
	precedence  INTEGER,
	created_ms  INTEGER NOT NULL,
	modified_ms INTEGER NOT NULL,
	UNIQUE (pool_id, name_key)
) STRICT;

CREATE INDEX user_groups_pool_seq ON user_groups (pool_id, seq);
CREATE INDEX user_groups_pool_name ON user_groups (pool_id, name);

CREATE TABLE group_members (
	group_seq INTEGER NOT NULL REFERENCES user_groups (seq) ON DELETE CASCADE,
	user_seq  INTEGER NOT NULL REFERENCES users (seq) ON DELETE CASCADE,
	PRIMARY KEY (group_seq, user_seq)
) STRICT, WITHOUT ROWID;

CREATE INDEX group_members_user ON group_members (user_seq, group_seq);
