package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/triggers"
)

const hookSecret = "webhook-signing-secret-for-tests-0123456789"

// arnOf is the function ARN the tests map to the webhook path /name.
func arnOf(name string) string { return "arn:aws:lambda:us-east-1:123456789012:function:" + name }

// hookServer is a real HTTP server standing in for Lambda: it checks each
// request's signature as a receiver would, records the event, and answers
// with what the test's handler returns (the event itself by default, as a
// function that changes nothing does).
type hookServer struct {
	srv    *httptest.Server
	mu     sync.Mutex
	events map[string][]map[string]any
	answer map[string]func(ev map[string]any) (int, any)
	bad    []string // signature failures
}

func newHookServer(t testing.TB) *hookServer {
	h := &hookServer{events: map[string][]map[string]any{}, answer: map[string]func(map[string]any) (int, any){}}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		name := strings.TrimPrefix(r.URL.Path, "/")
		h.mu.Lock()
		if _, err := triggers.Verify([]byte(hookSecret), r.Header.Get(triggers.SignatureHeader), body, time.Now(), time.Minute); err != nil {
			h.bad = append(h.bad, name+": "+err.Error())
		}
		var ev, recorded map[string]any
		if err := json.Unmarshal(body, &recorded); err != nil {
			h.bad = append(h.bad, name+": body is not JSON: "+string(body))
		}
		h.events[name] = append(h.events[name], recorded)
		answer := h.answer[name]
		h.mu.Unlock()
		json.Unmarshal(body, &ev) // a copy for the handler to change
		status, out := http.StatusOK, any(ev)
		if answer != nil {
			status, out = answer(ev)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		if s, ok := out.(string); ok {
			io.WriteString(w, s)
			return
		}
		json.NewEncoder(w).Encode(out)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hookServer) on(name string, fn func(ev map[string]any) (int, any)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.answer[name] = fn
}

// last returns the last event the function name received.
func (h *hookServer) last(t testing.TB, name string) map[string]any {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.bad) > 0 {
		t.Fatalf("webhook requests refused by the receiver: %v", h.bad)
	}
	evs := h.events[name]
	if len(evs) == 0 {
		t.Fatalf("function %s was not called", name)
	}
	return evs[len(evs)-1]
}

func (h *hookServer) count(name string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.events[name])
}

// invoker maps arnOf(name) to /name for each name.
func (h *hookServer) invoker(t testing.TB, names ...string) *triggers.Invoker {
	targets := map[string]string{}
	for _, n := range names {
		targets[arnOf(n)] = h.srv.URL + "/" + n
	}
	inv, err := triggers.New(triggers.Config{Targets: targets, Secret: hookSecret})
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

// respond returns ev with its response member set to resp.
func respond(resp any) func(ev map[string]any) (int, any) {
	return func(ev map[string]any) (int, any) {
		ev["response"] = resp
		return http.StatusOK, ev
	}
}

// wantEvent compares an event with the JSON Cognito would send.
func wantEvent(t testing.TB, got map[string]any, want string) {
	t.Helper()
	var w map[string]any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, w) {
		g, _ := json.MarshalIndent(got, "", "  ")
		t.Fatalf("event:\n%s\nwant:\n%s", g, want)
	}
}

// triggerPool is a pool whose LambdaConfig names functions served by a
// hookServer, with a public client allowing password sign-in.
type triggerPool struct {
	ts       *testServer
	hooks    *hookServer
	c        *cip.Client
	poolID   string
	clientID string
}

func newTriggerPool(t *testing.T, lc *types.LambdaConfigType, names ...string) *triggerPool {
	t.Helper()
	hooks := newHookServer(t)
	inv := hooks.invoker(t, names...)
	ts := newTestServerWith(t, cognito.Limits{}, func(c *cognito.Config) { c.Triggers = inv }, nil)
	ctx := context.Background()
	c := ts.client("us-east-1")
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("hooked"), LambdaConfig: lc,
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}})
	if err != nil {
		t.Fatal(err)
	}
	poolID := *pool.UserPool.Id
	cl, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("web"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth,
			types.ExplicitAuthFlowsTypeAllowCustomAuth}})
	if err != nil {
		t.Fatal(err)
	}
	return &triggerPool{ts: ts, hooks: hooks, c: c, poolID: poolID, clientID: *cl.UserPoolClient.ClientId}
}

