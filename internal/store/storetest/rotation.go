package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

// rotationCases cover refresh token rotation: a token is rotated at most
// once, even by concurrent transactions, and revoking one token of a
// family revokes all of it.
func rotationCases() []testCase {
	return []testCase{
		{"refresh-tokens/rotate", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			u := createUser(t, e, newUser(p.ID, "rosa"))
			at := t0.UTC().Truncate(time.Millisecond)
			mk := func(hash, jti string) *cognito.RefreshToken {
				return &cognito.RefreshToken{Hash: hash, UserPoolID: p.ID, ClientID: "client", Sub: u.Sub, Scopes: []string{"openid"},
					OriginJTI: jti, AuthTime: at, CreationDate: at, Expires: at.Add(time.Hour)}
			}
			a, b, other := mk("hash-a", "family"), mk("hash-b", "family"), mk("hash-o", "other")
			update(t, e, func(tx cognito.Tx) error {
				for _, rt := range []*cognito.RefreshToken{a, other} {
					if err := tx.CreateRefreshToken(e.ctx, rt); err != nil {
						return err
					}
				}
				return nil
			})
			sealed := []byte{1, 2, 3}
			errs := concurrently(t, 8, func(int) error {
				return e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.RotateRefreshToken(e.ctx, "hash-a", at.Add(time.Minute), sealed) })
			})
			won := 0
			for _, err := range errs {
				switch {
				case err == nil:
					won++
				case !errors.Is(err, cognito.ErrNotFound):
					t.Errorf("a losing rotation: got %v, want ErrNotFound", err)
				}
			}
			if won != 1 {
				t.Fatalf("concurrent rotations of one token: %d succeeded, want 1", won)
			}
			got, err := e.s.GetRefreshToken(e.ctx, "hash-a")
			wantNoError(t, "GetRefreshToken", err)
			want := *a
			want.RotatedAt, want.SealedSuccessor = at.Add(time.Minute), sealed
			wantEqual(t, "rotated token", got, &want)
			err = e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.RotateRefreshToken(e.ctx, "nope", at, sealed) })
			wantNotFound(t, "RotateRefreshToken of an unknown token", err)

			// Revoking the rotated token revokes its successor, not the
			// user's other families; a revoked token cannot be rotated.
			update(t, e, func(tx cognito.Tx) error { return tx.CreateRefreshToken(e.ctx, b) })
			update(t, e, func(tx cognito.Tx) error {
				return tx.RevokeRefreshTokens(e.ctx, p.ID, u.Sub, "hash-a", at.Add(2*time.Minute))
			})
			for _, h := range []string{"hash-a", "hash-b"} {
				got, err := e.s.GetRefreshToken(e.ctx, h)
				wantNoError(t, "GetRefreshToken", err)
				wantTime(t, h+" RevokedAt", got.RevokedAt, at.Add(2*time.Minute))
			}
			got, err = e.s.GetRefreshToken(e.ctx, "hash-o")
			wantNoError(t, "GetRefreshToken", err)
			if !got.RevokedAt.IsZero() {
				t.Errorf("another family was revoked too")
			}
			err = e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.RotateRefreshToken(e.ctx, "hash-b", at, sealed) })
			wantNotFound(t, "RotateRefreshToken of a revoked token", err)
		}},
	}
}
