package cognito

import "testing"

func TestMaskDestination(t *testing.T) {
	for _, tc := range []struct{ attr, in, want string }{
		{"email", "alice@example.com", "a***@e***"},
		{"email", "émile@über.example", "é***@ü***"},
		{"email", "no-at-sign", "***"},
		{"phone_number", "+15555551234", "+*******1234"},   // US: seven stars
		{"phone_number", "+447700900123", "+********0123"}, // UK: eight
		{"phone_number", "+12", "***"},
	} {
		if got := maskDestination(tc.attr, tc.in); got != tc.want {
			t.Errorf("maskDestination(%s, %q) = %q, want %q", tc.attr, tc.in, got, tc.want)
		}
	}
}

func TestRenderEscapesOnlyInHTML(t *testing.T) {
	if got := render("<p>{username}: {####}</p>", DeliverInvitation, "<b>&", "a<1", true); got != "<p>&lt;b&gt;&amp;: a&lt;1</p>" {
		t.Errorf("HTML: %q", got)
	}
	if got := render("{username}: {####}", DeliverInvitation, "<b>", "a<1", false); got != "<b>: a<1" {
		t.Errorf("SMS: %q", got)
	}
	if got := render("{username} {####}", DeliverSignUpCode, "bob", "123456", false); got != "{username} 123456" {
		t.Errorf("verification messages carry {####} only: %q", got)
	}
}