func (p *triggerPool) signUp(name string) (*cip.SignUpOutput, error) {
	return p.c.SignUp(context.Background(), &cip.SignUpInput{ClientId: aws.String(p.clientID), Username: aws.String(name), Password: aws.String("Pass-word-1"),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(name + "@example.com")}},
		ValidationData: []types.AttributeType{{Name: aws.String("invite"), Value: aws.String("abc")}},
		ClientMetadata: map[string]string{"app": "web"}})
}

// confirmedUser makes name with password Pass-word-1, confirmed.
func (p *triggerPool) confirmedUser(t *testing.T, name string) {
	t.Helper()
	if _, err := p.signUp(name); err != nil {
		t.Fatal(err)
	}
	if _, err := p.c.AdminConfirmSignUp(context.Background(), &cip.AdminConfirmSignUpInput{UserPoolId: aws.String(p.poolID), Username: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
}

func (p *triggerPool) signIn(name string) (*cip.InitiateAuthOutput, error) {
	return p.c.InitiateAuth(context.Background(), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(p.clientID),
		AuthParameters: map[string]string{"USERNAME": name, "PASSWORD": "Pass-word-1"}})
}

// userStatus returns a user's status and attributes, or the error.
func (p *triggerPool) user(name string) (*cip.AdminGetUserOutput, error) {
	return p.c.AdminGetUser(context.Background(), &cip.AdminGetUserInput{UserPoolId: aws.String(p.poolID), Username: aws.String(name)})
}

func TestTriggerPreSignUp(t *testing.T) {
	p := newTriggerPool(t, &types.LambdaConfigType{PreSignUp: aws.String(arnOf("pre"))}, "pre")
	p.hooks.on("pre", respond(map[string]any{"autoConfirmUser": true, "autoVerifyEmail": true, "autoVerifyPhone": false}))
	out, err := p.signUp("erin")
	if err != nil {
		t.Fatal(err)
	}
	wantEvent(t, p.hooks.last(t, "pre"), `{
		"version": "1", "triggerSource": "PreSignUp_SignUp", "region": "us-east-1", "userPoolId": "`+p.poolID+`", "userName": "erin",
		"callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "`+p.clientID+`"},
		"request": {"userAttributes": {"email": "erin@example.com"}, "validationData": {"invite": "abc"}, "clientMetadata": {"app": "web"}},
		"response": {"autoConfirmUser": false, "autoVerifyEmail": false, "autoVerifyPhone": false}}`)
	// Confirmed by the function: no code sent, the user can sign in.
	if !out.UserConfirmed || out.CodeDeliveryDetails != nil {
		t.Errorf("SignUp = confirmed %v, delivery %+v; want confirmed, no code", out.UserConfirmed, out.CodeDeliveryDetails)
	}
	u, err := p.user("erin")
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := userAttr(u.UserAttributes, "email_verified"); u.UserStatus != types.UserStatusTypeConfirmed || v != "true" {
		t.Errorf("user: status %s, email_verified %q; want CONFIRMED, true", u.UserStatus, v)
	}
	if _, err := p.signIn("erin"); err != nil {
		t.Errorf("sign in after an auto-confirmed sign-up: %v", err)
	}

	// A function that changes nothing leaves the usual sign-up.
	p.hooks.on("pre", nil)
	out, err = p.signUp("fred")
	if err != nil || out.UserConfirmed || out.CodeDeliveryDetails == nil {
		t.Fatalf("SignUp with an unchanged event = %+v, %v; want unconfirmed with a code", out, err)
	}

	// AdminCreateUser sends PreSignUp_AdminCreateUser, with no client.
	p.hooks.on("pre", respond(map[string]any{"autoVerifyEmail": true}))
	_, err = p.c.AdminCreateUser(context.Background(), &cip.AdminCreateUserInput{UserPoolId: aws.String(p.poolID), Username: aws.String("gina"),
		MessageAction: types.MessageActionTypeSuppress, TemporaryPassword: aws.String("Temp-pass-1"),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("gina@example.com")}}})
	if err != nil {
		t.Fatal(err)
	}
	wantEvent(t, p.hooks.last(t, "pre"), `{
		"version": "1", "triggerSource": "PreSignUp_AdminCreateUser", "region": "us-east-1", "userPoolId": "`+p.poolID+`", "userName": "gina",
		"callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": ""},
		"request": {"userAttributes": {"email": "gina@example.com"}, "validationData": {}, "clientMetadata": {}},
		"response": {"autoConfirmUser": false, "autoVerifyEmail": false, "autoVerifyPhone": false}}`)
	u, err = p.user("gina")
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := userAttr(u.UserAttributes, "email_verified"); u.UserStatus != types.UserStatusTypeForceChangePassword || v != "true" {
		t.Errorf("admin-created user: status %s, email_verified %q; want FORCE_CHANGE_PASSWORD, true", u.UserStatus, v)
	}
}

