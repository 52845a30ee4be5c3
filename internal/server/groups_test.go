package server

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/cognito"
)

func groupNamesOf(gs []types.GroupType) []string {
	var out []string
	for _, g := range gs {
		out = append(out, aws.ToString(g.GroupName))
	}
	return out
}

func suppressedUser(t *testing.T, c *cip.Client, poolID, name string) {
	t.Helper()
	if _, err := c.AdminCreateUser(context.Background(), &cip.AdminCreateUserInput{UserPoolId: aws.String(poolID), Username: aws.String(name),
		MessageAction: types.MessageActionTypeSuppress}); err != nil {
		t.Fatal(err)
	}
}

// TestGroups drives every group operation and its exceptions through the
// AWS SDK for Go v2.
func TestGroups(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{GroupsPerPool: 6, GroupsPerUser: 3})
	ctx := context.Background()
	c := ts.client("us-east-1")
	poolID := createPool(t, c, "groups")
	pool := aws.String(poolID)
	missingPool := cognito.NewPoolID("us-east-1")
	role := "arn:aws:iam::123456789012:role/Admins"

	before := time.Now().Add(-time.Second)
	out, err := c.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: pool, GroupName: aws.String("admins"), Description: aws.String("Administrators"),
		RoleArn: aws.String(role), Precedence: aws.Int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	g := out.Group
	if aws.ToString(g.GroupName) != "admins" || aws.ToString(g.UserPoolId) != poolID || aws.ToString(g.Description) != "Administrators" ||
		aws.ToString(g.RoleArn) != role || aws.ToInt32(g.Precedence) != 1 || g.CreationDate.Before(before) || !g.LastModifiedDate.Equal(*g.CreationDate) {
		t.Errorf("CreateGroup: %+v", g)
	}
	plain, err := c.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: pool, GroupName: aws.String("readers")})
	if err != nil {
		t.Fatal(err)
	}
	if plain.Group.Description != nil || plain.Group.RoleArn != nil || plain.Group.Precedence != nil {
		t.Errorf("a group created without description, role or precedence: %+v", plain.Group)
	}
	raw := ts.raw(t, "GetGroup", fmt.Sprintf(`{"UserPoolId":%q,"GroupName":"readers"}`, poolID))
	grp, _ := raw.Body["Group"].(map[string]any)
	for _, k := range []string{"Description", "RoleArn", "Precedence"} {
		if _, ok := grp[k]; ok {
			t.Errorf("GetGroup of a plain group has %s: %s", k, raw.Raw)
		}
	}
	if _, ok := grp["CreationDate"].(float64); !ok {
		t.Errorf("CreationDate is not epoch seconds: %s", raw.Raw)
	}

	_, err = c.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: pool, GroupName: aws.String("admins")})
	wantAPIError(t, err, "GroupExistsException", "A group with the name admins already exists.")
	_, err = c.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: pool, GroupName: aws.String("Admins")})
	wantAPIError(t, err, "GroupExistsException", "A group with the name Admins already exists.")
	_, err = c.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: aws.String(missingPool), GroupName: aws.String("x")})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool "+missingPool+" does not exist.")
	_, err = c.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: pool, GroupName: aws.String("two words")})
	wantAPIError(t, err, "InvalidParameterException",
		`1 validation error detected: Value 'two words' at 'groupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{M}\p{S}\p{N}\p{P}]+`)
	_, err = c.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: pool, GroupName: aws.String("x"), RoleArn: aws.String("not-an-arn")})
	wantAPIError(t, err, "InvalidParameterException", "2 validation errors detected: Value 'not-an-arn' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20; "+
		"Value 'not-an-arn' at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: "+arnPattern)
	if r := ts.raw(t, "CreateGroup", fmt.Sprintf(`{"UserPoolId":%q,"GroupName":"neg","Precedence":-1}`, poolID)); r.Status != 400 ||
		r.Body["message"] != "1 validation error detected: Value '-1' at 'precedence' failed to satisfy constraint: Member must have value greater than or equal to 0" {
		t.Errorf("negative precedence: %d %s", r.Status, r.Raw)
	}
	if r := ts.raw(t, "CreateGroup", fmt.Sprintf(`{"UserPoolId":%q,"GroupName":"big","Precedence":2147483648}`, poolID)); r.Status != 400 || r.Body["__type"] != "SerializationException" {
		t.Errorf("precedence above 2^31-1: %d %s", r.Status, r.Raw)
	}

	// GetGroup, UpdateGroup: an update changes only what it is sent.
	got, err := c.GetGroup(ctx, &cip.GetGroupInput{UserPoolId: pool, GroupName: aws.String("admins")})
	if err != nil || aws.ToString(got.Group.RoleArn) != role {
		t.Fatalf("GetGroup: %+v, %v", got, err)
	}
	_, err = c.GetGroup(ctx, &cip.GetGroupInput{UserPoolId: pool, GroupName: aws.String("Admins")})
	wantAPIError(t, err, "ResourceNotFoundException", "Group not found.")
	_, err = c.GetGroup(ctx, &cip.GetGroupInput{UserPoolId: aws.String(missingPool), GroupName: aws.String("admins")})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool "+missingPool+" does not exist.")
	time.Sleep(5 * time.Millisecond)
	up, err := c.UpdateGroup(ctx, &cip.UpdateGroupInput{UserPoolId: pool, GroupName: aws.String("admins"), Description: aws.String("Admins, renamed")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(up.Group.Description) != "Admins, renamed" || aws.ToString(up.Group.RoleArn) != role || aws.ToInt32(up.Group.Precedence) != 1 ||
		!up.Group.CreationDate.Equal(*g.CreationDate) || !up.Group.LastModifiedDate.After(*g.LastModifiedDate) {
		t.Errorf("UpdateGroup of the description: %+v", up.Group)
	}
	up, err = c.UpdateGroup(ctx, &cip.UpdateGroupInput{UserPoolId: pool, GroupName: aws.String("admins"), Precedence: aws.Int32(0), RoleArn: aws.String(role + "2")})
	if err != nil || aws.ToString(up.Group.Description) != "Admins, renamed" || aws.ToInt32(up.Group.Precedence) != 0 || aws.ToString(up.Group.RoleArn) != role+"2" {
		t.Errorf("UpdateGroup of precedence and role: %+v, %v", up, err)
	}
	_, err = c.UpdateGroup(ctx, &cip.UpdateGroupInput{UserPoolId: pool, GroupName: aws.String("nobody")})
	wantAPIError(t, err, "ResourceNotFoundException", "Group not found.")

	// ListGroups pages by Limit and NextToken, in creation order.
	for _, n := range []string{"g3", "g4", "g5"} {
		if _, err := c.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: pool, GroupName: aws.String(n)}); err != nil {
			t.Fatal(err)
		}
	}
	var all []string
	var token *string
	for pages := 0; ; pages++ {
		l, err := c.ListGroups(ctx, &cip.ListGroupsInput{UserPoolId: pool, Limit: aws.Int32(2), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, groupNamesOf(l.Groups)...)
		if l.NextToken == nil {
			if pages != 2 {
				t.Errorf("ListGroups of 5 by 2: %d pages", pages+1)
			}
			break
		}
		token = l.NextToken
	}
	if want := []string{"admins", "readers", "g3", "g4", "g5"}; !slices.Equal(all, want) {
		t.Errorf("ListGroups: %v, want %v", all, want)
	}
	_, err = c.ListGroups(ctx, &cip.ListGroupsInput{UserPoolId: pool, NextToken: aws.String("forged")})
	wantAPIError(t, err, "InvalidParameterException", "Invalid pagination token.")
	_, err = c.ListGroups(ctx, &cip.ListGroupsInput{UserPoolId: pool, Limit: aws.Int32(61)})
	wantAPIError(t, err, "InvalidParameterException", "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60")
	_, err = c.ListGroups(ctx, &cip.ListGroupsInput{UserPoolId: aws.String(missingPool)})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool "+missingPool+" does not exist.")

	// The groups-per-pool quota (6 here).
	if _, err := c.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: pool, GroupName: aws.String("g6")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: pool, GroupName: aws.String("g7")})
	wantAPIError(t, err, "LimitExceededException", "The maximum number of groups (6) has been reached for this user pool.")

	// Members.
	for _, u := range []string{"alice", "bob", "carol"} {
		suppressedUser(t, c, poolID, u)
	}
	add := func(user, group string) error {
		_, err := c.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: pool, Username: aws.String(user), GroupName: aws.String(group)})
		return err
	}
	for _, m := range [][2]string{{"alice", "g4"}, {"alice", "admins"}, {"bob", "admins"}, {"carol", "admins"}, {"alice", "admins"}} {
		if err := add(m[0], m[1]); err != nil {
			t.Fatalf("AdminAddUserToGroup %v: %v", m, err)
		}
	}
	wantAPIError(t, add("alice", "nobody"), "ResourceNotFoundException", "Group not found.")
	wantAPIError(t, add("dave", "admins"), "UserNotFoundException", "User does not exist.")
	_, err = c.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(missingPool), Username: aws.String("alice"), GroupName: aws.String("admins")})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool "+missingPool+" does not exist.")
	// The groups-per-user quota (3 here); adding again at the quota is
	// still a no-op.
	if err := add("alice", "g5"); err != nil {
		t.Fatal(err)
	}
	wantAPIError(t, add("alice", "g6"), "LimitExceededException", "The user cannot be added to more than 3 groups.")
	if err := add("alice", "g5"); err != nil {
		t.Errorf("adding a member again at the quota: %v", err)
	}

	lg, err := c.AdminListGroupsForUser(ctx, &cip.AdminListGroupsForUserInput{UserPoolId: pool, Username: aws.String("alice")})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"admins", "g4", "g5"}; !slices.Equal(groupNamesOf(lg.Groups), want) || lg.NextToken != nil {
		t.Errorf("AdminListGroupsForUser: %v, want %v", groupNamesOf(lg.Groups), want)
	}
	lg, err = c.AdminListGroupsForUser(ctx, &cip.AdminListGroupsForUserInput{UserPoolId: pool, Username: aws.String("alice"), Limit: aws.Int32(2)})
	if err != nil || len(lg.Groups) != 2 || lg.NextToken == nil {
		t.Fatalf("AdminListGroupsForUser page 1: %+v, %v", lg, err)
	}
	lg2, err := c.AdminListGroupsForUser(ctx, &cip.AdminListGroupsForUserInput{UserPoolId: pool, Username: aws.String("alice"), Limit: aws.Int32(2), NextToken: lg.NextToken})
	if err != nil || !slices.Equal(groupNamesOf(lg2.Groups), []string{"g5"}) || lg2.NextToken != nil {
		t.Errorf("AdminListGroupsForUser page 2: %+v, %v", lg2, err)
	}
	// A token is good only for the listing it came from.
	_, err = c.AdminListGroupsForUser(ctx, &cip.AdminListGroupsForUserInput{UserPoolId: pool, Username: aws.String("bob"), NextToken: lg.NextToken})
	wantAPIError(t, err, "InvalidParameterException", "Invalid pagination token.")
	_, err = c.AdminListGroupsForUser(ctx, &cip.AdminListGroupsForUserInput{UserPoolId: pool, Username: aws.String("dave")})
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")

	members := func(group string, limit int32) []string {
		t.Helper()
		var names []string
		var token *string
		for {
			l, err := c.ListUsersInGroup(ctx, &cip.ListUsersInGroupInput{UserPoolId: pool, GroupName: aws.String(group), Limit: aws.Int32(limit), NextToken: token})
			if err != nil {
				t.Fatalf("ListUsersInGroup %s: %v", group, err)
			}
			for _, u := range l.Users {
				if u.UserStatus == "" || u.UserCreateDate == nil {
					t.Errorf("ListUsersInGroup user %+v", u)
				}
				names = append(names, aws.ToString(u.Username))
			}
			if l.NextToken == nil {
				return names
			}
			token = l.NextToken
		}
	}
	if got := members("admins", 1); !slices.Equal(got, []string{"alice", "bob", "carol"}) {
		t.Errorf("ListUsersInGroup admins: %v", got)
	}
	_, err = c.ListUsersInGroup(ctx, &cip.ListUsersInGroupInput{UserPoolId: pool, GroupName: aws.String("nobody")})
	wantAPIError(t, err, "ResourceNotFoundException", "Group not found.")

	remove := func(user, group string) error {
		_, err := c.AdminRemoveUserFromGroup(ctx, &cip.AdminRemoveUserFromGroupInput{UserPoolId: pool, Username: aws.String(user), GroupName: aws.String(group)})
		return err
	}
	if err := remove("bob", "admins"); err != nil {
		t.Fatal(err)
	}
	if err := remove("bob", "admins"); err != nil {
		t.Errorf("removing a user who is not in the group: %v", err)
	}
	wantAPIError(t, remove("bob", "nobody"), "ResourceNotFoundException", "Group not found.")
	wantAPIError(t, remove("dave", "admins"), "UserNotFoundException", "User does not exist.")
	if got := members("admins", 60); !slices.Equal(got, []string{"alice", "carol"}) {
		t.Errorf("after removing bob: %v", got)
	}

	// Deleting a user or a group removes their memberships.
	if _, err := c.AdminDeleteUser(ctx, &cip.AdminDeleteUserInput{UserPoolId: pool, Username: aws.String("carol")}); err != nil {
		t.Fatal(err)
	}
	if got := members("admins", 60); !slices.Equal(got, []string{"alice"}) {
		t.Errorf("after deleting carol: %v", got)
	}
	if _, err := c.DeleteGroup(ctx, &cip.DeleteGroupInput{UserPoolId: pool, GroupName: aws.String("g4")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DeleteGroup(ctx, &cip.DeleteGroupInput{UserPoolId: pool, GroupName: aws.String("g4")})
	wantAPIError(t, err, "ResourceNotFoundException", "Group not found.")
	lg, _ = c.AdminListGroupsForUser(ctx, &cip.AdminListGroupsForUserInput{UserPoolId: pool, Username: aws.String("alice")})
	if !slices.Equal(groupNamesOf(lg.Groups), []string{"admins", "g5"}) {
		t.Errorf("after deleting g4: %v", groupNamesOf(lg.Groups))
	}
	// Re-created, the group is empty.
	if _, err := c.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: pool, GroupName: aws.String("g4")}); err != nil {
		t.Fatal(err)
	}
	if got := members("g4", 60); len(got) != 0 {
		t.Errorf("a re-created group has members %v", got)
	}

	// A pool is visible from its own region only.
	_, err = ts.client("eu-west-1").GetGroup(ctx, &cip.GetGroupInput{UserPoolId: pool, GroupName: aws.String("admins")})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool "+poolID+" does not exist.")

	// Deleting the pool deletes its groups.
	if _, err := c.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: pool}); err != nil {
		t.Fatal(err)
	}
	n, err := ts.svc.Store().CountGroups(ctx, poolID)
	if err != nil || n != 0 {
		t.Errorf("groups after DeleteUserPool: %d, %v", n, err)
	}
}

// TestGroupsDefaultQuotas: Cognito's defaults are the ones cognitod
// knows, and apply when Limits leaves them unset: a server started with
// none refuses a user's 101st group (10,000 groups per pool are too many
// to create here; TestGroups checks that quota set lower).
func TestGroupsDefaultQuotas(t *testing.T) {
	d := cognito.DefaultLimits()
	if d.GroupsPerPool != 10000 || d.GroupsPerUser != 100 || d.TagsPerPool != 50 {
		t.Errorf("DefaultLimits: %+v", d)
	}
	ts := newTestServer(t, cognito.Limits{})
	ctx := context.Background()
	c := ts.client("us-east-1")
	poolID := createPool(t, c, "quota")
	suppressedUser(t, c, poolID, "alice")
	add := func(group string) error {
		if _, err := c.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String(group)}); err != nil {
			t.Fatal(err)
		}
		_, err := c.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(poolID), Username: aws.String("alice"), GroupName: aws.String(group)})
		return err
	}
	for i := range 100 {
		if err := add(fmt.Sprint("g", i)); err != nil {
			t.Fatalf("group %d: %v", i+1, err)
		}
	}
	wantAPIError(t, add("g100"), "LimitExceededException", "The user cannot be added to more than 100 groups.")
}
