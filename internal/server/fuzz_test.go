package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/cognitod/cognitod/internal/cognito"
)

// FuzzAPI sends signed requests with arbitrary targets and bodies through
// the whole handler over a real SQLite store. Every answer must be a 200
// or a 400 with a Cognito-style error body, never a 500 or a panic.
func FuzzAPI(f *testing.F) {
	ts := newTestServer(f, cognito.Limits{})
	poolID := createPool(f, ts.client("us-east-1"), "fuzz")
	handler := ts.http.Config.Handler
	seeds := []struct{ op, body string }{
		{"CreateResourceServer", `{"UserPoolId":"` + poolID + `","Identifier":"com.example.photos","Name":"Photo Server","Scopes":[{"ScopeName":"read","ScopeDescription":"view"}]}`},
		{"UpdateResourceServer", `{"UserPoolId":"` + poolID + `","Identifier":"com.example.photos","Name":"n","Scopes":[{"ScopeName":"read","ScopeDescription":"view"},{"ScopeName":"read","ScopeDescription":"dup"}]}`},
		{"CreateUserPoolClient", `{"UserPoolId":"` + poolID + `","ClientName":"c","GenerateSecret":true,"AllowedOAuthFlows":["client_credentials"],"AllowedOAuthScopes":["com.example.photos/read"],"AllowedOAuthFlowsUserPoolClient":true}`},
		{"CreateUserPoolClient", `{"UserPoolId":"` + poolID + `","ClientName":"c","CallbackURLs":["http://[::1","::","https://x#y"],"DefaultRedirectURI":"%"}`},
		{"ListResourceServers", `{"UserPoolId":"` + poolID + `","MaxResults":1,"NextToken":"AAAAAAAAAAEAAAAAAAAAAAAAAAAAAAAA"}`},
		{"CreateUserPoolDomain", `{"UserPoolId":"` + poolID + `","Domain":"abc"}`},
		{"DeleteUserPool", `{"UserPoolId":"` + poolID + `"}`},
		{"CreateUserPool", `{"PoolName":"p","Schema":[{"Name":"email","Required":true},{"Name":"x","Required":true}]}`},
		{"ListUserPools", `{"MaxResults":60}`},
		// MFA (issue 13): pool settings, software tokens, preferences, answers.
		{"SetUserPoolMfaConfig", `{"UserPoolId":"` + poolID + `","MfaConfiguration":"ON","SoftwareTokenMfaConfiguration":{"Enabled":true},"SmsMfaConfiguration":{"SmsAuthenticationMessage":"{####}","SmsConfiguration":{"SnsCallerArn":"arn:aws:iam::1:role/x"}},"WebAuthnConfiguration":null}`},
		{"AssociateSoftwareToken", `{"Session":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}`},
		{"VerifySoftwareToken", `{"Session":"AAAAAAAAAAAAAAAAAAAAAAAA","UserCode":"123456","FriendlyDeviceName":"x"}`},
		{"SetUserMFAPreference", `{"AccessToken":"a.b.c","SoftwareTokenMfaSettings":{"Enabled":true,"PreferredMfa":true},"WebAuthnMfaSettings":{"Enabled":true}}`},
		{"AdminSetUserMFAPreference", `{"UserPoolId":"` + poolID + `","Username":"u","SMSMfaSettings":{"Enabled":true}}`},
		{"RespondToAuthChallenge", `{"ClientId":"c","ChallengeName":"SOFTWARE_TOKEN_MFA","Session":"AAAAAAAAAAAAAAAAAAAAAAAA","ChallengeResponses":{"USERNAME":"u","SOFTWARE_TOKEN_MFA_CODE":"12345６"}}`},
		{"Nope", `{}`},
		{"", ``},
	}
	for _, s := range seeds {
		f.Add(s.op, []byte(s.body))
	}
	creds := aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret}
	signer := v4.NewSigner()
	f.Fuzz(func(t *testing.T, op string, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "http://localhost/", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+op)
		sum := sha256.Sum256(body)
		if err := signer.SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "cognito-idp", "us-east-1", time.Now()); err != nil {
			t.Skip()
		}
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		switch rec.Code {
		case 200:
			if !json.Valid(rec.Body.Bytes()) {
				t.Fatalf("200 with a body that is not JSON: %q", rec.Body)
			}
		case 400:
			var e map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
				t.Fatalf("400 body is not JSON: %q", rec.Body)
			}
			if e["__type"] == nil && e["code"] != "BadRequest" {
				t.Fatalf("400 without __type: %q", rec.Body)
			}
		default:
			t.Fatalf("%s %q: status %d %s", op, body, rec.Code, rec.Body)
		}
	})
}
