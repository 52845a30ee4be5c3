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

// awsCLIs finds the AWS CLIs on this machine: the one on PATH and
// Debian's /usr/bin/aws, when they differ (CI has the image's v1 on PATH
// and installs Debian's v2), keyed by their version line.
func awsCLIs(t *testing.T) map[string]string {
	t.Helper()
	found := map[string]string{}
	seen := map[string]bool{}
	candidates := []string{"/usr/bin/aws"}
	if p, err := exec.LookPath("aws"); err == nil {
		candidates = append([]string{p}, candidates...)
	}
	for _, p := range candidates {
		out, err := exec.Command(p, "--version").CombinedOutput()
		if err != nil {
			continue
		}
		version := strings.Fields(string(out))[0]
		if !seen[version] {
			seen[version] = true
			found[version] = p
		}
	}
	if len(found) == 0 {
		t.Skip("the AWS CLI (aws) is not installed; the walk-through needs it")
	}
	return found
}

// withCLI returns an environment whose PATH finds cli as "aws" first, with
// no AWS credentials of its own (they would win over the profile).
func withCLI(t *testing.T, cli string) []string {
	dir := t.TempDir()
	if err := os.Symlink(cli, filepath.Join(dir, "aws")); err != nil {
		t.Fatal(err)
	}
	return append(os.Environ(), "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"),
		"AWS_ACCESS_KEY_ID=", "AWS_SECRET_ACCESS_KEY=", "AWS_SESSION_TOKEN=", "AWS_ENDPOINT_URL=")
}

// TestREADMEWalkthrough runs the README's walk-through verbatim, with each
// AWS CLI the machine has, against a real cognitod, with only the ports
// changed.
func TestREADMEWalkthrough(t *testing.T) {
	if testing.Short() {
		t.Skip("starts cognitod and the AWS CLI")
	}
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed; the walk-through needs it")
	}
	photos := filepath.Join(t.TempDir(), "photos-api")
	if out, err := exec.Command("go", "build", "-o", photos, "../../examples/photos").CombinedOutput(); err != nil {
		t.Fatalf("build examples/photos: %v\n%s", err, out)
	}
	for version, cli := range awsCLIs(t) {
		t.Run(version, func(t *testing.T) {
			dir := t.TempDir()
			// The walk-through's fixed ports (9229, 8080) may be taken here:
			// use free ones, and the public URL that goes with the server's.
			apiPort, photosPort := freePort(t), freePort(t)
			start(t, filepath.Join(dir, "cognitod-data"), "--addr", "127.0.0.1:"+apiPort, "--public-url", "http://localhost:"+apiPort)
			if err := os.Symlink(photos, filepath.Join(dir, "photos-api")); err != nil {
				t.Fatal(err)
			}
			script := readmeBlock(t, "<!-- walkthrough:start -->", "sh")
			script = strings.ReplaceAll(script, "localhost:9229", "localhost:"+apiPort)
			script = strings.ReplaceAll(script, "localhost:8080", "localhost:"+photosPort)
			script = strings.ReplaceAll(script, "go build -o photos-api ./examples/photos", ": built by the test")
			cmd := exec.Command("bash", "-euo", "pipefail", "-c", script)
			cmd.Dir = dir
			cmd.Env = append(withCLI(t, cli), "PHOTOS_ADDR=127.0.0.1:"+photosPort)
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
		})
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
	cli := ""
	for _, c := range awsCLIs(t) {
		cli = c
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
	// The section uses the walk-through's cognito function.
	script = "cognito() { aws --endpoint-url http://localhost:" + apiPort + " cognito-idp \"$@\"; }\n" + script
	cmd := exec.Command("bash", "-euo", "pipefail", "-c", script)
	cmd.Dir = dir
	cmd.Env = withCLI(t, cli)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("hosted-login setup failed: %v\n%s", err, out)
	}
	if !regexp.MustCompile(`client=[a-z0-9]{26} pool=us-east-1_[0-9A-Za-z]{9}`).Match(out) {
		t.Errorf("setup output: %s", out)
	}
}

