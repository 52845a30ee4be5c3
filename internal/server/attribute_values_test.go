package server

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/cognito"
)

func attrs(kv ...string) []types.AttributeType {
	var out []types.AttributeType
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, types.AttributeType{Name: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return out
}

func userAttr(list []types.AttributeType, name string) (string, bool) {
	for _, a := range list {
		if aws.ToString(a.Name) == name {
			return aws.ToString(a.Value), true
		}
	}
	return "", false
}

// schemaUserPool is schemaPool with a public client that signs in with
// passwords.
type schemaUserPool struct {
	ts       *testServer
	c        *cip.Client
	poolID   string
	clientID string
}

func newSchemaUserPool(t *testing.T, ts *testServer, extra func(*cip.CreateUserPoolInput), client func(*cip.CreateUserPoolClientInput)) *schemaUserPool {
	t.Helper()
	c := ts.client("us-east-1")
	poolID := schemaPool(t, c, extra)
	in := &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("app"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}}
	if client != nil {
		client(in)
	}
	out, err := c.CreateUserPoolClient(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return &schemaUserPool{ts: ts, c: c, poolID: poolID, clientID: *out.UserPoolClient.ClientId}
}

func (p *schemaUserPool) adminCreate(name string, a []types.AttributeType) error {
	_, err := p.c.AdminCreateUser(context.Background(), &cip.AdminCreateUserInput{UserPoolId: aws.String(p.poolID), Username: aws.String(name),
		TemporaryPassword: aws.String("Temp-pass-1"), MessageAction: types.MessageActionTypeSuppress, UserAttributes: a})
	return err
}

func (p *schemaUserPool) adminUpdate(name string, a []types.AttributeType) error {
	_, err := p.c.AdminUpdateUserAttributes(context.Background(), &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(p.poolID),
		Username: aws.String(name), UserAttributes: a})
	return err
}

func (p *schemaUserPool) adminGet(t *testing.T, name string) []types.AttributeType {
	t.Helper()
	out, err := p.c.AdminGetUser(context.Background(), &cip.AdminGetUserInput{UserPoolId: aws.String(p.poolID), Username: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	return out.UserAttributes
}

// signedIn creates a confirmed user with a permanent password and signs
// them in through the pool's client.
func (p *schemaUserPool) signedIn(t *testing.T, name string, a []types.AttributeType) *types.AuthenticationResultType {
	t.Helper()
	ctx := context.Background()
	if err := p.adminCreate(name, a); err != nil {
		t.Fatal(err)
	}
	if _, err := p.c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(p.poolID), Username: aws.String(name),
		Password: aws.String("Perm-pass-22"), Permanent: true}); err != nil {
		t.Fatal(err)
	}
	out, err := p.c.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(p.clientID),
		AuthParameters: map[string]string{"USERNAME": name, "PASSWORD": "Perm-pass-22"}})
	if err != nil {
		t.Fatal(err)
	}
	return out.AuthenticationResult
}

const nonConforming = "Attributes did not conform to the schema: "

