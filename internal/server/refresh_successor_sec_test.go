package server

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/cognito"
)

// A rotated refresh token keeps its successor sealed in its row, for
// retries in the grace period. The seal is bound to that row: a sealed
// successor copied into another token's row (by anyone who can write the
// database but not read the master key) does not open there, and the
// retry is refused as a replay, instead of handing out a token of another
// sign-in. It used to open anywhere.
func TestRefreshSuccessorSealedToItsToken(t *testing.T) {
	ctx := context.Background()
	ts := newTestServer(t, cognito.Limits{})

	c := ts.client("us-east-1")
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("rotation")})
	if err != nil {
		t.Fatal(err)
	}
	client, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: pool.UserPool.Id, ClientName: aws.String("app"),
		ExplicitAuthFlows:    []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
		RefreshTokenRotation: &types.RefreshTokenRotationType{Feature: types.FeatureTypeEnabled, RetryGracePeriodSeconds: aws.Int32(60)}})
	if err != nil {
		t.Fatal(err)
	}
	clientID := client.UserPoolClient.ClientId
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool.UserPool.Id, Username: aws.String("rita"), MessageAction: types.MessageActionTypeSuppress}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: pool.UserPool.Id, Username: aws.String("rita"), Password: aws.String("Rita-pass-123"), Permanent: true}); err != nil {
		t.Fatal(err)
	}
	signIn := func() string {
		out, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: clientID, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": "rita", "PASSWORD": "Rita-pass-123"}})
		if err != nil {
			t.Fatal(err)
		}
		return *out.AuthenticationResult.RefreshToken
	}
	refresh := func(token string) (string, error) {
		out, err := c.GetTokensFromRefreshToken(ctx, &cip.GetTokensFromRefreshTokenInput{ClientId: clientID, RefreshToken: aws.String(token)})
		if err != nil {
			return "", err
		}
		return aws.ToString(out.AuthenticationResult.RefreshToken), nil
	}
	a1, b1 := signIn(), signIn()
	a2, err := refresh(a1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := refresh(b1); err != nil {
		t.Fatal(err)
	}
	hash := func(tok string) string { s := sha256.Sum256([]byte(tok)); return hex.EncodeToString(s[:]) }

	db, err := sql.Open("sqlite", ts.dbPath+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.ExecContext(ctx, `UPDATE refresh_tokens SET sealed_successor = (SELECT sealed_successor FROM refresh_tokens WHERE hash = ?) WHERE hash = ?`, hash(a1), hash(b1))
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("%d rows tampered with", n)
	}

	got, err := refresh(b1) // a retry in the grace period
	if got == a2 {
		t.Fatal("a retry of one sign-in's token was handed the successor of another")
	}
	wantAPIError(t, err, "RefreshTokenReuseException", "")
}
