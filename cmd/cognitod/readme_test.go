package main

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// readmeBlock returns the fenced code block of README.md that follows
// marker, or the first ```lang block when marker is "".
func readmeBlock(t *testing.T, marker, lang string) string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	if marker != "" {
		i := strings.Index(text, marker)
		if i < 0 {
			t.Fatalf("README.md has no %s", marker)
		}
		text = text[i:]
	}
	m := regexp.MustCompile("(?s)```" + lang + "\n(.*?)```").FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("README.md has no ```%s block after %q", lang, marker)
	}
	return m[1]
}

// TestREADMEWalkthrough runs the README's AWS CLI walk-through verbatim,
// against a real cognitod, with only the endpoint's port changed.
func TestREADMEWalkthrough(t *testing.T) {
	if testing.Short() {
		t.Skip("starts cognitod and the AWS CLI")
	}
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("the AWS CLI (aws) is not installed; the walk-through needs it")
	}
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed; the walk-through needs it")
	}
	dir := t.TempDir()
	// The walk-through's fixed ports (9229, 8080) may be taken here: use
	// free ones, and the public URL that goes with the server's.
	apiPort, photosPort := freePort(t), freePort(t)
	start(t, filepath.Join(dir, "cognitod-data"), "--addr", "127.0.0.1:"+apiPort, "--public-url", "http://localhost:"+apiPort)
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "photos-api"), "../../examples/photos")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build examples/photos: %v\n%s", err, out)
	}
	script := readmeBlock(t, "<!-- walkthrough:start -->", "sh")
	script = strings.ReplaceAll(script, "localhost:9229", "localhost:"+apiPort)
	script = strings.ReplaceAll(script, "localhost:8080", "localhost:"+photosPort)
	script = strings.ReplaceAll(script, "go build -o photos-api ./examples/photos", ": built by the test")
	cmd := exec.Command("bash", "-euo", "pipefail", "-c", script)
	cmd.Dir = dir
	// Credentials in the environment would win over the profile.
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=", "AWS_SECRET_ACCESS_KEY=", "AWS_SESSION_TOKEN=", "PHOTOS_ADDR=127.0.0.1:"+photosPort)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("walk-through failed: %v\n%s", err, out)
	}
	text := string(out)
	for _, want := range []string{`"Identifier": "com.example.photos"`, `"com.example.photos/read"`, `"Name": "Photo API"`,
		"update and delete your photos", "InvalidParameterException", "refused, as Cognito refuses it",
		`"token_use":"access","scope":"com.example.photos/read"`, "HTTP/1.1 403",
		`error="insufficient_scope"`, `"title":"Sunset"`, `{"error":"invalid_scope"}`} {
		if !strings.Contains(text, want) {
			t.Errorf("walk-through output lacks %q:\n%s", want, out)
		}
	}
	// After deleting write: only read; after re-adding: both.
	scopes := regexp.MustCompile(`"scope":"([^"]*)"`).FindAllStringSubmatch(text, -1)
	if n := len(scopes); n < 3 || scopes[n-2][1] != "com.example.photos/read" || !strings.Contains(scopes[n-1][1], "com.example.photos/write") {
		t.Errorf("scope claims through the walk-through: %v", scopes)
	}
}

// TestREADMEPython runs the README's boto3 example.
func TestREADMEPython(t *testing.T) {
	if testing.Short() {
		t.Skip("starts cognitod and python3")
	}
	if err := exec.Command("python3", "-c", "import boto3").Run(); err != nil {
		t.Skip("python3 with boto3 is not installed")
	}
	dir := t.TempDir()
	p := start(t, filepath.Join(dir, "cognitod-data"))
	script := strings.ReplaceAll(readmeBlock(t, "The same from Python", "python"), "http://localhost:9229", p.url)
	script += "\nprint(cognito.describe_resource_server(UserPoolId=pool_id, Identifier='com.example.photos')['ResourceServer']['Name'])\n"
	cmd := exec.Command("python3", "-c", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "cognitod-data", "credentials"), "AWS_PROFILE=cognitod",
		"AWS_ACCESS_KEY_ID=", "AWS_SECRET_ACCESS_KEY=", "AWS_SESSION_TOKEN=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("python example failed: %v\n%s", err, out)
	}
	if strings.TrimSpace(string(out)) != "Photo Server" {
		t.Errorf("python example printed %q, want Photo Server", out)
	}
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// TestREADMEHostedLoginSetup runs the AWS CLI part of the README's
// hosted-login section (everything but starting the web app, which the
// browser test in internal/server covers).
func TestREADMEHostedLoginSetup(t *testing.T) {
	if testing.Short() {
		t.Skip("starts cognitod and the AWS CLI")
	}
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("the AWS CLI (aws) is not installed")
	}
	dir := t.TempDir()
	apiPort := freePort(t)
	start(t, filepath.Join(dir, "cognitod-data"), "--addr", "127.0.0.1:"+apiPort, "--public-url", "http://localhost:"+apiPort)
	script := readmeBlock(t, "## Signing users in", "sh")
	script = strings.ReplaceAll(script, "localhost:9229", "localhost:"+apiPort)
	lines := strings.Split(strings.TrimSpace(script), "\n")
	if !strings.HasPrefix(lines[len(lines)-1], "go run ./examples/webapp") {
		t.Fatalf("the section no longer ends by starting the web app: %q", lines[len(lines)-1])
	}
	script = strings.Join(lines[:len(lines)-1], "\n") + "\necho \"client=$CLIENT_ID pool=$POOL_ID\"\n"
	cmd := exec.Command("bash", "-euo", "pipefail", "-c", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=", "AWS_SECRET_ACCESS_KEY=", "AWS_SESSION_TOKEN=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("hosted-login setup failed: %v\n%s", err, out)
	}
	if !regexp.MustCompile(`client=[a-z0-9]{26} pool=us-east-1_[0-9A-Za-z]{9}`).Match(out) {
		t.Errorf("setup output: %s", out)
	}
}
