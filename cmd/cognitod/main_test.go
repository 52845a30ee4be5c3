package main

import (
	"bufio"
	"context"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitod/cognitod/internal/sdktest"
	"github.com/cognitod/cognitod/internal/store/postgres/pgtest"
)

// The test binary doubles as cognitod: with COGNITOD_TEST_MAIN set it
// runs `cognitod serve` with the flags that follow "--".
func TestMain(m *testing.M) {
	if os.Getenv("COGNITOD_TEST_MAIN") == "1" {
		args := os.Args[1:]
		for i, a := range args {
			if a == "--" {
				args = args[i+1:]
				break
			}
		}
		if err := serve(args, os.Stdout, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(pgtest.Main(m)) // without the shared test server, one throwaway cluster for the binary
}

type process struct {
	cmd    *exec.Cmd
	url    string
	stdout []string
}

var listening = regexp.MustCompile(`^cognitod listening on (https?://\S+)`)

// start runs cognitod serve on a free loopback port over dataDir and waits
// until it listens.
func start(t *testing.T, dataDir string, flags ...string) *process {
	t.Helper()
	return startWithEnv(t, dataDir, nil, flags...)
}

// startWithEnv is start with extra environment variables.
func startWithEnv(t *testing.T, dataDir string, env []string, flags ...string) *process {
	t.Helper()
	if len(flags) == 0 {
		flags = []string{"--addr", "127.0.0.1:0"}
	}
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^$", "--", "--data-dir", dataDir}, flags...)...)
	cmd.Env = append(os.Environ(), "COGNITOD_TEST_MAIN=1")
	for _, v := range []string{"COGNITOD_ROOT_ACCESS_KEY_ID", "COGNITOD_ROOT_SECRET_ACCESS_KEY", "COGNITOD_MASTER_KEY", "COGNITOD_ADDR", "COGNITOD_DATA_DIR", "COGNITOD_DB"} {
		cmd.Env = append(cmd.Env, v+"=")
	}
	cmd.Env = append(filterEmpty(cmd.Env), env...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	timeout := time.After(30 * time.Second)
	for p.url == "" {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("cognitod exited before listening; stdout: %q", p.stdout)
			}
			p.stdout = append(p.stdout, line)
			if m := listening.FindStringSubmatch(line); m != nil {
				p.url = m[1]
			}
		case <-timeout:
			t.Fatalf("cognitod did not start; stdout: %q", p.stdout)
		}
	}
	go func() {
		for range lines {
		}
	}()
	return p
}

func filterEmpty(env []string) []string {
	out := env[:0]
	for _, e := range env {
		if !strings.HasSuffix(e, "=") {
			out = append(out, e)
		}
	}
	return out
}

// sdkClient reads the credentials file cognitod wrote, exactly as the AWS
// CLI would with AWS_SHARED_CREDENTIALS_FILE and AWS_PROFILE.
func sdkClient(t *testing.T, dataDir, url string) *cip.Client {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background(),
		config.WithSharedCredentialsFiles([]string{filepath.Join(dataDir, "credentials")}),
		config.WithSharedConfigFiles([]string{}),
		config.WithSharedConfigProfile("cognitod"),
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

// TestRestart: data written, process stopped (gracefully, then with
// SIGKILL right after an acknowledged write), started again, data there.
func TestRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts cognitod processes")
	}
	dataDir := t.TempDir()
	ctx := context.Background()

	p := start(t, dataDir)
	if !strings.Contains(strings.Join(p.stdout, "\n"), "Created root access key") {
		t.Errorf("first start did not announce the generated key: %q", p.stdout)
	}
	for _, name := range []string{"credentials", "master.key", "cognitod.db"} {
		fi, err := os.Stat(filepath.Join(dataDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", name, fi.Mode().Perm())
		}
	}
	c := sdkClient(t, dataDir, p.url)
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("durable")})
	if err != nil {
		t.Fatal(err)
	}
	poolID := pool.UserPool.Id
	if _, err := c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: poolID, Identifier: aws.String("before-restart"), Name: aws.String("n")}); err != nil {
		t.Fatal(err)
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("graceful stop: %v", err)
	}

	p = start(t, dataDir)
	if strings.Contains(strings.Join(p.stdout, "\n"), "Created root access key") {
		t.Errorf("second start generated another key: %q", p.stdout)
	}
	c = sdkClient(t, dataDir, p.url)
	if _, err := c.DescribeResourceServer(ctx, &cip.DescribeResourceServerInput{UserPoolId: poolID, Identifier: aws.String("before-restart")}); err != nil {
		t.Fatalf("after restart: %v", err)
	}
	if _, err := c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: poolID, Identifier: aws.String("before-kill"), Name: aws.String("n")}); err != nil {
		t.Fatal(err)
	}
	p.cmd.Process.Signal(syscall.SIGKILL)
	p.cmd.Wait()

	p = start(t, dataDir)
	c = sdkClient(t, dataDir, p.url)
	for _, id := range []string{"before-restart", "before-kill"} {
		if _, err := c.DescribeResourceServer(ctx, &cip.DescribeResourceServerInput{UserPoolId: poolID, Identifier: aws.String(id)}); err != nil {
			t.Errorf("%s after kill -9: %v", id, err)
		}
	}
}

