package cognito_test

import (
	"context"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

// TestHostedSessionUser: when a hosted-login session counts as signed in.
// Each case changes one thing from a session that counts.
func TestHostedSessionUser(t *testing.T) {
	ctx := context.Background()
	clk := &clock{now: time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)}
	svc, store := newService(t, clk)
	caller := cognito.WithCaller(ctx, cognito.Caller{Region: "us-east-1"})
	newPool := func(name string) *cognito.UserPool {
		out, err := svc.CreateUserPool(caller, &cognito.CreateUserPoolInput{PoolName: name})
		if err != nil {
			t.Fatal(err)
		}
		p, err := svc.LookupPool(ctx, out.UserPool.Id)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	pool, other := newPool("p"), newPool("q")
	newUser := func(name string, confirm bool) *cognito.User {
		if _, err := svc.AdminCreateUser(caller, &cognito.AdminCreateUserInput{UserPoolId: pool.ID, Username: name, MessageAction: "SUPPRESS"}); err != nil {
			t.Fatal(err)
		}
		if confirm {
			if _, err := svc.AdminSetUserPassword(caller, &cognito.AdminSetUserPasswordInput{UserPoolId: pool.ID, Username: name, Password: "Passw0rd!x", Permanent: true}); err != nil {
				t.Fatal(err)
			}
		}
		u, err := store.GetUser(ctx, pool.ID, name)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	alice := newUser("alice", true)
	start := clk.Now()
	session := func(u *cognito.User) cognito.HostedSession { return cognito.NewHostedSession(pool, u, start, start) }
	signedIn := func(hs cognito.HostedSession, at time.Time) bool {
		t.Helper()
		u := svc.HostedSessionUser(ctx, pool, hs, at)
		if u != nil && u.Sub != hs.Sub {
			t.Fatalf("session of %s answered user %s", hs.Sub, u.Sub)
		}
		return u != nil
	}

	good := session(alice)
	if !signedIn(good, start) || !signedIn(good, start.Add(cognito.HostedSessionLifetime)) {
		t.Fatal("a fresh session does not count as signed in, up to its expiry")
	}
	if signedIn(good, start.Add(cognito.HostedSessionLifetime+time.Second)) {
		t.Error("a session counts after it expired")
	}
	if u := svc.HostedSessionUser(ctx, other, good, start); u != nil {
		t.Error("a session of one pool counts in another")
	}
	forged := good
	forged.PoolID = other.ID
	if signedIn(forged, start) {
		t.Error("a session naming another pool counts")
	}
	if again := session(alice); again.ID == good.ID {
		t.Error("two sessions share an ID")
	}
	unknown := good
	unknown.Sub = "00000000-0000-0000-0000-000000000000"
	if signedIn(unknown, start) {
		t.Error("a session of a user that does not exist counts")
	}
	if signedIn(session(newUser("bob", false)), start) {
		t.Error("a session of an unconfirmed user (FORCE_CHANGE_PASSWORD) counts")
	}

	// A logout ends the session, and only that one.
	ended, kept := session(alice), session(alice)
	if err := svc.EndHostedSession(ctx, ended); err != nil {
		t.Fatal(err)
	}
	if signedIn(ended, start) {
		t.Error("a session counts after its logout")
	}
	if !signedIn(kept, start) {
		t.Error("a logout ended another session of the same user")
	}

	// Signed out everywhere after the sign-in: no session from before counts.
	carol := newUser("carol", true)
	before := session(carol)
	clk.Add(2 * time.Second)
	if _, err := svc.AdminUserGlobalSignOut(caller, &cognito.AdminUserGlobalSignOutInput{UserPoolId: pool.ID, Username: "carol"}); err != nil {
		t.Fatal(err)
	}
	if signedIn(before, clk.Now()) {
		t.Error("a session from before a global sign-out counts")
	}
	after := cognito.NewHostedSession(pool, carol, clk.Now().Add(time.Second), clk.Now())
	if !signedIn(after, clk.Now()) {
		t.Error("a session from after a global sign-out does not count")
	}

	// Disabled.
	dave := newUser("dave", true)
	if _, err := svc.AdminDisableUser(caller, &cognito.AdminUserInput{UserPoolId: pool.ID, Username: "dave"}); err != nil {
		t.Fatal(err)
	}
	if signedIn(session(dave), start) {
		t.Error("a session of a disabled user counts")
	}

	// When the store cannot answer, nothing counts (and a logout cannot be
	// recorded, which the caller turns into a refused logout).
	store.Close()
	if signedIn(kept, start) {
		t.Error("a session counts while the store is down")
	}
	if err := svc.EndHostedSession(ctx, kept); err == nil {
		t.Error("ending a session with the store down reported success")
	}
}
