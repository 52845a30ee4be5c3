package cognito

import (
	"fmt"
	"testing"
	"time"
)

// A write's attributes come from the caller, as many as a request body
// holds (a 1 MiB body fits some 30,000). Applying them must cost time in
// proportion to their number: it once scanned the whole list for each
// email it set (about 1.6 s of CPU for 30,000 on one core, 18 s for
// 100,000), so any signed-in user could pin a core with UpdateUserAttributes.
func TestApplyAttributesIsLinear(t *testing.T) {
	attrs := make([]Attribute, 0, 100_000)
	for i := range cap(attrs) {
		attrs = append(attrs, Attribute{Name: "email", Value: fmt.Sprintf("u%d@example.com", i)})
	}
	u := &User{Sub: "s", Attributes: []Attribute{{Name: "email", Value: "old@example.com"}, {Name: "email_verified", Value: "true"}}}
	start := time.Now()
	applyAttributes(u, attrs)
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("applying %d attributes took %v: quadratic in their number", len(attrs), d)
	}
	if v, _ := attr(u, "email"); v != "u99999@example.com" {
		t.Fatalf("email = %q, want the last value written", v)
	}
	if v, _ := attr(u, "email_verified"); v != "false" {
		t.Fatalf("email_verified = %q after a new address, want false", v)
	}
	// A write that says whether the address is verified keeps its say.
	u = &User{Sub: "s"}
	applyAttributes(u, []Attribute{{Name: "email", Value: "a@example.com"}, {Name: "email_verified", Value: "true"}})
	if v, _ := attr(u, "email_verified"); v != "true" {
		t.Fatalf("email_verified = %q, want the true the write set", v)
	}
}
