package verify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// unknownKIDToken returns a token naming kid with a dummy signature: the
// key lookup happens before the signature is checked.
func unknownKIDToken(kid string) string {
	return rawSign(nil, `{"alg":"RS256","kid":"`+kid+`"}`, `{}`) + "AAAA"
}

func TestJWKSLazyFetch(t *testing.T) {
	srv := newJWKSServer(t, defaultKeys(t)...)
	v := newTestVerifier(srv, nil)
	if err := v.Validate(); err != nil {
		t.Fatal(err)
	}
	if got, want := srv.fetches.Load(), int64(0); got != want {
		t.Fatalf("got %v fetches before the first Verify, want %v", got, want)
	}
	tok := joseSign(t, jose.RS256, key1, testKID1, accessClaims(srv.issuer()))
	for i := 0; i < 3; i++ {
		if _, err := v.Verify(context.Background(), tok); err != nil {
			t.Fatalf("got %v, want nil", err)
		}
	}
	if got, want := srv.fetches.Load(), int64(1); got != want {
		t.Errorf("got %v fetches, want %v", got, want)
	}
}

func TestJWKSSingleFetchForConcurrentFirstCalls(t *testing.T) {
	srv := newJWKSServer(t, defaultKeys(t)...)
	srv.delay = 100 * time.Millisecond
	v := newTestVerifier(srv, nil)
	tok := joseSign(t, jose.RS256, key1, testKID1, accessClaims(srv.issuer()))
	const n = 50
	var wg sync.WaitGroup
	errs := make(chan error, n)
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := v.Verify(context.Background(), tok)
			errs <- err
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("got %v, want nil", err)
		}
	}
	if got, want := srv.fetches.Load(), int64(1); got != want {
		t.Errorf("got %v fetches, want %v", got, want)
	}
}

func TestJWKSKeyRotation(t *testing.T) {
	srv := newJWKSServer(t, defaultKeys(t)...)
	clk := newClock(testNow)
	v := newTestVerifier(srv, clk.Now)
	ctx := context.Background()
	iss := srv.issuer()
	old := joseSign(t, jose.RS256, key1, testKID1, accessClaims(iss))
	rotated := joseSign(t, jose.RS256, key3, testKID3, accessClaims(iss))

	if _, err := v.Verify(ctx, old); err != nil {
		t.Fatalf("got %v, want nil", err)
	}
	// The issuer adds a key and drops kid-one.
	srv.setKeys(t, pubJWK(key2, testKID2), pubJWK(key3, testKID3))

	// Within the cool-down of the first fetch, the new kid is not fetched.
	if _, err := v.Verify(ctx, rotated); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("got %v, want %v", err, ErrUnknownKey)
	}
	if got, want := srv.fetches.Load(), int64(1); got != want {
		t.Fatalf("got %v fetches, want %v", got, want)
	}

	clk.Add(DefaultRefreshCooldown)
	if _, err := v.Verify(ctx, rotated); err != nil {
		t.Fatalf("got %v, want nil after one refetch", err)
	}
	if got, want := srv.fetches.Load(), int64(2); got != want {
		t.Fatalf("got %v fetches, want %v", got, want)
	}
	if _, err := v.Verify(ctx, rotated); err != nil {
		t.Fatalf("got %v, want nil from the cache", err)
	}
	// The refetched set replaced the old one: kid-one is gone.
	if _, err := v.Verify(ctx, old); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("got %v, want %v", err, ErrUnknownKey)
	}
	if got, want := srv.fetches.Load(), int64(2); got != want {
		t.Errorf("got %v fetches, want %v", got, want)
	}
}

