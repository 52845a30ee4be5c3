package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// signedWith builds a request to operation signed with the given key (the
// SDK sends the public operations unsigned; this signs them anyway).
func signedWith(t *testing.T, ts *testServer, keyID, secret, operation, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, ts.URL+"/", bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+operation)
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: keyID, SecretAccessKey: secret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "cognito-idp", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	return req
}

// TestIAMUnsignedOperationsNotAuthorized: the public operations (SignUp,
// InitiateAuth, ...) are not authorized by IAM, even when a client signs
// them with a key whose policy allows nothing; the same key is refused a
// signed operation.
func TestIAMUnsignedOperationsNotAuthorized(t *testing.T) {
	f := newIAMFixture(t)
	ctx := context.Background()
	id, secret, err := f.ts.svc.CreateAccessKey(ctx, "nothing", "")
	if err != nil {
		t.Fatal(err)
	}
	client, err := f.root.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &f.poolA, ClientName: aws.String("app"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	clientID := *client.UserPoolClient.ClientId

	r := do(t, signedWith(t, f.ts, id, secret, "SignUp", `{"ClientId":"`+clientID+`","Username":"ana","Password":"Passw0rd!long"}`))
	if r.Status != 200 {
		t.Fatalf("signed SignUp with a no-policy key: HTTP %d %s, want 200", r.Status, r.Raw)
	}
	if _, err := f.root.AdminConfirmSignUp(ctx, &cip.AdminConfirmSignUpInput{UserPoolId: &f.poolA, Username: aws.String("ana")}); err != nil {
		t.Fatal(err)
	}
	r = do(t, signedWith(t, f.ts, id, secret, "InitiateAuth", `{"ClientId":"`+clientID+`","AuthFlow":"USER_PASSWORD_AUTH","AuthParameters":{"USERNAME":"ana","PASSWORD":"Passw0rd!long"}}`))
	if r.Status != 200 || r.Body["AuthenticationResult"] == nil {
		t.Fatalf("signed InitiateAuth with a no-policy key: HTTP %d %s, want tokens", r.Status, r.Raw)
	}

	r = do(t, signedWith(t, f.ts, id, secret, "AdminGetUser", `{"UserPoolId":"`+f.poolA+`","Username":"ana"}`))
	if r.Status != 400 || r.Body["__type"] != "AccessDeniedException" || r.Body["message"] != denied("nothing", "AdminGetUser", f.arn(f.poolA)) {
		t.Fatalf("signed AdminGetUser with a no-policy key: HTTP %d %s, want AccessDeniedException", r.Status, r.Raw)
	}
}
