package server

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// NEW_PASSWORD_REQUIRED's userAttributes show only what the app client
// may read (ReadAttributes), as the tokens and GetUser do: the challenge
// comes before any token, and it used to list every attribute of the
// user to any client that knew the temporary password.
func TestNewPasswordChallengeHonoursReadAttributes(t *testing.T) {
	ts := newMessagingServer(t, nil, nil)
	ctx := context.Background()
	c := ts.client("us-east-1")
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("reads"),
		Schema: []types.SchemaAttributeType{{Name: aws.String("role"), AttributeDataType: types.AttributeDataTypeString}}})
	if err != nil {
		t.Fatal(err)
	}
	client, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: pool.UserPool.Id, ClientName: aws.String("web"),
		ReadAttributes:    []string{"email", "name"},
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool.UserPool.Id, Username: aws.String("tom"),
		TemporaryPassword: aws.String("Temp-pass-123"), MessageAction: types.MessageActionTypeSuppress,
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("tom@example.com")},
			{Name: aws.String("name"), Value: aws.String("Tom")}, {Name: aws.String("custom:role"), Value: aws.String("admin")},
			{Name: aws.String("family_name"), Value: aws.String("Secret")}}}); err != nil {
		t.Fatal(err)
	}
	out, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: client.UserPoolClient.ClientId, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "tom", "PASSWORD": "Temp-pass-123"}})
	if err != nil {
		t.Fatal(err)
	}
	if out.ChallengeName != types.ChallengeNameTypeNewPasswordRequired {
		t.Fatalf("challenge %q", out.ChallengeName)
	}
	var shown map[string]string
	if err := json.Unmarshal([]byte(out.ChallengeParameters["userAttributes"]), &shown); err != nil {
		t.Fatal(err)
	}
	if shown["email"] != "tom@example.com" || shown["name"] != "Tom" {
		t.Errorf("readable attributes missing: %v", shown)
	}
	for _, hidden := range []string{"custom:role", "family_name"} {
		if _, ok := shown[hidden]; ok {
			t.Errorf("%s shown to a client that may not read it: %v", hidden, shown)
		}
	}
}
