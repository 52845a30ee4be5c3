package server

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"math/big"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/cognito"
)

// srpStart sends InitiateAuth USER_SRP_AUTH for name from a fresh client.
func (p *srpPool) srpStart(clientID, name string, extra map[string]string) (*srpClient, *cip.InitiateAuthOutput, error) {
	c := newSRPClient(p.poolID)
	params := map[string]string{"USERNAME": name, "SRP_A": c.srpA()}
	for k, v := range extra {
		params[k] = v
	}
	out, err := p.c.InitiateAuth(context.Background(), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserSrpAuth, ClientId: aws.String(clientID), AuthParameters: params})
	return c, out, err
}

func (p *srpPool) srpRespond(clientID string, r map[string]string) (*cip.RespondToAuthChallengeOutput, error) {
	return p.c.RespondToAuthChallenge(context.Background(), &cip.RespondToAuthChallengeInput{ClientId: aws.String(clientID),
		ChallengeName: types.ChallengeNameTypePasswordVerifier, ChallengeResponses: r})
}

// srpSignIn runs both steps for name and password.
func (p *srpPool) srpSignIn(t testing.TB, clientID, name, password string) (*cip.RespondToAuthChallengeOutput, error) {
	t.Helper()
	c, out, err := p.srpStart(clientID, name, nil)
	if err != nil {
		return nil, err
	}
	return p.srpRespond(clientID, c.answer(t, out.ChallengeParameters, password, srpNow()))
}

var hexPattern = regexp.MustCompile(`^[0-9a-f]+$`)

func TestSRPSignIn(t *testing.T) {
	p := newSRPPool(t, nil)
	p.addUser(t, "alice", "Correct-horse-1")
	c, out, err := p.srpStart(p.public, "alice", nil)
	if err != nil {
		t.Fatal(err)
	}
	cp := out.ChallengeParameters
	if out.ChallengeName != types.ChallengeNameTypePasswordVerifier || out.Session != nil || out.AuthenticationResult != nil ||
		cp["USER_ID_FOR_SRP"] != "alice" || cp["USERNAME"] != "alice" || !hexPattern.MatchString(cp["SALT"]) || !hexPattern.MatchString(cp["SRP_B"]) || len(cp) != 5 {
		t.Fatalf("challenge: %+v %v", out, cp)
	}
	res, err := p.srpRespond(p.public, c.answer(t, cp, "Correct-horse-1", srpNow()))
	if err != nil {
		t.Fatal(err)
	}
	ar := res.AuthenticationResult
	if ar == nil || ar.RefreshToken == nil || jwtClaims(t, *ar.AccessToken)["username"] != "alice" {
		t.Fatalf("result %+v", res)
	}
	// A second sign-in shows the same salt (it is the user's) and a new B.
	_, again, err := p.srpStart(p.public, "alice", nil)
	if err != nil {
		t.Fatal(err)
	}
	if again.ChallengeParameters["SALT"] != cp["SALT"] || again.ChallengeParameters["SRP_B"] == cp["SRP_B"] {
		t.Fatal("salt should stay, B change")
	}
	// The tokens work: GetUser, then a refresh.
	if _, err := p.c.GetUser(context.Background(), &cip.GetUserInput{AccessToken: ar.AccessToken}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.c.InitiateAuth(context.Background(), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(p.public),
		AuthParameters: map[string]string{"REFRESH_TOKEN": *ar.RefreshToken}}); err != nil {
		t.Fatal(err)
	}

	// A proof is good once: replaying it is refused.
	replay := c.answer(t, cp, "Correct-horse-1", srpNow())
	_, err = p.srpRespond(p.public, replay)
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
}

