package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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
	g, err := scanGroup(r.Q.QueryRow(ctx, `SELECT `+groupColumns+` FROM user_groups g WHERE g.pool_id = ? AND g.name = ?`, poolID, name))
	if errors.Is(err, r.NoRows) {
		return nil, r.notFound("group", name)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: get group of %q: %w", r.Name, poolID, err)
	}
	return g, nil
}

func (r Reader) ListGroups(ctx context.Context, poolID string, after int64, limit int) ([]*cognito.Group, error) {
	if limit <= 0 {
		return nil, nil // LIMIT -1 would mean no limit in SQLite
	}
	rows, err := r.Q.Query(ctx, `SELECT `+groupColumns+` FROM user_groups g WHERE g.pool_id = ? AND g.seq > ? ORDER BY g.seq LIMIT ?`, poolID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("%s: list groups of %q: %w", r.Name, poolID, err)
	}
	return collect(r.Name, rows, scanGroup, "list groups")
}

func (r Reader) CountGroups(ctx context.Context, poolID string) (int, error) {
	return r.count(ctx, "count groups", `SELECT count(*) FROM user_groups WHERE pool_id = ?`, poolID)
}

func (r Reader) ListGroupsOfUser(ctx context.Context, poolID, sub string, after int64, limit int) ([]*cognito.Group, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := r.Q.Query(ctx, `SELECT `+groupColumns+` FROM users u
		JOIN group_members m ON m.user_seq = u.seq
		JOIN user_groups g ON g.seq = m.group_seq
		WHERE u.pool_id = ? AND u.sub = ? AND m.group_seq > ? ORDER BY m.group_seq LIMIT ?`, poolID, sub, after, limit)
	if err != nil {
		return nil, fmt.Errorf("%s: list groups of a user of %q: %w", r.Name, poolID, err)
	}
	return collect(r.Name, rows, scanGroup, "list groups of user")
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
	if limit <= 0 {
		return nil, nil
	}
	rows, err := r.Q.Query(ctx, `SELECT `+prefixed("u.", userColumns)+` FROM user_groups g
		JOIN group_members m ON m.group_seq = g.seq
		JOIN users u ON u.seq = m.user_seq
		WHERE g.pool_id = ? AND g.name = ? AND m.user_seq > ? ORDER BY m.user_seq LIMIT ?`, poolID, groupName, after, limit)
	if err != nil {
		return nil, fmt.Errorf("%s: list members of a group of %q: %w", r.Name, poolID, err)
	}
	return collect(r.Name, rows, scanUser, "list group members")
}

// prefixed qualifies every column of a comma-separated list.
func prefixed(prefix, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = prefix + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}