func TestAttributeValuesAtCreation(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	p := newSchemaUserPool(t, ts, nil, nil)
	ctx := context.Background()
	cases := []struct {
		name    string
		attrs   []types.AttributeType
		message string
	}{
		{"unknown", attrs("custom:nope", "x"), nonConforming + "custom:nope: Attribute does not exist in the schema.\n"},
		{"unprefixed custom", attrs("tier", "gold"), nonConforming + "tier: Attribute does not exist in the schema.\n"},
		{"developer-only without dev:", attrs("custom:secret", "s"), nonConforming + "custom:secret: Attribute does not exist in the schema.\n"},
		{"not a number", attrs("custom:age", "old"), nonConforming + "custom:age: Number attribute value is not a valid number.\n"},
		{"number too large", attrs("custom:age", "151"), nonConforming + "custom:age: Number must be no larger than 150\n"},
		{"number too small", attrs("custom:age", "-1"), nonConforming + "custom:age: Number must be no smaller than 0\n"},
		{"string too long", attrs("custom:tier", "platinum+"), nonConforming + "custom:tier: String must be no longer than 8 characters\n"},
		{"standard string too short", attrs("email", "a@b"), nonConforming + "email: String must be at least 5 characters\n"},
		{"not a boolean", attrs("custom:vip", "yes"), nonConforming + "custom:vip: Boolean attribute value must be true or false.\n"},
		{"not a date", attrs("custom:joined", "yesterday"), nonConforming + "custom:joined: DateTime attribute value is not a valid date.\n"},
		{"verified flag not a boolean", attrs("email_verified", "1"), nonConforming + "email_verified: Boolean attribute value must be true or false.\n"},
		{"every problem at once", attrs("custom:age", "x", "custom:nope", "1"),
			nonConforming + "custom:age: Number attribute value is not a valid number.\ncustom:nope: Attribute does not exist in the schema.\n"},
		{"email format", attrs("email", "not-an-address"), "Invalid email address format."},
		{"phone format", attrs("email", "pat@example.com", "phone_number", "555-1234"), "Invalid phone number format."},
		{"phone without plus", attrs("phone_number", "14155550100"), "Invalid phone number format."},
		{"sub", attrs("sub", "mine"), "Cannot modify the non-mutable attribute sub"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantAPIError(t, p.adminCreate("pat", tc.attrs), "InvalidParameterException", tc.message)
		})
	}
	// An administrator may set developer-only attributes and, at creation,
	// immutable ones; AdminCreateUser does not insist on required ones
	// (NEW_PASSWORD_REQUIRED asks for them).
	if err := p.adminCreate("pat", attrs("dev:custom:secret", "s3", "custom:joined", "2024-05-01T10:00:00Z", "custom:age", "42",
		"custom:vip", "true", "phone_number", "+14155550100")); err != nil {
		t.Fatal(err)
	}
	got := p.adminGet(t, "pat")
	if v, _ := userAttr(got, "dev:custom:secret"); v != "s3" {
		t.Errorf("dev:custom:secret: %q", v)
	}
	if v, _ := userAttr(got, "custom:age"); v != "42" {
		t.Errorf("custom:age: %q", v)
	}

	// SignUp insists on the required attributes and refuses what the
	// client may not write: developer-only attributes and verified flags.
	signUp := func(a []types.AttributeType) error {
		_, err := p.c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(p.clientID), Username: aws.String("sam"), Password: aws.String("Perm-pass-22"), UserAttributes: a})
		return err
	}
	wantAPIError(t, signUp(attrs("name", "Sam")), "InvalidParameterException", nonConforming+"email: The attribute is required\n")
	wantAPIError(t, signUp(attrs("email", "sam@example.com", "dev:custom:secret", "x")), "NotAuthorizedException", "A client attempted to write unauthorized attribute")
	wantAPIError(t, signUp(attrs("email", "sam@example.com", "email_verified", "true")), "NotAuthorizedException", "A client attempted to write unauthorized attribute")
	wantAPIError(t, signUp(attrs("email", "sam@example.com", "custom:age", "1000")), "InvalidParameterException", nonConforming+"custom:age: Number must be no larger than 150\n")
	wantAPIError(t, signUp(attrs("email", "sam")), "InvalidParameterException", nonConforming+"email: String must be at least 5 characters\n")
	wantAPIError(t, signUp(attrs("email", "sam@example")), "InvalidParameterException", "Invalid email address format.")
	if err := signUp(attrs("email", "sam@example.com", "custom:tier", "gold", "custom:joined", "2024-05-01T10:00:00Z")); err != nil {
		t.Fatal(err)
	}
	if v, _ := userAttr(p.adminGet(t, "sam"), "custom:tier"); v != "gold" {
		t.Errorf("custom:tier after sign-up: %q", v)
	}
}