func TestSRPTimestamps(t *testing.T) {
	p := newSRPPool(t, nil)
	p.addUser(t, "alice", "Correct-horse-1")
	day := time.Date(2026, 12, 1, 21, 5, 3, 0, time.UTC)
	for _, tc := range []struct {
		signed, sent string
		code, msg    string
	}{
		// The JavaScript clients' form.
		{"Tue Dec 1 21:05:03 UTC 2026", "Tue Dec 1 21:05:03 UTC 2026", "", ""},
		// Sent zero-padded but signed as Cognito re-prints it: accepted.
		{"Tue Dec 1 21:05:03 UTC 2026", "Tue Dec 01 21:05:03 UTC 2026", "", ""},
		// Signed zero-padded: Cognito checks its own form, so it fails.
		{"Tue Dec 01 21:05:03 UTC 2026", "Tue Dec 01 21:05:03 UTC 2026", "NotAuthorizedException", "Incorrect username or password."},
		// A wrong weekday.
		{"Wed Dec 1 21:05:03 UTC 2026", "Wed Dec 1 21:05:03 UTC 2026", "NotAuthorizedException", "Incorrect username or password."},
		// Not English, not UTC, not a date.
		{"Di. Dez. 1 21:05:03 UTC 2026", "Di. Dez. 1 21:05:03 UTC 2026", "InvalidParameterException", "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english."},
		{"Tue Dec 1 21:05:03 CET 2026", "Tue Dec 1 21:05:03 CET 2026", "InvalidParameterException", "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english."},
		{day.Format(time.RFC3339), day.Format(time.RFC3339), "InvalidParameterException", "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english."},
	} {
		c, out, err := p.srpStart(p.public, "alice", nil)
		if err != nil {
			t.Fatal(err)
		}
		r := c.answer(t, out.ChallengeParameters, "Correct-horse-1", tc.signed)
		r["TIMESTAMP"] = tc.sent
		_, err = p.srpRespond(p.public, r)
		if tc.code == "" {
			if err != nil {
				t.Fatalf("signed %q, sent %q: %v", tc.signed, tc.sent, err)
			}
			continue
		}
		wantAPIError(t, err, tc.code, tc.msg)
	}
}

func TestSRPRefusals(t *testing.T) {
	p := newSRPPool(t, nil)
	ctx := context.Background()
	p.addUser(t, "alice", "Correct-horse-1")
	incorrect := "Incorrect username or password."

	// A client whose ExplicitAuthFlows leave SRP out.
	pw, err := p.c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(p.poolID), ClientName: aws.String("pw"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = p.srpStart(*pw.UserPoolClient.ClientId, "alice", nil)
	wantAPIError(t, err, "InvalidParameterException", "USER_SRP_AUTH is not enabled for the client.")
	// A legacy-only client keeps SRP.
	legacy, err := p.c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(p.poolID), ClientName: aws.String("legacy"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAdminNoSrpAuth}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.srpSignIn(t, *legacy.UserPoolClient.ClientId, "alice", "Correct-horse-1"); err != nil {
		t.Fatal(err)
	}

	// SRP_A missing, malformed, 0 mod N, too long.
	_, err = p.c.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserSrpAuth, ClientId: aws.String(p.public), AuthParameters: map[string]string{"USERNAME": "alice"}})
	wantAPIError(t, err, "InvalidParameterException", "Missing required parameter SRP_A")
	for _, a := range []string{"0", testN.Text(16), new(big.Int).Mul(testN, big.NewInt(3)).Text(16), "xyz", "-5", strings.Repeat("1", 801)} {
		_, _, err = p.srpStart(p.public, "alice", map[string]string{"SRP_A": a})
		wantAPIError(t, err, "InvalidParameterException", "SRP_A is invalid.")
	}

	// Unknown user: UserNotFoundException unless existence errors are
	// prevented.
	_, _, err = p.srpStart(p.public, "nobody", nil)
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")

	// A wrong password.
	_, err = p.srpSignIn(t, p.public, "alice", "Wrong-horse-1")
	wantAPIError(t, err, "NotAuthorizedException", incorrect)

	// Missing responses.
	c, out, err := p.srpStart(p.public, "alice", nil)
	if err != nil {
		t.Fatal(err)
	}
	good := c.answer(t, out.ChallengeParameters, "Correct-horse-1", srpNow())
	for _, name := range []string{"USERNAME", "PASSWORD_CLAIM_SECRET_BLOCK", "PASSWORD_CLAIM_SIGNATURE", "TIMESTAMP"} {
		r := clone(good)
		delete(r, name)
		_, err = p.srpRespond(p.public, r)
		wantAPIError(t, err, "InvalidParameterException", "Missing required parameter "+name)
	}
	// A tampered or foreign secret block, a garbled signature.
	r := clone(good)
	// Another first character: "A" unless it already is one (1 time in
	// 64 the block starts with "A", and replacing it changed nothing).
	first := "A"
	if strings.HasPrefix(r["PASSWORD_CLAIM_SECRET_BLOCK"], "A") {
		first = "B"
	}
	r["PASSWORD_CLAIM_SECRET_BLOCK"] = first + r["PASSWORD_CLAIM_SECRET_BLOCK"][1:]
	_, err = p.srpRespond(p.public, r)
	wantAPIError(t, err, "NotAuthorizedException", incorrect)
	r = clone(good)
	r["PASSWORD_CLAIM_SECRET_BLOCK"] = "not base64!"
	_, err = p.srpRespond(p.public, r)
	wantAPIError(t, err, "NotAuthorizedException", incorrect)
	_, err = p.srpRespond(p.defaults, good) // another client of the pool
	wantAPIError(t, err, "NotAuthorizedException", incorrect)
	r = clone(good)
	r["PASSWORD_CLAIM_SIGNATURE"] = "%%%"
	_, err = p.srpRespond(p.public, r)
	wantAPIError(t, err, "NotAuthorizedException", incorrect)
	// USERNAME must be the user the challenge was for.
	p.addUser(t, "mallory", "Correct-horse-1")
	r = clone(good)
	r["USERNAME"] = "mallory"
	_, err = p.srpRespond(p.public, r)
	wantAPIError(t, err, "NotAuthorizedException", incorrect)
	// The untouched answer still works (failures did not spend it).
	if _, err := p.srpRespond(p.public, good); err != nil {
		t.Fatal(err)
	}

	// A password set between the two steps voids the challenge.
	c, out, err = p.srpStart(p.public, "alice", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(p.poolID), Username: aws.String("alice"),
		Password: aws.String("Correct-horse-1"), Permanent: true}); err != nil {
		t.Fatal(err)
	}
	_, err = p.srpRespond(p.public, c.answer(t, out.ChallengeParameters, "Correct-horse-1", srpNow()))
	wantAPIError(t, err, "NotAuthorizedException", incorrect)

	// Disabled and unconfirmed users.
	if _, err := p.c.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: aws.String(p.poolID), Username: aws.String("mallory")}); err != nil {
		t.Fatal(err)
	}
	_, err = p.srpSignIn(t, p.public, "mallory", "Correct-horse-1")
	wantAPIError(t, err, "NotAuthorizedException", "User is disabled.")
	if _, err := p.c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(p.public), Username: aws.String("newbie"), Password: aws.String("Correct-horse-1")}); err != nil {
		t.Fatal(err)
	}
	_, err = p.srpSignIn(t, p.public, "newbie", "Correct-horse-1")
	wantAPIError(t, err, "UserNotConfirmedException", "User is not confirmed.")
	// Once confirmed, the password SignUp set works with SRP.
	if _, err := p.c.AdminConfirmSignUp(ctx, &cip.AdminConfirmSignUpInput{UserPoolId: aws.String(p.poolID), Username: aws.String("newbie")}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.srpSignIn(t, p.public, "newbie", "Correct-horse-1"); err != nil {
		t.Fatal(err)
	}
}

