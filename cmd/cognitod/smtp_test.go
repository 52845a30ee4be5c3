package main

import (
	"bytes"
	"context"
	"io"
	"mime/quotedprintable"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/mail/smtptest"
)

// TestSMTPURLFlagAndEnvironment: --smtp-url and its twin
// COGNITOD_SMTP_URL, validated with the other flags, the password in no
// error and not in -h (the environment's value is no flag default).
func TestSMTPURLFlagAndEnvironment(t *testing.T) {
	_, err := parseServe([]string{"--smtp-url", "http://u:hunter2@mail.example.com", "--addr", "nope"}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--smtp-url") || !strings.Contains(err.Error(), "--addr") || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("bad --smtp-url: %v", err)
	}
	t.Setenv("COGNITOD_SMTP_URL", "smtp://u:hunter2@mail.example.com:2525")
	cfg, err := parseServe(nil, io.Discard)
	if err != nil || cfg.mailer == nil || cfg.mailer.String() != "smtp://u@mail.example.com:2525 (STARTTLS when offered)" {
		t.Fatalf("from the environment: %v, %v", cfg, err)
	}
	cfg, err = parseServe([]string{"--smtp-url", "smtps://v:pw@other.example.com"}, io.Discard)
	if err != nil || cfg.mailer.String() != "smtps://v@other.example.com:465 (implicit TLS)" {
		t.Fatalf("flag over environment: %v, %v", cfg.mailer, err)
	}
	var help bytes.Buffer
	parseServe([]string{"-h"}, &help)
	if !strings.Contains(help.String(), "-smtp-url") || strings.Contains(help.String(), "hunter2") {
		t.Errorf("-h shows the environment's SMTP password or no --smtp-url:\n%s", help.String())
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestServeSendsMailBySMTP: cognitod started with COGNITOD_SMTP_URL
// mails an invitation through a real SMTP server, logs which sender it
// chose, and never logs the SMTP password or the temporary password.
func TestServeSendsMailBySMTP(t *testing.T) {
	if testing.Short() {
		t.Skip("starts cognitod processes")
	}
	srv := smtptest.Start(t, smtptest.Options{NoSTARTTLS: true, AllowInsecureAuth: true, Username: "mailer", Password: "hunter2-smtp", RequireAuth: true})
	dataDir := t.TempDir()
	proc := startCaptured(t, dataDir, []string{"COGNITOD_SMTP_URL=smtp://mailer:hunter2-smtp@" + srv.Addr})
	c := sdkClient(t, dataDir, proc.url)
	ctx := context.Background()
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("mailed"),
		AdminCreateUserConfig: &types.AdminCreateUserConfigType{InviteMessageTemplate: &types.MessageTemplateType{
			EmailSubject: aws.String("Welcome"), EmailMessage: aws.String("Hello {username}, your temporary password is {####}")}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool.UserPool.Id, Username: aws.String("erin"),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("erin@example.com")}}}); err != nil {
		t.Fatal(err)
	}
	got := srv.Next(t)
	msg := got.Parse(t)
	body, _ := io.ReadAll(quotedprintable.NewReader(msg.Body))
	m := regexp.MustCompile(`Hello erin, your temporary password is (\S+)`).FindStringSubmatch(string(body))
	if got.AuthUser != "mailer" || got.To[0] != "erin@example.com" || msg.Header.Get("Subject") != "Welcome" || m == nil {
		t.Fatalf("mail: user %q to %v subject %q body %q", got.AuthUser, got.To, msg.Header.Get("Subject"), body)
	}
	logs := proc.stderr.String()
	if !strings.Contains(logs, "messages to users") || !strings.Contains(logs, "SMTP smtp://mailer@"+srv.Addr) || !strings.Contains(logs, "sms=\"the log\"") {
		t.Errorf("the log does not say which sender was chosen:\n%s", logs)
	}
	for _, secret := range []string{"hunter2-smtp", m[1]} {
		if strings.Contains(logs+proc.stdout.String(), secret) {
			t.Errorf("the output shows %q:\n%s", secret, logs)
		}
	}
}

// capturedProcess is a cognitod serve process whose stdout and stderr are
// kept, for tests that check what it printed or logged.
type capturedProcess struct {
	url            string
	stdout, stderr *lockedBuffer
}

// output is everything the process printed so far.
func (p *capturedProcess) output() string { return p.stderr.String() + p.stdout.String() }

// startCaptured runs `cognitod serve --data-dir dataDir --addr
// 127.0.0.1:0` with flags and the extra environment env, keeping its
// output, and waits until it listens.
func startCaptured(t *testing.T, dataDir string, env []string, flags ...string) *capturedProcess {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^$", "--", "--data-dir", dataDir, "--addr", "127.0.0.1:0"}, flags...)...)
	cmd.Env = append(append(os.Environ(), "COGNITOD_TEST_MAIN=1"), env...)
	p := &capturedProcess{stdout: &lockedBuffer{}, stderr: &lockedBuffer{}}
	cmd.Stdout, cmd.Stderr = p.stdout, p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	listening := regexp.MustCompile(`cognitod listening on (http://\S+)`)
	for deadline := time.Now().Add(30 * time.Second); p.url == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := listening.FindStringSubmatch(p.stdout.String()); m != nil {
			p.url = m[1]
		}
	}
	if p.url == "" {
		t.Fatalf("cognitod did not start:\n%s\n%s", p.stdout.String(), p.stderr.String())
	}
	return p
}
