package server

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/verify"
)

func TestClientReadAndWriteAttributes(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	ctx := context.Background()
	p := newSchemaUserPool(t, ts, nil, func(in *cip.CreateUserPoolClientInput) {
		in.ReadAttributes = []string{"email", "custom:tier", "custom:vip", "custom:age"}
		in.WriteAttributes = []string{"name", "custom:tier"}
	})
	// The attribute lists are checked against the schema, custom attributes
	// included.
	mk := func(read, write []string) error {
		_, err := p.c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(p.poolID), ClientName: aws.String("x"),
			ReadAttributes: read, WriteAttributes: write})
		return err
	}
	wantAPIError(t, mk([]string{"custom:nope"}, nil), "InvalidParameterException", "Invalid read attributes specified while creating a client")
	wantAPIError(t, mk(nil, []string{"tier"}), "InvalidParameterException", "Invalid write attributes specified while creating a client")
	if err := mk([]string{"custom:tier", "dev:custom:secret"}, []string{"custom:tier"}); err != nil {
		t.Fatal(err)
	}
	_, err := p.c.UpdateUserPoolClient(ctx, &cip.UpdateUserPoolClientInput{UserPoolId: aws.String(p.poolID), ClientId: aws.String(p.clientID),
		ReadAttributes: []string{"custom:gone"}})
	wantAPIError(t, err, "InvalidParameterException", "Invalid read attributes specified while updating a client")
	_, err = p.c.UpdateUserPoolClient(ctx, &cip.UpdateUserPoolClientInput{UserPoolId: aws.String(p.poolID), ClientId: aws.String(p.clientID),
		WriteAttributes: []string{"custom:gone"}})
	wantAPIError(t, err, "InvalidParameterException", "Invalid write attributes specified while updating a client")

	tokens := p.signedIn(t, "lee", attrs("email", "lee@example.com", "email_verified", "true", "name", "Lee", "custom:tier", "gold",
		"custom:vip", "true", "custom:age", "42", "dev:custom:secret", "x"))
	issuer := ts.URL + "/" + p.poolID
	idv := &verify.Verifier{Algorithm: verify.RS256, Issuer: issuer, TokenUse: verify.IDToken, ClientIDs: []string{p.clientID}}
	ic, err := idv.Verify(ctx, aws.ToString(tokens.IdToken))
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	if err := json.Unmarshal(ic.RawJSON(), &claims); err != nil {
		t.Fatal(err)
	}
	// Custom attributes are strings whatever their type; the ID token
	// carries only what the client reads.
	for name, want := range map[string]string{"custom:tier": "gold", "custom:vip": "true", "custom:age": "42", "email": "lee@example.com"} {
		if got, ok := claims[name].(string); !ok || got != want {
			t.Errorf("ID token %s: %#v, want the string %q", name, claims[name], want)
		}
	}
	for _, name := range []string{"name", "dev:custom:secret", "email_verified"} {
		if _, ok := claims[name]; ok {
			t.Errorf("ID token carries %s, which the client does not read", name)
		}
	}

	// GetUser shows the same attributes, and sub.
	got, err := p.c.GetUser(ctx, &cip.GetUserInput{AccessToken: tokens.AccessToken})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range got.UserAttributes {
		names = append(names, aws.ToString(a.Name))
	}
	slices.Sort(names)
	if want := []string{"custom:age", "custom:tier", "custom:vip", "email", "sub"}; !slices.Equal(names, want) {
		t.Errorf("GetUser attributes %v, want %v", names, want)
	}

	// The write set is enforced on UpdateUserAttributes.
	update := func(a []types.AttributeType) error {
		_, err := p.c.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: tokens.AccessToken, UserAttributes: a})
		return err
	}
	if err := update(attrs("name", "Lee Two", "custom:tier", "silver")); err != nil {
		t.Fatal(err)
	}
	wantAPIError(t, update(attrs("custom:age", "43")), "NotAuthorizedException", "A client attempted to write unauthorized attribute")
	wantAPIError(t, update(attrs("dev:custom:secret", "y")), "NotAuthorizedException", "A client attempted to write unauthorized attribute")
	wantAPIError(t, update(attrs("custom:tier", "far-too-long")), "InvalidParameterException", "user.custom:tier: String must be no longer than 8 characters\n")
	if v, _ := userAttr(p.adminGet(t, "lee"), "custom:tier"); v != "silver" {
		t.Errorf("custom:tier after update: %q", v)
	}
}

