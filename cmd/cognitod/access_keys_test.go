package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"

	"github.com/cognitod/cognitod/internal/sdktest"
)

func profileClient(t *testing.T, credsFile, profile, url string) *cip.Client {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background(),
		config.WithSharedCredentialsFiles([]string{credsFile}),
		config.WithSharedConfigFiles([]string{}),
		config.WithSharedConfigProfile(profile),
		config.WithRegion("us-east-1"))
	if err != nil {
		t.Fatal(err)
	}
	return cip.NewFromConfig(cfg, func(o *cip.Options) {
		o.BaseEndpoint = aws.String(url)
		o.RetryMaxAttempts = 1
		o.HTTPClient = sdktest.Client()
	})
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != code {
		t.Fatalf("%s: got %v, want %s", what, err, code)
	}
}

// eventuallyCode calls call until it fails with code, for at most 5 s (a
// running server sees another process's write at its next 250 ms poll),
// and fails the test with the last answer otherwise.
func eventuallyCode(t *testing.T, what string, call func() error, code string) {
	t.Helper()
	start := time.Now()
	for {
		err := call()
		var ae smithy.APIError
		if errors.As(err, &ae) && ae.ErrorCode() == code {
			t.Logf("%s: %s after %s", what, code, time.Since(start).Round(time.Millisecond))
			return
		}
		if time.Since(start) > 5*time.Second {
			t.Fatalf("%s: got %v for 5 s, want %s", what, err, code)
		}
		time.Sleep(100 * time.Millisecond) // within the server's default read quotas
	}
}

