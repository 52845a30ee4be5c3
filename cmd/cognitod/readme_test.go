package main

import (
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
	dir := t.TempDir()
	p := start(t, filepath.Join(dir, "cognitod-data"))
	script := strings.ReplaceAll(readmeBlock(t, "<!-- walkthrough:start -->", "sh"), "http://localhost:9229", p.url)
	cmd := exec.Command("bash", "-euo", "pipefail", "-c", script)
	cmd.Dir = dir
	// Credentials in the environment would win over the profile.
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=", "AWS_SECRET_ACCESS_KEY=", "AWS_SESSION_TOKEN=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("walk-through failed: %v\n%s", err, out)
	}
	for _, want := range []string{`"Identifier": "com.example.photos"`, `"com.example.photos/read"`, `"Name": "Photo API"`,
		"update and delete your photos", "InvalidParameterException", "refused, as Cognito refuses it"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("walk-through output lacks %q:\n%s", want, out)
		}
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