func TestNewPasswordChallengeAttributes(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	ctx := context.Background()
	p := newSchemaUserPool(t, ts, nil, nil)
	narrow, err := p.c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(p.poolID), ClientName: aws.String("narrow"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
		WriteAttributes:   []string{"email"}})
	if err != nil {
		t.Fatal(err)
	}
	// An administrator may create a user without a required attribute; the
	// first sign-in asks for it.
	if err := p.adminCreate("nia", attrs("custom:joined", "2024-05-01T10:00:00Z")); err != nil {
		t.Fatal(err)
	}
	start := func(clientID string) *cip.InitiateAuthOutput {
		out, err := p.c.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(clientID),
			AuthParameters: map[string]string{"USERNAME": "nia", "PASSWORD": "Temp-pass-1"}})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	out := start(p.clientID)
	if out.ChallengeName != types.ChallengeNameTypeNewPasswordRequired || out.ChallengeParameters["requiredAttributes"] != `["userAttributes.email"]` {
		t.Fatalf("challenge: %s %v", out.ChallengeName, out.ChallengeParameters)
	}
	respond := func(clientID string, session *string, extra map[string]string) error {
		r := map[string]string{"USERNAME": "nia", "NEW_PASSWORD": "New-pass-22"}
		for k, v := range extra {
			r[k] = v
		}
		_, err := p.c.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: aws.String(clientID),
			ChallengeName: types.ChallengeNameTypeNewPasswordRequired, Session: session, ChallengeResponses: r})
		return err
	}
	wantAPIError(t, respond(p.clientID, out.Session, nil), "InvalidParameterException", "Invalid attributes given, email is missing")
	wantAPIError(t, respond(p.clientID, out.Session, map[string]string{"userAttributes.email": "nia@example.com", "userAttributes.custom:age": "many"}),
		"InvalidParameterException", "user.custom:age: Number attribute value is not a valid number.\n")
	wantAPIError(t, respond(p.clientID, out.Session, map[string]string{"userAttributes.email": "nia@example.com", "userAttributes.custom:joined": "2025-01-01T00:00:00Z"}),
		"InvalidParameterException", "user.custom:joined: Attribute cannot be updated.\n")
	wantAPIError(t, respond(p.clientID, out.Session, map[string]string{"userAttributes.email": "nia"}), "InvalidParameterException",
		"user.email: String must be at least 5 characters\n")
	n := start(*narrow.UserPoolClient.ClientId)
	wantAPIError(t, respond(*narrow.UserPoolClient.ClientId, n.Session, map[string]string{"userAttributes.email": "nia@example.com", "userAttributes.name": "Nia"}),
		"NotAuthorizedException", "A client attempted to write unauthorized attribute")
	if err := respond(*narrow.UserPoolClient.ClientId, n.Session, map[string]string{"userAttributes.email": "nia@example.com"}); err != nil {
		t.Fatal(err)
	}
	if v, _ := userAttr(p.adminGet(t, "nia"), "email"); v != "nia@example.com" {
		t.Errorf("email after the challenge: %q", v)
	}
}

// TestUserInfoCustomAttributes reads custom attributes at /oauth2/userInfo
// as strings, within the client's ReadAttributes.
func TestUserInfoCustomAttributes(t *testing.T) {
	p := newWebPool(t, nil, "")
	ctx := context.Background()
	if _, err := p.c.AddCustomAttributes(ctx, &cip.AddCustomAttributesInput{UserPoolId: aws.String(p.poolID), CustomAttributes: []types.SchemaAttributeType{
		{Name: aws.String("tier"), AttributeDataType: types.AttributeDataTypeString},
		{Name: aws.String("vip"), AttributeDataType: types.AttributeDataTypeBoolean},
		{Name: aws.String("age"), AttributeDataType: types.AttributeDataTypeNumber},
	}}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.c.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(p.poolID), Username: aws.String("alice"),
		UserAttributes: attrs("custom:tier", "gold", "custom:vip", "true", "custom:age", "42")}); err != nil {
		t.Fatal(err)
	}
	// openid alone releases every attribute the client reads.
	out, err := p.c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(p.poolID), ClientName: aws.String("reader"),
		AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeCode}, AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthScopes: []string{"openid"}, CallbackURLs: []string{callback},
		ReadAttributes: []string{"email", "custom:tier", "custom:vip"}})
	if err != nil {
		t.Fatal(err)
	}
	cfg := p.oauthConfig(*out.UserPoolClient.ClientId, "")
	cfg.Scopes = []string{"openid"}
	tok := codeFlowTokens(t, cfg, "alice", "Alice-pass-1")
	req, _ := http.NewRequest(http.MethodGet, p.issuer()+"/oauth2/userInfo", nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var info map[string]any
	json.NewDecoder(resp.Body).Decode(&info)
	resp.Body.Close()
	if resp.StatusCode != 200 || info["custom:tier"] != "gold" || info["custom:vip"] != "true" || info["email"] != "alice@example.com" {
		t.Errorf("userInfo: %d %#v", resp.StatusCode, info)
	}
	if _, ok := info["custom:age"]; ok {
		t.Errorf("userInfo released custom:age, which the client does not read: %v", info)
	}
	// The ID token from the same sign-in: strings too.
	idTok, _ := tok.Extra("id_token").(string)
	idv := &verify.Verifier{Algorithm: verify.RS256, Issuer: p.issuer(), TokenUse: verify.IDToken, ClientIDs: []string{*out.UserPoolClient.ClientId}}
	ic, err := idv.Verify(ctx, idTok)
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := ic.Get("custom:vip"); !ok || v != "true" {
		t.Errorf("ID token custom:vip: %#v", v)
	}
	if _, ok := ic.Get("custom:age"); ok {
		t.Error("ID token carries custom:age, which the client does not read")
	}
}
