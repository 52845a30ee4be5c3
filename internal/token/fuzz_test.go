package token

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

// FuzzVerifyAccessToken feeds arbitrary strings (seeded with a real access
// token and mutations of it) to VerifyAccessToken, which reads the
// unverified iss before verify checks the token: it must never panic, and
// whatever it accepts must be a token that verifies with go-jose against
// the pool's JWKS and names this pool.
func FuzzVerifyAccessToken(f *testing.F) {
	fx := newFixture(f)
	ctx := context.Background()
	u := &cognito.User{UserPoolID: fx.poolID, Username: "alice", Sub: "5f1c3a4e-0000-4000-8000-000000000001"}
	access, _, err := fx.issuer.MintUserTokens(ctx, cognito.UserTokens{PoolID: fx.poolID, ClientID: "c", User: u, AuthTime: fx.clock(), AccessLifetime: time.Hour})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(access)
	f.Add(strings.Replace(access, ".", "..", 1))
	f.Add(access[:len(access)/2])
	f.Add("eyJ9.eyJpc3MiOiJodHRwOi8vbG9jYWxob3N0OjkyMjkvdXMtZWFzdC0xX1Rlc3RQb29sMSJ9.")
	set := fx.jwks(f)
	f.Fuzz(func(t *testing.T, tok string) {
		c, err := fx.issuer.VerifyAccessToken(ctx, tok)
		if err != nil {
			return
		}
		if c.PoolID != fx.poolID {
			t.Fatalf("accepted a token for pool %q", c.PoolID)
		}
		verifyWithJose(t, tok, set)
	})
}
