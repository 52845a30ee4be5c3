package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

// Opener opens a Store on the database its backend made. Each call opens a
// new Store on the same database; the backend closes every Store it opened
// when the test ends (t.Cleanup), and Close must tolerate being called
// again by the test.
type Opener = func() cognito.Store

// deadlockTimeout bounds the concurrent parts of the suite; past it the
// suite dumps every goroutine and fails rather than hanging.
const deadlockTimeout = 60 * time.Second

// env is what a case gets: a Store opened on a fresh, empty database, and
// the opener to open another one on the same database.
type env struct {
	ctx  context.Context
	s    cognito.Store
	open Opener
}

type testCase struct {
	name string
	fn   func(t *testing.T, e *env)
}

// Run runs the suite. newBackend makes a fresh, empty database for one
// subtest and returns an opener for it; it may call t.Fatal and should
// register t.Cleanup to close what it opens and drop the database.
func Run(t *testing.T, newBackend func(t *testing.T) (open func() cognito.Store)) {
	var cases []testCase
	cases = append(cases, poolCases()...)
	cases = append(cases, clientCases()...)
	cases = append(cases, resourceServerCases()...)
	cases = append(cases, domainCases()...)
	cases = append(cases, accessKeyCases()...)
	cases = append(cases, cascadeCases()...)
	cases = append(cases, paginationCases()...)
	cases = append(cases, timeCases()...)
	cases = append(cases, txCases()...)
	cases = append(cases, raceCases()...)
	cases = append(cases, restartCases()...)
	cases = append(cases, signingKeyCases()...)
	cases = append(cases, userCases()...)
	cases = append(cases, refreshTokenCases()...)
	cases = append(cases, authCodeCases()...)
	cases = append(cases, domainRegionCases()...)
	cases = append(cases, groupCases()...)
	cases = append(cases, rotationCases()...)
	cases = append(cases, userCodeCases()...)
	cases = append(cases, attributeVerificationCases()...)
	cases = append(cases, srpVerifierCases()...)
	cases = append(cases, signalCases()...)
	cases = append(cases, sharedStateCases()...)
	cases = append(cases, uiCustomizationCases()...)
	cases = append(cases, userMFACases()...)

	seen := map[string]bool{}
	for _, c := range cases {
		if seen[c.name] {
			t.Fatalf("storetest: duplicate case name %q", c.name)
		}
		seen[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			open := newBackend(t)
			s := open()
			if s == nil {
				t.Fatal("open returned a nil Store")
			}
			c.fn(t, &env{ctx: t.Context(), s: s, open: open})
		})
	}
}

// withDeadline runs fn, which must not call t.Fatal (it runs on another
// goroutine), and fails the test with a dump of every goroutine if fn has
// not returned after deadlockTimeout.
func withDeadline(t *testing.T, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	timer := time.NewTimer(deadlockTimeout)
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
		buf := make([]byte, 1<<20)
		for {
			n := runtime.Stack(buf, true)
			if n < len(buf) {
				buf = buf[:n]
				break
			}
			buf = make([]byte, 2*len(buf))
		}
		t.Fatalf("still running after %v: deadlock? goroutines:\n%s", deadlockTimeout, buf)
	}
}

// concurrently runs n copies of fn at once, released together, and
// returns their errors indexed by i. It is bounded by withDeadline.
func concurrently(t *testing.T, n int, fn func(i int) error) []error {
	t.Helper()
	errs := make([]error, n)
	withDeadline(t, func() {
		var (
			wg    sync.WaitGroup
			ready sync.WaitGroup
			start = make(chan struct{})
		)
		ready.Add(n)
		for i := range n {
			wg.Go(func() {
				ready.Done()
				<-start
				errs[i] = fn(i)
			})
		}
		ready.Wait()
		close(start)
		wg.Wait()
	})
	return errs
}

// ---- assertions

func update(t *testing.T, e *env, fn func(tx cognito.Tx) error) {
	t.Helper()
	if err := e.s.Update(e.ctx, fn); err != nil {
		t.Fatalf("Update: got error %v, want nil", err)
	}
}

func wantNotFound(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, cognito.ErrNotFound) {
		t.Errorf("%s: got error %v, want one that errors.Is ErrNotFound", what, err)
	}
}

func wantAlreadyExists(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, cognito.ErrAlreadyExists) {
		t.Errorf("%s: got error %v, want one that errors.Is ErrAlreadyExists", what, err)
	}
}

func wantNoError(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: got error %v, want nil", what, err)
	}
}

func wantCount(t *testing.T, what string, got int, err error, want int) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: got error %v, want nil", what, err)
	}
	if got != want {
		t.Errorf("%s: got %d, want %d", what, got, want)
	}
}

// wantEqual compares with reflect.DeepEqual and prints both sides as JSON,
// which shows nil versus empty and RawMessage bytes.
func wantEqual[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\ngot  %s\nwant %s", what, show(got), show(want))
	}
}

func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%#v", v)
	}
	return fmt.Sprintf("%s %#v", b, v)
}

// ms returns t as a backend gives it back: UTC, millisecond precision.
func ms(t time.Time) time.Time { return time.UnixMilli(t.UnixMilli()).UTC() }

func wantTime(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if !got.Equal(ms(want)) {
		t.Errorf("%s: got %v, want %v", what, got, ms(want))
	}
	if got.Location() != time.UTC {
		t.Errorf("%s: got location %v, want UTC", what, got.Location())
	}
}

// stored returns what Get should give back for a row written as v.
func storedPool(p *cognito.UserPool) *cognito.UserPool {
	c := *p
	c.CreationDate, c.LastModifiedDate = ms(p.CreationDate), ms(p.LastModifiedDate)
	return &c
}

func storedClient(a *cognito.AppClient) *cognito.AppClient {
	c := *a
	c.CreationDate, c.LastModifiedDate = ms(a.CreationDate), ms(a.LastModifiedDate)
	if len(c.SealedSecret) == 0 {
		c.SealedSecret = nil
	}
	return &c
}

func storedRS(rs *cognito.ResourceServer) *cognito.ResourceServer {
	c := *rs
	if len(c.Scopes) == 0 {
		c.Scopes = nil
	}
	return &c
}

func storedDomain(d *cognito.Domain) *cognito.Domain {
	c := *d
	c.CreationDate = ms(d.CreationDate)
	return &c
}

func storedKey(k *cognito.AccessKey) *cognito.AccessKey {
	c := *k
	c.CreationDate = ms(k.CreationDate)
	if len(c.SealedSecret) == 0 {
		c.SealedSecret = nil
	}
	return &c
}
