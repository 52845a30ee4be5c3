package server

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cognitod/cognitod/internal/cognito"
)

// TestErrorHeaderBounded sends a 900 KB bad value: the validation message
// quotes it, and the x-amzn-ErrorMessage header must stay short and on one
// line while the JSON body keeps the whole message.
func TestErrorHeaderBounded(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	poolID := createPool(t, ts.client("us-east-1"), "errheader")
	// Non-ASCII and CR/LF escapes in the value: the header must not carry
	// them raw, and the cut must not split anything.
	long := "é\\r\\n" + strings.Repeat("x", 900<<10)
	resp := ts.raw(t, "CreateResourceServer", fmt.Sprintf(`{"UserPoolId":%q,"Identifier":"a b %s","Name":"n"}`, poolID, long))
	if resp.Status != 400 {
		t.Fatalf("status %d, want 400: %.200s", resp.Status, resp.Raw)
	}
	msg, _ := resp.Body["message"].(string)
	if !strings.Contains(msg, strings.Repeat("x", 900<<10)) {
		t.Fatalf("body message lost the value (len %d)", len(msg))
	}
	hdr := resp.Header.Get("x-amzn-ErrorMessage")
	if hdr == "" || len(hdr) > 1024 {
		t.Fatalf("x-amzn-ErrorMessage is %d bytes, want 1..1024", len(hdr))
	}
	if strings.ContainsAny(hdr, "\r\n") {
		t.Fatalf("header has CR/LF: %q", hdr)
	}
	for i := 0; i < len(hdr); i++ {
		if hdr[i] < 0x20 || hdr[i] > 0x7e {
			t.Fatalf("header byte %d is %#x, want printable ASCII", i, hdr[i])
		}
	}
	if !strings.HasPrefix(msg, hdr[:40]) {
		t.Fatalf("header %q is not the start of the message %.80q", hdr[:40], msg)
	}
}
