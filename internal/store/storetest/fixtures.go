package storetest

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

const (
	region      = "us-east-1"
	otherRegion = "eu-west-2"
)

// zone is a non-UTC location: the suite writes times in it and expects UTC.
var zone = time.FixedZone("UTC+05:30", 5*3600+30*60)

// t0 has sub-millisecond digits that a backend must drop.
var t0 = time.Date(2024, 3, 10, 12, 34, 56, 789_654_321, zone)

func ptr[T any](v T) *T { return &v }

// fullPoolSettings sets every member, with RawMessages holding HTML
// characters and non-ASCII text in compact form.
func fullPoolSettings() cognito.PoolSettings {
	return cognito.PoolSettings{
		Policies: &cognito.UserPoolPolicy{
			PasswordPolicy: &cognito.PasswordPolicy{
				MinimumLength:                 ptr(int32(12)),
				RequireUppercase:              true,
				RequireLowercase:              true,
				RequireNumbers:                false,
				RequireSymbols:                true,
				PasswordHistorySize:           ptr(int32(0)),
				TemporaryPasswordValidityDays: ptr(int32(7)),
			},
			SignInPolicy: json.RawMessage(`{"AllowedFirstAuthFactors":["PASSWORD","EMAIL_OTP"]}`),
		},
		DeletionProtection:          "ACTIVE",
		LambdaConfig:                json.RawMessage(`{"PreSignUp":"arn:aws:lambda:us-east-1:123456789012:function:pre","KMSKeyID":null}`),
		AutoVerifiedAttributes:      []string{"email"},
		AliasAttributes:             []string{"preferred_username", "email"},
		UsernameAttributes:          []string{"phone_number"},
		SmsVerificationMessage:      "Your code is {####}",
		EmailVerificationMessage:    "<p>Your code is {####} & welcome</p>",
		EmailVerificationSubject:    "Vérifiez — “now”",
		VerificationMessageTemplate: json.RawMessage(`{"DefaultEmailOption":"CONFIRM_WITH_LINK","EmailMessageByLink":"<a href=\"{##Click##}\">Click & go</a>","SmsMessage":"ü {####}"}`),
		SmsAuthenticationMessage:    "Auth\u2028{####}\u2029",
		UserAttributeUpdateSettings: json.RawMessage(`{"AttributesRequireVerificationBeforeUpdate":["email"]}`),
		MfaConfiguration:            "OPTIONAL",
		DeviceConfiguration:         json.RawMessage(`{"ChallengeRequiredOnNewDevice":true,"DeviceOnlyRememberedOnUserPrompt":false}`),
		EmailConfiguration:          json.RawMessage(`{"EmailSendingAccount":"COGNITO_DEFAULT"}`),
		SmsConfiguration:            json.RawMessage(`{"SnsCallerArn":"arn:aws:iam::123456789012:role/sms","ExternalId":"x\u2028y","SnsRegion":"us-east-1"}`),
		UserPoolTags:                map[string]string{"team": "auth", "cost<center>": "a&b", "": "empty key"},
		AdminCreateUserConfig: &cognito.AdminCreateUserConfig{
			AllowAdminCreateUserOnly:  true,
			UnusedAccountValidityDays: ptr(int32(7)),
			InviteMessageTemplate:     json.RawMessage(`{"EmailMessage":"Hi {username}, <b>{####}</b>","EmailSubject":"Welcome","SMSMessage":"{username} {####}"}`),
		},
		SchemaAttributes: []cognito.SchemaAttribute{
			{Name: "email", AttributeDataType: "String", Required: ptr(true), Mutable: ptr(true)},
			{
				Name: "custom:tier", AttributeDataType: "Number", DeveloperOnlyAttribute: ptr(false), Mutable: ptr(false),
				NumberAttributeConstraints: &cognito.AttributeConstraints{MinValue: ptr("0"), MaxValue: ptr("10")},
			},
			{
				Name: "custom:nick", AttributeDataType: "String",
				StringAttributeConstraints: &cognito.AttributeConstraints{MinLength: ptr("1"), MaxLength: ptr("")},
			},
		},
		UserPoolAddOns:         json.RawMessage(`{"AdvancedSecurityMode":"OFF"}`),
		UsernameConfiguration:  &cognito.UsernameConfiguration{CaseSensitive: ptr(false)},
		AccountRecoverySetting: json.RawMessage(`{"RecoveryMechanisms":[{"Priority":1,"Name":"verified_email"},{"Priority":2,"Name":"verified_phone_number"}]}`),
		UserPoolTier:           "ESSENTIALS",
	}
}

