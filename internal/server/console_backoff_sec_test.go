package server

import (
	"context"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

// consoleFrom is a console client whose connections come from the given
// loopback address, so that tests can sign in from several sources.
func consoleFrom(t *testing.T, ts *testServer, ip string) *consoleClient {
	c := newConsoleClient(t, ts)
	jar, _ := cookiejar.New(nil)
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	c.hc = &http.Client{Jar: jar, Transport: &http.Transport{DialContext: d.DialContext},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return c
}

func (c *consoleClient) signInAs(keyID, secret string) (*http.Response, string) {
	c.t.Helper()
	c.get("/console/signin")
	return c.post("/console/signin", url.Values{"access_key_id": {keyID}, "secret_access_key": {secret}, "region": {"us-east-1"}, "next": {"/console/pools"}})
}

// TestConsoleSignInBackoff: failed console sign-ins lock the key ID, and
// separately the source address, for a growing time; while locked even
// the right secret is refused with 429 and Retry-After, the same answer
// for a key ID that exists and one that does not; another key and
// another source are unaffected; the lock passes with time.
func TestConsoleSignInBackoff(t *testing.T) {
	// The clock stands still unless the test moves it: a one-second
	// lockout must not pass while a slow machine runs the next request.
	start := time.Now()
	var skew atomic.Int64
	ts := newTestServerWith(t, cognito.Limits{}, nil, func(c *Config) {
		c.Now = func() time.Time { return start.Add(time.Duration(skew.Load())) }
	})
	const key2, secret2 = "AKIDCOGNITODTEST0002", "cognitod-test-secret-access-key-2222222222"
	if err := ts.svc.EnsureAccessKey(context.Background(), key2, secret2); err != nil {
		t.Fatal(err)
	}
	a := consoleFrom(t, ts, "127.0.0.1")
	for i := range 5 {
		if resp, _ := a.signInAs(testKeyID, "wrong"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d, want 401", i+1, resp.StatusCode)
		}
	}
	if resp, _ := a.signInAs(testKeyID, "wrong"); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("sixth failure: %d, want 401 (five are free)", resp.StatusCode)
	}
	resp, page := a.signInAs(testKeyID, testSecret)
	retry, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
	if resp.StatusCode != http.StatusTooManyRequests || retry < 1 || !strings.Contains(page, "Too many failed sign-in attempts") {
		t.Fatalf("right secret during back-off: %d Retry-After %q %.200s, want 429", resp.StatusCode, resp.Header.Get("Retry-After"), page)
	}
	lockedPage := page
	// Another key from the same source signs in; the locked key is locked
	// from another source too.
	if resp, _ := a.signInAs(key2, secret2); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("another key from the same source: %d, want 303", resp.StatusCode)
	}
	if resp, _ := consoleFrom(t, ts, "127.0.0.2").signInAs(testKeyID, testSecret); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the locked key from another source: %d, want 429", resp.StatusCode)
	}
	// A key ID that does not exist locks the same way, with the same page.
	const ghost = "AKIDNOSUCHKEY0000000"
	a = consoleFrom(t, ts, "127.0.0.1")
	for range 6 {
		a.signInAs(ghost, "wrong")
	}
	resp, page = a.signInAs(ghost, "wrong")
	if resp.StatusCode != http.StatusTooManyRequests || !samePageButToken(page, lockedPage, ghost, testKeyID) {
		t.Errorf("unknown key ID during back-off: %d, want the page an existing key gets", resp.StatusCode)
	}

	// A source guessing at many key IDs is locked as a whole; another
	// source is not.
	b := consoleFrom(t, ts, "127.0.0.3")
	for i := range 20 {
		b.signInAs("AKIDGUESS"+strconv.Itoa(100000+i), "wrong")
	}
	if resp, _ := b.signInAs("AKIDGUESS0", "wrong"); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("21st failure from one source: %d, want 401 (twenty are free)", resp.StatusCode)
	}
	if resp, _ := b.signInAs(key2, secret2); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("right secret from a locked source: %d, want 429", resp.StatusCode)
	}
	if resp, _ := consoleFrom(t, ts, "127.0.0.4").signInAs(key2, secret2); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("another source: %d, want 303", resp.StatusCode)
	}

	// After the back-off, the right secret signs in (and clears the key).
	skew.Store(int64(time.Duration(retry+1) * time.Second))
	if resp, page := consoleFrom(t, ts, "127.0.0.1").signInAs(testKeyID, testSecret); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after Retry-After: %d %.200s, want 303", resp.StatusCode, page)
	}
	// A key ID far longer than any real one is refused like any other.
	if resp, _ := consoleFrom(t, ts, "127.0.0.5").signInAs(strings.Repeat("K", 12<<10), "wrong"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("12 KB key ID: %d, want 401", resp.StatusCode)
	}
}

// samePageButToken compares two sign-in pages, ignoring the form's CSRF
// token and the typed key ID.
func samePageButToken(a, b, idA, idB string) bool {
	strip := func(s, id string) string {
		s = csrfField.ReplaceAllString(s, "")
		return strings.ReplaceAll(s, id, "ID")
	}
	return strip(a, idA) == strip(b, idB)
}
