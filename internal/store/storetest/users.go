package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

func newUser(poolID, name string) *cognito.User {
	at := t0.UTC().Truncate(time.Millisecond)
	return &cognito.User{UserPoolID: poolID, Username: name, UsernameKey: name, Sub: fmt.Sprintf("sub-%s-%d", name, time.Now().UnixNano()),
		Attributes:   []cognito.Attribute{{Name: "email", Value: name + "@example.com"}, {Name: "email_verified", Value: "true"}},
		PasswordHash: "$argon2id$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA", Status: cognito.StatusConfirmed, Enabled: true,
		CreationDate: at, LastModifiedDate: at}
}

func createUser(t *testing.T, e *env, u *cognito.User) *cognito.User {
	t.Helper()
	update(t, e, func(tx cognito.Tx) error { return tx.CreateUser(e.ctx, u) })
	return u
}

func userCases() []testCase {
	return []testCase{
		{"users/create-get-update", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			u := createUser(t, e, newUser(p.ID, "alice"))
			if u.Seq <= 0 {
				t.Fatalf("Seq after create: got %d", u.Seq)
			}
			got, err := e.s.GetUser(e.ctx, p.ID, "alice")
			wantNoError(t, "GetUser", err)
			wantEqual(t, "GetUser", got, u)
			got, err = e.s.GetUserBySub(e.ctx, p.ID, u.Sub)
			wantNoError(t, "GetUserBySub", err)
			wantEqual(t, "GetUserBySub", got, u)

			later := t0.Add(time.Hour).UTC().Truncate(time.Millisecond)
			u.Username, u.UsernameKey, u.Status, u.Enabled = "Alice", "alice2", cognito.StatusForceChangePassword, false
			u.Attributes = []cognito.Attribute{{Name: "name", Value: "Alice 🚀 \"quoted\""}}
			u.PasswordExpires, u.CodeHash, u.CodeExpires, u.FailedSignIns, u.LockedUntil, u.SignedOutAt = later, "code", later, 3, later, later
			u.LastModifiedDate = later
			update(t, e, func(tx cognito.Tx) error { return tx.UpdateUser(e.ctx, u) })
			got, err = e.s.GetUser(e.ctx, p.ID, "alice2")
			wantNoError(t, "GetUser after update", err)
			wantEqual(t, "GetUser after update", got, u)
			_, err = e.s.GetUser(e.ctx, p.ID, "alice")
			wantNotFound(t, "GetUser by the old key", err)
		}},
		{"users/unique-key-and-sub", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			other := samplePool(t, e)
			u := createUser(t, e, newUser(p.ID, "bob"))
			dup := newUser(p.ID, "bob")
			err := e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.CreateUser(e.ctx, dup) })
			wantAlreadyExists(t, "a second user with the same key", err)
			dupSub := newUser(p.ID, "carol")
			dupSub.Sub = u.Sub
			err = e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.CreateUser(e.ctx, dupSub) })
			wantAlreadyExists(t, "a second user with the same sub", err)
			createUser(t, e, newUser(other.ID, "bob")) // other pool: fine
		}},
		{"users/delete-and-cascade", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			u := createUser(t, e, newUser(p.ID, "dave"))
			keep := createUser(t, e, newUser(p.ID, "erin"))
			update(t, e, func(tx cognito.Tx) error { return tx.DeleteUser(e.ctx, p.ID, u.Sub) })
			_, err := e.s.GetUser(e.ctx, p.ID, "dave")
			wantNotFound(t, "GetUser after delete", err)
			err = e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.DeleteUser(e.ctx, p.ID, u.Sub) })
			wantNotFound(t, "DeleteUser twice", err)
			err = e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.UpdateUser(e.ctx, u) })
			wantNotFound(t, "UpdateUser of a deleted user", err)
			update(t, e, func(tx cognito.Tx) error { return tx.DeleteUserPool(e.ctx, p.ID) })
			_, err = e.s.GetUserBySub(e.ctx, p.ID, keep.Sub)
			wantNotFound(t, "a deleted pool's user", err)
		}},
		{"users/list-count", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			var want []string
			for i := range 7 {
				u := newUser(p.ID, fmt.Sprint("user", i))
				createUser(t, e, u)
				want = append(want, u.Username)
			}
			n, err := e.s.CountUsers(e.ctx, p.ID)
			wantCount(t, "CountUsers", n, err, 7)
			list := func(after int64, limit int) ([]string, []int64, error) {
				users, err := e.s.ListUsers(e.ctx, p.ID, after, limit)
				var names []string
				var seqs []int64
				for _, u := range users {
					names, seqs = append(names, u.Username), append(seqs, u.Seq)
				}
				return names, seqs, err
			}
			wantExactlyOnce(t, "ListUsers pages", walk(t, list, 3, nil), want)
			for _, limit := range []int{0, -1} {
				if none, err := e.s.ListUsers(e.ctx, p.ID, 0, limit); err != nil || len(none) != 0 {
					t.Errorf("ListUsers with limit %d: %d users, %v; want none", limit, len(none), err)
				}
			}
		}},
		{"users/race-same-username", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			errs := make([]error, 16)
			var wg sync.WaitGroup
			withDeadline(t, func() {
				for i := range errs {
					wg.Add(1)
					go func() {
						defer wg.Done()
						errs[i] = e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.CreateUser(e.ctx, newUser(p.ID, "frank")) })
					}()
				}
				wg.Wait()
			})
			// One wins; every other loses to the username, not to a
			// busy or locked store.
			wantOneWinner(t, errs)
		}},
		{"users/missing-pool", func(t *testing.T, e *env) {
			err := e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.CreateUser(e.ctx, newUser(cognito.NewPoolID(region), "x")) })
			wantNotFound(t, "CreateUser in a missing pool", err)
		}},
	}
}

