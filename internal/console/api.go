package console

import (
	"context"

	"github.com/cognitod/cognitod/internal/cognito"
)

// api is what the console may call: each cognito-idp operation it uses,
// authorized first with the signed-in key's policy exactly as the JSON API
// authorizes it (cognito.Service.Authorize), plus the few non-operation
// helpers it needs. The console holds an api, not the *cognito.Service,
// so a page cannot call an operation without its authorization; a test
// checks that each method authorizes as the operation it is named after.
type api struct{ svc *cognito.Service }

// authorized authorizes op for the caller in ctx, then calls method.
func authorized[In, Out any](ctx context.Context, svc *cognito.Service, op string, method func(*cognito.Service, context.Context, *In) (Out, error), in *In) (Out, error) {
	if err := svc.Authorize(ctx, op, in); err != nil {
		var zero Out
		return zero, err
	}
	return method(svc, ctx, in)
}

func (a api) AccessKeySecret(ctx context.Context, id string) (string, bool, error) {
	return a.svc.AccessKeySecret(ctx, id)
}

func (a api) DomainHost(d *cognito.Domain) string { return a.svc.DomainHost(d) }

// sharedState is where console sessions live (session.go): state, not an
// operation, so it needs no authorization.
func (a api) sharedState() cognito.SharedState { return a.svc.Store() }

func (a api) AdminAddUserToGroup(ctx context.Context, in *cognito.GroupMemberInput) (*cognito.Empty, error) {
	return authorized(ctx, a.svc, "AdminAddUserToGroup", (*cognito.Service).AdminAddUserToGroup, in)
}

func (a api) AdminCreateUser(ctx context.Context, in *cognito.AdminCreateUserInput) (*cognito.AdminCreateUserOutput, error) {
	return authorized(ctx, a.svc, "AdminCreateUser", (*cognito.Service).AdminCreateUser, in)
}

func (a api) AdminDeleteUser(ctx context.Context, in *cognito.AdminUserInput) (*cognito.Empty, error) {
	return authorized(ctx, a.svc, "AdminDeleteUser", (*cognito.Service).AdminDeleteUser, in)
}

func (a api) AdminGetUser(ctx context.Context, in *cognito.AdminUserInput) (*cognito.AdminGetUserOutput, error) {
	return authorized(ctx, a.svc, "AdminGetUser", (*cognito.Service).AdminGetUser, in)
}

func (a api) AdminListGroupsForUser(ctx context.Context, in *cognito.AdminListGroupsForUserInput) (*cognito.ListGroupsOutput, error) {
	return authorized(ctx, a.svc, "AdminListGroupsForUser", (*cognito.Service).AdminListGroupsForUser, in)
}

func (a api) AdminRemoveUserFromGroup(ctx context.Context, in *cognito.GroupMemberInput) (*cognito.Empty, error) {
	return authorized(ctx, a.svc, "AdminRemoveUserFromGroup", (*cognito.Service).AdminRemoveUserFromGroup, in)
}

func (a api) CreateGroup(ctx context.Context, in *cognito.GroupInput) (*cognito.GroupOutput, error) {
	return authorized(ctx, a.svc, "CreateGroup", (*cognito.Service).CreateGroup, in)
}

func (a api) CreateResourceServer(ctx context.Context, in *cognito.ResourceServerInput) (*cognito.ResourceServerOutput, error) {
	return authorized(ctx, a.svc, "CreateResourceServer", (*cognito.Service).CreateResourceServer, in)
}

func (a api) CreateUserPool(ctx context.Context, in *cognito.CreateUserPoolInput) (*cognito.UserPoolOutput, error) {
	return authorized(ctx, a.svc, "CreateUserPool", (*cognito.Service).CreateUserPool, in)
}

func (a api) CreateUserPoolClient(ctx context.Context, in *cognito.CreateUserPoolClientInput) (*cognito.UserPoolClientOutput, error) {
	return authorized(ctx, a.svc, "CreateUserPoolClient", (*cognito.Service).CreateUserPoolClient, in)
}

func (a api) CreateUserPoolDomain(ctx context.Context, in *cognito.CreateUserPoolDomainInput) (*cognito.CreateUserPoolDomainOutput, error) {
	return authorized(ctx, a.svc, "CreateUserPoolDomain", (*cognito.Service).CreateUserPoolDomain, in)
}

func (a api) DeleteGroup(ctx context.Context, in *cognito.GroupNameInput) (*cognito.Empty, error) {
	return authorized(ctx, a.svc, "DeleteGroup", (*cognito.Service).DeleteGroup, in)
}

