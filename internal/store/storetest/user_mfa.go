package storetest

import (
	"testing"

	"github.com/cognitod/cognitod/internal/cognito"
)

func userMFACases() []testCase {
	return []testCase{
		{"user-mfa/put-get-replace", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			u := createUser(t, e, newUser(p.ID, "mallory"))
			_, err := e.s.GetUserMFA(e.ctx, p.ID, u.Sub)
			wantNotFound(t, "GetUserMFA before any", err)

			// Only a pending secret: the verified one reads back as nil.
			m := &cognito.UserMFA{UserPoolID: p.ID, Sub: u.Sub, TOTPPending: []byte{1, 2, 3}}
			update(t, e, func(tx cognito.Tx) error { return tx.PutUserMFA(e.ctx, m) })
			got, err := e.s.GetUserMFA(e.ctx, p.ID, u.Sub)
			wantNoError(t, "GetUserMFA", err)
			wantEqual(t, "GetUserMFA", got, m)

			// A second put replaces every column, inside a transaction that
			// reads its own write.
			m2 := &cognito.UserMFA{UserPoolID: p.ID, Sub: u.Sub, TOTPSecret: []byte{9, 8, 7, 6}, TOTPLastStep: 58_000_123_456,
				TOTPEnabled: true, SMSEnabled: true, EmailEnabled: true, Preferred: cognito.MFASoftwareToken}
			update(t, e, func(tx cognito.Tx) error {
				if err := tx.PutUserMFA(e.ctx, m2); err != nil {
					return err
				}
				in, err := tx.GetUserMFA(e.ctx, p.ID, u.Sub)
				if err != nil {
					return err
				}
				wantEqual(t, "GetUserMFA inside the transaction", in, m2)
				return nil
			})
			got, err = e.s.GetUserMFA(e.ctx, p.ID, u.Sub)
			wantNoError(t, "GetUserMFA after replace", err)
			wantEqual(t, "GetUserMFA after replace", got, m2)

			// Turning everything off again is stored too (false, "", nil).
			m3 := &cognito.UserMFA{UserPoolID: p.ID, Sub: u.Sub, TOTPLastStep: 1}
			update(t, e, func(tx cognito.Tx) error { return tx.PutUserMFA(e.ctx, m3) })
			got, err = e.s.GetUserMFA(e.ctx, p.ID, u.Sub)
			wantNoError(t, "GetUserMFA after clearing", err)
			wantEqual(t, "GetUserMFA after clearing", got, m3)

			// Another user's state is separate.
			other := createUser(t, e, newUser(p.ID, "oscar"))
			_, err = e.s.GetUserMFA(e.ctx, p.ID, other.Sub)
			wantNotFound(t, "GetUserMFA of another user", err)
		}},
		{"user-mfa/rolled-back-with-the-transaction", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			u := createUser(t, e, newUser(p.ID, "peggy"))
			m := &cognito.UserMFA{UserPoolID: p.ID, Sub: u.Sub, TOTPSecret: []byte{1}, TOTPEnabled: true}
			err := e.s.Update(e.ctx, func(tx cognito.Tx) error {
				if err := tx.PutUserMFA(e.ctx, m); err != nil {
					return err
				}
				return cognito.ErrInvalidParameter
			})
			if err == nil {
				t.Fatal("Update returned nil for a failing closure")
			}
			_, err = e.s.GetUserMFA(e.ctx, p.ID, u.Sub)
			wantNotFound(t, "GetUserMFA after a rolled-back put", err)
		}},
		{"user-mfa/deleted-with-user-and-pool", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			u := createUser(t, e, newUser(p.ID, "trent"))
			m := &cognito.UserMFA{UserPoolID: p.ID, Sub: u.Sub, TOTPSecret: []byte{1, 2}, TOTPEnabled: true, Preferred: cognito.MFASoftwareToken}
			update(t, e, func(tx cognito.Tx) error { return tx.PutUserMFA(e.ctx, m) })
			update(t, e, func(tx cognito.Tx) error { return tx.DeleteUser(e.ctx, p.ID, u.Sub) })
			_, err := e.s.GetUserMFA(e.ctx, p.ID, u.Sub)
			wantNotFound(t, "MFA of a deleted user", err)

			// A user created again with the same sub starts without MFA.
			again := createUser(t, e, &cognito.User{UserPoolID: p.ID, Username: "trent", UsernameKey: "trent", Sub: u.Sub, Status: cognito.StatusConfirmed,
				Enabled: true, CreationDate: u.CreationDate, LastModifiedDate: u.LastModifiedDate})
			_, err = e.s.GetUserMFA(e.ctx, p.ID, again.Sub)
			wantNotFound(t, "MFA of a recreated user", err)

			update(t, e, func(tx cognito.Tx) error { return tx.PutUserMFA(e.ctx, m) })
			update(t, e, func(tx cognito.Tx) error { return tx.DeleteUserPool(e.ctx, p.ID) })
			_, err = e.s.GetUserMFA(e.ctx, p.ID, u.Sub)
			wantNotFound(t, "MFA in a deleted pool", err)
		}},
		{"user-mfa/needs-a-user", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			m := &cognito.UserMFA{UserPoolID: p.ID, Sub: "no-such-sub", TOTPEnabled: true}
			err := e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.PutUserMFA(e.ctx, m) })
			wantNotFound(t, "PutUserMFA for no user", err)
		}},
	}
}
