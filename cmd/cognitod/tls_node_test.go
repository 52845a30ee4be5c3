package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// oidcDir is internal/server/testdata/oidc, where aws-jwt-verify and
// openid-client are pinned by package-lock.json (.ci/run runs npm ci
// there). Outside CI a missing Node or npm ci skips; with CI=true it fails.
func oidcDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "internal", "server", "testdata", "oidc"))
	if err != nil {
		t.Fatal(err)
	}
	skip := func(why string) {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s (CI must install it)", why)
		}
		t.Skip(why)
	}
	if _, err := exec.LookPath("node"); err != nil {
		skip("node is not installed")
	}
	b, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct{ Dependencies map[string]string }
	if err := json.Unmarshal(b, &pkg); err != nil || len(pkg.Dependencies) == 0 {
		t.Fatalf("package.json: %v %v", err, pkg.Dependencies)
	}
	for name := range pkg.Dependencies {
		if _, err := os.Stat(filepath.Join(dir, "node_modules", name, "package.json")); err != nil {
			skip(name + " is not installed: run npm ci in internal/server/testdata/oidc")
		}
	}
	return dir
}

// runNodeScript runs script in dir with only PATH and HOME of the test's
// environment plus env, and decodes the last line it prints as JSON.
func runNodeScript(t *testing.T, dir, script string, env map[string]string, out any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", script)
	cmd.Dir = dir
	// Not the machine's NODE_EXTRA_CA_CERTS or NODE_TLS_REJECT_UNAUTHORIZED:
	// the CA the script trusts is the one the test names.
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node %s: %v\nstdout:\n%s\nstderr:\n%s", script, err, stdout.String(), stderr.String())
	}
	lines := bytes.Split(bytes.TrimSpace(stdout.Bytes()), []byte("\n"))
	if err := json.Unmarshal(lines[len(lines)-1], out); err != nil {
		t.Fatalf("node %s printed no JSON result (%v):\n%s\nstderr:\n%s", script, err, stdout.String(), stderr.String())
	}
}

// TestNodeOIDCClientsOverTLS is the acceptance test: against a
// real `cognitod serve --tls-self-signed`, with NODE_EXTRA_CA_CERTS
// naming the CA it wrote, openid-client (no insecure switch) discovers a
// pool that has a domain and gets a client_credentials token with a custom
// scope, and aws-jwt-verify's JwtVerifier, unmodified, verifies it with
// Cognito's claim checks, refusing another scope, another client, the
// other token use and a broken signature.
func TestNodeOIDCClientsOverTLS(t *testing.T) {
	if testing.Short() {
		t.Skip("starts cognitod and Node")
	}
	dir := oidcDir(t)
	dataDir := t.TempDir()
	p := start(t, dataDir, "--addr", "127.0.0.1:0", "--tls-self-signed")
	caFile := filepath.Join(dataDir, "tls", "ca.pem")
	public := p.publicURL(t)
	c := tlsSDKClient(t, dataDir, public, trusting(t, caFile, ""))
	ctx := context.Background()
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("node-tls")})
	if err != nil {
		t.Fatal(err)
	}
	poolID := pool.UserPool.Id
	// With a domain, discovery must still send server-side clients to
	// endpoints they can resolve.
	if _, err := c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: poolID, Domain: aws.String("node-tls")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: poolID, Identifier: aws.String("com.example.photos"), Name: aws.String("Photos"),
		Scopes: []types.ResourceServerScopeType{{ScopeName: aws.String("read"), ScopeDescription: aws.String("read photos")}}}); err != nil {
		t.Fatal(err)
	}
	cl, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: poolID, ClientName: aws.String("machine"), GenerateSecret: true,
		AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials}, AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthScopes: []string{"com.example.photos/read"}})
	if err != nil {
		t.Fatal(err)
	}
	issuer := public + "/" + aws.ToString(poolID)
	var got struct {
		Issuer, TokenEndpoint, TokenType string
		Verified                         map[string]string
		Refusals                         map[string]string
	}
	runNodeScript(t, dir, "m2m_tls.mjs", map[string]string{
		"NODE_EXTRA_CA_CERTS": caFile, "ISSUER": issuer,
		"CLIENT_ID": aws.ToString(cl.UserPoolClient.ClientId), "CLIENT_SECRET": aws.ToString(cl.UserPoolClient.ClientSecret), "SCOPE": "com.example.photos/read",
	}, &got)
	if got.Issuer != issuer || got.TokenEndpoint != issuer+"/oauth2/token" || !strings.EqualFold(got.TokenType, "bearer") {
		t.Errorf("openid-client: issuer %s token endpoint %s token type %s", got.Issuer, got.TokenEndpoint, got.TokenType)
	}
	want := map[string]string{"iss": issuer, "client_id": aws.ToString(cl.UserPoolClient.ClientId), "token_use": "access", "scope": "com.example.photos/read"}
	for k, v := range want {
		if got.Verified[k] != v {
			t.Errorf("verified %s = %q, want %q", k, got.Verified[k], v)
		}
	}
	for _, name := range []string{"otherScope", "otherClient", "idTokenUse", "badSignature"} {
		if r := got.Refusals[name]; r == "" || r == "accepted" {
			t.Errorf("aws-jwt-verify %s: %q, want a refusal", name, r)
		}
	}
	t.Logf("refusals: %v", got.Refusals)
}

