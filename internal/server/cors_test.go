package server

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitod/cognitod/internal/cognito"
)

const pageOrigin = "https://app.example.com"

// TestCORSPreflight: what each endpoint grants a page on another origin.
func TestCORSPreflight(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	c := ts.client("us-east-1")
	poolID := createPool(t, c, "spa")
	if _, err := c.CreateUserPoolDomain(context.Background(), &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(poolID), Domain: aws.String("spa")}); err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(ts.URL, "http://"))
	domain := "spa.auth.us-east-1.localhost:" + port
	sdkHeaders := "content-type,x-amz-target,x-amz-user-agent"
	tests := []struct {
		name, host, path, method, headers string
		// allowed is "" when the preflight must be refused.
		allowed, methods string
	}{
		{"api: identity-js", "", "/", "POST", "Content-Type, X-Amz-Target, X-Amz-User-Agent", sdkHeaders, "POST"},
		{"api: Amplify v6", "", "/", "POST", "cache-control,content-type,x-amz-target,x-amz-user-agent", "cache-control,content-type,x-amz-target,x-amz-user-agent", "POST"},
		{"api: SDK v3", "", "/", "POST", "amz-sdk-invocation-id,amz-sdk-request,content-type,x-amz-target,x-amz-user-agent", "amz-sdk-invocation-id,amz-sdk-request,content-type,x-amz-target,x-amz-user-agent", "POST"},
		{"api: SigV4 authorization refused", "", "/", "POST", "authorization,content-type,x-amz-date,x-amz-target", "", ""},
		{"api: session token refused", "", "/", "POST", "content-type,x-amz-security-token,x-amz-target", "", ""},
		{"api: x-amz-date refused", "", "/", "POST", "content-type,x-amz-date,x-amz-target", "", ""},
		{"api: GET refused", "", "/", "GET", "", "", ""},
		{"token", "", "/" + poolID + "/oauth2/token", "POST", "authorization,content-type", "authorization,content-type", "POST"},
		{"token: PUT refused", "", "/" + poolID + "/oauth2/token", "PUT", "", "", ""},
		{"revoke", "", "/" + poolID + "/oauth2/revoke", "POST", "content-type", "content-type", "POST"},
		{"userInfo GET", "", "/" + poolID + "/oauth2/userInfo", "GET", "authorization", "authorization", "GET,POST"},
		{"userInfo POST", "", "/" + poolID + "/oauth2/userInfo", "POST", "authorization", "authorization", "GET,POST"},
		{"jwks", "", "/" + poolID + "/.well-known/jwks.json", "GET", "cache-control", "cache-control", "GET"},
		{"jwks: authorization refused", "", "/" + poolID + "/.well-known/jwks.json", "GET", "authorization", "", ""},
		{"discovery", "", "/" + poolID + "/.well-known/openid-configuration", "GET", "", "", "GET"},
		{"domain host: token", domain, "/oauth2/token", "POST", "authorization,content-type", "authorization,content-type", "POST"},
		{"domain host: userInfo", domain, "/oauth2/userInfo", "GET", "authorization", "authorization", "GET,POST"},
		{"domain host: jwks", domain, "/.well-known/jwks.json", "GET", "", "", "GET"},
		{"domain host: login page not listed", domain, "/login", "POST", "content-type", "", ""},
		{"authorize not listed", "", "/" + poolID + "/oauth2/authorize", "GET", "", "", ""},
		{"console not listed", "", "/console/", "POST", "content-type", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodOptions, ts.URL+tt.path, nil)
			if tt.host != "" {
				req.Host = tt.host
			}
			req.Header.Set("Origin", pageOrigin)
			req.Header.Set("Access-Control-Request-Method", tt.method)
			if tt.headers != "" {
				req.Header.Set("Access-Control-Request-Headers", tt.headers)
			}
			resp := doPlain(t, req)
			h := resp.Header
			if tt.methods == "" {
				if resp.Status == http.StatusOK || h.Get("Access-Control-Allow-Origin") != "" {
					t.Fatalf("preflight granted: %d %v", resp.Status, h)
				}
				return
			}
			if resp.Status != http.StatusOK || h.Get("Access-Control-Allow-Origin") != "*" || h.Get("Access-Control-Allow-Methods") != tt.methods ||
				h.Get("Access-Control-Allow-Headers") != tt.allowed || h.Get("Access-Control-Max-Age") != "172800" ||
				h.Get("Access-Control-Allow-Credentials") != "" {
				t.Fatalf("preflight: %d %v", resp.Status, h)
			}
		})
	}
}

