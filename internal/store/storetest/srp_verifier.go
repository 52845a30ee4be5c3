package storetest

import (
	"bytes"
	"testing"

	"github.com/cognitod/cognitod/internal/cognito"
)

// srpVerifierCases check User.SRPVerifier, the sealed SRP salt and
// verifier: stored on create and update, read back byte for byte by every
// read, and empty (nil) for a user without one, which must stay
// distinguishable from one that has one.
func srpVerifierCases() []testCase {
	return []testCase{
		{"users/srp-verifier", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			none := createUser(t, e, newUser(p.ID, "legacy"))
			got, err := e.s.GetUser(e.ctx, p.ID, "legacy")
			wantNoError(t, "GetUser without a verifier", err)
			if got.SRPVerifier != nil {
				t.Fatalf("SRPVerifier of a user created without one: got %x, want nil", got.SRPVerifier)
			}

			blob := append([]byte{0, 1, 2, 0xff}, bytes.Repeat([]byte{0xa5}, 500)...)
			u := newUser(p.ID, "srp")
			u.SRPVerifier = blob
			createUser(t, e, u)
			got, err = e.s.GetUserBySub(e.ctx, p.ID, u.Sub)
			wantNoError(t, "GetUserBySub", err)
			if !bytes.Equal(got.SRPVerifier, blob) {
				t.Fatalf("SRPVerifier after create: got %x, want %x", got.SRPVerifier, blob)
			}

			// An old user gains a verifier; a later update replaces it.
			none.SRPVerifier = []byte("first")
			update(t, e, func(tx cognito.Tx) error { return tx.UpdateUser(e.ctx, none) })
			none.SRPVerifier = []byte("second")
			update(t, e, func(tx cognito.Tx) error { return tx.UpdateUser(e.ctx, none) })
			list, err := e.s.ListUsers(e.ctx, p.ID, 0, 10)
			wantNoError(t, "ListUsers", err)
			for _, l := range list {
				want := map[string][]byte{"legacy": []byte("second"), "srp": blob}[l.Username]
				if !bytes.Equal(l.SRPVerifier, want) {
					t.Fatalf("ListUsers: %s SRPVerifier %q, want %q", l.Username, l.SRPVerifier, want)
				}
			}
			// Clearing it is stored too.
			none.SRPVerifier = nil
			update(t, e, func(tx cognito.Tx) error { return tx.UpdateUser(e.ctx, none) })
			got, err = e.s.GetUser(e.ctx, p.ID, "legacy")
			wantNoError(t, "GetUser after clearing", err)
			if got.SRPVerifier != nil {
				t.Fatalf("SRPVerifier after clearing: got %x, want nil", got.SRPVerifier)
			}
		}},
	}
}