func TestTriggerPreSignUpFailures(t *testing.T) {
	p := newTriggerPool(t, &types.LambdaConfigType{PreSignUp: aws.String(arnOf("pre"))}, "pre")
	cases := []struct {
		name     string
		answer   func(map[string]any) (int, any)
		code     string
		message  string
		slowTest bool
	}{
		{"fail/function-error", func(map[string]any) (int, any) {
			return http.StatusBadRequest, map[string]string{"errorType": "Error", "errorMessage": "Registration from this domain is not allowed."}
		}, "UserLambdaValidationException", "PreSignUp failed with error Registration from this domain is not allowed..", false},
		{"fail/error-body-with-200", func(map[string]any) (int, any) {
			return http.StatusOK, map[string]string{"errorMessage": "no invite"}
		}, "UserLambdaValidationException", "PreSignUp failed with error no invite.", false},
		{"fail/plain-text-500", func(map[string]any) (int, any) { return http.StatusInternalServerError, "database down\nstack..." },
			"UserLambdaValidationException", "PreSignUp failed with error database down.", false},
		{"fail/not-json", func(map[string]any) (int, any) { return http.StatusOK, "ok" },
			"InvalidLambdaResponseException", "Unrecognizable lambda output", false},
		{"fail/wrong-type", respond(map[string]any{"autoConfirmUser": "yes"}),
			"InvalidLambdaResponseException", "Unrecognizable lambda output", false},
		{"fail/redirect", func(map[string]any) (int, any) { return http.StatusFound, "" },
			"UnexpectedLambdaException", "PreSignUp invocation failed due to error ServiceException.", false},
		{"fail/slower-than-5s", func(ev map[string]any) (int, any) {
			time.Sleep(cognito.TriggerTimeout + 500*time.Millisecond)
			ev["response"] = map[string]any{"autoConfirmUser": true}
			return http.StatusOK, ev
		}, "UnexpectedLambdaException", "PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.slowTest && testing.Short() {
				t.Skip("waits for the 5-second trigger timeout")
			}
			p.hooks.on("pre", tc.answer)
			name := strings.ReplaceAll(strings.TrimPrefix(tc.name, "fail/"), "-", "")
			start := time.Now()
			_, err := p.signUp(name)
			wantAPIError(t, err, tc.code, tc.message)
			if tc.slowTest && time.Since(start) > 8*time.Second {
				t.Errorf("SignUp took %v with a webhook that never answers in time", time.Since(start))
			}
			// Nothing was stored: the name is free, and no code went out.
			_, err = p.user(name)
			wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
			if strings.Contains(p.ts.log.String(), "username="+name+" ") {
				t.Errorf("a code was sent to the refused user %s", name)
			}
		})
	}
}