func TestJWKSRefreshCooldown(t *testing.T) {
	srv := newJWKSServer(t, defaultKeys(t)...)
	clk := newClock(testNow)
	v := newTestVerifier(srv, clk.Now)
	v.RefreshCooldown = 10 * time.Second
	ctx := context.Background()

	flood := func(round, n int) {
		t.Helper()
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := v.Verify(ctx, unknownKIDToken(fmt.Sprintf("forged-%d-%d", round, i)))
				if !errors.Is(err, ErrUnknownKey) {
					t.Errorf("got %v, want %v", err, ErrUnknownKey)
				}
			}()
		}
		wg.Wait()
	}
	steps := []struct {
		advance time.Duration
		want    int64 // total fetches after the flood
	}{
		{0, 1},                 // first fetch; the forged kids are then unknown
		{5 * time.Second, 1},   // within the cool-down
		{5 * time.Second, 2},   // cool-down over: exactly one refetch
		{9 * time.Second, 2},   // within the new cool-down
		{time.Second, 3},       // over again
		{time.Hour, 4},         // long quiet period: still one
		{time.Millisecond, 4},  // immediately after
		{10 * time.Second, 5},  // exactly the cool-down later
		{-time.Second, 5},      // a clock that goes back does not refetch
		{12 * time.Second, 6},  // ...until the cool-down is over again
		{30 * time.Second, 7},  // ...
		{3 * time.Second, 7},   // ...
		{10 * time.Second, 8},  // ...
		{500 * time.Second, 9}, // ...
	}
	for i, s := range steps {
		clk.Add(s.advance)
		flood(i, 100)
		if got := srv.fetches.Load(); got != s.want {
			t.Fatalf("step %d: got %v fetches, want %v", i, got, s.want)
		}
	}
}

func TestJWKSEndpointDownKeepsCache(t *testing.T) {
	srv := newJWKSServer(t, defaultKeys(t)...)
	clk := newClock(testNow)
	v := newTestVerifier(srv, clk.Now)
	v.Leeway = 5 * time.Minute
	ctx := context.Background()
	tok := joseSign(t, jose.RS256, key1, testKID1, accessClaims(srv.issuer()))
	tok2 := joseSign(t, jose.RS256, key2, testKID2, accessClaims(srv.issuer()))
	if _, err := v.Verify(ctx, tok); err != nil {
		t.Fatalf("got %v, want nil", err)
	}

	check := func(name string) {
		t.Helper()
		clk.Add(DefaultRefreshCooldown)
		before := srv.fetches.Load()
		_, err := v.Verify(ctx, unknownKIDToken("rotated-"+name))
		if !errors.Is(err, ErrUnknownKey) {
			t.Fatalf("%s: got %v, want %v", name, err, ErrUnknownKey)
		}
		var e *Error
		if !errors.As(err, &e) || e.Cause == nil {
			t.Errorf("%s: got %#v, want an *Error with the fetch failure as Cause", name, err)
		}
		if name == "500" && srv.fetches.Load() != before+1 {
			t.Errorf("%s: got %v fetches, want %v", name, srv.fetches.Load(), before+1)
		}
		for _, tk := range []string{tok, tok2} {
			if _, err := v.Verify(ctx, tk); err != nil {
				t.Errorf("%s: got %v, want nil from the cache", name, err)
			}
		}
	}

	srv.setStatus(http.StatusInternalServerError)
	check("500")
	srv.setStatus(0)
	srv.setRaw(`{"keys":[]}`)
	check("empty-key-set")
	srv.setRaw(`<html>`)
	check("not-json")
	srv.setRaw(`{"keys":[` + strings.Repeat(" ", MaxJWKSSize) + `]}`)
	check("too-large")
	srv.Close()
	check("closed")
}

