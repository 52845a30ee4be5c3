package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/smshook"
	"github.com/cognitod/cognitod/internal/triggers"
)

// TestSMSWebhookFlags: --sms-webhook needs a secret (flag or
// COGNITOD_SMS_WEBHOOK_SECRET), refuses plain http off loopback, and
// never shows the secret in errors or -h.
func TestSMSWebhookFlags(t *testing.T) {
	const secret = "webhook-secret-hunter2"
	_, err := parseServe([]string{"--sms-webhook", "https://sms.example.com/send"}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "needs --sms-webhook-secret") {
		t.Fatalf("no secret: %v", err)
	}
	_, err = parseServe([]string{"--sms-webhook", "http://sms.example.com/send", "--sms-webhook-secret", secret}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "plain http") || strings.Contains(err.Error(), secret) {
		t.Fatalf("plain http: %v", err)
	}
	_, err = parseServe([]string{"--sms-webhook-secret", secret}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "without --sms-webhook") || strings.Contains(err.Error(), secret) {
		t.Fatalf("secret alone: %v", err)
	}
	t.Setenv("COGNITOD_SMS_WEBHOOK", "https://sms.example.com/send")
	t.Setenv("COGNITOD_SMS_WEBHOOK_SECRET", secret)
	cfg, err := parseServe(nil, io.Discard)
	if err != nil || cfg.sms.sender == nil || cfg.sms.sender.String() != "https://sms.example.com/send" {
		t.Fatalf("from the environment: %v", err)
	}
	var help bytes.Buffer
	parseServe([]string{"-h"}, &help)
	if !strings.Contains(help.String(), "-sms-webhook") || strings.Contains(help.String(), secret) {
		t.Errorf("-h shows the secret or no --sms-webhook:\n%s", help.String())
	}
}

// TestServeSendsSMSMFAByWebhook: cognitod started with --sms-webhook
// posts an SMS_MFA code to a real HTTP server, signed with the secret;
// the code from that request completes the sign-in, and neither the
// secret nor the code is in cognitod's output.
func TestServeSendsSMSMFAByWebhook(t *testing.T) {
	if testing.Short() {
		t.Skip("starts cognitod processes")
	}
	const secret = "webhook-secret-for-the-test"
	type post struct {
		header http.Header
		body   []byte
	}
	posts := make(chan post, 4)
	gateway := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		posts <- post{r.Header.Clone(), b}
	}))
	defer gateway.Close()
	dataDir := t.TempDir()
	proc := startCaptured(t, dataDir, []string{"COGNITOD_SMS_WEBHOOK_SECRET=" + secret}, "--sms-webhook", gateway.URL+"/sms")
	c := sdkClient(t, dataDir, proc.url)
	ctx := context.Background()
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("texted"), MfaConfiguration: types.UserPoolMfaTypeOn,
		SmsConfiguration:         &types.SmsConfigurationType{SnsCallerArn: aws.String("arn:aws:iam::123456789012:role/sms")},
		SmsAuthenticationMessage: aws.String("Your cognitod code: {####}")})
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
	if err != nil || out.ChallengeName != types.ChallengeNameTypeSmsMfa || out.AuthenticationResult != nil {
		t.Fatalf("%+v %v", out, err)
	}
	var p post
	select {
	case p = <-posts:
	case <-time.After(30 * time.Second):
		t.Fatal("the gateway received nothing")
	}
	var payload smshook.Payload
	if err := json.Unmarshal(p.body, &payload); err != nil {
		t.Fatal(err)
	}
	if _, err := triggers.Verify([]byte(secret), p.header.Get(smshook.SignatureHeader), p.body, time.Now(), time.Minute); err != nil {
		t.Fatalf("the request's signature does not verify: %v", p.header)
	}
	m := regexp.MustCompile(`^Your cognitod code: (\d{6})$`).FindStringSubmatch(payload.Message)
	if payload.PhoneNumber != "+15555550123" || m == nil {
		t.Fatalf("payload %+v", payload)
	}
	res, err := c.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: client.UserPoolClient.ClientId, ChallengeName: types.ChallengeNameTypeSmsMfa,
		Session: out.Session, ChallengeResponses: map[string]string{"USERNAME": "erin", "SMS_MFA_CODE": m[1]}})
	if err != nil || res.AuthenticationResult == nil {
		t.Fatalf("%+v %v", res, err)
	}
	logs := proc.output()
	if !strings.Contains(logs, "webhook "+gateway.URL+"/sms") {
		t.Errorf("the log does not say where SMS go:\n%s", logs)
	}
	if strings.Contains(logs, secret) || regexp.MustCompile(`\b`+m[1]+`\b`).MatchString(logs) {
		t.Errorf("the output shows the secret or the code %s:\n%s", m[1], logs)
	}
}
