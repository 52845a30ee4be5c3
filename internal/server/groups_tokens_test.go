package server

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"golang.org/x/oauth2/clientcredentials"
)

const (
	roleA = "arn:aws:iam::123456789012:role/A"
	roleB = "arn:aws:iam::123456789012:role/B"
	roleC = "arn:aws:iam::123456789012:role/C"
)

// strs reads a JSON array claim.
func strs(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, e := range list {
		s, _ := e.(string)
		out = append(out, s)
	}
	return out
}

// wantGroupClaims checks cognito:groups in both tokens, and cognito:roles
// and cognito:preferred_role in the ID token (an empty want: absent).
func wantGroupClaims(t *testing.T, what, access, id string, groups, roles []string, preferred string) {
	t.Helper()
	ac, ic := claims(t, access), claims(t, id)
	for name, c := range map[string]map[string]any{"access": ac, "ID": ic} {
		v, ok := c["cognito:groups"]
		if len(groups) == 0 && ok {
			t.Errorf("%s: %s token has cognito:groups %v, want none", what, name, v)
		}
		if got := strs(v); len(groups) > 0 && !slices.Equal(got, groups) {
			t.Errorf("%s: %s token cognito:groups %v, want %v", what, name, got, groups)
		}
	}
	for _, k := range []string{"cognito:roles", "cognito:preferred_role"} {
		if _, ok := ac[k]; ok {
			t.Errorf("%s: the access token has %s", what, k)
		}
	}
	if v, ok := ic["cognito:roles"]; (len(roles) == 0) == ok || !slices.Equal(strs(v), roles) {
		t.Errorf("%s: cognito:roles %v (present %v), want %v", what, v, ok, roles)
	}
	if v, ok := ic["cognito:preferred_role"]; (preferred == "") == ok || (ok && v != preferred) {
		t.Errorf("%s: cognito:preferred_role %v (present %v), want %q", what, v, ok, preferred)
	}
}

func groupOf(t *testing.T, c *cip.Client, poolID, name, role string, precedence *int32) {
	t.Helper()
	in := &cip.CreateGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String(name), Precedence: precedence}
	if role != "" {
		in.RoleArn = aws.String(role)
	}
	if _, err := c.CreateGroup(context.Background(), in); err != nil {
		t.Fatal(err)
	}
}

func join(t *testing.T, c *cip.Client, poolID, user string, groups ...string) {
	t.Helper()
	for _, g := range groups {
		if _, err := c.AdminAddUserToGroup(context.Background(), &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(poolID),
			Username: aws.String(user), GroupName: aws.String(g)}); err != nil {
			t.Fatal(err)
		}
	}
}