func TestJWKSFirstFetchFails(t *testing.T) {
	srv := newJWKSServer(t, defaultKeys(t)...)
	srv.setStatus(http.StatusServiceUnavailable)
	clk := newClock(testNow)
	v := newTestVerifier(srv, clk.Now)
	v.Leeway = time.Minute
	ctx := context.Background()
	tok := joseSign(t, jose.RS256, key1, testKID1, accessClaims(srv.issuer()))

	for i := 0; i < 3; i++ {
		_, err := v.Verify(ctx, tok)
		if !errors.Is(err, ErrKeySetUnavailable) {
			t.Fatalf("got %v, want %v", err, ErrKeySetUnavailable)
		}
		var e *Error
		if !errors.As(err, &e) || e.Code != "" {
			t.Errorf("got %#v, want an *Error with no RFC 6750 code", err)
		}
	}
	if got, want := srv.fetches.Load(), int64(1); got != want {
		t.Fatalf("got %v fetches, want %v (retries are rate-limited)", got, want)
	}
	srv.setStatus(0)
	clk.Add(initialRetryInterval)
	if _, err := v.Verify(ctx, tok); err != nil {
		t.Fatalf("got %v, want nil once the endpoint is back", err)
	}
	if got, want := srv.fetches.Load(), int64(2); got != want {
		t.Errorf("got %v fetches, want %v", got, want)
	}
}

func TestJWKSCallerGivesUpFetchContinues(t *testing.T) {
	srv := newJWKSServer(t, defaultKeys(t)...)
	srv.delay = 300 * time.Millisecond
	v := newTestVerifier(srv, nil)
	tok := joseSign(t, jose.RS256, key1, testKID1, accessClaims(srv.issuer()))

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err := v.Verify(ctx, tok)
	if !errors.Is(err, ErrKeySetUnavailable) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want %v and %v", err, ErrKeySetUnavailable, context.DeadlineExceeded)
	}
	// A later caller joins the fetch still in flight.
	if _, err := v.Verify(context.Background(), tok); err != nil {
		t.Fatalf("got %v, want nil", err)
	}
	if got, want := srv.fetches.Load(), int64(1); got != want {
		t.Errorf("got %v fetches, want %v", got, want)
	}
}

type countingTransport struct {
	mu   sync.Mutex
	n    int
	base http.RoundTripper
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	return c.base.RoundTrip(r)
}

func TestJWKSHTTPClientAndURL(t *testing.T) {
	srv := newJWKSServer(t, defaultKeys(t)...)
	tr := &countingTransport{base: http.DefaultTransport}
	v := newTestVerifier(srv, nil)
	v.Issuer = "https://cognito-idp.eu-west-1.amazonaws.com/" + testPool // real Cognito shape
	v.JWKSURL = srv.issuer() + "/.well-known/jwks.json"
	v.HTTPClient = &http.Client{Transport: tr, Timeout: 5 * time.Second}
	tok := joseSign(t, jose.RS256, key1, testKID1, accessClaims(v.Issuer))
	if _, err := v.Verify(context.Background(), tok); err != nil {
		t.Fatalf("got %v, want nil", err)
	}
	if got, want := tr.n, 1; got != want {
		t.Errorf("got %v requests through HTTPClient, want %v", got, want)
	}
}