func TestTriggerPostConfirmation(t *testing.T) {
	p := newTriggerPool(t, &types.LambdaConfigType{PostConfirmation: aws.String(arnOf("post"))}, "post")
	ctx := context.Background()
	out, err := p.signUp("hank")
	if err != nil {
		t.Fatal(err)
	}
	if p.hooks.count("post") != 0 {
		t.Fatal("post confirmation ran at sign-up")
	}
	m := regexp.MustCompile(`sign-up confirmation code.* username=hank .*code=(\d{6})`).FindStringSubmatch(p.ts.log.String())
	if m == nil {
		t.Fatalf("no confirmation code in the log")
	}
	p.hooks.on("post", func(map[string]any) (int, any) {
		return http.StatusBadRequest, map[string]string{"errorMessage": "welcome mail failed"}
	})
	_, err = p.c.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: aws.String(p.clientID), Username: aws.String("hank"), ConfirmationCode: aws.String(m[1]),
		ClientMetadata: map[string]string{"from": "mail"}})
	wantAPIError(t, err, "UserLambdaValidationException", "PostConfirmation failed with error welcome mail failed.")
	wantEvent(t, p.hooks.last(t, "post"), `{
		"version": "1", "triggerSource": "PostConfirmation_ConfirmSignUp", "region": "us-east-1", "userPoolId": "`+p.poolID+`", "userName": "hank",
		"callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "`+p.clientID+`"},
		"request": {"userAttributes": {"sub": "`+*out.UserSub+`", "email": "hank@example.com", "email_verified": "true", "cognito:user_status": "CONFIRMED"},
			"clientMetadata": {"from": "mail"}},
		"response": {}}`)
	// As in Cognito, the confirmation stands although the function failed.
	if u, err := p.user("hank"); err != nil || u.UserStatus != types.UserStatusTypeConfirmed {
		t.Errorf("after a failing post confirmation: %+v, %v; want CONFIRMED", u, err)
	}
	// AdminConfirmSignUp confirms too, with no client.
	p.hooks.on("post", nil)
	p.confirmedUser(t, "iris")
	if ev := p.hooks.last(t, "post"); ev["userName"] != "iris" || ev["triggerSource"] != "PostConfirmation_ConfirmSignUp" ||
		ev["callerContext"].(map[string]any)["clientId"] != "" {
		t.Errorf("post confirmation of AdminConfirmSignUp: %v", ev)
	}
}

func TestTriggerPreAndPostAuthentication(t *testing.T) {
	p := newTriggerPool(t, &types.LambdaConfigType{PreAuthentication: aws.String(arnOf("preauth")), PostAuthentication: aws.String(arnOf("postauth"))}, "preauth", "postauth")
	p.confirmedUser(t, "ivy")
	u, err := p.user("ivy")
	if err != nil {
		t.Fatal(err)
	}
	sub, _ := userAttr(u.UserAttributes, "sub")
	attrs := `{"sub": "` + sub + `", "email": "ivy@example.com", "cognito:user_status": "CONFIRMED"}`

	p.hooks.on("preauth", func(map[string]any) (int, any) {
		return http.StatusForbidden, map[string]string{"errorMessage": "outside business hours"}
	})
	_, err = p.signIn("ivy")
	wantAPIError(t, err, "UserLambdaValidationException", "PreAuthentication failed with error outside business hours.")
	wantEvent(t, p.hooks.last(t, "preauth"), `{
		"version": "1", "triggerSource": "PreAuthentication_Authentication", "region": "us-east-1", "userPoolId": "`+p.poolID+`", "userName": "ivy",
		"callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "`+p.clientID+`"},
		"request": {"userAttributes": `+attrs+`, "validationData": {}, "userNotFound": false},
		"response": {}}`)
	if p.hooks.count("postauth") != 0 {
		t.Error("post authentication ran for a refused sign-in")
	}
	// A refusal is not a failed password: the user is not locked out and
	// no failure was counted.
	if got, err := p.ts.svc.Store().GetUser(context.Background(), p.poolID, "ivy"); err != nil || got.FailedSignIns != 0 {
		t.Errorf("failed sign-ins after a pre authentication refusal: %d, %v", got.FailedSignIns, err)
	}

	p.hooks.on("preauth", nil)
	out, err := p.signIn("ivy")
	if err != nil || out.AuthenticationResult == nil {
		t.Fatalf("sign in = %+v, %v", out, err)
	}
	wantEvent(t, p.hooks.last(t, "postauth"), `{
		"version": "1", "triggerSource": "PostAuthentication_Authentication", "region": "us-east-1", "userPoolId": "`+p.poolID+`", "userName": "ivy",
		"callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "`+p.clientID+`"},
		"request": {"userAttributes": `+attrs+`, "newDeviceUsed": false, "clientMetadata": {}},
		"response": {}}`)

	p.hooks.on("postauth", func(map[string]any) (int, any) {
		return http.StatusBadRequest, map[string]string{"errorMessage": "audit log unavailable"}
	})
	out, err = p.signIn("ivy")
	wantAPIError(t, err, "UserLambdaValidationException", "PostAuthentication failed with error audit log unavailable.")
	if out != nil {
		t.Errorf("tokens issued although post authentication failed: %+v", out)
	}
}

