package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/smshook"
	"github.com/cognitod/cognitod/internal/triggers"
)

// TestServeTriggersSMSAndSigner: cognitod started with --trigger,
// --sms-webhook and --signer together. The SMS_MFA code goes through the
// pool's custom message function (a real HTTP server checking the
// webhook signature; triggerSource CustomMessage_Authentication), and the
// function's wording is what the SMS gateway receives; its code signs in.
func TestServeTriggersSMSAndSigner(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a cognitod process")
	}
	const smsSecret, hookSecret = "webhook-secret-for-the-test", "trigger-secret-for-the-test-0123456789"
	const arn = "arn:aws:lambda:us-east-1:123456789012:function:message"
	sources := make(chan string, 4)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if _, err := triggers.Verify([]byte(hookSecret), r.Header.Get(triggers.SignatureHeader), b, time.Now(), time.Minute); err != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		var ev map[string]any
		json.Unmarshal(b, &ev)
		sources <- ev["triggerSource"].(string)
		ev["response"] = map[string]any{"smsMessage": "Example sign-in: {####}"}
		json.NewEncoder(w).Encode(ev)
	}))
	defer hook.Close()
	texts := make(chan []byte, 4)
	gateway := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		texts <- b
	}))
	defer gateway.Close()
	dataDir := t.TempDir()
	proc := startCaptured(t, dataDir, []string{"COGNITOD_SMS_WEBHOOK_SECRET=" + smsSecret, "COGNITOD_TRIGGER_SECRET=" + hookSecret}, "--sms-webhook", gateway.URL+"/sms",
		"--trigger", arn+"="+hook.URL+"/message", "--signer", "go")
	c := sdkClient(t, dataDir, proc.url)
	ctx := context.Background()
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("texted"), MfaConfiguration: types.UserPoolMfaTypeOn,
		SmsConfiguration: &types.SmsConfigurationType{SnsCallerArn: aws.String("arn:aws:iam::123456789012:role/sms")},
		LambdaConfig:     &types.LambdaConfigType{CustomMessage: aws.String(arn)}})
	if err != nil {
		t.Fatal(err)
	}
	client, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: pool.UserPool.Id, ClientName: aws.String("app"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool.UserPool.Id, Username: aws.String("erin"), MessageAction: types.MessageActionTypeSuppress,
		UserAttributes: []types.AttributeType{{Name: aws.String("phone_number"), Value: aws.String("+15555550123")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: pool.UserPool.Id, Username: aws.String("erin"),
		Password: aws.String("Correct-horse-1"), Permanent: true}); err != nil {
		t.Fatal(err)
	}
	out, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: client.UserPoolClient.ClientId,
		AuthParameters: map[string]string{"USERNAME": "erin", "PASSWORD": "Correct-horse-1"}})
	if err != nil || out.ChallengeName != types.ChallengeNameTypeSmsMfa {
		t.Fatalf("%+v %v", out, err)
	}
	select {
	case src := <-sources:
		if src != "CustomMessage_Authentication" {
			t.Errorf("triggerSource %q", src)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the custom message function was not called")
	}
	var payload smshook.Payload
	select {
	case b := <-texts:
		json.Unmarshal(b, &payload)
	case <-time.After(30 * time.Second):
		t.Fatal("the gateway received nothing")
	}
	m := regexp.MustCompile(`^Example sign-in: (\d{6})$`).FindStringSubmatch(payload.Message)
	if m == nil {
		t.Fatalf("SMS %q is not the function's", payload.Message)
	}
	res, err := c.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: client.UserPoolClient.ClientId, ChallengeName: types.ChallengeNameTypeSmsMfa,
		Session: out.Session, ChallengeResponses: map[string]string{"USERNAME": "erin", "SMS_MFA_CODE": m[1]}})
	if err != nil || res.AuthenticationResult == nil {
		t.Fatalf("%+v %v", res, err)
	}
	if logs := proc.output(); !regexp.MustCompile(`token signer.*go \(crypto/rsa\)`).MatchString(logs) {
		t.Errorf("the log does not name the signer chosen:\n%s", logs)
	}
}