func refreshTokenCases() []testCase {
	return []testCase{
		{"refresh-tokens/create-get-revoke", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			u := createUser(t, e, newUser(p.ID, "gina"))
			at := t0.UTC().Truncate(time.Millisecond)
			mk := func(hash, jti string) *cognito.RefreshToken {
				return &cognito.RefreshToken{Hash: hash, UserPoolID: p.ID, ClientID: "client", Sub: u.Sub, Scopes: []string{"openid", "api/read"},
					OriginJTI: jti, AuthTime: at, CreationDate: at, Expires: at.Add(30 * 24 * time.Hour)}
			}
			a, b := mk("hash-a", "jti-a"), mk("hash-b", "jti-b")
			update(t, e, func(tx cognito.Tx) error {
				if err := tx.CreateRefreshToken(e.ctx, a); err != nil {
					return err
				}
				return tx.CreateRefreshToken(e.ctx, b)
			})
			got, err := e.s.GetRefreshToken(e.ctx, "hash-a")
			wantNoError(t, "GetRefreshToken", err)
			wantEqual(t, "GetRefreshToken", got, a)
			got, err = e.s.GetRefreshTokenByOriginJTI(e.ctx, p.ID, "jti-b")
			wantNoError(t, "GetRefreshTokenByOriginJTI", err)
			wantEqual(t, "GetRefreshTokenByOriginJTI", got, b)
			_, err = e.s.GetRefreshToken(e.ctx, "nope")
			wantNotFound(t, "GetRefreshToken of an unknown hash", err)
			err = e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.CreateRefreshToken(e.ctx, mk("hash-a", "jti-c")) })
			wantAlreadyExists(t, "a duplicate hash", err)

			revokedAt := at.Add(time.Minute)
			update(t, e, func(tx cognito.Tx) error { return tx.RevokeRefreshTokens(e.ctx, p.ID, u.Sub, "hash-a", revokedAt) })
			got, _ = e.s.GetRefreshToken(e.ctx, "hash-a")
			other, _ := e.s.GetRefreshToken(e.ctx, "hash-b")
			if !got.RevokedAt.Equal(revokedAt) || !other.RevokedAt.IsZero() {
				t.Errorf("revoke one: a revoked at %v, b at %v", got.RevokedAt, other.RevokedAt)
			}
			update(t, e, func(tx cognito.Tx) error {
				return tx.RevokeRefreshTokens(e.ctx, p.ID, u.Sub, "", revokedAt.Add(time.Minute))
			})
			got, _ = e.s.GetRefreshToken(e.ctx, "hash-a")
			other, _ = e.s.GetRefreshToken(e.ctx, "hash-b")
			if !got.RevokedAt.Equal(revokedAt) || other.RevokedAt.IsZero() {
				t.Errorf("revoke all: a revoked at %v (want unchanged), b at %v", got.RevokedAt, other.RevokedAt)
			}
			update(t, e, func(tx cognito.Tx) error { return tx.DeleteUser(e.ctx, p.ID, u.Sub) })
			_, err = e.s.GetRefreshToken(e.ctx, "hash-b")
			wantNotFound(t, "a deleted user's refresh token", err)
		}},
	}
}

