package server

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitod/cognitod/internal/cognito"
)

// TestConsoleActsWithKeyPolicy: signed in with a key that may read one
// pool, the console shows that pool, and every other page or action is
// refused with the AccessDenied message, changing nothing.
func TestConsoleActsWithKeyPolicy(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	ctx := context.Background()
	root := ts.client("us-east-1")
	var pools [2]string
	for i := range pools {
		out, err := root.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("console-iam")})
		if err != nil {
			t.Fatal(err)
		}
		pools[i] = *out.UserPool.Id
	}
	if _, err := root.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: &pools[0], Identifier: aws.String("api"), Name: aws.String("api")}); err != nil {
		t.Fatal(err)
	}
	arn := func(p string) string { return "arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + p }
	id, secret, err := ts.svc.CreateAccessKey(ctx, "viewer", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["cognito-idp:Describe*","cognito-idp:List*"],"Resource":"`+arn(pools[0])+`"}]}`)
	if err != nil {
		t.Fatal(err)
	}
	c := newConsoleClient(t, ts)
	if resp, _ := c.signInAs(id, secret); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", resp.StatusCode)
	}
	deniedMsg := func(op, resource string) string {
		return html.EscapeString("AccessDeniedException: User: arn:aws:iam::000000000000:user/viewer is not authorized to perform: cognito-idp:" + op +
			" on resource: " + resource + " because no identity-based policy allows the cognito-idp:" + op + " action")
	}

	// Listing pools is ListUserPools on "*": denied, shown, no pools leak.
	_, body := c.get("/console/pools")
	if !strings.Contains(body, deniedMsg("ListUserPools", "*")) || strings.Contains(body, pools[0]) {
		t.Errorf("pools page: want the ListUserPools denial and no pool IDs:\n%s", body)
	}
	// Its own pool: allowed, with its resource server.
	resp, body := c.get("/console/pools/" + pools[0] + "/app-integration")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "api") || strings.Contains(body, "AccessDenied") {
		t.Errorf("own pool's app integration: %d\n%s", resp.StatusCode, body)
	}
	// The other pool: 403 with the DescribeUserPool denial.
	resp, body = c.get("/console/pools/" + pools[1])
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, deniedMsg("DescribeUserPool", arn(pools[1]))) {
		t.Errorf("other pool: %d\n%s", resp.StatusCode, body)
	}
	// Writes on its own pool are refused and change nothing.
	c.get("/console/pools/" + pools[0] + "/app-integration")
	resp, body = c.post("/console/pools/"+pools[0]+"/resource-server/delete?identifier=api", url.Values{})
	if resp.StatusCode == http.StatusSeeOther || !strings.Contains(body, deniedMsg("DeleteResourceServer", arn(pools[0]))) {
		t.Errorf("delete resource server: %d\n%s", resp.StatusCode, body)
	}
	if _, err := root.DescribeResourceServer(ctx, &cip.DescribeResourceServerInput{UserPoolId: &pools[0], Identifier: aws.String("api")}); err != nil {
		t.Errorf("the resource server after a refused delete: %v", err)
	}
	c.get("/console/pools/" + pools[0] + "/delete")
	resp, body = c.post("/console/pools/"+pools[0]+"/delete", url.Values{"confirm": {"console-iam"}})
	if resp.StatusCode == http.StatusSeeOther || !strings.Contains(body, deniedMsg("DeleteUserPool", arn(pools[0]))) {
		t.Errorf("delete pool: %d\n%s", resp.StatusCode, body)
	}
	c.get("/console/pools/" + pools[0])
	resp, body = c.post("/console/pools", url.Values{"name": {"new"}})
	if resp.StatusCode == http.StatusSeeOther || !strings.Contains(body, deniedMsg("CreateUserPool", "*")) {
		t.Errorf("create pool: %d\n%s", resp.StatusCode, body)
	}
	if out, err := root.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(60)}); err != nil || len(out.UserPools) != 2 {
		t.Errorf("pools after the refused writes: %v, %v", out, err)
	}
	// Not a root key: no Access keys page, and no link to it.
	resp, body = c.get("/console/access-keys")
	if resp.StatusCode != http.StatusForbidden || strings.Contains(body, secret) || strings.Contains(body, testKeyID) {
		t.Errorf("access keys page for a restricted key: %d\n%s", resp.StatusCode, body)
	}
	if strings.Contains(body, `href="/console/access-keys"`) {
		t.Error("a restricted key's pages link to Access keys")
	}
	c.get("/console/pools/" + pools[0])
	resp, _ = c.post("/console/access-keys", url.Values{"name": {"sneaky"}, "policy": {`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("create access key as a restricted key: %d", resp.StatusCode)
	}
	if keys, _ := ts.svc.ListAccessKeys(ctx); len(keys) != 2 {
		t.Errorf("keys after the refused create: got %d, want 2", len(keys))
	}
}