func leave(t *testing.T, c *cip.Client, poolID, user string, groups ...string) {
	t.Helper()
	for _, g := range groups {
		if _, err := c.AdminRemoveUserFromGroup(context.Background(), &cip.AdminRemoveUserFromGroupInput{UserPoolId: aws.String(poolID),
			Username: aws.String(user), GroupName: aws.String(g)}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestGroupClaimsSignInAndRefresh: USER_PASSWORD_AUTH sign-in and
// REFRESH_TOKEN_AUTH carry the user's groups as Cognito computes them,
// read afresh at every issue.
func TestGroupClaimsSignInAndRefresh(t *testing.T) {
	p := newUserPool(t, "")
	ctx := context.Background()
	tokens := signedInUser(t, p)
	wantGroupClaims(t, "no groups", *tokens.AccessToken, *tokens.IdToken, nil, nil, "")

	// Created in this order: ties keep it.
	groupOf(t, p.c, p.poolID, "viewers", roleB, aws.Int32(5))
	groupOf(t, p.c, p.poolID, "misc", "", nil)
	groupOf(t, p.c, p.poolID, "admins", roleA, aws.Int32(1))
	groupOf(t, p.c, p.poolID, "editors", roleB, aws.Int32(5))
	groupOf(t, p.c, p.poolID, "plain", "", aws.Int32(0))
	join(t, p.c, p.poolID, "alice", "viewers", "misc", "admins", "editors", "plain")

	signIn := func(what string) *types.AuthenticationResultType {
		t.Helper()
		out, err := p.signIn(p.clientID, "alice", "New-pass-22", nil)
		if err != nil || out.AuthenticationResult == nil {
			t.Fatalf("%s: sign-in: %+v, %v", what, out, err)
		}
		return out.AuthenticationResult
	}
	refresh := func(what string, rt string) *types.AuthenticationResultType {
		t.Helper()
		out, err := p.c.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(p.clientID),
			AuthParameters: map[string]string{"REFRESH_TOKEN": rt}})
		if err != nil {
			t.Fatalf("%s: refresh: %v", what, err)
		}
		return out.AuthenticationResult
	}
	// Lowest precedence first, null last; the preferred role is the role
	// of the lowest-precedence group that has one (plain has none).
	res := signIn("five groups")
	wantGroupClaims(t, "sign-in", *res.AccessToken, *res.IdToken,
		[]string{"plain", "admins", "viewers", "editors", "misc"}, []string{roleA, roleB}, roleA)
	rt := *res.RefreshToken
	res = refresh("five groups", rt)
	wantGroupClaims(t, "refresh", *res.AccessToken, *res.IdToken,
		[]string{"plain", "admins", "viewers", "editors", "misc"}, []string{roleA, roleB}, roleA)

	// Two groups of the same lowest precedence with different roles: no
	// preferred role. A refresh sees the change.
	if _, err := p.c.UpdateGroup(ctx, &cip.UpdateGroupInput{UserPoolId: aws.String(p.poolID), GroupName: aws.String("admins"),
		Precedence: aws.Int32(5), RoleArn: aws.String(roleC)}); err != nil {
		t.Fatal(err)
	}
	res = refresh("tie, different roles", rt)
	wantGroupClaims(t, "tie, different roles", *res.AccessToken, *res.IdToken,
		[]string{"plain", "viewers", "admins", "editors", "misc"}, []string{roleB, roleC}, "")

	// The same tie with the same role: that role is preferred.
	leave(t, p.c, p.poolID, "alice", "admins")
	res = refresh("tie, same role", rt)
	wantGroupClaims(t, "tie, same role", *res.AccessToken, *res.IdToken,
		[]string{"plain", "viewers", "editors", "misc"}, []string{roleB}, roleB)

	// A group without precedence but with a role is still preferred when
	// it is the only one with a role.
	leave(t, p.c, p.poolID, "alice", "viewers", "editors")
	if _, err := p.c.UpdateGroup(ctx, &cip.UpdateGroupInput{UserPoolId: aws.String(p.poolID), GroupName: aws.String("misc"), RoleArn: aws.String(roleC)}); err != nil {
		t.Fatal(err)
	}
	res = signIn("one role, null precedence")
	wantGroupClaims(t, "one role, null precedence", *res.AccessToken, *res.IdToken, []string{"plain", "misc"}, []string{roleC}, roleC)

	// Deleting the groups empties the claims.
	for _, g := range []string{"plain", "misc"} {
		if _, err := p.c.DeleteGroup(ctx, &cip.DeleteGroupInput{UserPoolId: aws.String(p.poolID), GroupName: aws.String(g)}); err != nil {
			t.Fatal(err)
		}
	}
	res = refresh("groups deleted", rt)
	wantGroupClaims(t, "groups deleted", *res.AccessToken, *res.IdToken, nil, nil, "")
}

// TestGroupClaimsHostedLogin: the authorization-code flow (hosted login)
// and the token endpoint's refresh grant carry the groups; a
// client-credentials token carries none.
func TestGroupClaimsHostedLogin(t *testing.T) {
	p := newWebPool(t, nil, "")
	ctx := context.Background()
	groupOf(t, p.c, p.poolID, "staff", roleB, aws.Int32(2))
	groupOf(t, p.c, p.poolID, "admins", roleA, aws.Int32(1))
	join(t, p.c, p.poolID, "alice", "staff", "admins")

	cfg := p.oauthConfig(p.clientID, "")
	tok := codeFlowTokens(t, cfg, "alice", "Alice-pass-1")
	id, _ := tok.Extra("id_token").(string)
	wantGroupClaims(t, "authorization code", tok.AccessToken, id, []string{"admins", "staff"}, []string{roleA, roleB}, roleA)

	leave(t, p.c, p.poolID, "alice", "admins")
	status, body, _ := postForm(t, p.issuer()+"/oauth2/token", "application/x-www-form-urlencoded",
		url.Values{"grant_type": {"refresh_token"}, "client_id": {p.clientID}, "refresh_token": {tok.RefreshToken}}.Encode(), nil)
	if status != 200 {
		t.Fatalf("refresh grant: %d %s", status, body)
	}
	var refreshed struct {
		AccessToken string `json:"access_token"`
		IDToken     string `json:"id_token"`
	}
	if err := json.Unmarshal([]byte(body), &refreshed); err != nil {
		t.Fatal(err)
	}
	wantGroupClaims(t, "refresh grant", refreshed.AccessToken, refreshed.IDToken, []string{"staff"}, []string{roleB}, roleB)

	// Client credentials: no user, no groups.
	cc, err := p.c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(p.poolID), ClientName: aws.String("m2m"),
		GenerateSecret: true, AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials}, AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthScopes: []string{"com.example.photos/read"}})
	if err != nil {
		t.Fatal(err)
	}
	ccTok, err := (&clientcredentials.Config{ClientID: *cc.UserPoolClient.ClientId, ClientSecret: *cc.UserPoolClient.ClientSecret,
		TokenURL: p.issuer() + "/oauth2/token"}).Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := claims(t, ccTok.AccessToken)["cognito:groups"]; ok {
		t.Errorf("a client-credentials token has cognito:groups")
	}
}
