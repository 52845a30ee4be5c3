package server

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/verify"
)

type userPool struct {
	ts       *testServer
	c        *cip.Client
	poolID   string
	clientID string // public client with USER_PASSWORD_AUTH
	secretID string // client with a secret
	secret   string
}

func newUserPool(t *testing.T, prevent string) *userPool {
	t.Helper()
	ts := newTestServer(t, cognito.Limits{})
	ctx := context.Background()
	c := ts.client("us-east-1")
	// The pool verifies email addresses, so that SignUp sends a code.
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("people"), AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}})
	if err != nil {
		t.Fatal(err)
	}
	poolID := *pool.UserPool.Id
	flows := []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}
	pub, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("web"),
		ExplicitAuthFlows: flows, PreventUserExistenceErrors: types.PreventUserExistenceErrorTypes(prevent)})
	if err != nil {
		t.Fatal(err)
	}
	sec, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("backend"),
		GenerateSecret: true, ExplicitAuthFlows: flows})
	if err != nil {
		t.Fatal(err)
	}
	return &userPool{ts: ts, c: c, poolID: poolID, clientID: *pub.UserPoolClient.ClientId, secretID: *sec.UserPoolClient.ClientId, secret: *sec.UserPoolClient.ClientSecret}
}

func (p *userPool) createUser(t *testing.T, name, tempPassword string) {
	t.Helper()
	_, err := p.c.AdminCreateUser(context.Background(), &cip.AdminCreateUserInput{UserPoolId: aws.String(p.poolID), Username: aws.String(name),
		TemporaryPassword: aws.String(tempPassword), MessageAction: types.MessageActionTypeSuppress,
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(name + "@example.com")}, {Name: aws.String("email_verified"), Value: aws.String("true")}}})
	if err != nil {
		t.Fatal(err)
	}
}

func (p *userPool) signIn(clientID, name, password string, extra map[string]string) (*cip.InitiateAuthOutput, error) {
	params := map[string]string{"USERNAME": name, "PASSWORD": password}
	for k, v := range extra {
		params[k] = v
	}
	return p.c.InitiateAuth(context.Background(), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(clientID), AuthParameters: params})
}

func secretHash(secret, username, clientID string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(username + clientID))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// signedInUser creates alice, answers NEW_PASSWORD_REQUIRED, and returns
// her tokens.
func signedInUser(t *testing.T, p *userPool) *types.AuthenticationResultType {
	t.Helper()
	ctx := context.Background()
	p.createUser(t, "alice", "Temp-pass-1")
	out, err := p.signIn(p.clientID, "alice", "Temp-pass-1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if out.ChallengeName != types.ChallengeNameTypeNewPasswordRequired || out.Session == nil || out.ChallengeParameters["USER_ID_FOR_SRP"] != "alice" {
		t.Fatalf("first sign-in: %+v", out)
	}
	_, err = p.c.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: aws.String(p.clientID), ChallengeName: types.ChallengeNameTypeNewPasswordRequired,
		Session: out.Session, ChallengeResponses: map[string]string{"USERNAME": "alice", "NEW_PASSWORD": "weak"}})
	wantAPIError(t, err, "InvalidPasswordException", "Password does not conform to policy: Password not long enough")
	res, err := p.c.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: aws.String(p.clientID), ChallengeName: types.ChallengeNameTypeNewPasswordRequired,
		Session: out.Session, ChallengeResponses: map[string]string{"USERNAME": "alice", "NEW_PASSWORD": "New-pass-22", "userAttributes.name": "Alice"}})
	if err != nil {
		t.Fatal(err)
	}
	// The session is spent.
	_, err = p.c.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: aws.String(p.clientID), ChallengeName: types.ChallengeNameTypeNewPasswordRequired,
		Session: out.Session, ChallengeResponses: map[string]string{"USERNAME": "alice", "NEW_PASSWORD": "Other-pass-33"}})
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	return res.AuthenticationResult
}