// TestConsoleAccessKeysPage: the root key's holder creates a key with a
// policy (its secret shown once), sees it listed without secrets, rotates
// and deletes it; a bad policy is refused with the parser's reason.
func TestConsoleAccessKeysPage(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	ctx := context.Background()
	c := newConsoleClient(t, ts)
	c.signIn(testSecret)
	resp, body := c.get("/console/access-keys")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, testKeyID) || !strings.Contains(body, "full rights (root)") {
		t.Fatalf("access keys page: %d\n%s", resp.StatusCode, body)
	}
	if strings.Contains(body, testSecret) {
		t.Fatal("the access keys page shows the root secret")
	}
	_, body = c.get("/console/pools")
	if !strings.Contains(body, `href="/console/access-keys"`) {
		t.Error("the root key's pages do not link to Access keys")
	}
	c.get("/console/access-keys")
	resp, body = c.post("/console/access-keys", url.Values{"name": {"reader"}, "policy": {`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"cognito-idp:List*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"127.0.0.1/32"}}}}`}})
	m := regexp.MustCompile(`aws_access_key_id = (\S+)\naws_secret_access_key = ([^<\s]+)`).FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("create: %d\n%s", resp.StatusCode, body)
	}
	id, secret := m[1], html.UnescapeString(m[2])
	cl := ts.clientWith("us-east-1", id, secret)
	if _, err := cl.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)}); err != nil {
		t.Fatalf("the new key, within its policy: %v", err)
	}
	_, err := cl.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("x")})
	wantAPIError(t, err, "AccessDeniedException", "")
	_, body = c.get("/console/access-keys")
	if !strings.Contains(body, id) || strings.Contains(body, html.EscapeString(secret)) || !strings.Contains(body, "(with conditions)") {
		t.Errorf("list after create: want the key and its summary, never its secret:\n%s", body)
	}
	// A policy the evaluator would not enforce is refused, nothing made.
	resp, body = c.post("/console/access-keys", url.Values{"name": {"bad"}, "policy": {`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:username":"x"}}}}`}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "MalformedPolicyDocumentException") || !strings.Contains(body, "aws:username") {
		t.Errorf("bad policy: %d\n%s", resp.StatusCode, body)
	}
	// Rotate: a new key, same name; the old one still works.
	resp, body = c.post("/console/access-keys/"+id+"/rotate", url.Values{})
	m = regexp.MustCompile(`aws_access_key_id = (\S+)\naws_secret_access_key = ([^<\s]+)`).FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil || m[1] == id {
		t.Fatalf("rotate: %d\n%s", resp.StatusCode, body)
	}
	rotated := ts.clientWith("us-east-1", m[1], html.UnescapeString(m[2]))
	for _, k := range []*cip.Client{cl, rotated} {
		if _, err := k.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)}); err != nil {
			t.Fatalf("after rotate: %v", err)
		}
	}
	// Delete: refused at once.
	if resp, _ := c.post("/console/access-keys/"+id+"/delete", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", resp.StatusCode)
	}
	_, err = cl.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
	wantAPIError(t, err, "UnrecognizedClientException", "")
	// The last root key cannot be deleted, even by itself.
	c.get("/console/access-keys")
	resp, body = c.post("/console/access-keys/"+testKeyID+"/delete", url.Values{})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "last root access key") {
		t.Errorf("delete of the last root key: %d\n%s", resp.StatusCode, body)
	}
}
