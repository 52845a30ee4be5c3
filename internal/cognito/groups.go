package cognito

import (
	"context"
	"errors"
	"strings"
)

// GroupType is a group as Cognito returns it. A group created without a
// description, role or precedence has no such member.
type GroupType struct {
	GroupName        string    `json:"GroupName"`
	UserPoolId       string    `json:"UserPoolId"`
	Description      string    `json:"Description,omitempty"`
	RoleArn          string    `json:"RoleArn,omitempty"`
	Precedence       *int32    `json:"Precedence,omitempty"`
	LastModifiedDate Timestamp `json:"LastModifiedDate"`
	CreationDate     Timestamp `json:"CreationDate"`
}

// GroupInput is CreateGroupRequest and UpdateGroupRequest. Pointers tell
// an omitted member from an empty one: UpdateGroup changes only the
// members it is sent (AWS CLI's update-group example keeps the RoleArn it
// was not sent, and Terraform sends only what changed).
type GroupInput struct {
	GroupName   string  `json:"GroupName,omitempty"`
	UserPoolId  string  `json:"UserPoolId,omitempty"`
	Description *string `json:"Description,omitempty"`
	RoleArn     *string `json:"RoleArn,omitempty"`
	Precedence  *int32  `json:"Precedence,omitempty"`
}

// GroupNameInput names one group: GetGroupRequest, DeleteGroupRequest.
type GroupNameInput struct {
	GroupName  string `json:"GroupName,omitempty"`
	UserPoolId string `json:"UserPoolId,omitempty"`
}

// GroupOutput wraps a group: {"Group": {...}}.
type GroupOutput struct {
	Group *GroupType `json:"Group"`
}

// ListGroupsInput is ListGroupsRequest.
type ListGroupsInput struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
	Limit      *int32 `json:"Limit,omitempty"`
	NextToken  string `json:"NextToken,omitempty"`
}

// ListGroupsOutput is ListGroupsResponse and AdminListGroupsForUserResponse.
type ListGroupsOutput struct {
	Groups    []GroupType `json:"Groups"`
	NextToken *string     `json:"NextToken,omitempty"`
}

func describeGroup(g *Group) *GroupType {
	return &GroupType{GroupName: g.Name, UserPoolId: g.UserPoolID, Description: g.Description, RoleArn: g.RoleArn,
		Precedence: g.Precedence, LastModifiedDate: Timestamp(g.LastModifiedDate), CreationDate: Timestamp(g.CreationDate)}
}

// groupNameKey is what makes a group name unique in its pool: Cognito
// refuses a group that differs from an existing one only in case
// (aws-amplify/amplify-backend#1781), while lookups take the exact name.
func groupNameKey(name string) string { return strings.ToLower(name) }

// getGroup returns a group of a pool the caller sees.
func (s *Service) getGroup(ctx context.Context, r Reader, poolID, name string) (*UserPool, *Group, error) {
	pool, err := s.getPool(ctx, r, poolID)
	if err != nil {
		return nil, nil, err
	}
	g, err := r.GetGroup(ctx, pool.ID, name)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, ErrResourceNotFound.WithMessage(msgGroupNotFound)
	}
	if err != nil {
		return nil, nil, asError(err)
	}
	return pool, g, nil
}

