package server

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/cognitod/cognitod/internal/cognito"
)

// manualClock is the service's clock in the MFA tests: it moves only when
// the test says, so TOTP steps and lockouts are the test's to choose (the
// codes come from pquerna/otp at the same instant). SigV4 and the token
// signer keep real time.
type manualClock struct {
	mu sync.Mutex
	t  time.Time
}

// newManualClock starts a second into a 30-second TOTP step.
func newManualClock() *manualClock {
	now := time.Now().Truncate(30 * time.Second).Add(time.Second)
	return &manualClock{t: now}
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// totpAt is the code of SecretCode at t, computed by pquerna/otp (an
// implementation cognitod does not share).
func totpAt(t testing.TB, secret string, at time.Time) string {
	t.Helper()
	code, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// mfaPool is an srpPool on a server with a manual clock and the message
// sender chosen (nil: the log).
type mfaPool struct {
	*srpPool
	clock *manualClock
}

func newMFAPool(t testing.TB, messages cognito.MessageSender, pool *cip.CreateUserPoolInput) *mfaPool {
	t.Helper()
	clock := newManualClock()
	ts := newTestServerWith(t, cognito.Limits{}, func(c *cognito.Config) {
		c.Now = clock.Now
		c.Messages = messages
	}, nil)
	return &mfaPool{srpPool: newSRPPoolOn(t, ts, pool), clock: clock}
}

func (p *mfaPool) setMFA(t testing.TB, in *cip.SetUserPoolMfaConfigInput) {
	t.Helper()
	in.UserPoolId = aws.String(p.poolID)
	if _, err := p.c.SetUserPoolMfaConfig(context.Background(), in); err != nil {
		t.Fatal(err)
	}
}

// passwordAuth is InitiateAuth USER_PASSWORD_AUTH with the public client.
func (p *mfaPool) passwordAuth(name, password string) (*cip.InitiateAuthOutput, error) {
	return p.c.InitiateAuth(context.Background(), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		ClientId: aws.String(p.public), AuthParameters: map[string]string{"USERNAME": name, "PASSWORD": password}})
}

// respond answers challenge with the public client.
func (p *mfaPool) respond(challenge types.ChallengeNameType, session *string, r map[string]string) (*cip.RespondToAuthChallengeOutput, error) {
	return p.c.RespondToAuthChallenge(context.Background(), &cip.RespondToAuthChallengeInput{ClientId: aws.String(p.public),
		ChallengeName: challenge, Session: session, ChallengeResponses: r})
}

// enrolTOTP signs name in on an ON pool through MFA_SETUP and returns the
// SecretCode and the tokens.
func (p *mfaPool) enrolTOTP(t testing.TB, name, password string) (string, *types.AuthenticationResultType) {
	t.Helper()
	ctx := context.Background()
	out, err := p.passwordAuth(name, password)
	if err != nil || out.ChallengeName != types.ChallengeNameTypeMfaSetup {
		t.Fatalf("sign-in of %s: %+v %v, want MFA_SETUP", name, out, err)
	}
	as, err := p.c.AssociateSoftwareToken(ctx, &cip.AssociateSoftwareTokenInput{Session: out.Session})
	if err != nil {
		t.Fatal(err)
	}
	v, err := p.c.VerifySoftwareToken(ctx, &cip.VerifySoftwareTokenInput{Session: as.Session, UserCode: aws.String(totpAt(t, *as.SecretCode, p.clock.Now())),
		FriendlyDeviceName: aws.String("phone")})
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.respond(types.ChallengeNameTypeMfaSetup, v.Session, map[string]string{"USERNAME": name})
	if err != nil || res.AuthenticationResult == nil {
		t.Fatalf("MFA_SETUP answer: %+v %v", res, err)
	}
	return *as.SecretCode, res.AuthenticationResult
}
