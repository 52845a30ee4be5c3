package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// TestUsersCannotVerifyThemselves: the verified flags are not the user's
// to set, at sign-up or in the new-password step.
func TestUsersCannotVerifyThemselves(t *testing.T) {
	p := newUserPool(t, "")
	ctx := context.Background()
	_, err := p.c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(p.clientID), Username: aws.String("mallory"), Password: aws.String("Mallory-pass-1"),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("ceo@victim.example")}, {Name: aws.String("email_verified"), Value: aws.String("true")}}})
	wantAPIError(t, err, "NotAuthorizedException", "A client attempted to write unauthorized attribute")

	p.createUser(t, "newbie", "Temp-pass-1")
	out, err := p.signIn(p.clientID, "newbie", "Temp-pass-1", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.c.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: aws.String(p.clientID), ChallengeName: types.ChallengeNameTypeNewPasswordRequired,
		Session: out.Session, ChallengeResponses: map[string]string{"USERNAME": "newbie", "NEW_PASSWORD": "Newbie-pass-9", "userAttributes.email_verified": "true"}})
	wantAPIError(t, err, "NotAuthorizedException", "A client attempted to write unauthorized attribute")
}

// TestSecretHashComesFirst: without the client's secret, a right password
// and a wrong one get the same answer, and nothing counts toward lockout;
// a new-password answer without SECRET_HASH changes nothing.
func TestSecretHashComesFirst(t *testing.T) {
	p := newUserPool(t, "")
	ctx := context.Background()
	p.createUser(t, "bob", "Temp-pass-1")
	p.c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(p.poolID), Username: aws.String("bob"), Password: aws.String("Bob-pass-123"), Permanent: true})
	want := "Client " + p.secretID + " is configured with secret but SECRET_HASH was not received"
	for range 6 {
		for _, pw := range []string{"Bob-pass-123", "Wrong-pass-1"} {
			_, err := p.signIn(p.secretID, "bob", pw, nil)
			wantAPIError(t, err, "NotAuthorizedException", want)
		}
	}
	if _, err := p.signIn(p.clientID, "bob", "Bob-pass-123", nil); err != nil {
		t.Errorf("sign-in after attempts without SECRET_HASH: %v (they must not lock the user out)", err)
	}

	p.createUser(t, "carol", "Temp-pass-1")
	hash := secretHash(p.secret, "carol", p.secretID)
	out, err := p.signIn(p.secretID, "carol", "Temp-pass-1", map[string]string{"SECRET_HASH": hash})
	if err != nil || out.Session == nil {
		t.Fatalf("challenge: %v", err)
	}
	_, err = p.c.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: aws.String(p.secretID), ChallengeName: types.ChallengeNameTypeNewPasswordRequired,
		Session: out.Session, ChallengeResponses: map[string]string{"USERNAME": "carol", "NEW_PASSWORD": "Carol-pass-9"}})
	wantAPIError(t, err, "NotAuthorizedException", "")
	u, _ := p.c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(p.poolID), Username: aws.String("carol")})
	if u.UserStatus != types.UserStatusTypeForceChangePassword {
		t.Errorf("password changed by an answer without SECRET_HASH: status %s", u.UserStatus)
	}
}

// TestDisabledUsersTokens: disabling a user revokes their access tokens.
func TestDisabledUsersTokens(t *testing.T) {
	p := newUserPool(t, "")
	ctx := context.Background()
	tokens := signedInUser(t, p)
	if _, err := p.c.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: aws.String(p.poolID), Username: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	_, err := p.c.GetUser(ctx, &cip.GetUserInput{AccessToken: tokens.AccessToken})
	wantAPIError(t, err, "NotAuthorizedException", "")
}

// TestConfirmSignUpGuessing: codes cannot be brute-forced, and with
// PreventUserExistenceErrors an unknown user reads like a wrong code.
func TestConfirmSignUpGuessing(t *testing.T) {
	p := newUserPool(t, "ENABLED")
	ctx := context.Background()
	if _, err := p.c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(p.clientID), Username: aws.String("dora"), Password: aws.String("Dora-pass-12"),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("dora@example.com")}}}); err != nil {
		t.Fatal(err)
	}
	_, err := p.c.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: aws.String(p.clientID), Username: aws.String("nobody"), ConfirmationCode: aws.String("123456")})
	wantAPIError(t, err, "CodeMismatchException", "Invalid verification code provided, please try again.")
	for range 5 {
		_, err = p.c.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: aws.String(p.clientID), Username: aws.String("dora"), ConfirmationCode: aws.String("000000")})
		wantAPIError(t, err, "CodeMismatchException", "Invalid verification code provided, please try again.")
	}
	code := regexp.MustCompile(`username=dora .*code=(\d{6})`).FindStringSubmatch(p.ts.log.String())[1]
	_, err = p.c.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: aws.String(p.clientID), Username: aws.String("dora"), ConfirmationCode: aws.String(code)})
	wantAPIError(t, err, "LimitExceededException", "Attempt limit exceeded, please try after some time.")
}