// TestNodeOIDCCodeFlowOverTLS: openid-client runs the authorization code
// flow (PKCE, nonce, state) through the URLs discovery advertises for a
// pool that has a domain, over --tls-self-signed HTTPS; the script signs in
// on the issuer-path hosted login page, openid-client validates the ID
// token's claims and aws-jwt-verify verifies its signature.
func TestNodeOIDCCodeFlowOverTLS(t *testing.T) {
	if testing.Short() {
		t.Skip("starts cognitod and Node")
	}
	dir := oidcDir(t)
	dataDir := t.TempDir()
	p := start(t, dataDir, "--addr", "127.0.0.1:0", "--tls-self-signed")
	caFile := filepath.Join(dataDir, "tls", "ca.pem")
	public := p.publicURL(t)
	c := tlsSDKClient(t, dataDir, public, trusting(t, caFile, ""))
	ctx := context.Background()
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("node-code")})
	if err != nil {
		t.Fatal(err)
	}
	poolID := pool.UserPool.Id
	if _, err := c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: poolID, Domain: aws.String("node-code")}); err != nil {
		t.Fatal(err)
	}
	const redirect = "http://localhost:8081/callback"
	cl, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: poolID, ClientName: aws.String("web"), GenerateSecret: true,
		AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeCode}, AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthScopes: []string{"openid", "email"}, CallbackURLs: []string{redirect}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: poolID, Username: aws.String("carol"), MessageAction: types.MessageActionTypeSuppress,
		TemporaryPassword: aws.String("Temp-pass-1"), UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("carol@example.com")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: poolID, Username: aws.String("carol"), Password: aws.String("Carol-pass-1"), Permanent: true}); err != nil {
		t.Fatal(err)
	}
	issuer := public + "/" + aws.ToString(poolID)
	clientID := aws.ToString(cl.UserPoolClient.ClientId)
	var got struct {
		AuthorizationEndpoint string
		Claims                map[string]any
		VerifiedSub           string
		SubMatches            bool
	}
	runNodeScript(t, dir, "code_flow_tls.mjs", map[string]string{
		"NODE_EXTRA_CA_CERTS": caFile, "ISSUER": issuer, "CLIENT_ID": clientID, "CLIENT_SECRET": aws.ToString(cl.UserPoolClient.ClientSecret),
		"REDIRECT_URI": redirect, "USERNAME": "carol", "PASSWORD": "Carol-pass-1",
	}, &got)
	if got.AuthorizationEndpoint != issuer+"/oauth2/authorize" {
		t.Errorf("authorization_endpoint %s, want the issuer path", got.AuthorizationEndpoint)
	}
	if got.Claims["iss"] != issuer || got.Claims["aud"] != clientID || got.Claims["email"] != "carol@example.com" || got.Claims["token_use"] != "id" || got.Claims["nonce"] == "" {
		t.Errorf("ID token claims: %v", got.Claims)
	}
	if got.VerifiedSub == "" || !got.SubMatches {
		t.Errorf("aws-jwt-verify: sub %q, matches openid-client's %v", got.VerifiedSub, got.SubMatches)
	}
}
