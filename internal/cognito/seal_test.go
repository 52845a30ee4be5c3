package cognito

import (
	"bytes"
	"testing"
)

func TestSealer(t *testing.T) {
	s, err := NewSealer(bytes.Repeat([]byte{1}, 32))
	if err != nil {
		t.Fatal(err)
	}
	other, _ := NewSealer(bytes.Repeat([]byte{2}, 32))
	sealed := s.Seal("client-secret:a", []byte("hunter2"))
	if bytes.Contains(sealed, []byte("hunter2")) {
		t.Fatal("sealed value contains the plaintext")
	}
	if got, err := s.Open("client-secret:a", sealed); err != nil || string(got) != "hunter2" {
		t.Fatalf("Open = %q, %v; want hunter2, <nil>", got, err)
	}
	tampered := append([]byte{}, sealed...)
	tampered[len(tampered)-1] ^= 1
	for name, open := range map[string]func() ([]byte, error){
		"fail/other-purpose": func() ([]byte, error) { return s.Open("client-secret:b", sealed) },
		"fail/other-key":     func() ([]byte, error) { return other.Open("client-secret:a", sealed) },
		"fail/tampered":      func() ([]byte, error) { return s.Open("client-secret:a", tampered) },
		"fail/short":         func() ([]byte, error) { return s.Open("client-secret:a", sealed[:5]) },
	} {
		if got, err := open(); err == nil {
			t.Errorf("%s: Open = %q, <nil>; want an error", name, got)
		}
	}
	if _, err := NewSealer([]byte("short")); err == nil {
		t.Error("NewSealer accepted a 5-byte key")
	}
}

func TestPageToken(t *testing.T) {
	s, _ := NewSealer(bytes.Repeat([]byte{1}, 32))
	other, _ := NewSealer(bytes.Repeat([]byte{2}, 32))
	tok := s.pageToken("resource-servers:us-east-1_abc", 42)
	if seq, ok := s.parsePageToken("resource-servers:us-east-1_abc", tok); !ok || seq != 42 {
		t.Fatalf("parse = %d, %v; want 42, true", seq, ok)
	}
	for name, tc := range map[string]struct {
		s       *Sealer
		listing string
		token   string
	}{
		"fail/other-listing": {s, "resource-servers:us-east-1_xyz", tok},
		"fail/other-server":  {other, "resource-servers:us-east-1_abc", tok},
		"fail/garbage":       {s, "resource-servers:us-east-1_abc", "!!"},
		"fail/truncated":     {s, "resource-servers:us-east-1_abc", tok[:10]},
	} {
		if _, ok := tc.s.parsePageToken(tc.listing, tc.token); ok {
			t.Errorf("%s: token accepted", name)
		}
	}
}
