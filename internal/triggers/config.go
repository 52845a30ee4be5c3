package triggers

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
)

// maxFileBytes bounds a --triggers-file.
const maxFileBytes = 1 << 20

// MinSecretLength is the shortest signing secret accepted: the secret is
// all that tells a receiver a request came from cognitod.
const MinSecretLength = 32

// ParseTarget reads one --trigger value, ARN=URL, and checks both.
func ParseTarget(s string) (arn, target string, err error) {
	arn, target, ok := strings.Cut(s, "=")
	if !ok {
		return "", "", fmt.Errorf("--trigger %q: want ARN=URL", s)
	}
	if err := CheckTarget(arn, target); err != nil {
		return "", "", err
	}
	return arn, target, nil
}

// LoadFile reads a --triggers-file: a JSON object from function ARN to
// webhook URL, e.g. {"arn:aws:lambda:us-east-1:123456789012:function:pre-sign-up":
// "https://hooks.example.com/pre-sign-up"}.
func LoadFile(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--triggers-file: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("--triggers-file: %w", err)
	}
	if len(b) > maxFileBytes {
		return nil, fmt.Errorf("--triggers-file %s: larger than %d bytes", path, maxFileBytes)
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("--triggers-file %s: want a JSON object of ARN to URL: %w", path, err)
	}
	for arn, target := range m {
		if err := CheckTarget(arn, target); err != nil {
			return nil, fmt.Errorf("--triggers-file %s: %w", path, err)
		}
	}
	return m, nil
}

// CheckTarget refuses an ARN that is not one and a URL cognitod would not
// call: events carry users' attributes, so they travel over HTTPS, or
// over plain HTTP only to this machine (a loopback address or
// "localhost").
func CheckTarget(arn, target string) error {
	if !strings.HasPrefix(arn, "arn:") || len(arn) < 20 || len(arn) > 2048 || strings.ContainsAny(arn, " \t\r\n") {
		return fmt.Errorf("trigger %q: want a function ARN (arn:aws:lambda:<region>:<account>:function:<name>)", arn)
	}
	u, err := url.Parse(target)
	if err != nil || u.Host == "" || u.User != nil || u.Fragment != "" {
		return fmt.Errorf("trigger %s: %q is not an absolute URL without credentials or fragment", arn, target)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if isLoopback(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("trigger %s: %s uses plain HTTP to another host; use https (plain http is allowed only to a loopback address)", arn, target)
	}
	return fmt.Errorf("trigger %s: %s: want an https URL", arn, target)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// errNoSecret: see New.
var errNoSecret = errors.New("triggers: a signing secret of at least 32 characters is required (--trigger-secret or COGNITOD_TRIGGER_SECRET)")
