package sqlstore

import (
	"context"
	"database/sql"
	"strings"

	"github.com/cognitod/cognitod/internal/cognito"
)

// groupColumns are user_groups' columns (table alias g), in the order
// scanGroup reads them.
const groupColumns = `g.seq, g.pool_id, g.name, g.name_key, g.description, g.role_arn, g.precedence, g.created_ms, g.modified_ms`

func scanGroup(r Row) (*cognito.Group, error) {
	var (
		g                 cognito.Group
		prec              sql.NullInt32
		created, modified int64
	)
	if err := r.Scan(&g.Seq, &g.UserPoolID, &g.Name, &g.NameKey, &g.Description, &g.RoleArn, &prec, &created, &modified); err != nil {
		return nil, err
	}
	if prec.Valid {
		v := prec.Int32
		g.Precedence = &v
	}
	g.CreationDate, g.LastModifiedDate = fromMS(created), fromMS(modified)
	return &g, nil
}

func (r Reader) GetGroup(ctx context.Context, poolID, name string) (*cognito.Group, error) {
	return one(r, ctx, scanGroup, "group", name, `SELECT `+groupColumns+` FROM user_groups g WHERE g.pool_id = ? AND g.name = ?`, poolID, name)
}

func (r Reader) ListGroups(ctx context.Context, poolID string, after int64, limit int) ([]*cognito.Group, error) {
	return page(r, ctx, scanGroup, "list groups", limit, `SELECT `+groupColumns+` FROM user_groups g WHERE g.pool_id = ? AND g.seq > ? ORDER BY g.seq LIMIT ?`, poolID, after)
}

func (r Reader) CountGroups(ctx context.Context, poolID string) (int, error) {
	return r.count(ctx, "count groups", `SELECT count(*) FROM user_groups WHERE pool_id = ?`, poolID)
}

func (r Reader) ListGroupsOfUser(ctx context.Context, poolID, sub string, after int64, limit int) ([]*cognito.Group, error) {
	return page(r, ctx, scanGroup, "list groups of user", limit, `SELECT `+groupColumns+` FROM users u
		JOIN group_members m ON m.user_seq = u.seq
		JOIN user_groups g ON g.seq = m.group_seq
		WHERE u.pool_id = ? AND u.sub = ? AND m.group_seq > ? ORDER BY m.group_seq LIMIT ?`, poolID, sub, after)
}

func (r Reader) CountGroupsOfUser(ctx context.Context, poolID, sub string) (int, error) {
	return r.count(ctx, "count groups of user", `SELECT count(*) FROM users u JOIN group_members m ON m.user_seq = u.seq
		WHERE u.pool_id = ? AND u.sub = ?`, poolID, sub)
}

func (r Reader) IsGroupMember(ctx context.Context, poolID, groupName, sub string) (bool, error) {
	n, err := r.count(ctx, "group membership", `SELECT count(*) FROM group_members m
		JOIN user_groups g ON g.seq = m.group_seq JOIN users u ON u.seq = m.user_seq
		WHERE g.pool_id = ? AND g.name = ? AND u.pool_id = ? AND u.sub = ?`, poolID, groupName, poolID, sub)
	return n > 0, err
}

func (r Reader) ListGroupMembers(ctx context.Context, poolID, groupName string, after int64, limit int) ([]*cognito.User, error) {
	return page(r, ctx, scanUser, "list group members", limit, `SELECT `+prefixed("u.", userColumns)+` FROM user_groups g
		JOIN group_members m ON m.group_seq = g.seq
		JOIN users u ON u.seq = m.user_seq
		WHERE g.pool_id = ? AND g.name = ? AND m.user_seq > ? ORDER BY m.user_seq LIMIT ?`, poolID, groupName, after)
}

// prefixed qualifies every column of a comma-separated list.
func prefixed(prefix, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = prefix + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}
