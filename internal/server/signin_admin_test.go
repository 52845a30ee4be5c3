package server

import (
	"context"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/cognito"
)

func (p *srpPool) adminAuth(clientID string, flow types.AuthFlowType, params map[string]string) (*cip.AdminInitiateAuthOutput, error) {
	return p.c.AdminInitiateAuth(context.Background(), &cip.AdminInitiateAuthInput{UserPoolId: aws.String(p.poolID), ClientId: aws.String(clientID),
		AuthFlow: flow, AuthParameters: params})
}

func TestAdminInitiateAuth(t *testing.T) {
	p := newSRPPool(t, nil)
	ctx := context.Background()
	p.addUser(t, "alice", "Correct-horse-1")
	pw := map[string]string{"USERNAME": "alice", "PASSWORD": "Correct-horse-1"}

	for _, flow := range []types.AuthFlowType{types.AuthFlowTypeAdminUserPasswordAuth, types.AuthFlowTypeAdminNoSrpAuth} {
		out, err := p.adminAuth(p.public, flow, pw)
		if err != nil {
			t.Fatalf("%s: %v", flow, err)
		}
		if out.AuthenticationResult == nil || jwtClaims(t, *out.AuthenticationResult.IdToken)["cognito:username"] != "alice" {
			t.Fatalf("%s: %+v", flow, out)
		}
	}
	// The legacy name enables the flow too.
	legacy, err := p.c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(p.poolID), ClientName: aws.String("legacy"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAdminNoSrpAuth}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := p.adminAuth(*legacy.UserPoolClient.ClientId, types.AuthFlowTypeAdminUserPasswordAuth, pw)
	if err != nil {
		t.Fatal(err)
	}
	// Refresh, under both names, through the admin operation.
	for _, flow := range []types.AuthFlowType{types.AuthFlowTypeRefreshTokenAuth, types.AuthFlowTypeRefreshToken} {
		r, err := p.adminAuth(*legacy.UserPoolClient.ClientId, flow, map[string]string{"REFRESH_TOKEN": *out.AuthenticationResult.RefreshToken})
		if err != nil || r.AuthenticationResult == nil || r.AuthenticationResult.AccessToken == nil {
			t.Fatalf("%s: %v", flow, err)
		}
	}

	// Refusals.
	_, err = p.adminAuth(p.defaults, types.AuthFlowTypeAdminUserPasswordAuth, pw)
	wantAPIError(t, err, "InvalidParameterException", "Auth flow not enabled for this client")
	_, err = p.adminAuth(p.public, types.AuthFlowTypeUserPasswordAuth, pw)
	wantAPIError(t, err, "InvalidParameterException", "Initiate Auth method not supported.")
	_, err = p.c.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth, ClientId: aws.String(p.public), AuthParameters: pw})
	wantAPIError(t, err, "InvalidParameterException", "Initiate Auth method not supported.")
	// CUSTOM_AUTH needs ALLOW_CUSTOM_AUTH (and a define auth challenge
	// trigger: TestTriggerCustomAuth).
	_, err = p.adminAuth(p.public, types.AuthFlowTypeCustomAuth, pw)
	wantAPIError(t, err, "InvalidParameterException", "Auth flow not enabled for this client")
	_, err = p.adminAuth(p.public, types.AuthFlowTypeAdminUserPasswordAuth, map[string]string{"USERNAME": "alice"})
	wantAPIError(t, err, "InvalidParameterException", "Missing required parameter USERNAME or PASSWORD")
	_, err = p.adminAuth(p.public, types.AuthFlowTypeAdminUserPasswordAuth, map[string]string{"USERNAME": "alice", "PASSWORD": "Wrong-horse-1"})
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	_, err = p.adminAuth(p.public, types.AuthFlowTypeAdminUserPasswordAuth, map[string]string{"USERNAME": "nobody", "PASSWORD": "Wrong-horse-1"})
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
	_, err = p.adminAuth(p.hidden, types.AuthFlowTypeAdminUserPasswordAuth, map[string]string{"USERNAME": "nobody", "PASSWORD": "Wrong-horse-1"})
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	_, err = p.adminAuth(p.secretID, types.AuthFlowTypeAdminUserPasswordAuth, pw)
	wantAPIError(t, err, "NotAuthorizedException", "Client "+p.secretID+" is configured with secret but SECRET_HASH was not received")
	withHash := clone(pw)
	withHash["SECRET_HASH"] = secretHash(p.secret, "alice", p.secretID)
	if _, err := p.adminAuth(p.secretID, types.AuthFlowTypeAdminUserPasswordAuth, withHash); err != nil {
		t.Fatal(err)
	}

	// The client must belong to the pool, the pool to the caller's region.
	other := createPool(t, p.c, "other")
	oc, err := p.c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(other), ClientName: aws.String("x"),
		ExplicitAuthFlows: allSignInFlows})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.adminAuth(*oc.UserPoolClient.ClientId, types.AuthFlowTypeAdminUserPasswordAuth, pw)
	wantAPIError(t, err, "ResourceNotFoundException", "User pool client "+*oc.UserPoolClient.ClientId+" does not exist.")
	_, err = p.c.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{UserPoolId: aws.String("us-east-1_nothere00"), ClientId: aws.String(p.public),
		AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth, AuthParameters: pw})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool us-east-1_nothere00 does not exist.")
	_, err = p.ts.client("eu-west-1").AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{UserPoolId: aws.String(p.poolID), ClientId: aws.String(p.public),
		AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth, AuthParameters: pw})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool "+p.poolID+" does not exist.")

	// Unsigned, the admin operations are refused.
	req, _ := http.NewRequest(http.MethodPost, p.ts.URL+"/", nil)
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.AdminInitiateAuth")
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	if r := do(t, req); r.Body["__type"] != "MissingAuthenticationTokenException" {
		t.Fatalf("unsigned AdminInitiateAuth: %s", r.Raw)
	}
	req, _ = http.NewRequest(http.MethodPost, p.ts.URL+"/", nil)
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.AdminRespondToAuthChallenge")
	if r := do(t, req); r.Body["__type"] != "MissingAuthenticationTokenException" {
		t.Fatalf("unsigned AdminRespondToAuthChallenge: %s", r.Raw)
	}
}