// fullClientSettings sets every member.
func fullClientSettings() cognito.ClientSettings {
	return cognito.ClientSettings{
		ClientName:                               "web <app> & co",
		RefreshTokenValidity:                     30,
		AccessTokenValidity:                      ptr(int32(60)),
		IdTokenValidity:                          ptr(int32(0)),
		TokenValidityUnits:                       &cognito.TokenValidityUnits{AccessToken: "minutes", IdToken: "minutes", RefreshToken: "days"},
		ReadAttributes:                           []string{"email", "custom:tier"},
		WriteAttributes:                          []string{"email"},
		ExplicitAuthFlows:                        []string{"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
		SupportedIdentityProviders:               []string{"COGNITO"},
		CallbackURLs:                             []string{"https://example.com/cb?a=1&b=<2>", "http://localhost:3000/"},
		LogoutURLs:                               []string{"https://example.com/bye"},
		DefaultRedirectURI:                       "https://example.com/cb?a=1&b=<2>",
		AllowedOAuthFlows:                        []string{"code"},
		AllowedOAuthScopes:                       []string{"openid", "email", "https://api.example.com/read"},
		AllowedOAuthFlowsUserPoolClient:          true,
		AnalyticsConfiguration:                   json.RawMessage(`{"ApplicationId":"abc","UserDataShared":true}`),
		PreventUserExistenceErrors:               "ENABLED",
		EnableTokenRevocation:                    true,
		EnablePropagateAdditionalUserContextData: true,
		AuthSessionValidity:                      3,
		RefreshTokenRotation:                     &cognito.RefreshTokenRotation{Feature: "ENABLED", RetryGracePeriodSeconds: ptr[int32](10)},
	}
}

func newPool(region, name string) *cognito.UserPool {
	return &cognito.UserPool{
		ID:               cognito.NewPoolID(region),
		Name:             name,
		CreationDate:     t0,
		LastModifiedDate: t0.Add(time.Second),
		Settings:         cognito.PoolSettings{MfaConfiguration: "OFF", AutoVerifiedAttributes: []string{"email"}},
	}
}

func newClient(poolID, name string) *cognito.AppClient {
	return &cognito.AppClient{
		UserPoolID:       poolID,
		ClientID:         cognito.NewClientID(),
		CreationDate:     t0,
		LastModifiedDate: t0,
		Settings:         cognito.ClientSettings{ClientName: name, RefreshTokenValidity: 30},
	}
}

func newRS(poolID, identifier string) *cognito.ResourceServer {
	return &cognito.ResourceServer{
		UserPoolID: poolID,
		Identifier: identifier,
		Name:       "rs " + identifier,
		Scopes:     []cognito.ResourceServerScope{{ScopeName: "read", ScopeDescription: "Read access"}},
	}
}

func newDomain(poolID, prefix string) *cognito.Domain {
	return &cognito.Domain{Domain: prefix, UserPoolID: poolID, CreationDate: t0, ManagedLoginVersion: 2}
}

func newKey() *cognito.AccessKey {
	return &cognito.AccessKey{AccessKeyID: cognito.NewAccessKeyID(), SealedSecret: []byte{0, 1, 2, 0xff, 0, 'k'}, CreationDate: t0}
}

// ---- creating rows through Update, failing the test on error

func createPool(t *testing.T, e *env, p *cognito.UserPool) *cognito.UserPool {
	t.Helper()
	update(t, e, func(tx cognito.Tx) error { return tx.CreateUserPool(e.ctx, p) })
	return p
}

func createClient(t *testing.T, e *env, c *cognito.AppClient) *cognito.AppClient {
	t.Helper()
	update(t, e, func(tx cognito.Tx) error { return tx.CreateAppClient(e.ctx, c) })
	return c
}

func createRS(t *testing.T, e *env, rs *cognito.ResourceServer) *cognito.ResourceServer {
	t.Helper()
	update(t, e, func(tx cognito.Tx) error { return tx.CreateResourceServer(e.ctx, rs) })
	return rs
}

func createDomain(t *testing.T, e *env, d *cognito.Domain) *cognito.Domain {
	t.Helper()
	update(t, e, func(tx cognito.Tx) error { return tx.CreateDomain(e.ctx, d) })
	return d
}

func createKey(t *testing.T, e *env, k *cognito.AccessKey) *cognito.AccessKey {
	t.Helper()
	update(t, e, func(tx cognito.Tx) error { return tx.CreateAccessKey(e.ctx, k) })
	return k
}

// samplePool creates a pool in region with a unique name.
func samplePool(t *testing.T, e *env) *cognito.UserPool {
	t.Helper()
	return createPool(t, e, newPool(region, "pool"))
}

func ident(i int) string { return fmt.Sprintf("https://api%02d.example.com", i) }
