package cognito_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/cognitod/cognitod/internal/cognito"
)

// TestNewUUID: version 4, RFC 4122 variant, lowercase, and no repeats.
func TestNewUUID(t *testing.T) {
	shape := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for range 1000 {
		id := cognito.NewUUID()
		if !shape.MatchString(id) || seen[id] {
			t.Fatalf("NewUUID() = %q (seen before: %v)", id, seen[id])
		}
		seen[id] = true
	}
	if got := string(cognito.AppendUUID([]byte("jti:"))); !strings.HasPrefix(got, "jti:") || !shape.MatchString(got[4:]) {
		t.Errorf("AppendUUID = %q", got)
	}
}