// TestKeysCLI drives `cognitod keys` against the data directory of a
// running server: a key made with a policy file and written to a profile
// is held to its policy; list shows it without secrets; set-policy,
// rotate and delete take effect at the server within its poll; the last root key
// cannot be deleted.
func TestKeysCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a cognitod process")
	}
	dataDir := t.TempDir()
	ctx := context.Background()
	p := start(t, dataDir)
	root := sdkClient(t, dataDir, p.url)
	pool, err := root.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("cli")})
	if err != nil {
		t.Fatal(err)
	}
	poolID := *pool.UserPool.Id
	arn := "arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + poolID
	policyFile := filepath.Join(t.TempDir(), "reader.json")
	os.WriteFile(policyFile, []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["cognito-idp:Describe*","cognito-idp:List*"],"Resource":"`+arn+`"}]}`), 0o600)
	creds := filepath.Join(t.TempDir(), "credentials")

	var out, errOut bytes.Buffer
	if err := keysCmd([]string{"create", "--name", "ci-reader", "--policy", policyFile, "--profile", "reader", "--credentials", creds, "--data-dir", dataDir}, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(errOut.String(), "WARNING") {
		t.Errorf("a key with a policy got a warning: %q", errOut.String())
	}
	reader := profileClient(t, creds, "reader", p.url)
	if _, err := reader.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: &poolID}); err != nil {
		t.Fatalf("reader DescribeUserPool: %v", err)
	}
	_, err = reader.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: &poolID})
	wantCode(t, "reader DeleteUserPool", err, "AccessDeniedException")
	if !strings.Contains(err.Error(), "User: arn:aws:iam::000000000000:user/ci-reader is not authorized to perform: cognito-idp:DeleteUserPool on resource: "+arn) {
		t.Errorf("denial message: %v", err)
	}
	// The same profile twice is refused, before a key is made.
	if err := keysCmd([]string{"create", "--name", "again", "--profile", "reader", "--credentials", creds, "--data-dir", dataDir}, io.Discard, io.Discard); err == nil {
		t.Error("create with a profile the file already has: got nil error")
	}

	// Without --policy: made, with a loud warning, and denied everything.
	out.Reset()
	errOut.Reset()
	if err := keysCmd([]string{"create", "--data-dir", dataDir, "--name", "empty"}, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut.String(), "WARNING") || !strings.Contains(errOut.String(), "denied") {
		t.Errorf("create without --policy: stderr %q, want a warning that the key is denied everything", errOut.String())
	}
	m := regexp.MustCompile(`aws_access_key_id = (\S+)\naws_secret_access_key = (\S+)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("create printed %q, want the ID and secret", out.String())
	}
	emptyID, emptySecret := m[1], m[2]

	out.Reset()
	if err := keysCmd([]string{"list", "--data-dir", dataDir}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	list := out.String()
	for _, want := range []string{"ci-reader", "empty", "none: denied everything", "full rights (root)", emptyID} {
		if !strings.Contains(list, want) {
			t.Errorf("keys list lacks %q:\n%s", want, list)
		}
	}
	credsText, _ := os.ReadFile(creds)
	readerSecret := regexp.MustCompile(`aws_secret_access_key = (\S+)`).FindSubmatch(credsText)[1]
	if strings.Contains(list, emptySecret) || strings.Contains(list, string(readerSecret)) {
		t.Errorf("keys list shows a secret:\n%s", list)
	}
	rootID := regexp.MustCompile(`(?m)^(\S+)\s+root\s+yes`).FindStringSubmatch(list)
	if rootID == nil {
		t.Fatalf("keys list has no root key:\n%s", list)
	}

	// set-policy: the running server decides the key's requests by it as
	// soon as its watcher sees the store's generation move (its 250 ms
	// poll on SQLite).
	readerID := regexp.MustCompile(`(?m)^(\S+)\s+ci-reader\s`).FindStringSubmatch(list)[1]
	denyAll := filepath.Join(t.TempDir(), "deny.json")
	os.WriteFile(denyAll, []byte(`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}`), 0o600)
	if err := keysCmd([]string{"set-policy", readerID, "--policy", denyAll, "--data-dir", dataDir}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	describe := func() error {
		_, err := reader.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: &poolID})
		return err
	}
	eventuallyCode(t, "reader after set-policy deny-all", describe, "AccessDeniedException")
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:username":"x"}}}}`), 0o600)
	if err := keysCmd([]string{"set-policy", readerID, "--policy", bad, "--data-dir", dataDir}, io.Discard, io.Discard); err == nil ||
		!strings.Contains(err.Error(), "aws:username") {
		t.Errorf("set-policy with an unsupported condition key: got %v, want an error naming it", err)
	}

	// rotate: a second key with the same name and policy; the old works on.
	out.Reset()
	if err := keysCmd([]string{"rotate", emptyID, "--data-dir", dataDir}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "keeps working") {
		t.Errorf("rotate printed %q", out.String())
	}
	out.Reset()
	keysCmd([]string{"list", "--data-dir", dataDir}, &out, io.Discard)
	if n := strings.Count(out.String(), " empty "); n != 2 {
		t.Errorf("keys named empty after rotate: got %d, want 2:\n%s", n, out.String())
	}

	// delete: the key is refused as soon as the server sees the change;
	// the last root key stays.
	if err := keysCmd([]string{"delete", readerID, "--data-dir", dataDir}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	eventuallyCode(t, "deleted key", describe, "UnrecognizedClientException")
	if err := keysCmd([]string{"delete", rootID[1], "--data-dir", dataDir}, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "last root") {
		t.Errorf("delete of the last root key: got %v", err)
	}
	if _, err := root.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(1)}); err != nil {
		t.Fatalf("root after the refused delete: %v", err)
	}

	// Both spellings rotate the pool's signing keys: each promotes a new
	// key, so the two print different key IDs.
	args := []string{"rotate", "--pool", poolID, "--data-dir", dataDir}
	var viaKeys, viaSigningKeys bytes.Buffer
	if err := keysCmd(args, &viaKeys, io.Discard); err != nil {
		t.Errorf("keys %v: %v", args, err)
	}
	if err := signingKeysCmd(args, &viaSigningKeys, io.Discard); err != nil {
		t.Errorf("signing-keys %v: %v", args, err)
	}
	rotated := regexp.MustCompile(`^Rotated the signing keys of ` + regexp.QuoteMeta(poolID) + `: (\S+) signs now`)
	k1, k2 := rotated.FindStringSubmatch(viaKeys.String()), rotated.FindStringSubmatch(viaSigningKeys.String())
	if k1 == nil || k2 == nil || k1[1] == k2[1] {
		t.Errorf("rotations printed %q and %q: want two different new key IDs", viaKeys.String(), viaSigningKeys.String())
	}
	if err := keysCmd([]string{"frobnicate"}, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Errorf("unknown subcommand: got %v, want the usage", err)
	}
}