func TestTriggerConfigurationRefused(t *testing.T) {
	p := newTriggerPool(t, nil, "pre")
	ctx := context.Background()
	cases := []struct {
		name    string
		lc      *types.LambdaConfigType
		message string
	}{
		{"fail/unmapped-arn", &types.LambdaConfigType{PreSignUp: aws.String(arnOf("elsewhere"))},
			"LambdaConfig PreSignUp names " + arnOf("elsewhere") + ", which no --trigger or --triggers-file maps to a webhook."},
		{"fail/trigger-not-invoked", &types.LambdaConfigType{CustomEmailSender: &types.CustomEmailLambdaVersionConfigType{
			LambdaArn: aws.String(arnOf("pre")), LambdaVersion: types.CustomEmailSenderLambdaVersionTypeV10}},
			"LambdaConfig CustomEmailSender is not supported: cognitod does not invoke this Lambda trigger yet."},
		{"fail/unmapped-pre-token-config", &types.LambdaConfigType{PreTokenGenerationConfig: &types.PreTokenGenerationVersionConfigType{
			LambdaArn: aws.String(arnOf("nowhere")), LambdaVersion: types.PreTokenGenerationLambdaVersionTypeV30}},
			"LambdaConfig PreTokenGenerationConfig names " + arnOf("nowhere") + ", which no --trigger or --triggers-file maps to a webhook."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := p.c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("x"), LambdaConfig: tc.lc})
			wantAPIError(t, err, "InvalidParameterException", tc.message)
			_, err = p.c.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: aws.String(p.poolID), LambdaConfig: tc.lc})
			wantAPIError(t, err, "InvalidParameterException", tc.message)
		})
	}
	// A mapped function is accepted and described back.
	if _, err := p.c.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: aws.String(p.poolID), LambdaConfig: &types.LambdaConfigType{PreSignUp: aws.String(arnOf("pre"))}}); err != nil {
		t.Fatal(err)
	}
	d, err := p.c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(p.poolID)})
	if err != nil || d.UserPool.LambdaConfig == nil || aws.ToString(d.UserPool.LambdaConfig.PreSignUp) != arnOf("pre") {
		t.Fatalf("DescribeUserPool LambdaConfig = %+v, %v", d.UserPool.LambdaConfig, err)
	}
}

