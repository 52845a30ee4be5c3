package cognito

import (
	"context"
	"errors"
	"slices"
	"strconv"
)

// GroupMemberInput is AdminAddUserToGroupRequest and
// AdminRemoveUserFromGroupRequest.
type GroupMemberInput struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
	Username   string `json:"Username,omitempty"`
	GroupName  string `json:"GroupName,omitempty"`
}

// AdminListGroupsForUserInput is AdminListGroupsForUserRequest.
type AdminListGroupsForUserInput struct {
	Username   string `json:"Username,omitempty"`
	UserPoolId string `json:"UserPoolId,omitempty"`
	Limit      *int32 `json:"Limit,omitempty"`
	NextToken  string `json:"NextToken,omitempty"`
}

// ListUsersInGroupInput is ListUsersInGroupRequest.
type ListUsersInGroupInput struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
	GroupName  string `json:"GroupName,omitempty"`
	Limit      *int32 `json:"Limit,omitempty"`
	NextToken  string `json:"NextToken,omitempty"`
}

// ListUsersInGroupOutput is ListUsersInGroupResponse.
type ListUsersInGroupOutput struct {
	Users     []UserType `json:"Users"`
	NextToken *string    `json:"NextToken,omitempty"`
}

// AdminAddUserToGroup puts a user in a group. Adding a member again is a
// no-op, and does not count against the groups-per-user quota.
func (s *Service) AdminAddUserToGroup(ctx context.Context, in *GroupMemberInput) (*Empty, error) {
	if err := s.validate(ctx, "AdminAddUserToGroup", in); err != nil {
		return nil, err
	}
	err := s.withGroupMember(ctx, in, func(tx Tx, pool *UserPool, g *Group, u *User) error {
		member, err := tx.IsGroupMember(ctx, pool.ID, g.Name, u.Sub)
		if err != nil || member {
			return err
		}
		n, err := tx.CountGroupsOfUser(ctx, pool.ID, u.Sub)
		if err != nil {
			return err
		}
		if n >= s.limits.GroupsPerUser {
			return ErrLimitExceeded.WithMessagef(msgLimitGroupsPerUser, s.limits.GroupsPerUser)
		}
		return tx.AddGroupMember(ctx, pool.ID, g.Name, u.Sub)
	})
	return empty(err)
}

// withGroupMember runs fn, in one transaction, on the group and the user
// a membership request names.
func (s *Service) withGroupMember(ctx context.Context, in *GroupMemberInput, fn func(tx Tx, pool *UserPool, g *Group, u *User) error) error {
	return s.updateUncached(ctx, func(tx Tx) error {
		pool, g, err := s.getGroup(ctx, tx, in.UserPoolId, in.GroupName)
		if err != nil {
			return err
		}
		u, err := s.findUser(ctx, tx, pool, in.Username)
		if err != nil {
			return err
		}
		return fn(tx, pool, g, u)
	})
}

// AdminRemoveUserFromGroup takes a user out of a group. Removing a user
// who is not in the group succeeds, as adding one twice does
// (unconfirmed: no capture of Cognito's answer).
func (s *Service) AdminRemoveUserFromGroup(ctx context.Context, in *GroupMemberInput) (*Empty, error) {
	if err := s.validate(ctx, "AdminRemoveUserFromGroup", in); err != nil {
		return nil, err
	}
	err := s.withGroupMember(ctx, in, func(tx Tx, pool *UserPool, g *Group, u *User) error {
		if err := tx.RemoveGroupMember(ctx, pool.ID, g.Name, u.Sub); !errors.Is(err, ErrNotFound) {
			return err
		}
		return nil
	})
	return empty(err)
}

// AdminListGroupsForUser lists the groups a user is in, in the order the
// groups were created.
func (s *Service) AdminListGroupsForUser(ctx context.Context, in *AdminListGroupsForUserInput) (*ListGroupsOutput, error) {
	if err := s.validate(ctx, "AdminListGroupsForUser", in); err != nil {
		return nil, err
	}
	pool, u, err := s.getUser(ctx, s.store, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	groups, next, err := page(s, "user-groups:"+strconv.FormatInt(u.Seq, 10), in.NextToken, clampMaxResults(in.Limit, 60),
		func(after int64, limit int) ([]*Group, error) {
			return s.store.ListGroupsOfUser(ctx, pool.ID, u.Sub, after, limit)
		}, func(g *Group) int64 { return g.Seq })
	if err != nil {
		return nil, err
	}
	return groupList(groups, next), nil
}

// ListUsersInGroup lists a group's users, in the order the users were
// created.
func (s *Service) ListUsersInGroup(ctx context.Context, in *ListUsersInGroupInput) (*ListUsersInGroupOutput, error) {
	if err := s.validate(ctx, "ListUsersInGroup", in); err != nil {
		return nil, err
	}
	pool, g, err := s.getGroup(ctx, s.store, in.UserPoolId, in.GroupName)
	if err != nil {
		return nil, err
	}
	users, next, err := page(s, "group-users:"+strconv.FormatInt(g.Seq, 10), in.NextToken, clampMaxResults(in.Limit, 60),
		func(after int64, limit int) ([]*User, error) {
			return s.store.ListGroupMembers(ctx, pool.ID, g.Name, after, limit)
		}, func(u *User) int64 { return u.Seq })
	if err != nil {
		return nil, err
	}
	out := &ListUsersInGroupOutput{Users: make([]UserType, len(users)), NextToken: next}
	for i, u := range users {
		out.Users[i] = *describeUser(u)
	}
	return out, nil
}

// groupClaims are what a user's groups put in their tokens.
type groupClaims struct {
	groups, roles []string
	preferredRole string
}

// userGroupClaims reads a user's groups for their tokens. cognito:groups
// and cognito:roles list them by precedence, lowest first, then groups
// without one (the order AWS's own samples read cognito:groups[0] in, and
// a real token shows, amplify-js#2390); ties keep the order the groups
// were created in (unconfirmed). cognito:preferred_role is the role of the
// role-carrying groups of lowest precedence, and is left out when they
// name different roles (API reference, CreateGroup Precedence).
func (s *Service) userGroupClaims(ctx context.Context, poolID, sub string) (groupClaims, error) {
	var all []*Group
	var after int64
	for {
		groups, err := s.store.ListGroupsOfUser(ctx, poolID, sub, after, 100)
		if err != nil {
			return groupClaims{}, asError(err)
		}
		all = append(all, groups...)
		if len(groups) < 100 {
			break
		}
		after = groups[len(groups)-1].Seq
	}
	if len(all) == 0 {
		return groupClaims{}, nil
	}
	slices.SortStableFunc(all, func(a, b *Group) int { return comparePrecedence(a.Precedence, b.Precedence) })
	var c groupClaims
	var best *Group
	tied := false
	for _, g := range all {
		c.groups = append(c.groups, g.Name)
		if g.RoleArn == "" {
			continue
		}
		if !slices.Contains(c.roles, g.RoleArn) {
			c.roles = append(c.roles, g.RoleArn)
		}
		switch {
		case best == nil:
			best = g
		case comparePrecedence(g.Precedence, best.Precedence) == 0 && g.RoleArn != best.RoleArn:
			tied = true
		}
	}
	if best != nil && !tied {
		c.preferredRole = best.RoleArn
	}
	return c, nil
}

// comparePrecedence orders precedences lowest first, null last.
func comparePrecedence(a, b *int32) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	case *a < *b:
		return -1
	case *a > *b:
		return 1
	}
	return 0
}