// TestREADMEUsersWalkthrough runs the README's groups and SRP walk-through
// verbatim (ports aside) with one AWS CLI, Node and npm: the SRP sign-in is
// amazon-cognito-identity-js, unmodified, from examples/srp-signin.
func TestREADMEUsersWalkthrough(t *testing.T) {
	if testing.Short() {
		t.Skip("starts cognitod, the AWS CLI and Node")
	}
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is not installed (CI must have it)", tool)
			}
			t.Skipf("%s is not installed; the walk-through needs it", tool)
		}
	}
	cli := ""
	for _, c := range awsCLIs(t) {
		cli = c
	}
	dir := t.TempDir()
	examples, err := filepath.Abs("../../examples")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(examples, filepath.Join(dir, "examples")); err != nil {
		t.Fatal(err)
	}
	apiPort := freePort(t)
	start(t, filepath.Join(dir, "cognitod-data"), "--addr", "127.0.0.1:"+apiPort, "--public-url", "http://localhost:"+apiPort)
	script := readmeBlock(t, "<!-- users-walkthrough:start -->", "sh")
	script = strings.ReplaceAll(script, "localhost:9229", "localhost:"+apiPort)
	cmd := exec.Command("bash", "-euo", "pipefail", "-c", script)
	cmd.Dir = dir
	cmd.Env = withCLI(t, cli)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("walk-through failed: %v\n%s", err, out)
	}
	text := string(out)
	for _, want := range []string{
		"admins\teditors\n", "alice\n",
		`{"username":"alice","groups":["admins","editors"],"scope":"aws.cognito.signin.user.admin"}`,
		"PASSWORD_VERIFIER\talice\n", "SELECT_CHALLENGE\n",
		`"cognito:groups":["admins","editors"]`,
		`"cognito:roles":["arn:aws:iam::000000000000:role/Admins"]`,
		`"cognito:preferred_role":"arn:aws:iam::000000000000:role/Admins"`,
		`{"username":"alice","groups":["editors"],"scope":"aws.cognito.signin.user.admin"}`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("walk-through output lacks %q:\n%s", want, out)
		}
	}
}

// TestREADMEAccessKeys runs the README's access-key walk-through verbatim
// (port and binary aside) with the AWS CLI: a key limited to one pool reads
// it, and is refused the other pool and a write with AWS's message. The
// script runs without -e because two of its commands are meant to fail;
// the output is checked instead.
func TestREADMEAccessKeys(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts cognitod and runs the AWS CLI")
	}
	cli := ""
	for _, c := range awsCLIs(t) {
		cli = c
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "cognitod-bin")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	apiPort := freePort(t)
	start(t, filepath.Join(dir, "cognitod-data"), "--addr", "127.0.0.1:"+apiPort, "--public-url", "http://localhost:"+apiPort)
	script := readmeBlock(t, "<!-- keys-walkthrough:start -->", "sh")
	script = strings.ReplaceAll(script, "localhost:9229", "localhost:"+apiPort)
	script = strings.ReplaceAll(script, "go run ./cmd/cognitod", bin)
	cmd := exec.Command("bash", "-uo", "pipefail", "-c", script)
	cmd.Dir = dir
	cmd.Env = withCLI(t, cli)
	out, _ := cmd.CombinedOutput()
	text := string(out)
	denied := regexp.MustCompile(`AccessDeniedException\) when calling the (\w+) operation: User: arn:aws:iam::000000000000:user/ci-reader is not authorized to perform: cognito-idp:(\w+) on resource: arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_\w{9} because no identity-based policy allows the cognito-idp:(\w+) action`).FindAllStringSubmatch(text, -1)
	if len(denied) != 2 || denied[0][1] != "DescribeUserPool" || denied[1][1] != "DeleteUserPool" {
		t.Errorf("want DescribeUserPool then DeleteUserPool refused with AWS's message, got %q:\n%s", denied, out)
	}
	for _, want := range []string{"\"photos\"\n", "profile ci-reader", "ci-reader ", "full rights (root)"} {
		if !strings.Contains(text, want) {
			t.Errorf("walk-through output lacks %q:\n%s", want, out)
		}
	}
}
