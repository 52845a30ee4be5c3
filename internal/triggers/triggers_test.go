package triggers

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

const secret = "a-signing-secret-of-at-least-32-chars!!"

func TestCheckTarget(t *testing.T) {
	arn := "arn:aws:lambda:us-east-1:123456789012:function:f"
	tests := []struct {
		name, arn, url string
		ok             bool
	}{
		{"ok/https", arn, "https://hooks.example.com/pre", true},
		{"ok/http-loopback-v4", arn, "http://127.0.0.1:8080/pre", true},
		{"ok/http-loopback-v6", arn, "http://[::1]:8080/pre", true},
		{"ok/http-localhost", arn, "http://localhost:8080/pre", true},
		{"fail/http-other-host", arn, "http://hooks.example.com/pre", false},
		{"fail/http-lan", arn, "http://10.0.0.5/pre", false},
		{"fail/http-looks-local", arn, "http://127.0.0.1.example.com/pre", false},
		{"fail/other-scheme", arn, "ftp://127.0.0.1/pre", false},
		{"fail/relative", arn, "/pre", false},
		{"fail/credentials", arn, "https://user:pw@hooks.example.com/pre", false},
		{"fail/not-an-arn", "my-function", "https://hooks.example.com/pre", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckTarget(tt.arn, tt.url)
			if (err == nil) != tt.ok {
				t.Errorf("CheckTarget(%q, %q) = %v, want ok=%v", tt.arn, tt.url, err, tt.ok)
			}
		})
	}
	if _, _, err := ParseTarget("no-equals-sign"); err == nil {
		t.Error("ParseTarget accepted a value without =")
	}
	if a, u, err := ParseTarget(arn + "=https://h.example.com/x?a=b"); err != nil || a != arn || u != "https://h.example.com/x?a=b" {
		t.Errorf("ParseTarget = %q, %q, %v", a, u, err)
	}
}

func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	arn := "arn:aws:lambda:us-east-1:123456789012:function:f"
	m, err := LoadFile(write("ok.json", `{"`+arn+`": "https://hooks.example.com/f"}`))
	if err != nil || m[arn] != "https://hooks.example.com/f" {
		t.Errorf("LoadFile = %v, %v", m, err)
	}
	if _, err := LoadFile(write("plain.json", `{"`+arn+`": "http://hooks.example.com/f"}`)); err == nil || !strings.Contains(err.Error(), "plain HTTP") {
		t.Errorf("LoadFile with plain http to another host = %v", err)
	}
	if _, err := LoadFile(write("bad.json", `["x"]`)); err == nil {
		t.Error("LoadFile accepted a JSON array")
	}
	if _, err := New(Config{Targets: m, Secret: "short"}); err == nil {
		t.Error("New accepted a short secret")
	}
}

