package storetest

import (
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

func newSigningKey(poolID, kid, status string, created time.Time) *cognito.SigningKey {
	return &cognito.SigningKey{UserPoolID: poolID, KID: kid, SealedPrivateKey: []byte("sealed-" + kid), Status: status, CreationDate: created.UTC().Truncate(time.Millisecond)}
}

func signingKeyCases() []testCase {
	return []testCase{
		{"signing-keys/create-list", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			other := samplePool(t, e)
			active := newSigningKey(p.ID, "k1", cognito.KeyActive, t0)
			next := newSigningKey(p.ID, "k2", cognito.KeyNext, t0.Add(time.Second))
			update(t, e, func(tx cognito.Tx) error {
				if err := tx.CreateSigningKey(e.ctx, next); err != nil {
					return err
				}
				return tx.CreateSigningKey(e.ctx, active)
			})
			update(t, e, func(tx cognito.Tx) error {
				return tx.CreateSigningKey(e.ctx, newSigningKey(other.ID, "k9", cognito.KeyActive, t0))
			})
			got, err := e.s.ListSigningKeys(e.ctx, p.ID)
			wantNoError(t, "ListSigningKeys", err)
			wantEqual(t, "ListSigningKeys (oldest first)", got, []*cognito.SigningKey{active, next})
		}},
		{"signing-keys/one-active-one-next", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			update(t, e, func(tx cognito.Tx) error {
				if err := tx.CreateSigningKey(e.ctx, newSigningKey(p.ID, "a1", cognito.KeyActive, t0)); err != nil {
					return err
				}
				return tx.CreateSigningKey(e.ctx, newSigningKey(p.ID, "n1", cognito.KeyNext, t0))
			})
			err := e.s.Update(e.ctx, func(tx cognito.Tx) error {
				return tx.CreateSigningKey(e.ctx, newSigningKey(p.ID, "a2", cognito.KeyActive, t0))
			})
			wantAlreadyExists(t, "a second active key", err)
			err = e.s.Update(e.ctx, func(tx cognito.Tx) error {
				return tx.CreateSigningKey(e.ctx, newSigningKey(p.ID, "n2", cognito.KeyNext, t0))
			})
			wantAlreadyExists(t, "a second next key", err)
			err = e.s.Update(e.ctx, func(tx cognito.Tx) error {
				return tx.CreateSigningKey(e.ctx, newSigningKey(p.ID, "a1", cognito.KeyRetired, t0))
			})
			wantAlreadyExists(t, "a duplicate kid", err)
			// Retired keys are not limited.
			update(t, e, func(tx cognito.Tx) error {
				for _, kid := range []string{"r1", "r2"} {
					if err := tx.CreateSigningKey(e.ctx, newSigningKey(p.ID, kid, cognito.KeyRetired, t0)); err != nil {
						return err
					}
				}
				return nil
			})
		}},
		{"signing-keys/rotate", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			active := newSigningKey(p.ID, "a", cognito.KeyActive, t0)
			next := newSigningKey(p.ID, "b", cognito.KeyNext, t0.Add(time.Second))
			update(t, e, func(tx cognito.Tx) error {
				if err := tx.CreateSigningKey(e.ctx, active); err != nil {
					return err
				}
				return tx.CreateSigningKey(e.ctx, next)
			})
			fresh := newSigningKey(p.ID, "c", cognito.KeyNext, t0.Add(2*time.Second))
			update(t, e, func(tx cognito.Tx) error {
				active.Status, active.RetiredAt = cognito.KeyRetired, t0.Add(time.Hour).UTC().Truncate(time.Millisecond)
				if err := tx.UpdateSigningKey(e.ctx, active); err != nil {
					return err
				}
				next.Status = cognito.KeyActive
				if err := tx.UpdateSigningKey(e.ctx, next); err != nil {
					return err
				}
				return tx.CreateSigningKey(e.ctx, fresh)
			})
			got, err := e.s.ListSigningKeys(e.ctx, p.ID)
			wantNoError(t, "ListSigningKeys", err)
			wantEqual(t, "keys after rotation", got, []*cognito.SigningKey{active, next, fresh})
			update(t, e, func(tx cognito.Tx) error { return tx.DeleteSigningKey(e.ctx, p.ID, "a") })
			err = e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.DeleteSigningKey(e.ctx, p.ID, "a") })
			wantNotFound(t, "DeleteSigningKey twice", err)
			err = e.s.Update(e.ctx, func(tx cognito.Tx) error {
				return tx.UpdateSigningKey(e.ctx, newSigningKey(p.ID, "zz", cognito.KeyRetired, t0))
			})
			wantNotFound(t, "UpdateSigningKey of a missing key", err)
		}},
		{"signing-keys/cascade", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			update(t, e, func(tx cognito.Tx) error {
				return tx.CreateSigningKey(e.ctx, newSigningKey(p.ID, "k", cognito.KeyActive, t0))
			})
			update(t, e, func(tx cognito.Tx) error { return tx.DeleteUserPool(e.ctx, p.ID) })
			got, err := e.s.ListSigningKeys(e.ctx, p.ID)
			wantNoError(t, "ListSigningKeys", err)
			if len(got) != 0 {
				t.Errorf("keys of a deleted pool: got %d, want 0", len(got))
			}
		}},
		{"signing-keys/missing-pool", func(t *testing.T, e *env) {
			err := e.s.Update(e.ctx, func(tx cognito.Tx) error {
				return tx.CreateSigningKey(e.ctx, newSigningKey(cognito.NewPoolID(region), "k", cognito.KeyActive, t0))
			})
			wantNotFound(t, "CreateSigningKey for a missing pool", err)
		}},
	}
}