func TestUserSignInFlow(t *testing.T) {
	p := newUserPool(t, "")
	ctx := context.Background()
	tokens := signedInUser(t, p)
	if aws.ToString(tokens.RefreshToken) == "" || aws.ToString(tokens.IdToken) == "" || tokens.ExpiresIn != 3600 || aws.ToString(tokens.TokenType) != "Bearer" {
		t.Fatalf("tokens: %+v", tokens)
	}
	issuer := p.ts.URL + "/" + p.poolID
	access := &verify.Verifier{Algorithm: verify.RS256, Issuer: issuer, TokenUse: verify.AccessToken, ClientIDs: []string{p.clientID}}
	ac, err := access.Verify(ctx, aws.ToString(tokens.AccessToken))
	if err != nil {
		t.Fatalf("access token: %v", err)
	}
	if ac.Username != "alice" || !ac.HasScope(cognito.ScopeAdmin) || ac.OriginJTI == "" || ac.ClientID != p.clientID {
		t.Errorf("access claims: %+v", ac)
	}
	id := &verify.Verifier{Algorithm: verify.RS256, Issuer: issuer, TokenUse: verify.IDToken, ClientIDs: []string{p.clientID}}
	ic, err := id.Verify(ctx, aws.ToString(tokens.IdToken))
	if err != nil {
		t.Fatalf("ID token: %v", err)
	}
	cu, _ := ic.GetString("cognito:username")
	name, _ := ic.GetString("name")
	if ic.Email != "alice@example.com" || !ic.EmailVerified || ic.Subject != ac.Subject || cu != "alice" || name != "Alice" {
		t.Errorf("ID claims: %+v", ic)
	}

	me, err := p.c.GetUser(ctx, &cip.GetUserInput{AccessToken: tokens.AccessToken})
	if err != nil || aws.ToString(me.Username) != "alice" || attrValue(me.UserAttributes, "name") != "Alice" {
		t.Fatalf("GetUser = %+v, %v", me, err)
	}

	refreshed, err := p.c.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(p.clientID),
		AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(tokens.RefreshToken)}})
	if err != nil {
		t.Fatal(err)
	}
	r := refreshed.AuthenticationResult
	if r.RefreshToken != nil || aws.ToString(r.AccessToken) == "" || aws.ToString(r.IdToken) == "" {
		t.Errorf("refresh result: %+v", r)
	}
	rc, err := access.Verify(ctx, aws.ToString(r.AccessToken))
	if err != nil || rc.OriginJTI != ac.OriginJTI || !rc.AuthTime.Equal(ac.AuthTime) {
		t.Errorf("refreshed access token: %+v, %v", rc, err)
	}

	// Sign in again with the permanent password.
	if out, err := p.signIn(p.clientID, "alice", "New-pass-22", nil); err != nil || out.AuthenticationResult == nil {
		t.Fatalf("sign in: %+v, %v", out, err)
	}

	// GlobalSignOut revokes everything issued so far.
	if _, err := p.c.GlobalSignOut(ctx, &cip.GlobalSignOutInput{AccessToken: tokens.AccessToken}); err != nil {
		t.Fatal(err)
	}
	_, err = p.c.GetUser(ctx, &cip.GetUserInput{AccessToken: r.AccessToken})
	wantAPIError(t, err, "NotAuthorizedException", "Access Token has been revoked")
	_, err = p.c.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(p.clientID),
		AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(tokens.RefreshToken)}})
	wantAPIError(t, err, "NotAuthorizedException", "Refresh Token has been revoked")

	// Tokens issued after the sign-out work (a second later: tokens count whole seconds).
	time.Sleep(1100 * time.Millisecond)
	fresh, err := p.signIn(p.clientID, "alice", "New-pass-22", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.c.GetUser(ctx, &cip.GetUserInput{AccessToken: fresh.AuthenticationResult.AccessToken}); err != nil {
		t.Errorf("GetUser after signing in again: %v", err)
	}
	// A client secret the client does not have is refused, and nothing
	// is revoked.
	_, err = p.c.RevokeToken(ctx, &cip.RevokeTokenInput{ClientId: aws.String(p.clientID), ClientSecret: aws.String("notItsSecretButLongEnough1"), Token: fresh.AuthenticationResult.RefreshToken})
	wantAPIError(t, err, "UnauthorizedException", "Invalid client for the token.")
	if _, err := p.c.GetUser(ctx, &cip.GetUserInput{AccessToken: fresh.AuthenticationResult.AccessToken}); err != nil {
		t.Errorf("GetUser after a refused RevokeToken: %v", err)
	}
	// RevokeToken revokes the refresh token and the access tokens from it.
	if _, err := p.c.RevokeToken(ctx, &cip.RevokeTokenInput{ClientId: aws.String(p.clientID), Token: fresh.AuthenticationResult.RefreshToken}); err != nil {
		t.Fatal(err)
	}
	_, err = p.c.GetUser(ctx, &cip.GetUserInput{AccessToken: fresh.AuthenticationResult.AccessToken})
	wantAPIError(t, err, "NotAuthorizedException", "Access Token has been revoked")

	_, err = p.c.GetUser(ctx, &cip.GetUserInput{AccessToken: aws.String("not.a.token")})
	wantAPIError(t, err, "NotAuthorizedException", "Invalid Access Token")
	_, err = p.c.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(p.clientID),
		AuthParameters: map[string]string{"REFRESH_TOKEN": "garbage"}})
	wantAPIError(t, err, "NotAuthorizedException", "Invalid Refresh Token.")
}

