package server

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/cognito"
)

// TestClientRules checks Cognito's cross-field rules for app clients.
func TestClientRules(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	ctx := context.Background()
	c := ts.client("us-east-1")
	poolID := createPool(t, c, "clients")
	if _, err := c.CreateResourceServer(ctx, photoServer(poolID)); err != nil {
		t.Fatal(err)
	}
	flows := func(f ...types.OAuthFlowType) []types.OAuthFlowType { return f }
	cc, code, implicit := types.OAuthFlowTypeClientCredentials, types.OAuthFlowTypeCode, types.OAuthFlowTypeImplicit
	tests := []struct {
		name     string
		in       cip.CreateUserPoolClientInput
		wantCode string
		wantMsg  string
	}{
		{"ok/client-credentials", cip.CreateUserPoolClientInput{GenerateSecret: true, AllowedOAuthFlows: flows(cc), AllowedOAuthScopes: []string{"com.example.photos/read"}, AllowedOAuthFlowsUserPoolClient: true}, "", ""},
		{"ok/code-localhost-http", cip.CreateUserPoolClientInput{AllowedOAuthFlows: flows(code), AllowedOAuthScopes: []string{"openid", "com.example.photos/read"}, AllowedOAuthFlowsUserPoolClient: true, CallbackURLs: []string{"http://localhost:3000/cb", "http://127.0.0.1/cb", "http://[::1]:8080/", "myapp://callback"}, DefaultRedirectURI: aws.String("myapp://callback")}, "", ""},
		{"ok/flows-stored-when-oauth-off", cip.CreateUserPoolClientInput{AllowedOAuthFlows: flows(code), AllowedOAuthScopes: []string{"openid"}, CallbackURLs: []string{"https://example.com/cb"}}, "", ""},
		{"fail/cc-without-secret", cip.CreateUserPoolClientInput{AllowedOAuthFlows: flows(cc), AllowedOAuthScopes: []string{"com.example.photos/read"}, AllowedOAuthFlowsUserPoolClient: true}, "InvalidOAuthFlowException", "client_credentials flow can not be selected if client does not have a client secret."},
		{"fail/cc-with-code", cip.CreateUserPoolClientInput{GenerateSecret: true, AllowedOAuthFlows: flows(cc, code), AllowedOAuthScopes: []string{"com.example.photos/read"}, AllowedOAuthFlowsUserPoolClient: true, CallbackURLs: []string{"https://example.com/cb"}}, "InvalidOAuthFlowException", "client_credentials flow can not be selected along with code flow or implicit flow."},
		{"fail/cc-with-openid", cip.CreateUserPoolClientInput{GenerateSecret: true, AllowedOAuthFlows: flows(cc), AllowedOAuthScopes: []string{"openid"}, AllowedOAuthFlowsUserPoolClient: true}, "InvalidOAuthFlowException", "openid is not supported with client_credentials flow"},
		{"fail/oauth-without-flows", cip.CreateUserPoolClientInput{AllowedOAuthScopes: []string{"openid"}, AllowedOAuthFlowsUserPoolClient: true}, "InvalidParameterException", "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows."},
		{"fail/implicit-without-callbacks", cip.CreateUserPoolClientInput{AllowedOAuthFlows: flows(implicit), AllowedOAuthScopes: []string{"openid"}, AllowedOAuthFlowsUserPoolClient: true}, "InvalidOAuthFlowException", "CallbackUrls can not be empty when code flow or implicit flow is selected"},
		{"fail/unknown-custom-scope", cip.CreateUserPoolClientInput{GenerateSecret: true, AllowedOAuthFlows: flows(cc), AllowedOAuthScopes: []string{"com.example.photos/delete"}, AllowedOAuthFlowsUserPoolClient: true}, "ScopeDoesNotExistException", "Invalid scope requested: com.example.photos/delete"},
		{"fail/unknown-server-scope", cip.CreateUserPoolClientInput{AllowedOAuthScopes: []string{"nosuch/read"}}, "ScopeDoesNotExistException", "Invalid scope requested: nosuch/read"},
		{"fail/http-callback", cip.CreateUserPoolClientInput{AllowedOAuthFlows: flows(code), AllowedOAuthScopes: []string{"openid"}, AllowedOAuthFlowsUserPoolClient: true, CallbackURLs: []string{"http://localhost.com/"}}, "InvalidParameterException", "http://localhost.com/ cannot use the HTTP protocol."},
		{"fail/callback-fragment", cip.CreateUserPoolClientInput{CallbackURLs: []string{"https://example.com/cb#frag"}}, "InvalidParameterException", "https://example.com/cb#frag cannot contain a fragment."},
		{"fail/callback-relative", cip.CreateUserPoolClientInput{CallbackURLs: []string{"/cb"}}, "InvalidParameterException", "/cb is not a valid URL."},
		{"fail/logout-http", cip.CreateUserPoolClientInput{LogoutURLs: []string{"http://example.com/bye"}}, "InvalidParameterException", "http://example.com/bye cannot use the HTTP protocol."},
		{"fail/default-redirect-not-listed", cip.CreateUserPoolClientInput{CallbackURLs: []string{"https://example.com/cb"}, DefaultRedirectURI: aws.String("https://example.com/other")}, "InvalidParameterException", "DefaultRedirectURI must be one of the CallbackURLs."},
		{"fail/access-token-too-short", cip.CreateUserPoolClientInput{AccessTokenValidity: aws.Int32(4), TokenValidityUnits: &types.TokenValidityUnitsType{AccessToken: types.TimeUnitsTypeMinutes}}, "InvalidParameterException", "Invalid range for token validity."},
		{"fail/id-token-too-long", cip.CreateUserPoolClientInput{IdTokenValidity: aws.Int32(25)}, "InvalidParameterException", "Invalid range for token validity."},
		{"fail/refresh-too-long", cip.CreateUserPoolClientInput{RefreshTokenValidity: 3651}, "InvalidParameterException", "Invalid range for token validity."},
		{"fail/refresh-too-short", cip.CreateUserPoolClientInput{RefreshTokenValidity: 59, TokenValidityUnits: &types.TokenValidityUnitsType{RefreshToken: types.TimeUnitsTypeMinutes}}, "InvalidParameterException", "Invalid range for token validity."},
		{"fail/refresh-shorter-than-access", cip.CreateUserPoolClientInput{AccessTokenValidity: aws.Int32(2), RefreshTokenValidity: 90, TokenValidityUnits: &types.TokenValidityUnitsType{RefreshToken: types.TimeUnitsTypeMinutes}}, "InvalidParameterException", "Invalid range for token validity."},
		{"ok/validity-at-the-limits", cip.CreateUserPoolClientInput{AccessTokenValidity: aws.Int32(5), IdTokenValidity: aws.Int32(24), RefreshTokenValidity: 1440,
			TokenValidityUnits: &types.TokenValidityUnitsType{AccessToken: types.TimeUnitsTypeMinutes, RefreshToken: types.TimeUnitsTypeMinutes}}, "", ""},
		{"ok/token-validity-minutes", cip.CreateUserPoolClientInput{AccessTokenValidity: aws.Int32(5), IdTokenValidity: aws.Int32(1440), TokenValidityUnits: &types.TokenValidityUnitsType{AccessToken: types.TimeUnitsTypeMinutes, IdToken: types.TimeUnitsTypeMinutes}}, "", ""},
		{"fail/unknown-identity-provider", cip.CreateUserPoolClientInput{SupportedIdentityProviders: []string{"Google"}}, "InvalidParameterException", "The provider Google does not exist for User Pool " + poolID},
		{"fail/read-attribute-unknown", cip.CreateUserPoolClientInput{ReadAttributes: []string{"shoe_size"}}, "InvalidParameterException", "Invalid read attributes specified while creating a client"},
		{"ok/read-attributes", cip.CreateUserPoolClientInput{ReadAttributes: []string{"email", "email_verified"}}, "", ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.UserPoolId, in.ClientName = aws.String(poolID), aws.String(fmt.Sprint("client", i))
			out, err := c.CreateUserPoolClient(ctx, &in)
			if tt.wantCode == "" {
				if err != nil {
					t.Fatalf("got %v, want success", err)
				}
				// What was accepted is stored, flows included when OAuth is off.
				d, err := c.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: in.UserPoolId, ClientId: out.UserPoolClient.ClientId})
				if err != nil {
					t.Fatal(err)
				}
				got := d.UserPoolClient
				if !slices.Equal(got.AllowedOAuthFlows, in.AllowedOAuthFlows) || !slices.Equal(got.AllowedOAuthScopes, in.AllowedOAuthScopes) ||
					aws.ToBool(got.AllowedOAuthFlowsUserPoolClient) != in.AllowedOAuthFlowsUserPoolClient || !slices.Equal(got.CallbackURLs, in.CallbackURLs) {
					t.Errorf("stored flows %v, scopes %v, OAuth %v, callbacks %v; sent %v, %v, %v, %v", got.AllowedOAuthFlows, got.AllowedOAuthScopes,
						aws.ToBool(got.AllowedOAuthFlowsUserPoolClient), got.CallbackURLs, in.AllowedOAuthFlows, in.AllowedOAuthScopes, in.AllowedOAuthFlowsUserPoolClient, in.CallbackURLs)
				}
				// Update with the same settings must pass the same rules.
				_, err = c.UpdateUserPoolClient(ctx, &cip.UpdateUserPoolClientInput{UserPoolId: in.UserPoolId, ClientId: out.UserPoolClient.ClientId,
					AllowedOAuthFlows: in.AllowedOAuthFlows, AllowedOAuthScopes: in.AllowedOAuthScopes, AllowedOAuthFlowsUserPoolClient: in.AllowedOAuthFlowsUserPoolClient,
					CallbackURLs: in.CallbackURLs, DefaultRedirectURI: in.DefaultRedirectURI, AccessTokenValidity: in.AccessTokenValidity, IdTokenValidity: in.IdTokenValidity, RefreshTokenValidity: in.RefreshTokenValidity,
					TokenValidityUnits: in.TokenValidityUnits, ReadAttributes: in.ReadAttributes})
				if err != nil {
					t.Fatalf("update with the same settings: %v", err)
				}
				return
			}
			wantAPIError(t, err, tt.wantCode, tt.wantMsg)
		})
	}
}

