package sqlite

import (
	"context"
	"fmt"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/sqlstore"
)

func precedenceArg(p *int32) any {
	if p == nil {
		return nil
	}
	return *p
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