func authCodeCases() []testCase {
	return []testCase{
		{"auth-codes/create-redeem-once", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			at := t0.UTC().Truncate(time.Millisecond)
			c := &cognito.AuthCode{Hash: "code-hash", UserPoolID: p.ID, ClientID: "client", RedirectURI: "https://app.example/cb", Sub: "sub-1",
				Scopes: []string{"openid"}, Nonce: "n", CodeChallenge: "challenge", AuthTime: at, CreationDate: at, Expires: at.Add(5 * time.Minute)}
			update(t, e, func(tx cognito.Tx) error { return tx.CreateAuthCode(e.ctx, c) })
			got, err := e.s.GetAuthCode(e.ctx, "code-hash")
			wantNoError(t, "GetAuthCode", err)
			wantEqual(t, "GetAuthCode", got, c)
			// Many redeem at once; the store serializes, and only one
			// transaction sees the code unused.
			errUsed := errors.New("code already used")
			errs := make([]error, 12)
			var wg sync.WaitGroup
			withDeadline(t, func() {
				for i := range errs {
					wg.Add(1)
					go func() {
						defer wg.Done()
						errs[i] = e.s.Update(e.ctx, func(tx cognito.Tx) error {
							cur, err := tx.GetAuthCode(e.ctx, "code-hash")
							if err != nil {
								return err
							}
							if !cur.UsedAt.IsZero() {
								return errUsed
							}
							return tx.RedeemAuthCode(e.ctx, "code-hash", at.Add(time.Second), "jti")
						})
					}()
				}
				wg.Wait()
			})
			// One wins; every other saw the code used, and none failed
			// for another reason.
			wins := 0
			for i, err := range errs {
				switch {
				case err == nil:
					wins++
				case !errors.Is(err, errUsed):
					t.Errorf("redemption %d: %v, want nil or the code already used", i, err)
				}
			}
			if wins != 1 {
				t.Errorf("%d redemptions of one code, want 1", wins)
			}
			got, _ = e.s.GetAuthCode(e.ctx, "code-hash")
			if got.UsedAt.IsZero() || got.OriginJTI != "jti" {
				t.Errorf("after redeeming: %+v", got)
			}
			err = e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.RedeemAuthCode(e.ctx, "nope", at, "") })
			wantNotFound(t, "RedeemAuthCode of an unknown code", err)
		}},
	}
}

func domainRegionCases() []testCase {
	return []testCase{
		{"domains/unique-per-region", func(t *testing.T, e *env) {
			east := samplePool(t, e)
			west := createPool(t, e, newPool("eu-west-1", "west"))
			createDomain(t, e, newDomain(east.ID, "photos"))
			createDomain(t, e, newDomain(west.ID, "photos")) // another region: fine
			got, err := e.s.GetDomain(e.ctx, "eu-west-1", "photos")
			wantNoError(t, "GetDomain in eu-west-1", err)
			if got.UserPoolID != west.ID {
				t.Errorf("eu-west-1's photos belongs to %s, want %s", got.UserPoolID, west.ID)
			}
			other := samplePool(t, e)
			err = e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.CreateDomain(e.ctx, newDomain(other.ID, "photos")) })
			wantAlreadyExists(t, "the same prefix twice in one region", err)
		}},
	}
}