func TestParseServeValidatesEverythingAtOnce(t *testing.T) {
	_, err := parseServe([]string{"--addr", "nope", "--public-url", "ftp://x", "--account-id", "12", "--max-scopes", "101"}, io.Discard)
	if err == nil {
		t.Fatal("got nil error for four bad flags")
	}
	for _, want := range []string{"--addr", "--public-url", "--account-id", "--max-scopes"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
	t.Setenv("COGNITOD_ADDR", "127.0.0.1:1234")
	cfg, err := parseServe(nil, io.Discard)
	if err != nil || cfg.addr != "127.0.0.1:1234" || cfg.db != filepath.Join("cognitod-data", "cognitod.db") {
		t.Errorf("env default: %+v, %v", cfg, err)
	}
	cfg, err = parseServe([]string{"--addr", "127.0.0.1:99"}, io.Discard)
	if err != nil || cfg.addr != "127.0.0.1:99" {
		t.Errorf("flag over env: %+v, %v", cfg, err)
	}
}

// TestParseServeRefusesMalformedEnvironment: a COGNITOD_* variable that
// is set but does not parse as its flag stops serve, naming the variable,
// instead of leaving the built-in default in force. A flag given on the
// command line wins over its variable; an empty variable is unset;
// well-formed ones apply.
func TestParseServeRefusesMalformedEnvironment(t *testing.T) {
	for _, tc := range []struct{ name, value, want string }{
		{"MAX_APP_CLIENTS", "1O", `COGNITOD_MAX_APP_CLIENTS "1O": invalid value for --max-app-clients`},
		{"GC_HEAP_FLOOR", "64MiB", `COGNITOD_GC_HEAP_FLOOR "64MiB": invalid value for --gc-heap-floor`},
		{"SOURCE_SIGNIN_RPS", "fast", `COGNITOD_SOURCE_SIGNIN_RPS "fast": invalid value for --source-signin-rps`},
		{"TLS_SELF_SIGNED", "yes", `COGNITOD_TLS_SELF_SIGNED "yes": invalid value for --tls-self-signed`},
		{"DOMAIN_HOSTS_RESOLVE", strings.Repeat("x", 100), `COGNITOD_DOMAIN_HOSTS_RESOLVE "` + strings.Repeat("x", 40) + `...": invalid value`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("COGNITOD_"+tc.name, tc.value)
			_, err := parseServe(nil, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("COGNITOD_%s=%q: got %v, want an error containing %s", tc.name, tc.value, err, tc.want)
			}
		})
	}
	t.Setenv("COGNITOD_MAX_APP_CLIENTS", "1O")
	if cfg, err := parseServe([]string{"--max-app-clients", "9"}, io.Discard); err != nil || cfg.limits.AppClientsPerPool != 9 {
		t.Errorf("--max-app-clients 9 over a malformed COGNITOD_MAX_APP_CLIENTS: %v", err)
	}
	t.Setenv("COGNITOD_MAX_APP_CLIENTS", "7")
	t.Setenv("COGNITOD_SOURCE_SIGNIN_RPS", "2.5")
	t.Setenv("COGNITOD_TLS_SELF_SIGNED", "")
	t.Setenv("COGNITOD_DOMAIN_HOSTS_RESOLVE", "1")
	t.Setenv("COGNITOD_ADDR", "")
	t.Setenv("COGNITOD_GC_HEAP_FLOOR", "")
	cfg, err := parseServe(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.limits.AppClientsPerPool != 7 || cfg.quotaFlags.signInRPS != 2.5 || cfg.tls.selfSigned || !cfg.tls.domainHostsResolve ||
		cfg.addr != "127.0.0.1:9229" || cfg.gcHeapFloorMiB != 64 {
		t.Errorf("well-formed environment: app clients %d, sign-in rps %v, self-signed %v, domain hosts %v, addr %q, heap floor %d",
			cfg.limits.AppClientsPerPool, cfg.quotaFlags.signInRPS, cfg.tls.selfSigned, cfg.tls.domainHostsResolve, cfg.addr, cfg.gcHeapFloorMiB)
	}
}

// TestEveryServeFlagNamesItsTwin: applyEnv reads each flag's variable by
// the naming rule, so each flag's help must name that variable, or the
// help and the behaviour part.
func TestEveryServeFlagNamesItsTwin(t *testing.T) {
	n := 0
	serveFlags(&serveConfig{}).VisitAll(func(f *flag.Flag) {
		n++
		if !strings.Contains(f.Usage, envName(f.Name)) {
			t.Errorf("--%s: its help does not name %s: %q", f.Name, envName(f.Name), f.Usage)
		}
	})
	if n < 30 {
		t.Errorf("serve has %d flags; the test expected at least 30", n)
	}
}

// TestRootKeyAndMasterKeyFromEnvironment: COGNITOD_ROOT_ACCESS_KEY_ID and
// COGNITOD_ROOT_SECRET_ACCESS_KEY set the API key, COGNITOD_MASTER_KEY the
// master key (then no master.key file is written).
func TestRootKeyAndMasterKeyFromEnvironment(t *testing.T) {
	if testing.Short() {
		t.Skip("starts cognitod processes")
	}
	dataDir := t.TempDir()
	env := []string{"COGNITOD_ROOT_ACCESS_KEY_ID=ci-key", "COGNITOD_ROOT_SECRET_ACCESS_KEY=" + ciSecret,
		"COGNITOD_MASTER_KEY=" + base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))}
	p := startWithEnv(t, dataDir, env, "--addr", "127.0.0.1:0")
	c := cip.New(cip.Options{Region: "eu-central-1", BaseEndpoint: aws.String(p.url), RetryMaxAttempts: 1, HTTPClient: sdktest.Client(),
		Credentials: credentials.NewStaticCredentialsProvider("ci-key", ciSecret, "")})
	if _, err := c.ListUserPools(context.Background(), &cip.ListUserPoolsInput{MaxResults: aws.Int32(1)}); err != nil {
		t.Fatalf("with the key from the environment: %v", err)
	}
	for _, name := range []string{"master.key", "credentials"} {
		if _, err := os.Stat(filepath.Join(dataDir, name)); !os.IsNotExist(err) {
			t.Errorf("%s written although the environment gave the keys", name)
		}
	}
	// The master key from the environment is the one that seals: a
	// client secret reads back after a restart with it, and not with
	// another.
	ctx := context.Background()
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("sealed")})
	if err != nil {
		t.Fatal(err)
	}
	created, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: pool.UserPool.Id, ClientName: aws.String("m2m"), GenerateSecret: true})
	if err != nil {
		t.Fatal(err)
	}
	describe := func(p *process) (*cip.DescribeUserPoolClientOutput, error) {
		c := cip.New(cip.Options{Region: "eu-central-1", BaseEndpoint: aws.String(p.url), RetryMaxAttempts: 1, HTTPClient: sdktest.Client(),
			Credentials: credentials.NewStaticCredentialsProvider("ci-key", ciSecret, "")})
		return c.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: pool.UserPool.Id, ClientId: created.UserPoolClient.ClientId})
	}
	stop := func(p *process) {
		p.cmd.Process.Signal(syscall.SIGTERM)
		p.cmd.Wait()
	}
	stop(p)
	p = startWithEnv(t, dataDir, env, "--addr", "127.0.0.1:0")
	d, err := describe(p)
	if err != nil || aws.ToString(d.UserPoolClient.ClientSecret) != aws.ToString(created.UserPoolClient.ClientSecret) {
		t.Fatalf("secret after a restart with the same master key: %v", err)
	}
	stop(p)
	other := append(env[:2:2], "COGNITOD_MASTER_KEY="+base64.StdEncoding.EncodeToString([]byte("another master key of 32 bytes!!")))
	p = startWithEnv(t, dataDir, other, "--addr", "127.0.0.1:0")
	if d, err := describe(p); err == nil && aws.ToString(d.UserPoolClient.ClientSecret) == aws.ToString(created.UserPoolClient.ClientSecret) {
		t.Error("the client secret opened under another master key")
	}
}