func TestTriggerCustomMessage(t *testing.T) {
	p := newTriggerPool(t, &types.LambdaConfigType{CustomMessage: aws.String(arnOf("msg"))}, "msg")
	ctx := context.Background()
	p.hooks.on("msg", respond(map[string]any{"emailSubject": "Welcome to Acme", "emailMessage": "<p>Hello, your Acme code is {####}.</p>", "smsMessage": nil}))
	if _, err := p.signUp("lee"); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, p.hooks.last(t, "msg"), `{
		"version": "1", "triggerSource": "CustomMessage_SignUp", "region": "us-east-1", "userPoolId": "`+p.poolID+`", "userName": "lee",
		"callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": ""},
		"request": {"userAttributes": {"sub": "`+p.sub(t, "lee")+`", "email": "lee@example.com", "cognito:user_status": "UNCONFIRMED"},
			"codeParameter": "{####}", "usernameParameter": null, "clientMetadata": {}},
		"response": {"smsMessage": null, "emailMessage": null, "emailSubject": null}}`)
	if !regexp.MustCompile(`subject="Welcome to Acme" body="<p>Hello, your Acme code is \d{6}.</p>"`).MatchString(p.ts.log.String()) {
		t.Errorf("the custom message was not sent:\n%s", p.ts.log.String())
	}

	// A message without the code placeholder is not used: the user gets
	// the pool's own message, with the code.
	p.hooks.on("msg", respond(map[string]any{"emailMessage": "Hello!"}))
	if _, err := p.c.ResendConfirmationCode(ctx, &cip.ResendConfirmationCodeInput{ClientId: aws.String(p.clientID), Username: aws.String("lee")}); err != nil {
		t.Fatal(err)
	}
	if ev := p.hooks.last(t, "msg"); ev["triggerSource"] != "CustomMessage_ResendCode" {
		t.Errorf("resend triggerSource %v", ev["triggerSource"])
	}
	if !regexp.MustCompile(`body="Your verification code is \d{6}. "`).MatchString(p.ts.log.String()) {
		t.Errorf("the pool's message was not sent for a function message without the code:\n%s", p.ts.log.String())
	}

	// The invitation carries the username placeholder.
	p.hooks.on("msg", respond(map[string]any{"emailMessage": "Hi {username}, your password is {####}"}))
	if _, err := p.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(p.poolID), Username: aws.String("mo"),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("mo@example.com")}}}); err != nil {
		t.Fatal(err)
	}
	ev := p.hooks.last(t, "msg")
	if ev["triggerSource"] != "CustomMessage_AdminCreateUser" || ev["request"].(map[string]any)["usernameParameter"] != "{username}" {
		t.Errorf("invitation event %v", ev)
	}
	if !regexp.MustCompile(`body="Hi mo, your password is \S+"`).MatchString(p.ts.log.String()) {
		t.Errorf("the custom invitation was not sent:\n%s", p.ts.log.String())
	}
}

// sub returns a user's sub.
func (p *triggerPool) sub(t *testing.T, name string) string {
	t.Helper()
	u, err := p.user(name)
	if err != nil {
		t.Fatal(err)
	}
	sub, _ := userAttr(u.UserAttributes, "sub")
	return sub
}

func TestTriggerUserMigration(t *testing.T) {
	p := newTriggerPool(t, &types.LambdaConfigType{UserMigration: aws.String(arnOf("migrate"))}, "migrate")
	ctx := context.Background()
	p.hooks.on("migrate", func(ev map[string]any) (int, any) {
		req := ev["request"].(map[string]any)
		name := ev["userName"].(string)
		if name != "legacy" && name != "forgetful" || ev["triggerSource"] == "UserMigration_Authentication" && req["password"] != "Pass-word-1" {
			return http.StatusBadRequest, map[string]string{"errorMessage": "Bad password"}
		}
		ev["response"] = map[string]any{"userAttributes": map[string]string{"email": name + "@old.example.com", "email_verified": "true"},
			"finalUserStatus": "CONFIRMED", "messageAction": "SUPPRESS"}
		return http.StatusOK, ev
	})
	out, err := p.signIn("legacy")
	if err != nil || out.AuthenticationResult == nil {
		t.Fatalf("sign in of a user to migrate = %+v, %v", out, err)
	}
	wantEvent(t, p.hooks.last(t, "migrate"), `{
		"version": "1", "triggerSource": "UserMigration_Authentication", "region": "us-east-1", "userPoolId": "`+p.poolID+`", "userName": "legacy",
		"callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "`+p.clientID+`"},
		"request": {"password": "Pass-word-1", "validationData": {}, "clientMetadata": {}},
		"response": {"userAttributes": null, "finalUserStatus": null, "messageAction": null, "desiredDeliveryMediums": null,
			"forceAliasCreation": null, "enableSMSMFA": null}}`)
	u, err := p.user("legacy")
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := userAttr(u.UserAttributes, "email"); u.UserStatus != types.UserStatusTypeConfirmed || v != "legacy@old.example.com" {
		t.Errorf("migrated user: %s %q", u.UserStatus, v)
	}
	// Migrated once: the next sign-in is the pool's own.
	if _, err := p.signIn("legacy"); err != nil || p.hooks.count("migrate") != 1 {
		t.Errorf("second sign-in: %v, function called %d times", err, p.hooks.count("migrate"))
	}
	// A name the function does not know is not found, and nothing is kept.
	_, err = p.signIn("stranger")
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
	_, err = p.user("stranger")
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")

	// A forgotten password: the user is migrated without one, must reset it.
	fp, err := p.c.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: aws.String(p.clientID), Username: aws.String("forgetful")})
	if err != nil {
		t.Fatal(err)
	}
	if ev := p.hooks.last(t, "migrate"); ev["triggerSource"] != "UserMigration_ForgotPassword" || ev["request"].(map[string]any)["password"] != nil {
		t.Errorf("forgot-password migration event %v", ev)
	}
	if aws.ToString(fp.CodeDeliveryDetails.Destination) != "f***@o***" {
		t.Errorf("reset code went to %+v", fp.CodeDeliveryDetails)
	}
	if u, err := p.user("forgetful"); err != nil || u.UserStatus != types.UserStatusTypeResetRequired {
		t.Errorf("user migrated at ForgotPassword: %+v, %v; want RESET_REQUIRED", u, err)
	}
}