func TestParseJWKS(t *testing.T) {
	testKeys(t)
	good := mustJSON(pubJWK(key1, "a"))
	n := good[strings.Index(good, `"n":"`)+5:]
	n = n[:strings.IndexByte(n, '"')]
	rsaJWK := func(extra string) string {
		return `{"kty":"RSA","n":"` + n + `","e":"AQAB"` + extra + `}`
	}
	cases := []struct {
		name    string
		body    string
		kid     string
		wantErr error // of the entry for kid; nil = usable
		missing bool  // kid has no entry
		fail    bool  // the whole document is rejected
	}{
		{name: "ok", body: `{"keys":[` + good + `]}`, kid: "a"},
		{name: "ok/minimal", body: `{"keys":[` + rsaJWK(`,"kid":"a"`) + `]}`, kid: "a"},
		{name: "ok/key-ops-verify", body: `{"keys":[` + rsaJWK(`,"kid":"a","key_ops":["verify"]`) + `]}`, kid: "a"},
		{name: "ok/duplicate-kid-first-wins", body: `{"keys":[` + rsaJWK(`,"kid":"a"`) + `,` + rsaJWK(`,"kid":"a","alg":"RS512"`) + `]}`, kid: "a"},
		{name: "ok/unknown-members-and-kty-ignored", body: `{"keys":[{"kty":"oct","kid":"b","k":"AAAA"},{"kty":"EC","kid":"c"},"junk",` + rsaJWK(`,"kid":"a","x5c":["AAAA"]`) + `],"other":1}`, kid: "c", missing: true},
		{name: "ok/rsa-without-kid-ignored", body: `{"keys":[` + rsaJWK(``) + `,` + rsaJWK(`,"kid":"a"`) + `]}`, kid: "", missing: true},
		{name: "key/alg-rs512", body: `{"keys":[` + rsaJWK(`,"kid":"x","alg":"RS512"`) + `,` + good + `]}`, kid: "x", wantErr: ErrAlgorithm},
		{name: "key/alg-hs256", body: `{"keys":[` + rsaJWK(`,"kid":"x","alg":"HS256"`) + `,` + good + `]}`, kid: "x", wantErr: ErrAlgorithm},
		{name: "key/use-enc", body: `{"keys":[` + rsaJWK(`,"kid":"x","use":"enc"`) + `,` + good + `]}`, kid: "x", wantErr: ErrKeyRejected},
		{name: "key/key-ops-sign-only", body: `{"keys":[` + rsaJWK(`,"kid":"x","key_ops":["sign"]`) + `,` + good + `]}`, kid: "x", wantErr: ErrKeyRejected},
		{name: "key/e-even", body: `{"keys":[{"kty":"RSA","kid":"x","n":"` + n + `","e":"AQAA"},` + good + `]}`, kid: "x", wantErr: ErrKeyRejected},
		{name: "key/e-one", body: `{"keys":[{"kty":"RSA","kid":"x","n":"` + n + `","e":"AQ"},` + good + `]}`, kid: "x", wantErr: ErrKeyRejected},
		{name: "key/e-too-long", body: `{"keys":[{"kty":"RSA","kid":"x","n":"` + n + `","e":"AQABAQAB"},` + good + `]}`, kid: "x", wantErr: ErrKeyRejected},
		{name: "key/n-leading-zero", body: `{"keys":[{"kty":"RSA","kid":"x","n":"AA` + n + `","e":"AQAB"},` + good + `]}`, kid: "x", wantErr: ErrKeyRejected},
		{name: "key/n-not-base64", body: `{"keys":[{"kty":"RSA","kid":"x","n":"!!","e":"AQAB"},` + good + `]}`, kid: "x", wantErr: ErrKeyRejected},
		{name: "key/n-too-short", body: `{"keys":[{"kty":"RSA","kid":"x","n":"` + n[:170] + `","e":"AQAB"},` + good + `]}`, kid: "x", wantErr: ErrKeyRejected},
		{name: "fail/no-keys", body: `{"keys":[]}`, fail: true},
		{name: "fail/no-usable-keys", body: `{"keys":[` + rsaJWK(`,"kid":"x","use":"enc"`) + `]}`, fail: true},
		{name: "fail/not-json", body: `keys`, fail: true},
		{name: "fail/keys-not-array", body: `{"keys":{}}`, fail: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ks, err := parseJWKS([]byte(tc.body))
			if tc.fail {
				if err == nil {
					t.Fatalf("got nil, want an error")
				}
				return
			}
			if err != nil {
				t.Fatalf("got %v, want nil", err)
			}
			k, ok := ks.keys[tc.kid]
			if tc.missing {
				if ok {
					t.Fatalf("got an entry for %q, want none", tc.kid)
				}
				return
			}
			if !ok {
				t.Fatalf("got no entry for %q, want one", tc.kid)
			}
			if k.err != tc.wantErr {
				t.Fatalf("got %v (%s), want %v", k.err, k.why, tc.wantErr)
			}
			if (k.pub != nil) != (tc.wantErr == nil) {
				t.Errorf("got pub %v, want it set only for usable keys", k.pub != nil)
			}
		})
	}
}
