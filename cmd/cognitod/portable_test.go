package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/postgres/pgtest"
	"github.com/cognitod/cognitod/verify"
)

// TestExportImport moves a deployment built through the AWS SDK to a
// fresh data directory with the same master key and shows that nothing
// told apart: every Describe/List answer is equal, users sign in with their
// passwords, a client with a secret gets tokens that verify against the
// JWKS published before the move (same kid), and a restricted key is still
// held to its policy. The same document is refused under another master key
// (leaving nothing behind) and into a deployment that is not empty.
// TestExportImport moves a deployment from SQLite to a new SQLite file and
// to PostgreSQL (the target database is the only difference).
func TestExportImport(t *testing.T) {
	if testing.Short() {
		t.Skip("starts cognitod processes")
	}
	t.Run("sqlite", func(t *testing.T) { testExportImport(t, nil) })
	t.Run("postgres", func(t *testing.T) {
		testExportImport(t, func() []string { _, dsn := pgtest.Schema(t); return []string{"--db", dsn} })
	})
}

// testExportImport builds a deployment on SQLite, exports it and imports it
// into a fresh data directory whose database is given by targetDB's flags
// (nil: the directory's SQLite file).
func testExportImport(t *testing.T, targetDB func() []string) {
	ctx := context.Background()
	src := t.TempDir()
	p := start(t, src)
	root := sdkClient(t, src, p.url)

	pool, err := root.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("moving"),
		Policies:               &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(10), RequireNumbers: true}},
		UsernameConfiguration:  &types.UsernameConfigurationType{CaseSensitive: aws.Bool(false)},
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		UserPoolTags:           map[string]string{"team": "identity", "env": "ci"}})
	if err != nil {
		t.Fatal(err)
	}
	poolID := *pool.UserPool.Id
	other, err := root.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("elsewhere")})
	if err != nil {
		t.Fatal(err)
	}
	otherID := *other.UserPool.Id
	if _, err := root.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: &poolID, Identifier: aws.String("https://api.example.com"), Name: aws.String("api"),
		Scopes: []types.ResourceServerScopeType{{ScopeName: aws.String("read"), ScopeDescription: aws.String("read things")}, {ScopeName: aws.String("write"), ScopeDescription: aws.String("write things")}}}); err != nil {
		t.Fatal(err)
	}
	m2m, err := root.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &poolID, ClientName: aws.String("m2m"), GenerateSecret: true,
		AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials}, AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthScopes: []string{"https://api.example.com/read"}})
	if err != nil {
		t.Fatal(err)
	}
	app, err := root.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &poolID, ClientName: aws.String("app"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := root.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: &poolID, Domain: aws.String("moving-team")}); err != nil {
		t.Fatal(err)
	}
	users := map[string]string{"alice": "Correct-horse-1", "bob": "Battery-staple-2"}
	for name, pw := range users {
		if _, err := root.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String(name), MessageAction: types.MessageActionTypeSuppress,
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(name + "@example.com")}, {Name: aws.String("email_verified"), Value: aws.String("true")}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := root.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &poolID, Username: aws.String(name), Password: aws.String(pw), Permanent: true}); err != nil {
			t.Fatal(err)
		}
	}
	for _, g := range []struct {
		name    string
		prec    int32
		members []string
	}{{"admins", 1, []string{"alice"}}, {"staff", 5, []string{"alice", "bob"}}} {
		if _, err := root.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: &poolID, GroupName: aws.String(g.name), Precedence: aws.Int32(g.prec), Description: aws.String(g.name + " group")}); err != nil {
			t.Fatal(err)
		}
		for _, u := range g.members {
			if _, err := root.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: &poolID, GroupName: aws.String(g.name), Username: aws.String(u)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := root.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: &poolID, Username: aws.String("bob")}); err != nil {
		t.Fatal(err)
	}
	// A key that may only read the first pool.
	arn := "arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + poolID
	policyFile := filepath.Join(t.TempDir(), "reader.json")
	os.WriteFile(policyFile, []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["cognito-idp:Describe*","cognito-idp:List*"],"Resource":"`+arn+`"}]}`), 0o600)
	creds := filepath.Join(t.TempDir(), "credentials")
	if err := keysCmd([]string{"create", "--name", "ci-reader", "--policy", policyFile, "--profile", "reader", "--credentials", creds, "--data-dir", src}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}

	token := func(base string) string {
		resp, err := http.PostForm(base+"/"+poolID+"/oauth2/token", url.Values{"grant_type": {"client_credentials"},
			"client_id": {*m2m.UserPoolClient.ClientId}, "client_secret": {*m2m.UserPoolClient.ClientSecret}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct {
			AccessToken string `json:"access_token"`
		}
		b, _ := io.ReadAll(resp.Body)
		if err := json.Unmarshal(b, &out); err != nil || out.AccessToken == "" {
			t.Fatalf("token: %d %s", resp.StatusCode, b)
		}
		return out.AccessToken
	}
	before := token(p.url)
	jwksBefore := getBody(t, p.url+"/"+poolID+"/.well-known/jwks.json")
	answersBefore := describeAll(t, root, poolID, otherID, *m2m.UserPoolClient.ClientId, *app.UserPoolClient.ClientId)
	p.cmd.Process.Signal(syscall.SIGTERM)
	p.cmd.Wait()

	doc := filepath.Join(t.TempDir(), "deployment.json")
	var errOut bytes.Buffer
	if err := exportCmd([]string{"--data-dir", src, "--out", doc}, io.Discard, &errOut); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(doc); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("document mode: %v %v", fi.Mode(), err)
	}
	if !strings.Contains(errOut.String(), "sensitive") {
		t.Errorf("export did not say the document is sensitive: %q", errOut.String())
	}
	if err := exportCmd([]string{"--data-dir", src, "--out", doc}, io.Discard, io.Discard); err == nil {
		t.Error("export overwrote an existing file")
	}
	// To standard output, the same document.
	var stdout bytes.Buffer
	if err := exportCmd([]string{"--data-dir", src}, &stdout, io.Discard); err != nil {
		t.Fatal(err)
	}
	if d, err := cognito.DecodeDeployment(&stdout); err != nil || len(d.UserPools) != 2 {
		t.Errorf("export to standard output: %v", err)
	}

	// Another master key: refused, and no database is left behind.
	wrong := t.TempDir()
	os.WriteFile(filepath.Join(wrong, "master.key"), []byte("AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=\n"), 0o600)
	err = importCmd([]string{"--data-dir", wrong, "--in", doc}, io.Discard, io.Discard)
	if !errors.Is(err, cognito.ErrWrongMasterKey) {
		t.Errorf("import under another master key: %v", err)
	}
	if _, err := os.Stat(filepath.Join(wrong, "cognitod.db")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the refused import left a database: %v", err)
	}
	// No master key at all: refused, and none is made up.
	none := t.TempDir()
	if err := importCmd([]string{"--data-dir", none, "--in", doc}, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "master key") {
		t.Errorf("import without a master key: %v", err)
	}
	if _, err := os.Stat(filepath.Join(none, "master.key")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("import without a master key made one: %v", err)
	}

	// A document the store refuses part-way (a second active signing key
	// in a pool) writes nothing: the import is one transaction.
	key, _ := os.ReadFile(filepath.Join(src, "master.key"))
	half := t.TempDir()
	os.WriteFile(filepath.Join(half, "master.key"), key, 0o600)
	bad := readDeployment(t, doc)
	var last *cognito.PortablePool
	for i := range bad.UserPools {
		if bad.UserPools[i].ID == poolID {
			last = &bad.UserPools[i] // it has signed a token, so it has keys
		}
	}
	extra := last.SigningKeys[0]
	extra.KID, extra.Status = "extra-kid", cognito.KeyActive
	last.SigningKeys = append(last.SigningKeys, extra)
	badDoc := filepath.Join(t.TempDir(), "bad.json")
	f, _ := os.Create(badDoc)
	cognito.EncodeDeployment(f, bad)
	f.Close()
	if err := importCmd([]string{"--data-dir", half, "--in", badDoc}, io.Discard, io.Discard); !errors.Is(err, cognito.ErrAlreadyExists) {
		t.Errorf("import with two active keys in a pool: %v", err)
	}
	st, err := portableOpen(half, "", false)
	if err != nil {
		t.Fatal(err)
	}
	n, err1 := st.CountUserPools(ctx, "us-east-1")
	keys, err2 := st.ListAccessKeys(ctx)
	st.Close()
	if n != 0 || len(keys) != 0 || err1 != nil || err2 != nil {
		t.Errorf("the failed import left %d pools and %d keys (%v, %v)", n, len(keys), err1, err2)
	}

	dst := t.TempDir()
	os.WriteFile(filepath.Join(dst, "master.key"), key, 0o600)
	var dbFlags []string
	if targetDB != nil {
		dbFlags = targetDB()
	}
	var out bytes.Buffer
	if err := importCmd(append([]string{"--data-dir", dst, "--in", doc}, dbFlags...), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "2 user pools") || !strings.Contains(out.String(), "2 users") {
		t.Errorf("import printed %q", out.String())
	}
	if err := importCmd(append([]string{"--data-dir", dst, "--in", doc}, dbFlags...), io.Discard, io.Discard); !errors.Is(err, cognito.ErrNotEmpty) {
		t.Errorf("second import: %v", err)
	}

	// Exported again, the copy is the same document, row for row.
	again := filepath.Join(t.TempDir(), "again.json")
	if err := exportCmd(append([]string{"--data-dir", dst, "--out", again}, dbFlags...), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	d1, d2 := readDeployment(t, doc), readDeployment(t, again)
	d1.ExportedAt = d2.ExportedAt
	b1, _ := json.Marshal(d1)
	b2, _ := json.Marshal(d2)
	if !bytes.Equal(b1, b2) {
		t.Errorf("export of the copy differs:\n%s\n%s", b1, b2)
	}
	if len(d1.UserPools) != 2 || len(d1.AccessKeys) != 2 {
		t.Errorf("document has %d pools and %d keys, want 2 and 2", len(d1.UserPools), len(d1.AccessKeys))
	}
	for _, p := range d1.UserPools {
		for _, u := range p.Users {
			if u.PasswordHash == "" || len(u.SRPVerifier) == 0 {
				t.Errorf("user %s exported without password hash or SRP verifier", u.Username)
			}
		}
		if p.ID == poolID && (len(p.SigningKeys) < 2 || p.Domain == nil || len(p.Groups) != 2 || len(p.AppClients) != 2) {
			t.Errorf("pool exported incompletely: %d keys, domain %v, %d groups, %d clients", len(p.SigningKeys), p.Domain, len(p.Groups), len(p.AppClients))
		}
	}

	q := start(t, dst, append([]string{"--addr", "127.0.0.1:0"}, dbFlags...)...)
	// The root key moved too: the source's credentials file works here.
	moved := sdkClient(t, src, q.url)
	answersAfter := describeAll(t, moved, poolID, otherID, *m2m.UserPoolClient.ClientId, *app.UserPoolClient.ClientId)
	for name, b := range answersBefore {
		if a := answersAfter[name]; a != b {
			t.Errorf("%s differs after the move:\nbefore %s\nafter  %s", name, b, a)
		}
	}

	auth, err := moved.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: app.UserPoolClient.ClientId, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "Alice", "PASSWORD": users["alice"]}})
	if err != nil || auth.AuthenticationResult == nil {
		t.Fatalf("alice signs in after the move: %v", err)
	}
	_, err = moved.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: app.UserPoolClient.ClientId, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": users["bob"]}})
	wantCode(t, "alice with a wrong password", err, "NotAuthorizedException")
	_, err = moved.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: app.UserPoolClient.ClientId, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "bob", "PASSWORD": users["bob"]}})
	wantCode(t, "disabled bob", err, "NotAuthorizedException")

	// Tokens from either side verify against the JWKS of before the move.
	jwks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write(jwksBefore) }))
	defer jwks.Close()
	after := token(q.url)
	v := &verify.Verifier{Algorithm: verify.RS256, Issuer: "http://localhost:9229/" + poolID, JWKSURL: jwks.URL,
		TokenUse: verify.AccessToken, ClientIDs: []string{*m2m.UserPoolClient.ClientId}}
	for name, tok := range map[string]string{"before": before, "after": after} {
		if _, err := v.Verify(ctx, tok); err != nil {
			t.Errorf("token from %s the move: %v", name, err)
		}
	}
	kid := func(tok string) string {
		var h struct{ Kid string }
		b, _ := jsonSegment(tok)
		json.Unmarshal(b, &h)
		return h.Kid
	}
	if kid(before) != kid(after) {
		t.Errorf("kid changed in the move: %s -> %s", kid(before), kid(after))
	}

	reader := profileClient(t, creds, "reader", q.url)
	retry := func(o *cip.Options) { o.RetryMaxAttempts = 3 } // see describeAll
	if _, err := reader.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: &poolID}, retry); err != nil {
		t.Errorf("restricted key after the move: %v", err)
	}
	_, err = reader.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: &poolID})
	wantCode(t, "restricted key deleting", err, "AccessDeniedException")
	_, err = reader.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: &otherID})
	wantCode(t, "restricted key on another pool", err, "AccessDeniedException")
}

func readDeployment(t *testing.T, path string) *cognito.Deployment {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := cognito.DecodeDeployment(f)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func getBody(t *testing.T, u string) []byte {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %v", u, resp.StatusCode, err)
	}
	return b
}

// describeAll collects the SDK's answers to every Describe and List call
// of the deployment, as JSON (ResultMetadata encodes as {}).
func describeAll(t *testing.T, c *cip.Client, poolID, otherID, m2mID, appID string) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	// The SDK retries the transport's closed-idle-connection race
	// (aws-sdk-go-v2#2737) by default; sdkClient turns retries off.
	retry := func(o *cip.Options) { o.RetryMaxAttempts = 3 }
	add := func(name string, v any, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = string(b)
	}
	arn := "arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + poolID
	v1, err := c.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(60)}, retry)
	add("ListUserPools", v1, err)
	for _, id := range []string{poolID, otherID} {
		v, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(id)}, retry)
		add("DescribeUserPool "+id, v, err)
		v2, err := c.ListUserPoolClients(ctx, &cip.ListUserPoolClientsInput{UserPoolId: aws.String(id), MaxResults: aws.Int32(60)}, retry)
		add("ListUserPoolClients "+id, v2, err)
	}
	for _, id := range []string{m2mID, appID} {
		v, err := c.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: &poolID, ClientId: aws.String(id)}, retry)
		add("DescribeUserPoolClient "+id, v, err)
	}
	v3, err := c.ListResourceServers(ctx, &cip.ListResourceServersInput{UserPoolId: &poolID, MaxResults: aws.Int32(50)}, retry)
	add("ListResourceServers", v3, err)
	v4, err := c.DescribeResourceServer(ctx, &cip.DescribeResourceServerInput{UserPoolId: &poolID, Identifier: aws.String("https://api.example.com")}, retry)
	add("DescribeResourceServer", v4, err)
	v5, err := c.DescribeUserPoolDomain(ctx, &cip.DescribeUserPoolDomainInput{Domain: aws.String("moving-team")}, retry)
	add("DescribeUserPoolDomain", v5, err)
	v6, err := c.ListTagsForResource(ctx, &cip.ListTagsForResourceInput{ResourceArn: &arn}, retry)
	add("ListTagsForResource", v6, err)
	v7, err := c.ListGroups(ctx, &cip.ListGroupsInput{UserPoolId: &poolID}, retry)
	add("ListGroups", v7, err)
	for _, g := range []string{"admins", "staff"} {
		v, err := c.ListUsersInGroup(ctx, &cip.ListUsersInGroupInput{UserPoolId: &poolID, GroupName: aws.String(g)}, retry)
		add("ListUsersInGroup "+g, v, err)
		v2, err := c.GetGroup(ctx, &cip.GetGroupInput{UserPoolId: &poolID, GroupName: aws.String(g)}, retry)
		add("GetGroup "+g, v2, err)
	}
	v8, err := c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: &poolID}, retry)
	add("ListUsers", v8, err)
	for _, u := range []string{"alice", "bob"} {
		v, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &poolID, Username: aws.String(u)}, retry)
		add("AdminGetUser "+u, v, err)
		v2, err := c.AdminListGroupsForUser(ctx, &cip.AdminListGroupsForUserInput{UserPoolId: &poolID, Username: aws.String(u)}, retry)
		add("AdminListGroupsForUser "+u, v2, err)
	}
	return out
}

// TestExportImportStandardStreams: `--out -` and `--in -` carry the
// document through standard output and input.
func TestExportImportStandardStreams(t *testing.T) {
	key := []byte("BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n")
	src, dst := t.TempDir(), t.TempDir()
	for _, d := range []string{src, dst} {
		os.WriteFile(filepath.Join(d, "master.key"), key, 0o600)
	}
	st, err := portableOpen(src, "", true)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	var doc bytes.Buffer
	if err := exportCmd([]string{"--data-dir", src, "--out", "-"}, &doc, io.Discard); err != nil {
		t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() { w.Write(doc.Bytes()); w.Close() }()
	stdin := os.Stdin
	os.Stdin = r
	defer func() { os.Stdin = stdin; r.Close() }()
	var out bytes.Buffer
	if err := importCmd([]string{"--data-dir", dst, "--in", "-"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "Imported 0 access keys, 0 user pools") {
		t.Errorf("import printed %q", out.String())
	}
	if _, err := os.Stat(filepath.Join(dst, "cognitod.db")); err != nil {
		t.Errorf("no database after the import: %v", err)
	}
}