func TestTriggerCustomAuth(t *testing.T) {
	p := newTriggerPool(t, &types.LambdaConfigType{DefineAuthChallenge: aws.String(arnOf("define")),
		CreateAuthChallenge: aws.String(arnOf("create")), VerifyAuthChallengeResponse: aws.String(arnOf("verify"))}, "define", "create", "verify")
	ctx := context.Background()
	p.confirmedUser(t, "nina")
	attrs := `{"sub": "` + p.sub(t, "nina") + `", "email": "nina@example.com", "cognito:user_status": "CONFIRMED"}`
	// The developer guide's example: a right answer issues tokens, three
	// wrong ones fail the sign-in.
	p.hooks.on("define", func(ev map[string]any) (int, any) {
		session, _ := ev["request"].(map[string]any)["session"].([]any)
		resp := map[string]any{"challengeName": "CUSTOM_CHALLENGE", "issueTokens": false, "failAuthentication": false}
		if n := len(session); n > 0 && session[n-1].(map[string]any)["challengeResult"] == true {
			resp = map[string]any{"issueTokens": true, "failAuthentication": false}
		} else if n >= 3 {
			resp = map[string]any{"issueTokens": false, "failAuthentication": true}
		}
		ev["response"] = resp
		return http.StatusOK, ev
	})
	p.hooks.on("create", respond(map[string]any{"publicChallengeParameters": map[string]string{"question": "6 x 7?"},
		"privateChallengeParameters": map[string]string{"answer": "42"}, "challengeMetadata": "QUESTION-1"}))
	p.hooks.on("verify", func(ev map[string]any) (int, any) {
		req := ev["request"].(map[string]any)
		ev["response"] = map[string]any{"answerCorrect": req["challengeAnswer"] == req["privateChallengeParameters"].(map[string]any)["answer"]}
		return http.StatusOK, ev
	})
	start := func() *cip.InitiateAuthOutput {
		t.Helper()
		out, err := p.c.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeCustomAuth, ClientId: aws.String(p.clientID),
			AuthParameters: map[string]string{"USERNAME": "nina"}})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	answer := func(session *string, a string) (*cip.RespondToAuthChallengeOutput, error) {
		return p.c.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: aws.String(p.clientID), ChallengeName: types.ChallengeNameTypeCustomChallenge,
			Session: session, ChallengeResponses: map[string]string{"USERNAME": "nina", "ANSWER": a}})
	}
	out := start()
	if out.ChallengeName != types.ChallengeNameTypeCustomChallenge || !reflect.DeepEqual(out.ChallengeParameters, map[string]string{"question": "6 x 7?", "USERNAME": "nina"}) {
		t.Fatalf("InitiateAuth CUSTOM_AUTH = %s %v", out.ChallengeName, out.ChallengeParameters)
	}
	common := `"region": "us-east-1", "userPoolId": "` + p.poolID + `", "userName": "nina",
		"callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "` + p.clientID + `"}`
	wantEvent(t, p.hooks.last(t, "define"), `{"version": "1", "triggerSource": "DefineAuthChallenge_Authentication", `+common+`,
		"request": {"userAttributes": `+attrs+`, "session": [], "clientMetadata": {}, "userNotFound": false},
		"response": {"challengeName": null, "issueTokens": null, "failAuthentication": null}}`)
	wantEvent(t, p.hooks.last(t, "create"), `{"version": "1", "triggerSource": "CreateAuthChallenge_Authentication", `+common+`,
		"request": {"userAttributes": `+attrs+`, "challengeName": "CUSTOM_CHALLENGE", "session": [], "clientMetadata": {}, "userNotFound": false},
		"response": {"publicChallengeParameters": null, "privateChallengeParameters": null, "challengeMetadata": null}}`)

	wrong, err := answer(out.Session, "41")
	if err != nil || wrong.ChallengeName != types.ChallengeNameTypeCustomChallenge {
		t.Fatalf("a wrong answer = %+v, %v; want another challenge", wrong, err)
	}
	wantEvent(t, p.hooks.last(t, "verify"), `{"version": "1", "triggerSource": "VerifyAuthChallengeResponse_Authentication", `+common+`,
		"request": {"userAttributes": `+attrs+`, "privateChallengeParameters": {"answer": "42"}, "challengeAnswer": "41", "clientMetadata": {}, "userNotFound": false},
		"response": {"answerCorrect": null}}`)
	if s := p.hooks.last(t, "define")["request"].(map[string]any)["session"]; !reflect.DeepEqual(s, []any{map[string]any{
		"challengeName": "CUSTOM_CHALLENGE", "challengeResult": false, "challengeMetadata": "QUESTION-1"}}) {
		t.Errorf("define session after a wrong answer: %v", s)
	}
	// A session is answered once: retrying it would get round the
	// define function's count of attempts.
	_, err = answer(out.Session, "42")
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")

	right, err := answer(wrong.Session, "42")
	if err != nil || right.AuthenticationResult == nil || right.AuthenticationResult.IdToken == nil {
		t.Fatalf("the right answer = %+v, %v; want tokens", right, err)
	}
	if c := claims(t, *right.AuthenticationResult.AccessToken); c["username"] != "nina" {
		t.Errorf("access token username %v", c["username"])
	}

	// Three wrong answers: the define function fails the sign-in.
	out = start()
	session := out.Session
	for i := range 2 {
		r, err := answer(session, "0")
		if err != nil {
			t.Fatalf("wrong answer %d: %v", i+1, err)
		}
		session = r.Session
	}
	_, err = answer(session, "0")
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")

	// A pool without a define auth challenge function has no custom flow.
	plain := createPool(t, p.c, "plain")
	cl, err := p.c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(plain), ClientName: aws.String("c")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.c.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeCustomAuth, ClientId: cl.UserPoolClient.ClientId,
		AuthParameters: map[string]string{"USERNAME": "nina"}})
	wantAPIError(t, err, "InvalidParameterException", "Custom auth lambda trigger is not configured for the user pool.")
}