func clone(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// TestSRPLockout: failed proofs count toward the lockout exactly as wrong
// passwords do, for known and (existence errors prevented) unknown names.
func TestSRPLockout(t *testing.T) {
	p := newSRPPool(t, nil)
	p.addUser(t, "alice", "Correct-horse-1")
	for i := 0; i < 5; i++ {
		_, err := p.srpSignIn(t, p.public, "alice", "Wrong-horse-1")
		wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	}
	// Locked: the right password is refused, by SRP and by USER_PASSWORD_AUTH.
	_, err := p.srpSignIn(t, p.public, "alice", "Correct-horse-1")
	wantAPIError(t, err, "NotAuthorizedException", "Password attempts exceeded")
	_, err = p.c.InitiateAuth(context.Background(), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(p.public),
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "Correct-horse-1"}})
	wantAPIError(t, err, "NotAuthorizedException", "Password attempts exceeded")

	// An unknown name behind PreventUserExistenceErrors: a challenge like a
	// real one (stable salt), then the same failures and lockout.
	_, first, err := p.srpStart(p.hidden, "ghost", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, second, err := p.srpStart(p.hidden, "ghost", nil)
	if err != nil {
		t.Fatal(err)
	}
	cp := first.ChallengeParameters
	if cp["USER_ID_FOR_SRP"] != "ghost" || cp["SALT"] != second.ChallengeParameters["SALT"] || len(cp["SRP_B"]) < 700 || len(cp) != 5 {
		t.Fatalf("unknown user's challenge: %v", cp)
	}
	for i := 0; i < 5; i++ {
		_, err := p.srpSignIn(t, p.hidden, "ghost", "Any-password-1")
		wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	}
	_, err = p.srpSignIn(t, p.hidden, "ghost", "Any-password-1")
	wantAPIError(t, err, "NotAuthorizedException", "Password attempts exceeded")
}

