package server

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// An SRP proof that signed in at one instance cannot be replayed at
// another sharing the store: the used secret blocks live in the store, not
// in one process. Before, each instance remembered only its own, and the
// same captured answer gave a second set of tokens at the other instance.
func TestSRPReplayRefusedAtAnotherInstance(t *testing.T) {
	p := newSRPPool(t, nil)
	p.addUser(t, "alice", "Correct-horse-1")
	b := secondInstance(t, p.ts, nil)
	bc := b.client("us-east-1")
	respondAtB := func(r map[string]string) error {
		_, err := bc.RespondToAuthChallenge(context.Background(), &cip.RespondToAuthChallengeInput{ClientId: aws.String(p.public),
			ChallengeName: types.ChallengeNameTypePasswordVerifier, ChallengeResponses: r})
		return err
	}

	c, out, err := p.srpStart(p.public, "alice", nil)
	if err != nil {
		t.Fatal(err)
	}
	answer := c.answer(t, out.ChallengeParameters, "Correct-horse-1", srpNow())
	if _, err := p.srpRespond(p.public, answer); err != nil {
		t.Fatal(err)
	}
	// The captured answer, and a fresh signature over the same block.
	wantAPIError(t, respondAtB(answer), "NotAuthorizedException", "Invalid session for the user.")
	wantAPIError(t, respondAtB(c.answer(t, out.ChallengeParameters, "Correct-horse-1", srpNow())), "NotAuthorizedException", "Invalid session for the user.")

	// B does sign in with a block of its own, and that one is then spent at A.
	c2, out2, err := p.srpStart(p.public, "alice", nil)
	if err != nil {
		t.Fatal(err)
	}
	answer2 := c2.answer(t, out2.ChallengeParameters, "Correct-horse-1", srpNow())
	if err := respondAtB(answer2); err != nil {
		t.Fatalf("a fresh block at B: %v", err)
	}
	_, err = p.srpRespond(p.public, answer2)
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
}