func TestUserSignInRefusals(t *testing.T) {
	p := newUserPool(t, "")
	ctx := context.Background()
	p.createUser(t, "bob", "Temp-pass-1")
	if _, err := p.c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(p.poolID), Username: aws.String("bob"), Password: aws.String("Bob-pass-123"), Permanent: true}); err != nil {
		t.Fatal(err)
	}
	_, err := p.signIn(p.clientID, "nobody", "Whatever-1", nil)
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
	_, err = p.signIn(p.clientID, "bob", "Wrong-pass-1", nil)
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")

	// A client with a secret needs SECRET_HASH.
	_, err = p.signIn(p.secretID, "bob", "Bob-pass-123", nil)
	wantAPIError(t, err, "NotAuthorizedException", "Client "+p.secretID+" is configured with secret but SECRET_HASH was not received")
	_, err = p.signIn(p.secretID, "bob", "Bob-pass-123", map[string]string{"SECRET_HASH": secretHash("wrong", "bob", p.secretID)})
	wantAPIError(t, err, "NotAuthorizedException", "Unable to verify secret hash for client "+p.secretID)
	signedIn, err := p.signIn(p.secretID, "bob", "Bob-pass-123", map[string]string{"SECRET_HASH": secretHash(p.secret, "bob", p.secretID)})
	if err != nil {
		t.Fatalf("with the right SECRET_HASH: %v", err)
	}
	// Refresh words a wrong SECRET_HASH its own way.
	refresh := func(hash string) error {
		_, err := p.c.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(p.secretID),
			AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(signedIn.AuthenticationResult.RefreshToken), "SECRET_HASH": hash}})
		return err
	}
	wantAPIError(t, refresh(secretHash("wrong", "bob", p.secretID)), "NotAuthorizedException", "SecretHash does not match for the client: "+p.secretID)
	if err := refresh(secretHash(p.secret, "bob", p.secretID)); err != nil {
		t.Errorf("refresh with the right SECRET_HASH: %v", err)
	}

	// A client without USER_PASSWORD_AUTH.
	plain, err := p.c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(p.poolID), ClientName: aws.String("srp-only")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.signIn(*plain.UserPoolClient.ClientId, "bob", "Bob-pass-123", nil)
	wantAPIError(t, err, "InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client")

	// Disabled.
	p.c.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: aws.String(p.poolID), Username: aws.String("bob")})
	_, err = p.signIn(p.clientID, "bob", "Bob-pass-123", nil)
	wantAPIError(t, err, "NotAuthorizedException", "User is disabled.")
	p.c.AdminEnableUser(ctx, &cip.AdminEnableUserInput{UserPoolId: aws.String(p.poolID), Username: aws.String("bob")})

	// Lockout: the fifth failure locks the user out for a second, during
	// which even the right password is refused.
	for range 5 {
		_, err = p.signIn(p.clientID, "bob", "Wrong-pass-1", nil)
		wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	}
	_, err = p.signIn(p.clientID, "bob", "Bob-pass-123", nil)
	wantAPIError(t, err, "NotAuthorizedException", "Password attempts exceeded")
	time.Sleep(1100 * time.Millisecond)
	if _, err := p.signIn(p.clientID, "bob", "Bob-pass-123", nil); err != nil {
		t.Errorf("after the lockout: %v", err)
	}
}