// TestSRPNewPasswordAndSecret: a user with a temporary password proves it
// with SRP and is asked for a new one; a client with a secret needs
// SECRET_HASH in both steps.
func TestSRPNewPasswordAndSecret(t *testing.T) {
	p := newSRPPool(t, nil)
	ctx := context.Background()
	p.addTempUser(t, "bob", "Temp-pass-1")
	res, err := p.srpSignIn(t, p.public, "bob", "Temp-pass-1")
	if err != nil {
		t.Fatal(err)
	}
	if res.ChallengeName != types.ChallengeNameTypeNewPasswordRequired || res.Session == nil || res.ChallengeParameters["USER_ID_FOR_SRP"] != "bob" {
		t.Fatalf("%+v", res)
	}
	done, err := p.c.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: aws.String(p.public), ChallengeName: types.ChallengeNameTypeNewPasswordRequired,
		Session: res.Session, ChallengeResponses: map[string]string{"USERNAME": "bob", "NEW_PASSWORD": "Brand-new-pass-2"}})
	if err != nil || done.AuthenticationResult == nil {
		t.Fatal(err)
	}
	if _, err := p.srpSignIn(t, p.public, "bob", "Brand-new-pass-2"); err != nil {
		t.Fatal(err)
	}

	hash := secretHash(p.secret, "bob", p.secretID)
	_, _, err = p.srpStart(p.secretID, "bob", nil)
	wantAPIError(t, err, "NotAuthorizedException", "Client "+p.secretID+" is configured with secret but SECRET_HASH was not received")
	_, _, err = p.srpStart(p.secretID, "bob", map[string]string{"SECRET_HASH": secretHash(p.secret, "alice", p.secretID)})
	wantAPIError(t, err, "NotAuthorizedException", "Unable to verify secret hash for client "+p.secretID)
	c, out, err := p.srpStart(p.secretID, "bob", map[string]string{"SECRET_HASH": hash})
	if err != nil {
		t.Fatal(err)
	}
	r := c.answer(t, out.ChallengeParameters, "Brand-new-pass-2", srpNow())
	_, err = p.srpRespond(p.secretID, r)
	wantAPIError(t, err, "NotAuthorizedException", "Client "+p.secretID+" is configured with secret but SECRET_HASH was not received")
	r["SECRET_HASH"] = hash
	if _, err := p.srpRespond(p.secretID, r); err != nil {
		t.Fatal(err)
	}
}

// TestSRPUsersFromBeforeSRP: a user stored without a verifier (created by
// an earlier cognitod) fails SRP as a wrong password would, until a
// password sign-in stores their verifier.
func TestSRPUsersFromBeforeSRP(t *testing.T) {
	p := newSRPPool(t, nil)
	ctx := context.Background()
	p.addUser(t, "old", "Correct-horse-1")
	err := p.ts.svc.Store().Update(ctx, func(tx cognito.Tx) error {
		u, err := tx.GetUser(ctx, p.poolID, "old")
		if err != nil {
			return err
		}
		u.SRPVerifier = nil
		return tx.UpdateUser(ctx, u)
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.srpSignIn(t, p.public, "old", "Correct-horse-1")
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	if _, err := p.c.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(p.public),
		AuthParameters: map[string]string{"USERNAME": "old", "PASSWORD": "Correct-horse-1"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.srpSignIn(t, p.public, "old", "Correct-horse-1"); err != nil {
		t.Fatalf("SRP after a password sign-in: %v", err)
	}
	// The stored verifier is sealed: neither the salt nor v is in the row.
	u, err := p.ts.svc.Store().GetUser(ctx, p.poolID, "old")
	if err != nil {
		t.Fatal(err)
	}
	_, out, err := p.srpStart(p.public, "old", nil)
	if err != nil {
		t.Fatal(err)
	}
	salt, _ := hex.DecodeString(out.ChallengeParameters["SALT"])
	if len(salt) != 16 || bytes.Contains(u.SRPVerifier, salt) || bytes.Contains(u.SRPVerifier, []byte(base64.StdEncoding.EncodeToString(salt))) || len(u.SRPVerifier) < 400 {
		t.Fatalf("verifier row %q", u.SRPVerifier)
	}
}