func (a api) DeleteResourceServer(ctx context.Context, in *cognito.ResourceServerIDInput) (*cognito.Empty, error) {
	return authorized(ctx, a.svc, "DeleteResourceServer", (*cognito.Service).DeleteResourceServer, in)
}

func (a api) DeleteUserPool(ctx context.Context, in *cognito.UserPoolIDInput) (*cognito.Empty, error) {
	return authorized(ctx, a.svc, "DeleteUserPool", (*cognito.Service).DeleteUserPool, in)
}

func (a api) DeleteUserPoolClient(ctx context.Context, in *cognito.ClientIDInput) (*cognito.Empty, error) {
	return authorized(ctx, a.svc, "DeleteUserPoolClient", (*cognito.Service).DeleteUserPoolClient, in)
}

func (a api) DeleteUserPoolDomain(ctx context.Context, in *cognito.DomainInput) (*cognito.Empty, error) {
	return authorized(ctx, a.svc, "DeleteUserPoolDomain", (*cognito.Service).DeleteUserPoolDomain, in)
}

func (a api) DescribeResourceServer(ctx context.Context, in *cognito.ResourceServerIDInput) (*cognito.ResourceServerOutput, error) {
	return authorized(ctx, a.svc, "DescribeResourceServer", (*cognito.Service).DescribeResourceServer, in)
}

func (a api) DescribeUserPool(ctx context.Context, in *cognito.UserPoolIDInput) (*cognito.UserPoolOutput, error) {
	return authorized(ctx, a.svc, "DescribeUserPool", (*cognito.Service).DescribeUserPool, in)
}

func (a api) DescribeUserPoolClient(ctx context.Context, in *cognito.ClientIDInput) (*cognito.UserPoolClientOutput, error) {
	return authorized(ctx, a.svc, "DescribeUserPoolClient", (*cognito.Service).DescribeUserPoolClient, in)
}

func (a api) ListGroups(ctx context.Context, in *cognito.ListGroupsInput) (*cognito.ListGroupsOutput, error) {
	return authorized(ctx, a.svc, "ListGroups", (*cognito.Service).ListGroups, in)
}

func (a api) ListResourceServers(ctx context.Context, in *cognito.ListResourceServersInput) (*cognito.ListResourceServersOutput, error) {
	return authorized(ctx, a.svc, "ListResourceServers", (*cognito.Service).ListResourceServers, in)
}

func (a api) ListUserPoolClients(ctx context.Context, in *cognito.ListUserPoolClientsInput) (*cognito.ListUserPoolClientsOutput, error) {
	return authorized(ctx, a.svc, "ListUserPoolClients", (*cognito.Service).ListUserPoolClients, in)
}

func (a api) ListUserPools(ctx context.Context, in *cognito.ListUserPoolsInput) (*cognito.ListUserPoolsOutput, error) {
	return authorized(ctx, a.svc, "ListUserPools", (*cognito.Service).ListUserPools, in)
}

func (a api) ListUsers(ctx context.Context, in *cognito.ListUsersInput) (*cognito.ListUsersOutput, error) {
	return authorized(ctx, a.svc, "ListUsers", (*cognito.Service).ListUsers, in)
}

func (a api) UpdateResourceServer(ctx context.Context, in *cognito.ResourceServerInput) (*cognito.ResourceServerOutput, error) {
	return authorized(ctx, a.svc, "UpdateResourceServer", (*cognito.Service).UpdateResourceServer, in)
}

func (a api) UpdateUserPoolClient(ctx context.Context, in *cognito.UpdateUserPoolClientInput) (*cognito.UserPoolClientOutput, error) {
	return authorized(ctx, a.svc, "UpdateUserPoolClient", (*cognito.Service).UpdateUserPoolClient, in)
}

// The access key administration is cognitod's own (AWS's would be IAM's
// API): only a root key may use it, checked by the caller on each request.

func (a api) GetAccessKey(ctx context.Context, id string) (cognito.AccessKeyInfo, error) {
	return a.svc.GetAccessKey(ctx, id)
}

func (a api) ListAccessKeys(ctx context.Context) ([]cognito.AccessKeyInfo, error) {
	return a.svc.ListAccessKeys(ctx)
}

func (a api) CreateAccessKey(ctx context.Context, name, policy string) (string, string, error) {
	return a.svc.CreateAccessKey(ctx, name, policy)
}

func (a api) DeleteAccessKey(ctx context.Context, id string) error {
	return a.svc.DeleteAccessKey(ctx, id)
}

func (a api) RotateAccessKey(ctx context.Context, id string) (string, string, error) {
	return a.svc.RotateAccessKey(ctx, id)
}