// TestCORSActualResponses: unsigned operations and the OAuth endpoints
// carry Access-Control-Allow-Origin, errors included; signed operations
// never do, even when a (non-browser) caller sends an Origin.
func TestCORSActualResponses(t *testing.T) {
	p := newUserPool(t, "")
	api := func(operation, body string, signed bool) rawResponse {
		var req *http.Request
		if signed {
			req = signedRequest(t, p.ts, operation, body)
		} else {
			req, _ = http.NewRequest(http.MethodPost, p.ts.URL+"/", bytes.NewBufferString(body))
			req.Header.Set("Content-Type", "application/x-amz-json-1.1")
			req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+operation)
		}
		req.Header.Set("Origin", pageOrigin)
		return do(t, req)
	}
	tests := []struct {
		name string
		resp func() rawResponse
		cors bool
	}{
		{"InitiateAuth error", func() rawResponse {
			return api("InitiateAuth", `{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"`+p.clientID+`","AuthParameters":{"USERNAME":"nobody","PASSWORD":"x"}}`, false)
		}, true},
		{"GetTokensFromRefreshToken error", func() rawResponse {
			return api("GetTokensFromRefreshToken", `{"ClientId":"`+p.clientID+`","RefreshToken":"nope"}`, false)
		}, true},
		{"unknown operation", func() rawResponse { return api("NoSuchOperation", `{}`, false) }, true},
		{"signed DescribeUserPool", func() rawResponse { return api("DescribeUserPool", `{"UserPoolId":"`+p.poolID+`"}`, true) }, false},
		{"unsigned call to a signed operation", func() rawResponse { return api("ListUserPools", `{"MaxResults":1}`, false) }, false},
		{"token endpoint error", func() rawResponse {
			req, _ := http.NewRequest(http.MethodPost, p.ts.URL+"/"+p.poolID+"/oauth2/token", strings.NewReader("grant_type=refresh_token&client_id="+p.clientID+"&refresh_token=x"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", pageOrigin)
			return do(t, req)
		}, true},
		{"jwks", func() rawResponse {
			req, _ := http.NewRequest(http.MethodGet, p.ts.URL+"/"+p.poolID+"/.well-known/jwks.json", nil)
			req.Header.Set("Origin", pageOrigin)
			return do(t, req)
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.resp()
			got := r.Header.Get("Access-Control-Allow-Origin")
			if tt.cors {
				if got != "*" || !strings.Contains(r.Header.Get("Access-Control-Expose-Headers"), "x-amzn-ErrorType") {
					t.Fatalf("%d %v: want CORS headers", r.Status, r.Header)
				}
			} else if got != "" || r.Header.Get("Access-Control-Expose-Headers") != "" {
				t.Fatalf("%d %v: want no CORS headers", r.Status, r.Header)
			}
		})
	}
}

// TestRefusedPoolSettings: settings cognitod would store but not enforce,
// where that would leave users less safe than the owner asked, are
// refused at CreateUserPool and UpdateUserPool.
func TestRefusedPoolSettings(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	c := ts.client("us-east-1")
	poolID := createPool(t, c, "strict")
	tests := []struct{ name, settings, message string }{
		// MFA is enforced now; ON or OPTIONAL without any factor is
		// refused as Cognito refuses it (mfa_test.go has the rest).
		{"MFA on without a factor", `"MfaConfiguration":"ON"`, "SMS configuration and Auto verification for phone_number are required when MFA is required/optional"},
		{"MFA optional without a factor", `"MfaConfiguration":"OPTIONAL"`, "SMS configuration and Auto verification for phone_number are required when MFA is required/optional"},
		{"pre sign-up trigger", `"LambdaConfig":{"PreSignUp":"arn:aws:lambda:us-east-1:123456789012:function:f"}`, "LambdaConfig PreSignUp is not supported: cognitod calls Lambda triggers as webhooks, and no --trigger or --triggers-file is configured."},
		{"pre token generation", `"LambdaConfig":{"KMSKeyID":"arn:aws:kms:us-east-1:123456789012:key/k","PreTokenGenerationConfig":{"LambdaArn":"arn:aws:lambda:us-east-1:123456789012:function:f","LambdaVersion":"V2_0"}}`, "LambdaConfig PreTokenGenerationConfig is not supported: cognitod calls Lambda triggers as webhooks, and no --trigger or --triggers-file is configured."},
		{"custom SMS sender", `"LambdaConfig":{"CustomSMSSender":{"LambdaVersion":"V1_0","LambdaArn":"arn:aws:lambda:us-east-1:123456789012:function:f"}}`, "LambdaConfig CustomSMSSender is not supported: cognitod does not invoke this Lambda trigger yet."},
		{"threat protection", `"UserPoolAddOns":{"AdvancedSecurityMode":"ENFORCED"}`, "UserPoolAddOns AdvancedSecurityMode ENFORCED is not supported: cognitod does not enforce it yet."},
		{"custom auth threat protection", `"UserPoolAddOns":{"AdvancedSecurityMode":"AUDIT","AdvancedSecurityAdditionalFlows":{"CustomAuthMode":"ENFORCED"}}`, "UserPoolAddOns AdvancedSecurityAdditionalFlows CustomAuthMode ENFORCED is not supported: cognitod does not enforce it yet."},
		{"new device challenge", `"DeviceConfiguration":{"ChallengeRequiredOnNewDevice":true}`, "DeviceConfiguration ChallengeRequiredOnNewDevice is not supported: cognitod does not enforce it yet."},
		{"password history", `"Policies":{"PasswordPolicy":{"MinimumLength":8,"PasswordHistorySize":5}}`, "PasswordPolicy PasswordHistorySize is not supported: cognitod does not enforce it yet."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, op := range []struct{ name, body string }{
				{"CreateUserPool", `{"PoolName":"p",` + tt.settings + `}`},
				{"UpdateUserPool", `{"UserPoolId":"` + poolID + `",` + tt.settings + `}`},
			} {
				r := ts.raw(t, op.name, op.body)
				if r.Status != 400 || r.Body["__type"] != "InvalidParameterException" || r.Body["message"] != tt.message {
					t.Errorf("%s: %d %v", op.name, r.Status, r.Body)
				}
			}
		})
	}
	// What stays accepted: MFA with a factor, a KMS key without a
	// trigger, audit-only threat protection.
	for _, s := range []string{`"MfaConfiguration":"OPTIONAL","SmsConfiguration":{"SnsCallerArn":"arn:aws:iam::123456789012:role/sms"}`, `"MfaConfiguration":"OFF"`, `"LambdaConfig":{}`,
		`"LambdaConfig":{"KMSKeyID":"arn:aws:kms:us-east-1:123456789012:key/k"}`, `"UserPoolAddOns":{"AdvancedSecurityMode":"AUDIT"}`,
		`"DeviceConfiguration":{"ChallengeRequiredOnNewDevice":false,"DeviceOnlyRememberedOnUserPrompt":true}`,
		`"Policies":{"PasswordPolicy":{"MinimumLength":8,"PasswordHistorySize":0}}`} {
		if r := ts.raw(t, "CreateUserPool", `{"PoolName":"p",`+s+`}`); r.Status != 200 {
			t.Errorf("%s: %d %v, want accepted", s, r.Status, r.Body)
		}
	}
	// A refused update leaves the pool as it was.
	d, err := c.DescribeUserPool(context.Background(), &cip.DescribeUserPoolInput{UserPoolId: aws.String(poolID)})
	if err != nil {
		t.Fatal(err)
	}
	if d.UserPool.MfaConfiguration != "OFF" || d.UserPool.LambdaConfig.PreSignUp != nil {
		t.Errorf("pool after refused updates: MFA %s", d.UserPool.MfaConfiguration)
	}
}

// doPlain sends req and returns its status and headers, whatever the body.
func doPlain(t testing.TB, req *http.Request) rawResponse {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return rawResponse{Status: resp.StatusCode, Header: resp.Header}
}
