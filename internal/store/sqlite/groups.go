package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/sqlstore"
)

const groupCols = `g.seq, g.pool_id, g.name, g.name_key, g.description, g.role_arn, g.precedence, g.created_ms, g.modified_ms`

func scanGroup(r rowScanner) (*cognito.Group, error) {
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
	g.CreationDate, g.LastModifiedDate = sqlstore.FromMS(created), sqlstore.FromMS(modified)
	return &g, nil
}

func precedenceArg(p *int32) any {
	if p == nil {
		return nil
	}
	return *p
}

func (r reader) GetGroup(ctx context.Context, poolID, name string) (*cognito.Group, error) {
	g, err := scanGroup(r.q.QueryRowContext(ctx, `SELECT `+groupCols+` FROM user_groups g WHERE g.pool_id = ? AND g.name = ?`, poolID, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("group", name)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: get group of %q: %w", poolID, err)
	}
	return g, nil
}

func (r reader) ListGroups(ctx context.Context, poolID string, after int64, limit int) ([]*cognito.Group, error) {
	if limit <= 0 {
		return nil, nil // LIMIT -1 would mean no limit in SQLite
	}
	rows, err := r.q.QueryContext(ctx, `SELECT `+groupCols+` FROM user_groups g WHERE g.pool_id = ? AND g.seq > ? ORDER BY g.seq LIMIT ?`, poolID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list groups of %q: %w", poolID, err)
	}
	return collect(rows, scanGroup, "list groups")
}

func (r reader) CountGroups(ctx context.Context, poolID string) (int, error) {
	return r.count(ctx, "count groups", `SELECT count(*) FROM user_groups WHERE pool_id = ?`, poolID)
}

func (r reader) ListGroupsOfUser(ctx context.Context, poolID, sub string, after int64, limit int) ([]*cognito.Group, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := r.q.QueryContext(ctx, `SELECT `+groupCols+` FROM users u
		JOIN group_members m ON m.user_seq = u.seq
		JOIN user_groups g ON g.seq = m.group_seq
		WHERE u.pool_id = ? AND u.sub = ? AND m.group_seq > ? ORDER BY m.group_seq LIMIT ?`, poolID, sub, after, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list groups of a user of %q: %w", poolID, err)
	}
	return collect(rows, scanGroup, "list groups of user")
}

func (r reader) CountGroupsOfUser(ctx context.Context, poolID, sub string) (int, error) {
	return r.count(ctx, "count groups of user", `SELECT count(*) FROM users u JOIN group_members m ON m.user_seq = u.seq
		WHERE u.pool_id = ? AND u.sub = ?`, poolID, sub)
}

func (r reader) IsGroupMember(ctx context.Context, poolID, groupName, sub string) (bool, error) {
	n, err := r.count(ctx, "group membership", `SELECT count(*) FROM group_members m
		JOIN user_groups g ON g.seq = m.group_seq JOIN users u ON u.seq = m.user_seq
		WHERE g.pool_id = ? AND g.name = ? AND u.pool_id = ? AND u.sub = ?`, poolID, groupName, poolID, sub)
	return n > 0, err
}

func (r reader) ListGroupMembers(ctx context.Context, poolID, groupName string, after int64, limit int) ([]*cognito.User, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := r.q.QueryContext(ctx, `SELECT `+prefixed("u.", userColumns)+` FROM user_groups g
		JOIN group_members m ON m.group_seq = g.seq
		JOIN users u ON u.seq = m.user_seq
		WHERE g.pool_id = ? AND g.name = ? AND m.user_seq > ? ORDER BY m.user_seq LIMIT ?`, poolID, groupName, after, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list members of a group of %q: %w", poolID, err)
	}
	return collect(rows, scanUser, "list group members")
}

func (t *tx) CreateGroup(ctx context.Context, g *cognito.Group) error {
	err := t.st.QueryRowContext(ctx, `INSERT INTO user_groups (pool_id, name, name_key, description, role_arn, precedence, created_ms, modified_ms)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`, g.UserPoolID, g.Name, g.NameKey, g.Description, g.RoleArn,
		precedenceArg(g.Precedence), sqlstore.ToMS(g.CreationDate), sqlstore.ToMS(g.LastModifiedDate)).Scan(&g.Seq)
	if err != nil {
		return writeErr(fmt.Sprintf("create group in %q", g.UserPoolID), err)
	}
	return nil
}

func (t *tx) UpdateGroup(ctx context.Context, g *cognito.Group) error {
	res, err := t.st.ExecContext(ctx, `UPDATE user_groups SET description = ?, role_arn = ?, precedence = ?, modified_ms = ?
		WHERE pool_id = ? AND name = ?`, g.Description, g.RoleArn, precedenceArg(g.Precedence), sqlstore.ToMS(g.LastModifiedDate), g.UserPoolID, g.Name)
	return affected(res, err, "update group", "group", g.Name)
}

// DeleteGroup deletes the group; the foreign key cascades to its members.
func (t *tx) DeleteGroup(ctx context.Context, poolID, name string) error {
	res, err := t.st.ExecContext(ctx, `DELETE FROM user_groups WHERE pool_id = ? AND name = ?`, poolID, name)
	return affected(res, err, "delete group", "group", name)
}

func (t *tx) AddGroupMember(ctx context.Context, poolID, groupName, sub string) error {
	res, err := t.st.ExecContext(ctx, `INSERT INTO group_members (group_seq, user_seq)
		SELECT g.seq, u.seq FROM user_groups g, users u WHERE g.pool_id = ? AND g.name = ? AND u.pool_id = ? AND u.sub = ?`,
		poolID, groupName, poolID, sub)
	if err != nil {
		return writeErr(fmt.Sprintf("add member to group %q", groupName), err)
	}
	return affected(res, nil, "add group member", "group or user", groupName+"/"+sub)
}

func (t *tx) RemoveGroupMember(ctx context.Context, poolID, groupName, sub string) error {
	res, err := t.st.ExecContext(ctx, `DELETE FROM group_members WHERE
		group_seq = (SELECT seq FROM user_groups WHERE pool_id = ? AND name = ?) AND
		user_seq = (SELECT seq FROM users WHERE pool_id = ? AND sub = ?)`, poolID, groupName, poolID, sub)
	return affected(res, err, "remove group member", "membership", groupName+"/"+sub)
}

func (t *tx) UpdateDomain(ctx context.Context, d *cognito.Domain) error {
	res, err := t.st.ExecContext(ctx, `UPDATE domains SET managed_login_version = ? WHERE region = ? AND domain = ? AND pool_id = ?`,
		d.ManagedLoginVersion, d.Region(), d.Domain, d.UserPoolID)
	return affected(res, err, "update domain", "domain", d.Domain)
}

// prefixed qualifies every column of a comma-separated list.
func prefixed(prefix, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = prefix + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}