// TestTriggerPostConfirmationForgotPassword: a password reset confirms
// the user too, with its own trigger source.
func TestTriggerPostConfirmationForgotPassword(t *testing.T) {
	p := newTriggerPool(t, &types.LambdaConfigType{PostConfirmation: aws.String(arnOf("post"))}, "post")
	ctx := context.Background()
	p.confirmedUser(t, "otto")
	if _, err := p.c.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(p.poolID), Username: aws.String("otto"),
		UserAttributes: []types.AttributeType{{Name: aws.String("email_verified"), Value: aws.String("true")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.c.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: aws.String(p.clientID), Username: aws.String("otto")}); err != nil {
		t.Fatal(err)
	}
	code, _ := lastCode(t, p.ts, cognito.DeliverForgotPasswordCode, "otto")
	if _, err := p.c.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: aws.String(p.clientID), Username: aws.String("otto"),
		ConfirmationCode: aws.String(code), Password: aws.String("New-pass-word-2"), ClientMetadata: map[string]string{"via": "reset"}}); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, p.hooks.last(t, "post"), `{
		"version": "1", "triggerSource": "PostConfirmation_ConfirmForgotPassword", "region": "us-east-1", "userPoolId": "`+p.poolID+`", "userName": "otto",
		"callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "`+p.clientID+`"},
		"request": {"userAttributes": {"sub": "`+p.sub(t, "otto")+`", "email": "otto@example.com", "email_verified": "true", "cognito:user_status": "CONFIRMED"},
			"clientMetadata": {"via": "reset"}},
		"response": {}}`)
}