func TestAttributeValuesOnUpdate(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	p := newSchemaUserPool(t, ts, nil, nil)
	if err := p.adminCreate("kim", attrs("email", "kim@example.com", "custom:joined", "2024-05-01T10:00:00Z", "custom:tier", "gold")); err != nil {
		t.Fatal(err)
	}
	wantAPIError(t, p.adminUpdate("kim", attrs("custom:joined", "2025-01-01T00:00:00Z")), "InvalidParameterException",
		"user.custom:joined: Attribute cannot be updated.\n")
	wantAPIError(t, p.adminUpdate("kim", attrs("custom:nope", "1", "custom:age", "x")), "InvalidParameterException",
		"user.custom:nope: Attribute does not exist in the schema.\nuser.custom:age: Number attribute value is not a valid number.\n")
	wantAPIError(t, p.adminUpdate("kim", attrs("sub", "other")), "InvalidParameterException", "user.sub: Attribute cannot be updated.\n")
	wantAPIError(t, p.adminUpdate("kim", attrs("email", "")), "InvalidParameterException",
		"Invalid user attributes: email: Required attribute cannot be deleted.")
	wantAPIError(t, p.adminUpdate("kim", attrs("phone_number", "+0123")), "InvalidParameterException", "Invalid phone number format.")
	// Unchanged immutable values are no change; an empty value deletes.
	if err := p.adminUpdate("kim", attrs("custom:joined", "2024-05-01T10:00:00Z", "custom:tier", "", "dev:custom:secret", "admin-only")); err != nil {
		t.Fatal(err)
	}
	got := p.adminGet(t, "kim")
	if _, ok := userAttr(got, "custom:tier"); ok {
		t.Error("custom:tier was not deleted by an empty value")
	}
	if v, _ := userAttr(got, "dev:custom:secret"); v != "admin-only" {
		t.Errorf("dev:custom:secret: %q", v)
	}
}

func TestListUsersAttributesToGet(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	p := newSchemaUserPool(t, ts, nil, nil)
	ctx := context.Background()
	for _, n := range []string{"ann", "bob"} {
		if err := p.adminCreate(n, attrs("email", n+"@example.com", "custom:tier", "gold-"+n[:1], "name", strings.ToUpper(n))); err != nil {
			t.Fatal(err)
		}
	}
	out, err := p.c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: aws.String(p.poolID), AttributesToGet: []string{"custom:tier", "sub"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Users) != 2 {
		t.Fatalf("users: %d", len(out.Users))
	}
	for _, u := range out.Users {
		if len(u.Attributes) != 2 {
			t.Errorf("%s: got %d attributes, want custom:tier and sub: %v", aws.ToString(u.Username), len(u.Attributes), u.Attributes)
		}
		if v, _ := userAttr(u.Attributes, "custom:tier"); !strings.HasPrefix(v, "gold-") {
			t.Errorf("custom:tier: %q", v)
		}
		if _, ok := userAttr(u.Attributes, "sub"); !ok {
			t.Error("sub was asked for and is missing")
		}
	}
	_, err = p.c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: aws.String(p.poolID), AttributesToGet: []string{"custom:nope"}})
	wantAPIError(t, err, "InvalidParameterException", "Invalid attributes to get: custom:nope")
	// Cognito filters on standard attributes only: custom ones are refused.
	_, err = p.c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: aws.String(p.poolID), Filter: aws.String(`custom:tier = "gold-a"`)})
	wantAPIError(t, err, "InvalidParameterException", "Error while parsing filter.")
	out, err = p.c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: aws.String(p.poolID), Filter: aws.String(`name = "BOB"`), AttributesToGet: []string{"email"}})
	if err != nil || len(out.Users) != 1 || len(out.Users[0].Attributes) != 1 {
		t.Fatalf("filter with AttributesToGet: %+v %v", out, err)
	}
}

// TestSignUpEmailUsernameSuppliesEmail: in a pool that signs in with email,
// the username is the email, so a required email is given.
func TestSignUpEmailUsernameSuppliesEmail(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	ctx := context.Background()
	p := newSchemaUserPool(t, ts, func(in *cip.CreateUserPoolInput) {
		in.UsernameAttributes = []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}
		in.Schema = append(in.Schema, types.SchemaAttributeType{Name: aws.String("given_name"), Required: aws.Bool(true)})
	}, nil)
	_, err := p.c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(p.clientID), Username: aws.String("eve@example.com"), Password: aws.String("Perm-pass-22")})
	wantAPIError(t, err, "InvalidParameterException", nonConforming+"given_name: The attribute is required\n")
	out, err := p.c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(p.clientID), Username: aws.String("eve@example.com"), Password: aws.String("Perm-pass-22"),
		UserAttributes: attrs("given_name", "Eve")})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := userAttr(p.adminGet(t, aws.ToString(out.UserSub)), "email"); v != "eve@example.com" {
		t.Errorf("email: %q", v)
	}
}