// TestAdminAuthUserStates: unconfirmed users, RESET_REQUIRED, disabled,
// and NEW_PASSWORD_REQUIRED through AdminRespondToAuthChallenge.
func TestAdminAuthUserStates(t *testing.T) {
	p := newSRPPool(t, nil)
	ctx := context.Background()
	if _, err := p.c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(p.public), Username: aws.String("newbie"), Password: aws.String("Correct-horse-1")}); err != nil {
		t.Fatal(err)
	}
	_, err := p.adminAuth(p.public, types.AuthFlowTypeAdminUserPasswordAuth, map[string]string{"USERNAME": "newbie", "PASSWORD": "Correct-horse-1"})
	wantAPIError(t, err, "UserNotConfirmedException", "User is not confirmed.")

	p.addUser(t, "reset", "Correct-horse-1")
	if err := p.ts.svc.Store().Update(ctx, func(tx cognito.Tx) error {
		u, err := tx.GetUser(ctx, p.poolID, "reset")
		if err != nil {
			return err
		}
		u.Status = cognito.StatusResetRequired
		return tx.UpdateUser(ctx, u)
	}); err != nil {
		t.Fatal(err)
	}
	_, err = p.adminAuth(p.public, types.AuthFlowTypeAdminUserPasswordAuth, map[string]string{"USERNAME": "reset", "PASSWORD": "Correct-horse-1"})
	wantAPIError(t, err, "PasswordResetRequiredException", "Password reset required for the user")
	_, err = p.srpSignIn(t, p.public, "reset", "Correct-horse-1")
	wantAPIError(t, err, "PasswordResetRequiredException", "Password reset required for the user")
	// A wrong password does not reveal the reset.
	_, err = p.adminAuth(p.public, types.AuthFlowTypeAdminUserPasswordAuth, map[string]string{"USERNAME": "reset", "PASSWORD": "Wrong-horse-1"})
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")

	p.addTempUser(t, "bob", "Temp-pass-1")
	out, err := p.adminAuth(p.public, types.AuthFlowTypeAdminUserPasswordAuth, map[string]string{"USERNAME": "bob", "PASSWORD": "Temp-pass-1"})
	if err != nil || out.ChallengeName != types.ChallengeNameTypeNewPasswordRequired {
		t.Fatalf("%+v %v", out, err)
	}
	_, err = p.c.AdminRespondToAuthChallenge(ctx, &cip.AdminRespondToAuthChallengeInput{UserPoolId: aws.String(p.poolID), ClientId: aws.String(p.defaults),
		ChallengeName: types.ChallengeNameTypeNewPasswordRequired, Session: out.Session,
		ChallengeResponses: map[string]string{"USERNAME": "bob", "NEW_PASSWORD": "Brand-new-pass-2"}})
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.") // another client's session
	done, err := p.c.AdminRespondToAuthChallenge(ctx, &cip.AdminRespondToAuthChallengeInput{UserPoolId: aws.String(p.poolID), ClientId: aws.String(p.public),
		ChallengeName: types.ChallengeNameTypeNewPasswordRequired, Session: out.Session,
		ChallengeResponses: map[string]string{"USERNAME": "bob", "NEW_PASSWORD": "Brand-new-pass-2"}})
	if err != nil || done.AuthenticationResult == nil {
		t.Fatalf("%+v %v", done, err)
	}
	_, err = p.c.AdminRespondToAuthChallenge(ctx, &cip.AdminRespondToAuthChallengeInput{UserPoolId: aws.String(p.poolID), ClientId: aws.String(p.public),
		ChallengeName: types.ChallengeNameTypeDeviceSrpAuth, ChallengeResponses: map[string]string{"USERNAME": "bob"}})
	wantAPIError(t, err, "InvalidParameterException", "Challenge DEVICE_SRP_AUTH is not supported by cognitod.")
}