// TestPreventUserExistenceErrors: with existence errors prevented, an
// unknown name answers like a wrong password, lockout included.
func TestPreventUserExistenceErrors(t *testing.T) {
	p := newUserPool(t, "ENABLED")
	p.createUser(t, "bob", "Temp-pass-1")
	for _, name := range []string{"nobody", "bob"} {
		for range 5 {
			_, err := p.signIn(p.clientID, name, "Wrong-pass-1", nil)
			wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
		}
		_, err := p.signIn(p.clientID, name, "Wrong-pass-1", nil)
		wantAPIError(t, err, "NotAuthorizedException", "Password attempts exceeded")
	}
}

func TestSignUpAndConfirm(t *testing.T) {
	p := newUserPool(t, "")
	ctx := context.Background()
	out, err := p.c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(p.clientID), Username: aws.String("carol"), Password: aws.String("Carol-pass-1"),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("carol@example.com")}}})
	if err != nil {
		t.Fatal(err)
	}
	if out.UserConfirmed || len(aws.ToString(out.UserSub)) != 36 || aws.ToString(out.CodeDeliveryDetails.Destination) != "c***@e***" {
		t.Errorf("SignUp = %+v", out)
	}
	_, err = p.c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(p.clientID), Username: aws.String("carol"), Password: aws.String("Carol-pass-1")})
	wantAPIError(t, err, "UsernameExistsException", "User already exists")
	_, err = p.c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(p.clientID), Username: aws.String("dave"), Password: aws.String("nodigits-AA!")})
	wantAPIError(t, err, "InvalidPasswordException", "Password did not conform with policy: Password must have numeric characters")

	_, err = p.signIn(p.clientID, "carol", "Carol-pass-1", nil)
	wantAPIError(t, err, "UserNotConfirmedException", "User is not confirmed.")
	_, err = p.c.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: aws.String(p.clientID), Username: aws.String("carol"), ConfirmationCode: aws.String("000000x")})
	wantAPIError(t, err, "CodeMismatchException", "Invalid verification code provided, please try again.")

	m := regexp.MustCompile(`sign-up confirmation code.* username=carol .*code=(\d{6})`).FindStringSubmatch(p.ts.log.String())
	if m == nil {
		t.Fatalf("no confirmation code in the log:\n%s", p.ts.log.String())
	}
	if _, err := p.c.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: aws.String(p.clientID), Username: aws.String("carol"), ConfirmationCode: aws.String(m[1])}); err != nil {
		t.Fatal(err)
	}
	_, err = p.c.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: aws.String(p.clientID), Username: aws.String("carol"), ConfirmationCode: aws.String(m[1])})
	wantAPIError(t, err, "NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED")
	if _, err := p.signIn(p.clientID, "carol", "Carol-pass-1", nil); err != nil {
		t.Errorf("sign in after confirming: %v", err)
	}
	// Passwords are stored hashed.
	u, err := p.ts.svc.Store().GetUser(ctx, p.poolID, "carol")
	if err != nil || !regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$`).MatchString(u.PasswordHash) || slices.Contains([]string{u.PasswordHash}, "Carol-pass-1") {
		t.Errorf("stored password %q", u.PasswordHash)
	}
}
