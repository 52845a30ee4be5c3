package cognito

import (
	"context"
	"time"
)

// Group is a user pool group as stored.
type Group struct {
	UserPoolID string
	Name       string
	// NameKey makes a name unique in its pool: the name case-folded, so
	// that "Admins" and "admins" cannot both exist.
	NameKey     string
	Description string
	RoleArn     string
	// Precedence is nil when the group has none (Cognito's null).
	Precedence       *int32
	CreationDate     time.Time
	LastModifiedDate time.Time
	// Seq orders listings; the store assigns it on create.
	Seq int64
}

// GroupReader holds the reads of groups and their members; Reader embeds
// it.
type GroupReader interface {
	// GetGroup returns the group named exactly name.
	GetGroup(ctx context.Context, poolID, name string) (*Group, error)
	ListGroups(ctx context.Context, poolID string, after int64, limit int) ([]*Group, error)
	CountGroups(ctx context.Context, poolID string) (int, error)

	// ListGroupsOfUser returns the groups the user whose Sub is sub
	// belongs to, in group Seq order after after.
	ListGroupsOfUser(ctx context.Context, poolID, sub string, after int64, limit int) ([]*Group, error)
	CountGroupsOfUser(ctx context.Context, poolID, sub string) (int, error)
	// IsGroupMember reports whether the user is in the group.
	IsGroupMember(ctx context.Context, poolID, groupName, sub string) (bool, error)
	// ListGroupMembers returns the users of a group, in user Seq order
	// after after (none for a group that does not exist).
	ListGroupMembers(ctx context.Context, poolID, groupName string, after int64, limit int) ([]*User, error)
}

// GroupWriter holds the writes of groups and their members, and the
// domain update that came with them; Tx embeds it.
type GroupWriter interface {
	// CreateGroup inserts g and sets g.Seq; (pool, NameKey) is unique, and
	// a missing pool is ErrNotFound.
	CreateGroup(ctx context.Context, g *Group) error
	// UpdateGroup writes g's description, role, precedence and
	// last-modified date, finding it by pool and name.
	UpdateGroup(ctx context.Context, g *Group) error
	// DeleteGroup deletes a group and its memberships.
	DeleteGroup(ctx context.Context, poolID, name string) error
	// AddGroupMember puts a user in a group: ErrAlreadyExists when they
	// are in it, ErrNotFound when the group or the user does not exist.
	AddGroupMember(ctx context.Context, poolID, groupName, sub string) error
	// RemoveGroupMember takes a user out of a group: ErrNotFound when they
	// are not in it.
	RemoveGroupMember(ctx context.Context, poolID, groupName, sub string) error
	// UpdateDomain writes a domain's managed login version.
	UpdateDomain(ctx context.Context, d *Domain) error
}
