package storetest

import (
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

func userCodeCases() []testCase {
	return []testCase{
		{"user-codes/put-get-replace-delete", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			u := createUser(t, e, newUser(p.ID, "carol"))
			_, err := e.s.GetUserCode(e.ctx, p.ID, u.Sub, cognito.CodeForgotPassword)
			wantNotFound(t, "GetUserCode before any", err)

			at := t0.UTC().Truncate(time.Millisecond)
			c := &cognito.UserCode{UserPoolID: p.ID, Sub: u.Sub, Purpose: cognito.CodeForgotPassword, CodeHash: "h1",
				Expires: at.Add(time.Hour), Attempts: 2, Sends: 1, WindowStart: at}
			update(t, e, func(tx cognito.Tx) error { return tx.PutUserCode(e.ctx, c) })
			got, err := e.s.GetUserCode(e.ctx, p.ID, u.Sub, cognito.CodeForgotPassword)
			wantNoError(t, "GetUserCode", err)
			wantEqual(t, "GetUserCode", got, c)

			// A second put replaces the first; another purpose is separate.
			c2 := &cognito.UserCode{UserPoolID: p.ID, Sub: u.Sub, Purpose: cognito.CodeForgotPassword, CodeHash: "h2",
				Expires: at.Add(2 * time.Hour), Attempts: 0, Sends: 2, WindowStart: at}
			other := &cognito.UserCode{UserPoolID: p.ID, Sub: u.Sub, Purpose: cognito.CodeSignUpResend, Sends: 1, WindowStart: at}
			update(t, e, func(tx cognito.Tx) error {
				if err := tx.PutUserCode(e.ctx, c2); err != nil {
					return err
				}
				return tx.PutUserCode(e.ctx, other)
			})
			got, err = e.s.GetUserCode(e.ctx, p.ID, u.Sub, cognito.CodeForgotPassword)
			wantNoError(t, "GetUserCode after replace", err)
			wantEqual(t, "GetUserCode after replace", got, c2)
			got, err = e.s.GetUserCode(e.ctx, p.ID, u.Sub, cognito.CodeSignUpResend)
			wantNoError(t, "GetUserCode of the other purpose", err)
			wantEqual(t, "GetUserCode of the other purpose", got, other)

			update(t, e, func(tx cognito.Tx) error { return tx.DeleteUserCode(e.ctx, p.ID, u.Sub, cognito.CodeForgotPassword) })
			_, err = e.s.GetUserCode(e.ctx, p.ID, u.Sub, cognito.CodeForgotPassword)
			wantNotFound(t, "GetUserCode after delete", err)
			err = e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.DeleteUserCode(e.ctx, p.ID, u.Sub, cognito.CodeForgotPassword) })
			wantNotFound(t, "DeleteUserCode of a deleted code", err)
			if _, err := e.s.GetUserCode(e.ctx, p.ID, u.Sub, cognito.CodeSignUpResend); err != nil {
				t.Fatalf("deleting one purpose deleted another: %v", err)
			}
		}},
		{"user-codes/deleted-with-user-and-pool", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			u := createUser(t, e, newUser(p.ID, "dan"))
			c := &cognito.UserCode{UserPoolID: p.ID, Sub: u.Sub, Purpose: cognito.CodeForgotPassword, CodeHash: "h", Expires: t0}
			update(t, e, func(tx cognito.Tx) error { return tx.PutUserCode(e.ctx, c) })
			update(t, e, func(tx cognito.Tx) error { return tx.DeleteUser(e.ctx, p.ID, u.Sub) })
			_, err := e.s.GetUserCode(e.ctx, p.ID, u.Sub, cognito.CodeForgotPassword)
			wantNotFound(t, "code of a deleted user", err)

			// A user created again with the same sub starts with no code.
			again := createUser(t, e, &cognito.User{UserPoolID: p.ID, Username: "dan", UsernameKey: "dan", Sub: u.Sub, Status: cognito.StatusConfirmed,
				Enabled: true, CreationDate: u.CreationDate, LastModifiedDate: u.LastModifiedDate})
			_, err = e.s.GetUserCode(e.ctx, p.ID, again.Sub, cognito.CodeForgotPassword)
			wantNotFound(t, "code of a recreated user", err)

			update(t, e, func(tx cognito.Tx) error { return tx.PutUserCode(e.ctx, c) })
			update(t, e, func(tx cognito.Tx) error { return tx.DeleteUserPool(e.ctx, p.ID) })
			_, err = e.s.GetUserCode(e.ctx, p.ID, u.Sub, cognito.CodeForgotPassword)
			wantNotFound(t, "code in a deleted pool", err)
		}},
		{"user-codes/need-a-user", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			c := &cognito.UserCode{UserPoolID: p.ID, Sub: "no-such-sub", Purpose: cognito.CodeForgotPassword, CodeHash: "h", Expires: t0}
			err := e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.PutUserCode(e.ctx, c) })
			wantNotFound(t, "PutUserCode for no user", err)
		}},
	}
}