// TestClientUpdateReplaces: UpdateUserPoolClient resets what it omits and
// keeps the name and secret.
func TestClientUpdateReplaces(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	ctx := context.Background()
	c := ts.client("us-east-1")
	poolID := createPool(t, c, "update")
	created, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("app"), GenerateSecret: true,
		CallbackURLs: []string{"https://example.com/cb"}, RefreshTokenValidity: 10})
	if err != nil {
		t.Fatal(err)
	}
	id := created.UserPoolClient.ClientId
	upd, err := c.UpdateUserPoolClient(ctx, &cip.UpdateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientId: id, LogoutURLs: []string{"https://example.com/bye"}})
	if err != nil {
		t.Fatal(err)
	}
	u := upd.UserPoolClient
	if aws.ToString(u.ClientName) != "app" || len(u.CallbackURLs) != 0 || u.RefreshTokenValidity != 30 || len(u.LogoutURLs) != 1 {
		t.Errorf("after update: name %q callbacks %v refresh %d logout %v", aws.ToString(u.ClientName), u.CallbackURLs, u.RefreshTokenValidity, u.LogoutURLs)
	}
	if aws.ToString(u.ClientSecret) != aws.ToString(created.UserPoolClient.ClientSecret) {
		t.Error("secret changed on update")
	}
	_, err = c.UpdateUserPoolClient(ctx, &cip.UpdateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientId: aws.String("nosuchclient0000000000000a")})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool client nosuchclient0000000000000a does not exist.")
	if _, err := c.DeleteUserPoolClient(ctx, &cip.DeleteUserPoolClientInput{UserPoolId: aws.String(poolID), ClientId: id}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DeleteUserPoolClient(ctx, &cip.DeleteUserPoolClientInput{UserPoolId: aws.String(poolID), ClientId: id})
	wantAPIError(t, err, "ResourceNotFoundException", "")
}

