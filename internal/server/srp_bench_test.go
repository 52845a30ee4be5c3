package server

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/cognito"
)

// BenchmarkSRPSignIn is one SRP sign-in end to end, in process: the SDK
// sends InitiateAuth (USER_SRP_AUTH) and RespondToAuthChallenge
// (PASSWORD_VERIFIER) over loopback HTTP to the real server (SQLite file,
// token signing, refresh token stored). The client's own SRP math (two
// exponentiations with 1024-bit exponents, as amazon-cognito-identity-js
// does it) is left out of the timing: it runs on the user's device.
func BenchmarkSRPSignIn(b *testing.B) {
	p := newSRPPool(b, nil)
	p.addUser(b, "alice", "Correct-horse-1")
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		c := newSRPClient(p.poolID)
		b.StartTimer()
		out, err := p.c.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserSrpAuth, ClientId: aws.String(p.public),
			AuthParameters: map[string]string{"USERNAME": "alice", "SRP_A": c.srpA()}})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		r := c.answer(b, out.ChallengeParameters, "Correct-horse-1", srpNow())
		b.StartTimer()
		if _, err := p.srpRespond(p.public, r); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "signins/s")
}

// BenchmarkSRPSignInParallel is BenchmarkSRPSignIn from GOMAXPROCS
// callers at once, straight on the Service (no HTTP), the client math
// included in the timing: a floor for what the machine can serve.
func BenchmarkSRPSignInParallel(b *testing.B) {
	p := newSRPPool(b, nil)
	p.addUser(b, "alice", "Correct-horse-1")
	ctx := context.Background()
	svc := p.ts.svc
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			c := newSRPClient(p.poolID)
			out, err := svc.InitiateAuth(ctx, &cognito.InitiateAuthInput{AuthFlow: "USER_SRP_AUTH", ClientId: p.public,
				AuthParameters: map[string]string{"USERNAME": "alice", "SRP_A": c.srpA()}})
			if err != nil {
				b.Error(err)
				return
			}
			r := c.answer(b, out.ChallengeParameters, "Correct-horse-1", srpNow())
			if _, err := svc.RespondToAuthChallenge(ctx, &cognito.RespondToAuthChallengeInput{ClientId: p.public, ChallengeName: "PASSWORD_VERIFIER",
				ChallengeResponses: r}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "signins/s")
}
