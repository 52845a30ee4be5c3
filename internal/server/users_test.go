package server

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/cognito"
)

func attrValue(attrs []types.AttributeType, name string) string {
	for _, a := range attrs {
		if aws.ToString(a.Name) == name {
			return aws.ToString(a.Value)
		}
	}
	return ""
}

func TestAdminUsers(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	ctx := context.Background()
	c := ts.client("us-east-1")
	poolID := createPool(t, c, "users")
	pool := aws.String(poolID)

	out, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("alice"),
		TemporaryPassword: aws.String("Temp-pass-1"), MessageAction: types.MessageActionTypeSuppress,
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("alice@example.com")}}})
	if err != nil {
		t.Fatal(err)
	}
	u := out.User
	if aws.ToString(u.Username) != "alice" || u.UserStatus != types.UserStatusTypeForceChangePassword || !u.Enabled || len(attrValue(u.Attributes, "sub")) != 36 {
		t.Errorf("AdminCreateUser = %+v", u)
	}
	_, err = c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("alice"), MessageAction: types.MessageActionTypeSuppress})
	wantAPIError(t, err, "UsernameExistsException", "User account already exists")
	_, err = c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("bob"), TemporaryPassword: aws.String("short")})
	wantAPIError(t, err, "InvalidPasswordException", "Password did not conform with password policy: Password not long enough")
	_, err = c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("bob"), TemporaryPassword: aws.String("alllowercase1!")})
	wantAPIError(t, err, "InvalidPasswordException", "Password did not conform with password policy: Password must have uppercase characters")
	_, err = c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("bob"),
		UserAttributes: []types.AttributeType{{Name: aws.String("shoe_size"), Value: aws.String("42")}}})
	wantAPIError(t, err, "InvalidParameterException", "")
	_, err = c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("bob"),
		UserAttributes: []types.AttributeType{{Name: aws.String("sub"), Value: aws.String("mine")}}})
	wantAPIError(t, err, "InvalidParameterException", "")

	got, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("alice")})
	if err != nil || attrValue(got.UserAttributes, "email") != "alice@example.com" {
		t.Fatalf("AdminGetUser = %+v, %v", got, err)
	}
	_, err = c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("nobody")})
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")

	if _, err := c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: pool, Username: aws.String("alice"), Password: aws.String("Perm-pass-22"), Permanent: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: pool, Username: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	got, _ = c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("alice")})
	if got.UserStatus != types.UserStatusTypeConfirmed || got.Enabled {
		t.Errorf("after set password and disable: status %s enabled %v", got.UserStatus, got.Enabled)
	}
	if _, err := c.AdminEnableUser(ctx, &cip.AdminEnableUserInput{UserPoolId: pool, Username: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.AdminConfirmSignUp(ctx, &cip.AdminConfirmSignUpInput{UserPoolId: pool, Username: aws.String("alice")})
	wantAPIError(t, err, "NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED")

	if _, err := c.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: pool, Username: aws.String("alice"),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("alice@new.example")}, {Name: aws.String("name"), Value: aws.String("Alice")}}}); err != nil {
		t.Fatal(err)
	}
	got, _ = c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("alice")})
	if attrValue(got.UserAttributes, "email") != "alice@new.example" || attrValue(got.UserAttributes, "email_verified") != "false" || attrValue(got.UserAttributes, "name") != "Alice" {
		t.Errorf("after AdminUpdateUserAttributes: %+v", got.UserAttributes)
	}

	for i := range 5 {
		if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String(fmt.Sprint("user", i)), MessageAction: types.MessageActionTypeSuppress,
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(fmt.Sprintf("u%d@corp.example", i))}}}); err != nil {
			t.Fatal(err)
		}
	}
	desc, _ := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: pool})
	if desc.UserPool.EstimatedNumberOfUsers != 6 {
		t.Errorf("EstimatedNumberOfUsers = %d, want 6", desc.UserPool.EstimatedNumberOfUsers)
	}
	count := func(filter string, limit int32) (n int, pages int) {
		var token *string
		for {
			l, err := c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: pool, Filter: aws.String(filter), Limit: aws.Int32(limit), PaginationToken: token})
			if err != nil {
				t.Fatalf("ListUsers %q: %v", filter, err)
			}
			n += len(l.Users)
			pages++
			if l.PaginationToken == nil {
				return n, pages
			}
			token = l.PaginationToken
		}
	}
	for filter, want := range map[string]int{"": 6, `email ^= "u"`: 5, `email = "u3@corp.example"`: 1, `username = "alice"`: 1,
		`cognito:user_status = "CONFIRMED"`: 1, `cognito:user_status = "confirmed"`: 1, `status = "Enabled"`: 6, `name = "Nobody"`: 0} {
		if n, _ := count(filter, 60); n != want {
			t.Errorf("ListUsers filter %q: %d users, want %d", filter, n, want)
		}
	}
	if n, pages := count(`email ^= "u"`, 2); n != 5 || pages != 3 {
		t.Errorf("filtered pages of 2: %d users in %d pages, want 5 in 3", n, pages)
	}
	_, err = c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: pool, Filter: aws.String(`shoe_size = "42"`)})
	wantAPIError(t, err, "InvalidParameterException", "Error while parsing filter.")

	if _, err := c.AdminDeleteUser(ctx, &cip.AdminDeleteUserInput{UserPoolId: pool, Username: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.AdminDeleteUser(ctx, &cip.AdminDeleteUserInput{UserPoolId: pool, Username: aws.String("alice")})
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
}

// TestEmailUsernames: in a pool that signs in with email, the username is
// the user's sub and lookups accept the address in any case.
func TestEmailUsernames(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	ctx := context.Background()
	c := ts.client("us-east-1")
	p, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("email"), UsernameAttributes: []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}})
	if err != nil {
		t.Fatal(err)
	}
	pool := p.UserPool.Id
	out, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("Carol@Example.com"), MessageAction: types.MessageActionTypeSuppress})
	if err != nil {
		t.Fatal(err)
	}
	sub := attrValue(out.User.Attributes, "sub")
	if aws.ToString(out.User.Username) != sub || attrValue(out.User.Attributes, "email") != "Carol@Example.com" {
		t.Errorf("email-username user: %+v", out.User)
	}
	for _, name := range []string{"carol@example.com", "CAROL@EXAMPLE.COM", sub} {
		if _, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String(name)}); err != nil {
			t.Errorf("AdminGetUser(%q): %v", name, err)
		}
	}
	_, err = c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("not-an-email")})
	wantAPIError(t, err, "InvalidParameterException", "Username should be an email.")
	_, err = c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("carol@EXAMPLE.com"), MessageAction: types.MessageActionTypeSuppress})
	wantAPIError(t, err, "UsernameExistsException", "")
}