// TestDeletedScopeStaysOnClient: deleting a scope from its server keeps
// the client's association; the client can still be updated with it only
// once the scope exists again.
func TestDeletedScopeStaysOnClient(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	ctx := context.Background()
	c := ts.client("us-east-1")
	poolID := createPool(t, c, "scopes")
	if _, err := c.CreateResourceServer(ctx, photoServer(poolID)); err != nil {
		t.Fatal(err)
	}
	cl, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("m2m"), GenerateSecret: true,
		AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials}, AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthScopes: []string{"com.example.photos/read", "com.example.photos/write"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteResourceServer(ctx, &cip.DeleteResourceServerInput{UserPoolId: aws.String(poolID), Identifier: aws.String("com.example.photos")}); err != nil {
		t.Fatal(err)
	}
	d, err := c.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(poolID), ClientId: cl.UserPoolClient.ClientId})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.UserPoolClient.AllowedOAuthScopes) != 2 {
		t.Errorf("client scopes after server deletion = %v, want both kept", d.UserPoolClient.AllowedOAuthScopes)
	}
	update := &cip.UpdateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientId: cl.UserPoolClient.ClientId, ClientName: aws.String("m2m"),
		AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials}, AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthScopes: []string{"com.example.photos/read", "com.example.photos/write"}}
	_, err = c.UpdateUserPoolClient(ctx, update)
	wantAPIError(t, err, "ScopeDoesNotExistException", "Invalid scope requested: com.example.photos/read")
	if _, err := c.CreateResourceServer(ctx, photoServer(poolID)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateUserPoolClient(ctx, update); err != nil {
		t.Errorf("update once the scopes exist again: %v", err)
	}
}
