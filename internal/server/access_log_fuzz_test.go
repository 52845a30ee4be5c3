package server

import (
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzBounded: whatever a caller sends, what the access log keeps of it is
// short, valid UTF-8 and printable.
func FuzzBounded(f *testing.F) {
	for _, s := range []string{"", "/us-east-1_abc/oauth2/token", "a\nb\x1b[31m", "\xff\xfe", "ééééé", "\u2028x"} {
		f.Add(s, 4)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		if n < 0 || n > 1024 {
			return
		}
		out := bounded(s, n)
		if len(out) > n+len("...") {
			t.Fatalf("bounded(%q, %d) is %d bytes", s, n, len(out))
		}
		if !utf8.ValidString(out) {
			t.Fatalf("bounded(%q, %d) = %q: not UTF-8", s, n, out)
		}
		for _, c := range out {
			if !unicode.IsPrint(c) {
				t.Fatalf("bounded(%q, %d) = %q holds %U", s, n, out, c)
			}
		}
		if len(s) <= n && out != s && utf8.ValidString(s) && isPrintable(s) {
			t.Fatalf("bounded changed %q to %q", s, out)
		}
	})
}

func isPrintable(s string) bool {
	for _, c := range s {
		if !unicode.IsPrint(c) {
			return false
		}
	}
	return true
}
