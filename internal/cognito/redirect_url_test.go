package cognito

import "testing"

// TestRedirectURLAllowed is the check the redirecting endpoints repeat,
// so a URL stored before the scheme rule is still never followed.
func TestRedirectURLAllowed(t *testing.T) {
	for u, want := range map[string]bool{
		"https://example.com/cb": true, "http://localhost:3000/": true, "http://[::1]/": true, "myapp://cb": true,
		"http://example.com/": false, "javascript:alert(1)": false, "JaVaScRiPt:alert(1)": false, "data:,x": false,
		"file:///etc/passwd": false, "vbscript:x": false, "/relative": false, "https://example.com/#f": false,
	} {
		if got := RedirectURLAllowed(u); got != want {
			t.Errorf("RedirectURLAllowed(%q) = %v, want %v", u, got, want)
		}
	}
}