func TestSignVerify(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"version":"1"}`)
	id := NewRequestID()
	h := Sign([]byte(secret), now, id, body)
	if !strings.HasPrefix(h, "t=1800000000,id="+id+",v1=") || len(h) != len("t=1800000000,id=,v1=")+32+64 {
		t.Fatalf("Sign = %q", h)
	}
	if NewRequestID() == id {
		t.Fatal("two requests got one ID")
	}
	tests := []struct {
		name   string
		secret string
		header string
		body   string
		at     time.Time
		want   error
	}{
		{"ok", secret, h, string(body), now.Add(time.Minute), nil},
		{"fail/other-body", secret, h, `{"version":"2"}`, now, ErrBadSignature},
		{"fail/other-secret", secret + "x", h, string(body), now, ErrBadSignature},
		{"fail/replayed-later", secret, h, string(body), now.Add(DefaultTolerance + time.Second), ErrStale},
		{"fail/from-the-future", secret, h, string(body), now.Add(-DefaultTolerance - time.Second), ErrStale},
		{"fail/timestamp-changed", secret, strings.Replace(h, "t=1800000000", "t=1800000100", 1), string(body), now, ErrBadSignature},
		{"fail/id-changed", secret, strings.Replace(h, "id="+id, "id="+NewRequestID(), 1), string(body), now, ErrBadSignature},
		{"fail/no-id", secret, strings.Replace(h, "id="+id+",", "", 1), string(body), now, ErrMalformed},
		{"fail/no-signature", secret, "t=1800000000", string(body), now, ErrMalformed},
		{"fail/empty", secret, "", string(body), now, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Verify([]byte(tt.secret), tt.header, []byte(tt.body), tt.at, DefaultTolerance)
			if !errors.Is(err, tt.want) || (err == nil && got != id) {
				t.Errorf("Verify = %q, %v, want %v", got, err, tt.want)
			}
		})
	}
}

// TestInvoke drives a real HTTP server as each kind of webhook answer.
func TestInvoke(t *testing.T) {
	arn := "arn:aws:lambda:us-east-1:123456789012:function:f"
	var gotSig, gotType string
	var gotBody []byte
	handler := func(w http.ResponseWriter, r *http.Request) {}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotSig, gotType = r.Header.Get(SignatureHeader), r.Header.Get("Content-Type")
		gotBody, _ = io.ReadAll(r.Body)
		handler(w, r)
	}))
	defer srv.Close()
	inv, err := New(Config{Targets: map[string]string{arn: srv.URL + "/f"}, Secret: secret, Timeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	event := []byte(`{"version":"1","response":{}}`)
	tests := []struct {
		name    string
		handler func(w http.ResponseWriter, r *http.Request)
		out     string
		fnErr   string // a *cognito.TriggerFunctionError with this message
		other   bool   // any other error
	}{
		{"ok/echo", func(w http.ResponseWriter, r *http.Request) { w.Write(gotBody) }, string(event), "", false},
		{"fail/lambda-error-400", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(400)
			io.WriteString(w, `{"errorType":"Error","errorMessage":"nope"}`)
		}, "", "nope", false},
		{"fail/lambda-error-200", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{"errorMessage":"still nope"}`) }, "", "still nope", false},
		{"fail/text-503", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503); io.WriteString(w, "  busy  \nmore") }, "", "busy", false},
		{"fail/empty-500", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) }, "", "Internal Server Error", false},
		{"fail/redirect", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://elsewhere.example/", http.StatusTemporaryRedirect)
		}, "", "", true},
		{"fail/too-large", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(strings.Repeat(" ", maxResponseBytes+1))) }, "", "", true},
		{"fail/slow", func(w http.ResponseWriter, r *http.Request) { time.Sleep(time.Second) }, "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			handler = tt.handler
			out, err := inv.Invoke(context.Background(), arn, event)
			if _, err := Verify([]byte(secret), gotSig, gotBody, time.Now(), time.Minute); err != nil || gotType != "application/json" || string(gotBody) != string(event) {
				t.Errorf("the receiver got body %q type %q, signature check %v", gotBody, gotType, err)
			}
			var fe *cognito.TriggerFunctionError
			switch {
			case tt.fnErr != "":
				if !errors.As(err, &fe) || fe.Message != tt.fnErr {
					t.Errorf("Invoke error = %v, want function error %q", err, tt.fnErr)
				}
			case tt.other:
				if err == nil || errors.As(err, &fe) {
					t.Errorf("Invoke error = %v, want a failure to invoke", err)
				}
			default:
				if err != nil || string(out) != tt.out {
					t.Errorf("Invoke = %q, %v", out, err)
				}
			}
		})
	}
	// A failed call's error (which the server logs) does not carry the
	// URL: it may hold a token.
	secretURL := map[string]string{arn: "http://127.0.0.1:1/hook?token=s3cr3t"}
	inv2, _ := New(Config{Targets: secretURL, Secret: secret})
	if _, err := inv2.Invoke(context.Background(), arn, event); err == nil || strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("Invoke of an unreachable URL = %v; want an error without the URL", err)
	}
	if _, err := inv.Invoke(context.Background(), arn+"-other", event); !errors.Is(err, cognito.ErrTriggerNotMapped) {
		t.Errorf("Invoke of an unmapped ARN = %v", err)
	}
	if !inv.Maps(arn) || inv.Maps(arn+"-other") {
		t.Error("Maps is wrong")
	}
}

// FuzzVerify: the signature header is read from the network by receivers
// that use Verify; it must never panic, and must accept only a header
// Sign made for the same body.
func FuzzVerify(f *testing.F) {
	now := time.Unix(1_800_000_000, 0)
	const id = "0123456789abcdef0123456789abcdef"
	f.Add(Sign([]byte(secret), now, id, []byte("{}")), []byte("{}"))
	f.Add("t=,v1=", []byte(""))
	f.Add("t=1800000000,v1=zz,v1=00", []byte("x"))
	f.Add(strings.Repeat("t=1,", 100), []byte("x"))
	f.Fuzz(func(t *testing.T, header string, body []byte) {
		got, err := Verify([]byte(secret), header, body, now, DefaultTolerance)
		if err == nil && header != Sign([]byte(secret), now, got, body) {
			// Other spellings of the same timestamp and MAC are fine only
			// if they carry the right MAC.
			if _, err := Verify([]byte(secret+"x"), header, body, now, DefaultTolerance); err == nil {
				t.Fatalf("header %q verified under two secrets", header)
			}
		}
	})
}

// FuzzFunctionError: a webhook's error body is network input.
func FuzzFunctionError(f *testing.F) {
	f.Add([]byte(`{"errorMessage":"x","errorType":"Error"}`))
	f.Add([]byte(`{"errorMessage":null}`))
	f.Add([]byte("\xff\xfe"))
	f.Fuzz(func(t *testing.T, body []byte) {
		msg, _ := functionError(body)
		line := firstLine(body)
		if len(msg) > maxErrorMessage || len(line) > maxErrorMessage {
			t.Fatalf("unbounded message: %d, %d bytes", len(msg), len(line))
		}
	})
}
