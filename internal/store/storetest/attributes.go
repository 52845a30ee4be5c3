package storetest

import (
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

// attributeVerificationCases check that a user's pending attribute
// verifications are stored and read back whole, and can be cleared.
func attributeVerificationCases() []testCase {
	return []testCase{
		{"users/attribute-verifications", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			u := newUser(p.ID, "vera")
			later := t0.Add(24 * time.Hour).UTC().Truncate(time.Millisecond)
			u.Verifications = []cognito.AttributeVerification{
				{Attribute: "email", CodeHash: "hash1", Expires: later, Failed: 2, PendingValue: "new@example.com"},
			}
			createUser(t, e, u)
			got, err := e.s.GetUserBySub(e.ctx, p.ID, u.Sub)
			wantNoError(t, "GetUserBySub", err)
			wantEqual(t, "created with a verification", got.Verifications, u.Verifications)

			u.Verifications = append(u.Verifications, cognito.AttributeVerification{Attribute: "phone_number", CodeHash: "hash2",
				Expires: later, LockedUntil: later})
			update(t, e, func(tx cognito.Tx) error { return tx.UpdateUser(e.ctx, u) })
			got, err = e.s.GetUserBySub(e.ctx, p.ID, u.Sub)
			wantNoError(t, "GetUserBySub after update", err)
			wantEqual(t, "two verifications", got.Verifications, u.Verifications)

			u.Verifications = nil
			update(t, e, func(tx cognito.Tx) error { return tx.UpdateUser(e.ctx, u) })
			got, err = e.s.GetUserBySub(e.ctx, p.ID, u.Sub)
			wantNoError(t, "GetUserBySub after clearing", err)
			if got.Verifications != nil {
				t.Fatalf("verifications after clearing: %+v", got.Verifications)
			}
		}},
	}
}