// TestAdminSRP: USER_SRP_AUTH through AdminInitiateAuth and
// AdminRespondToAuthChallenge.
func TestAdminSRP(t *testing.T) {
	p := newSRPPool(t, nil)
	ctx := context.Background()
	p.addUser(t, "alice", "Correct-horse-1")
	c := newSRPClient(p.poolID)
	out, err := p.adminAuth(p.public, types.AuthFlowTypeUserSrpAuth, map[string]string{"USERNAME": "alice", "SRP_A": c.srpA()})
	if err != nil || out.ChallengeName != types.ChallengeNameTypePasswordVerifier {
		t.Fatalf("%+v %v", out, err)
	}
	r := c.answer(t, out.ChallengeParameters, "Correct-horse-1", srpNow())
	res, err := p.c.AdminRespondToAuthChallenge(ctx, &cip.AdminRespondToAuthChallengeInput{UserPoolId: aws.String(p.poolID), ClientId: aws.String(p.public),
		ChallengeName: types.ChallengeNameTypePasswordVerifier, ChallengeResponses: r})
	if err != nil || res.AuthenticationResult == nil {
		t.Fatalf("%+v %v", res, err)
	}
	_, err = p.adminAuth(p.public, types.AuthFlowTypeUserSrpAuth, map[string]string{"USERNAME": "nobody", "SRP_A": c.srpA()})
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
	_, err = p.adminAuth(p.public, types.AuthFlowTypeUserSrpAuth, map[string]string{"USERNAME": "alice"})
	wantAPIError(t, err, "InvalidParameterException", "Missing required parameter SRP_A")

	// USER_AUTH through the admin operations: SELECT_CHALLENGE, then
	// ANSWER=PASSWORD.
	sel, err := p.adminAuth(p.public, types.AuthFlowTypeUserAuth, map[string]string{"USERNAME": "alice"})
	if err != nil || sel.ChallengeName != types.ChallengeNameTypeSelectChallenge || len(sel.AvailableChallenges) != 2 {
		t.Fatalf("%+v %v", sel, err)
	}
	res, err = p.c.AdminRespondToAuthChallenge(ctx, &cip.AdminRespondToAuthChallengeInput{UserPoolId: aws.String(p.poolID), ClientId: aws.String(p.public),
		ChallengeName: types.ChallengeNameTypeSelectChallenge, Session: sel.Session,
		ChallengeResponses: map[string]string{"USERNAME": "alice", "ANSWER": "PASSWORD", "PASSWORD": "Correct-horse-1"}})
	if err != nil || res.AuthenticationResult == nil {
		t.Fatalf("%+v %v", res, err)
	}
	_, err = p.adminAuth(p.defaults, types.AuthFlowTypeUserAuth, map[string]string{"USERNAME": "alice"})
	wantAPIError(t, err, "InvalidParameterException", "USER_AUTH flow not enabled for this client")
	_, err = p.adminAuth(p.public, types.AuthFlowTypeRefreshTokenAuth, map[string]string{"REFRESH_TOKEN": "not-a-token"})
	wantAPIError(t, err, "NotAuthorizedException", "Invalid Refresh Token.")
}
