package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/store/postgres/pgtest"
	"github.com/cognitod/cognitod/verify"
)

// TestServeOnPostgres: `cognitod migrate` then `cognitod serve` on a
// postgres:// DSN (a fresh schema through search_path); the AWS SDK
// creates a pool, a resource server and a client, the client gets a
// client_credentials token, `signing-keys rotate --db` and `keys list
// --db` work on the same database, and after a restart the data and both
// keys are there. The DSN's password never reaches the output.
func TestServeOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts cognitod processes")
	}
	_, dsn := pgtest.Schema(t)
	const password = "pw-never-printed" // trust auth ignores it
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), password)
	dsn = u.String()
	dataDir := t.TempDir()
	ctx := context.Background()

	var out bytes.Buffer
	if err := migrateCmd([]string{"--db", dsn}, &out, io.Discard); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if !strings.Contains(out.String(), "up to date") || strings.Contains(out.String(), password) {
		t.Errorf("migrate printed %q", out.String())
	}

	p := start(t, dataDir, "--addr", "127.0.0.1:0", "--db", dsn)
	if banner := strings.Join(p.stdout, "\n"); strings.Contains(banner, password) {
		t.Errorf("output shows the DSN's password: %q", banner)
	}
	var banner bytes.Buffer
	printBanner(&banner, &serveConfig{db: dsn, publicURL: "http://localhost:9229"}, "127.0.0.1:1", "creds")
	if b := banner.String(); strings.Contains(b, password) || !strings.Contains(b, "database: postgres://postgres:xxxxx@127.0.0.1") {
		t.Errorf("banner: %q", b)
	}
	c := sdkClient(t, dataDir, p.url)
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("on-postgres")})
	if err != nil {
		t.Fatal(err)
	}
	poolID := *pool.UserPool.Id
	if _, err := c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: &poolID, Identifier: aws.String("api"), Name: aws.String("api"),
		Scopes: []types.ResourceServerScopeType{{ScopeName: aws.String("read"), ScopeDescription: aws.String("read")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: &poolID, Identifier: aws.String("api"), Name: aws.String("again")}); err == nil {
		t.Error("a second resource server with the same Identifier was created")
	}
	cl, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &poolID, ClientName: aws.String("m2m"), GenerateSecret: true,
		AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials}, AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthScopes: []string{"api/read"}})
	if err != nil {
		t.Fatal(err)
	}
	getToken := func(base string) (tok, scope string) {
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
		var claims struct{ Scope string }
		seg, _ := jsonSegmentAt(out.AccessToken, 1)
		json.Unmarshal(seg, &claims)
		return out.AccessToken, claims.Scope
	}
	before, scope := getToken(p.url)
	if scope != "api/read" {
		t.Errorf("token scope %q, want api/read", scope)
	}
	if code, body := get(t, p.url+"/readyz"); code != http.StatusOK {
		t.Errorf("/readyz: %d %s", code, body)
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("graceful stop: %v", err)
	}

	out.Reset()
	if err := signingKeysCmd([]string{"rotate", "--pool", poolID, "--data-dir", dataDir, "--db", dsn}, &out, io.Discard); err != nil {
		t.Fatalf("signing-keys rotate --db postgres://: %v", err)
	}
	out.Reset()
	if err := keysCmd([]string{"list", "--data-dir", dataDir, "--db", dsn}, &out, io.Discard); err != nil || !strings.Contains(out.String(), "root") {
		t.Errorf("keys list --db postgres://: %v, %q", err, out.String())
	}

	p = start(t, dataDir, "--addr", "127.0.0.1:0", "--db", dsn)
	after, _ := getToken(p.url)
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

func TestOpenStoreRedactsPassword(t *testing.T) {
	_, err := openStore(context.Background(), "postgres://u:s3cret-pw@127.0.0.1:1/db?connect_timeout=2")
	if err == nil || strings.Contains(err.Error(), "s3cret-pw") || !strings.Contains(err.Error(), "xxxxx") {
		t.Fatalf("openStore on an unreachable server: %v", err)
	}
}

func jsonSegmentAt(tok string, i int) ([]byte, error) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return nil, io.ErrUnexpectedEOF
	}
	return base64URL(parts[i])
}

// `cognitod migrate` without --db creates and migrates the data
// directory's SQLite file, which serve then opens.
func TestMigrateSQLite(t *testing.T) {
	dataDir := filepath.Join(t.TempDir(), "data")
	var out bytes.Buffer
	if err := migrateCmd([]string{"--data-dir", dataDir}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dataDir, "cognitod.db")
	if fi, err := os.Stat(db); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("after migrate: %v, %v", fi, err)
	}
	if !strings.Contains(out.String(), db) {
		t.Errorf("migrate printed %q", out.String())
	}
	if err := migrateCmd([]string{"--data-dir", dataDir, "extra"}, io.Discard, io.Discard); err == nil {
		t.Error("migrate accepted a stray argument")
	}
}
