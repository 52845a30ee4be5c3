package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/verify"
)

// TestKeysRotate: a token signed before `cognitod keys rotate` still
// verifies after it, tokens after it are signed by the promoted key, and
// the JWKS holds both.
func TestKeysRotate(t *testing.T) {
	if testing.Short() {
		t.Skip("starts cognitod processes")
	}
	dataDir := t.TempDir()
	ctx := context.Background()
	p := start(t, dataDir)
	c := sdkClient(t, dataDir, p.url)
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("rotate")})
	if err != nil {
		t.Fatal(err)
	}
	poolID := *pool.UserPool.Id
	if _, err := c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: &poolID, Identifier: aws.String("api"), Name: aws.String("api"),
		Scopes: []types.ResourceServerScopeType{{ScopeName: aws.String("read"), ScopeDescription: aws.String("read")}}}); err != nil {
		t.Fatal(err)
	}
	cl, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &poolID, ClientName: aws.String("m2m"), GenerateSecret: true,
		AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials}, AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthScopes: []string{"api/read"}})
	if err != nil {
		t.Fatal(err)
	}
	getToken := func(base string) string {
		resp, err := http.PostForm(base+"/"+poolID+"/oauth2/token", url.Values{"grant_type": {"client_credentials"},
			"client_id": {*cl.UserPoolClient.ClientId}, "client_secret": {*cl.UserPoolClient.ClientSecret}})
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
	before := getToken(p.url)
	p.cmd.Process.Signal(syscall.SIGTERM)
	p.cmd.Wait()

	var out bytes.Buffer
	if err := keysCmd([]string{"rotate", "--pool", poolID, "--data-dir", dataDir}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Rotated the signing keys of "+poolID) {
		t.Errorf("keys rotate printed %q", out.String())
	}
	if err := keysCmd([]string{"rotate", "--pool", "us-east-1_NoSuchPoo", "--data-dir", dataDir}, io.Discard, io.Discard); err == nil {
		t.Error("rotating an unknown pool succeeded")
	}

	p = start(t, dataDir)
	after := getToken(p.url)
	kid := func(tok string) string {
		var h struct{ Kid string }
		b, _ := jsonSegment(tok)
		json.Unmarshal(b, &h)
		return h.Kid
	}
	if kid(before) == kid(after) {
		t.Errorf("kid unchanged by rotation: %s", kid(before))
	}
	v := &verify.Verifier{Algorithm: verify.RS256, Issuer: "http://localhost:9229/" + poolID, JWKSURL: p.url + "/" + poolID + "/.well-known/jwks.json",
		TokenUse: verify.AccessToken, ClientIDs: []string{*cl.UserPoolClient.ClientId}}
	for name, tok := range map[string]string{"before": before, "after": after} {
		if _, err := v.Verify(ctx, tok); err != nil {
			t.Errorf("token from %s the rotation: %v", name, err)
		}
	}
}

func jsonSegment(tok string) ([]byte, error) {
	return base64URL(strings.Split(tok, ".")[0])
}

func base64URL(s string) ([]byte, error) { return base64.RawURLEncoding.DecodeString(s) }
