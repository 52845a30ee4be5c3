package oauth

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/sqlite"
)

// flowHandler is a Handler with a real service (for its sealer) and a
// clock the test sets.
func flowHandler(t testing.TB, now *time.Time) *Handler {
	t.Helper()
	store, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "flow.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	sealer, err := cognito.NewSealer([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	svc, err := cognito.NewService(cognito.Config{Store: store, Sealer: sealer})
	if err != nil {
		t.Fatal(err)
	}
	return &Handler{svc: svc, now: func() time.Time { return *now }}
}

func postedFlow(v string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(url.Values{"flow": {v}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.ParseForm()
	return r
}

const (
	flowPool  = "us-east-1_abcdefghi"
	flowNonce = "aV2p8MauUowrHRTbp9vgmQ1untKGB8BrkbmWTWyHb9k"
)

// TestFlowOpensOnlyForItsStepClientBrowserAndTime: a flow opens for the
// step, pool, client and browser it was sealed for, until it expires;
// anything else, or a tampered value, does not open.
func TestFlowOpensOnlyForItsStepClientBrowserAndTime(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	h := flowHandler(t, &now)
	client := &cognito.AppClient{ClientID: "client1"}
	v := h.sealFlow(flowPool, stepConfirmSignUp, client, flowNonce, "carol", "sub-1")
	f, ok := h.openFlow(postedFlow(v), flowPool, stepConfirmSignUp, client, flowNonce)
	if !ok || f.Username != "carol" || f.Sub != "sub-1" {
		t.Fatalf("own flow: %+v %v", f, ok)
	}
	for name, open := range map[string]func() bool{
		"another step": func() bool {
			_, ok := h.openFlow(postedFlow(v), flowPool, stepConfirmForgotPassword, client, flowNonce)
			return ok
		},
		"another pool": func() bool {
			_, ok := h.openFlow(postedFlow(v), "us-east-1_other", stepConfirmSignUp, client, flowNonce)
			return ok
		},
		"another client": func() bool {
			_, ok := h.openFlow(postedFlow(v), flowPool, stepConfirmSignUp, &cognito.AppClient{ClientID: "client2"}, flowNonce)
			return ok
		},
		"another browser": func() bool {
			_, ok := h.openFlow(postedFlow(v), flowPool, stepConfirmSignUp, client, strings.Repeat("A", nonceLen))
			return ok
		},
		"tampered": func() bool {
			b := []byte(v)
			b[len(b)/2] ^= 1
			_, ok := h.openFlow(postedFlow(string(b)), flowPool, stepConfirmSignUp, client, flowNonce)
			return ok
		},
		"oversized": func() bool {
			_, ok := h.openFlow(postedFlow(v+strings.Repeat("A", maxFlowLen)), flowPool, stepConfirmSignUp, client, flowNonce)
			return ok
		},
		"expired": func() bool {
			saved := now
			now = now.Add(flowLifetime + time.Second)
			defer func() { now = saved }()
			_, ok := h.openFlow(postedFlow(v), flowPool, stepConfirmSignUp, client, flowNonce)
			return ok
		},
	} {
		if open() {
			t.Errorf("%s: the flow opened", name)
		}
	}
}

// FuzzOpenFlow: whatever is posted as the flow, only a value sealed with
// the server's key opens, and it opens to what was sealed.
func FuzzOpenFlow(f *testing.F) {
	now := time.Unix(1_800_000_000, 0)
	h := flowHandler(f, &now)
	client := &cognito.AppClient{ClientID: "client1"}
	minted := h.sealFlow(flowPool, stepConfirmSignUp, client, flowNonce, "carol", "sub-1")
	f.Add(minted)
	f.Add(minted[:len(minted)-2])
	f.Add("")
	f.Add("!!!")
	f.Fuzz(func(t *testing.T, v string) {
		// The workers are other processes, sealing with the same key but
		// other random nonces: what opens must be what the test sealed.
		if fl, ok := h.openFlow(postedFlow(v), flowPool, stepConfirmSignUp, client, flowNonce); ok && (fl.Username != "carol" || fl.Sub != "sub-1") {
			t.Fatalf("opened a flow the test did not seal: %q %+v", v, fl)
		}
	})
}