// TestUserInfoOtherPool: an access token of one pool is no good at
// another pool's userInfo.
func TestUserInfoOtherPool(t *testing.T) {
	p := newWebPool(t, nil, "")
	other := createPool(t, p.c, "other")
	cfg := p.oauthConfig(p.clientID, "")
	tok := codeFlowTokens(t, cfg, "alice", "Alice-pass-1")
	for pool, want := range map[string]int{p.poolID: 200, other: 401} {
		req, _ := http.NewRequest(http.MethodGet, p.ts.URL+"/"+pool+"/oauth2/userInfo", nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("userInfo at %s: %d, want %d", pool, resp.StatusCode, want)
		}
	}
}

// TestLogoutEndsCopiedCookies: a copy of the session cookie is no good
// after logout.
func TestLogoutEndsCopiedCookies(t *testing.T) {
	p := newWebPool(t, nil, "")
	cfg := p.oauthConfig(p.clientID, "")
	b := newBrowserless(t)
	if final, page := b.signInOverHTTP(cfg.AuthCodeURL("s"), "alice", "Alice-pass-1"); final == nil {
		t.Fatalf("sign in: %.200s", page)
	}
	u, _ := url.Parse(p.issuer() + "/")
	var saved []*http.Cookie
	for _, c := range b.hc.Jar.Cookies(u) {
		if c.Name == "cognito" {
			saved = append(saved, &http.Cookie{Name: c.Name, Value: c.Value, Path: "/" + p.poolID + "/"})
		}
	}
	if len(saved) == 0 {
		t.Fatal("no session cookie")
	}
	b.get(p.issuer() + "/logout?client_id=" + p.clientID + "&logout_uri=" + url.QueryEscape("http://localhost:8081/"))
	b.hc.Jar.SetCookies(u, saved)
	resp, _ := b.get(cfg.AuthCodeURL("again"))
	if loc := resp.Header.Get("Location"); regexp.MustCompile(`[?&]code=`).MatchString(loc) {
		t.Errorf("a copied cookie still signs in after logout: %s", loc)
	}
}

// TestUsernameCannotShadowASub: users are also found by sub, so nobody
// may take another user's sub as a username.
func TestUsernameCannotShadowASub(t *testing.T) {
	p := newUserPool(t, "")
	ctx := context.Background()
	out, err := p.c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(p.clientID), Username: aws.String("victim"), Password: aws.String("Victim-pass-1")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(p.clientID), Username: out.UserSub, Password: aws.String("Mallory-pass-1")})
	wantAPIError(t, err, "UsernameExistsException", "")
	_, err = p.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(p.poolID), Username: out.UserSub})
	wantAPIError(t, err, "UsernameExistsException", "")
}

// TestUserInfoReleases: openid alone releases every attribute the client
// can read; email (or phone, or profile) releases only its own; the
// client's ReadAttributes bound both (developer guide, "The user
// attributes endpoint").
func TestUserInfoReleases(t *testing.T) {
	p := newWebPool(t, nil, "ENABLED")
	ctx := context.Background()
	if _, err := p.c.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(p.poolID), Username: aws.String("alice"),
		UserAttributes: []types.AttributeType{{Name: aws.String("name"), Value: aws.String("Alice")}, {Name: aws.String("phone_number"), Value: aws.String("+15555550100")}}}); err != nil {
		t.Fatal(err)
	}
	userInfo := func(scopes ...string) map[string]any {
		t.Helper()
		cfg := p.oauthConfig(p.clientID, "")
		cfg.Scopes = scopes
		tok := codeFlowTokens(t, cfg, "alice", "Alice-pass-1")
		req, _ := http.NewRequest(http.MethodGet, p.issuer()+"/oauth2/userInfo", nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var info map[string]any
		if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&info) != nil {
			t.Fatalf("userInfo with %v: %d", scopes, resp.StatusCode)
		}
		return info
	}
	has := func(info map[string]any, names ...string) string {
		var got []string
		for _, n := range names {
			if _, ok := info[n]; ok {
				got = append(got, n)
			}
		}
		return strings.Join(got, ",")
	}
	if got := has(userInfo("openid"), "sub", "username", "email", "name", "phone_number"); got != "sub,username,email,name,phone_number" {
		t.Errorf("openid alone released %s, want every attribute", got)
	}
	if got := has(userInfo("openid", "email"), "sub", "email", "name", "phone_number"); got != "sub,email" {
		t.Errorf("openid email released %s, want sub,email", got)
	}
	// A client that may read only email gets only email, whatever the scopes.
	if _, err := p.c.UpdateUserPoolClient(ctx, &cip.UpdateUserPoolClientInput{UserPoolId: aws.String(p.poolID), ClientId: aws.String(p.clientID), ClientName: aws.String("webapp"),
		AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeCode}, AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthScopes: []string{"openid", "email", "com.example.photos/read"}, CallbackURLs: []string{callback},
		PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled, ReadAttributes: []string{"email"}}); err != nil {
		t.Fatal(err)
	}
	if got := has(userInfo("openid"), "sub", "email", "name", "phone_number"); got != "sub,email" {
		t.Errorf("openid alone with ReadAttributes [email] released %s, want sub,email", got)
	}
}