// CreateGroup creates a group in a pool.
func (s *Service) CreateGroup(ctx context.Context, in *GroupInput) (*GroupOutput, error) {
	if err := s.validate(ctx, "CreateGroup", in); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	g := &Group{UserPoolID: in.UserPoolId, Name: in.GroupName, NameKey: groupNameKey(in.GroupName),
		Precedence: in.Precedence, CreationDate: now, LastModifiedDate: now}
	if in.Description != nil {
		g.Description = *in.Description
	}
	if in.RoleArn != nil {
		g.RoleArn = *in.RoleArn
	}
	err := s.updateUncached(ctx, func(tx Tx) error {
		if _, err := s.getPool(ctx, tx, in.UserPoolId); err != nil {
			return err
		}
		n, err := tx.CountGroups(ctx, in.UserPoolId)
		if err != nil {
			return err
		}
		if n >= s.limits.GroupsPerPool {
			return ErrLimitExceeded.WithMessagef(msgLimitGroups, s.limits.GroupsPerPool)
		}
		err = tx.CreateGroup(ctx, g)
		if errors.Is(err, ErrAlreadyExists) {
			return ErrGroupExists.WithMessagef(msgGroupExists, in.GroupName)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &GroupOutput{Group: describeGroup(g)}, nil
}

// GetGroup returns a group.
func (s *Service) GetGroup(ctx context.Context, in *GroupNameInput) (*GroupOutput, error) {
	if err := s.validate(ctx, "GetGroup", in); err != nil {
		return nil, err
	}
	_, g, err := s.getGroup(ctx, s.store, in.UserPoolId, in.GroupName)
	if err != nil {
		return nil, err
	}
	return &GroupOutput{Group: describeGroup(g)}, nil
}

// UpdateGroup changes the description, role and precedence it is sent,
// and keeps the others. A precedence cannot go back to null.
func (s *Service) UpdateGroup(ctx context.Context, in *GroupInput) (*GroupOutput, error) {
	if err := s.validate(ctx, "UpdateGroup", in); err != nil {
		return nil, err
	}
	var g *Group
	err := s.updateUncached(ctx, func(tx Tx) error {
		var err error
		if _, g, err = s.getGroup(ctx, tx, in.UserPoolId, in.GroupName); err != nil {
			return err
		}
		if in.Description != nil {
			g.Description = *in.Description
		}
		if in.RoleArn != nil {
			g.RoleArn = *in.RoleArn
		}
		if in.Precedence != nil {
			g.Precedence = in.Precedence
		}
		g.LastModifiedDate = s.now().UTC()
		return tx.UpdateGroup(ctx, g)
	})
	if err != nil {
		return nil, err
	}
	return &GroupOutput{Group: describeGroup(g)}, nil
}

// DeleteGroup deletes a group; its members leave it. (The developer guide
// once said only empty groups can be deleted; the API reference and
// Cognito itself delete a group with members.)
func (s *Service) DeleteGroup(ctx context.Context, in *GroupNameInput) (*Empty, error) {
	if err := s.validate(ctx, "DeleteGroup", in); err != nil {
		return nil, err
	}
	err := s.updateUncached(ctx, func(tx Tx) error {
		pool, g, err := s.getGroup(ctx, tx, in.UserPoolId, in.GroupName)
		if err != nil {
			return err
		}
		return tx.DeleteGroup(ctx, pool.ID, g.Name)
	})
	return empty(err)
}

// ListGroups lists a pool's groups in the order they were created.
func (s *Service) ListGroups(ctx context.Context, in *ListGroupsInput) (*ListGroupsOutput, error) {
	if err := s.validate(ctx, "ListGroups", in); err != nil {
		return nil, err
	}
	pool, err := s.getPool(ctx, s.store, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	groups, next, err := page(s, "groups:"+pool.ID, in.NextToken, clampMaxResults(in.Limit, 60),
		func(after int64, limit int) ([]*Group, error) { return s.store.ListGroups(ctx, pool.ID, after, limit) },
		func(g *Group) int64 { return g.Seq })
	if err != nil {
		return nil, err
	}
	return groupList(groups, next), nil
}

func groupList(groups []*Group, next *string) *ListGroupsOutput {
	out := &ListGroupsOutput{Groups: make([]GroupType, len(groups)), NextToken: next}
	for i, g := range groups {
		out.Groups[i] = *describeGroup(g)
	}
	return out
}

// ErrGroupExists is GroupExistsException.
var ErrGroupExists = &Error{Type: "GroupExistsException"}
