package server

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestHostedSessionFollowsTheClock: the hosted session cookie lasts an
// hour of the server's clock (Config.Now), not of the wall clock: a
// second authorize is silent at 59 minutes and shows the sign-in form
// again at 61.
func TestHostedSessionFollowsTheClock(t *testing.T) {
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	p := newWebPool(t, func(c *Config) { c.Now = clock }, "")
	authURL := p.oauthConfig(p.clientID, "").AuthCodeURL("s")
	b := newBrowserless(t)
	if final, page := b.signInOverHTTP(authURL, "alice", "Alice-pass-1"); final == nil {
		t.Fatalf("sign-in did not redirect: %.300s", page)
	}
	again := func() string {
		t.Helper()
		resp, _ := b.get(authURL)
		if resp.StatusCode != http.StatusFound {
			t.Fatalf("authorize: %d", resp.StatusCode)
		}
		return resp.Header.Get("Location")
	}
	advance(59 * time.Minute)
	if loc := again(); !strings.HasPrefix(loc, callback) || !strings.Contains(loc, "code=") {
		t.Fatalf("at 59 minutes the session no longer counts: %s", loc)
	}
	advance(2 * time.Minute)
	if loc := again(); !strings.Contains(loc, "/login?") {
		t.Fatalf("at 61 minutes the session still counts: %s", loc)
	}
}
