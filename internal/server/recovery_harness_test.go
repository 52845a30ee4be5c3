package server

import (
	"context"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/cognito"
)

// testClock is a clock a test moves forward. Only the service reads it:
// SigV4 and the token signer keep real time.
type testClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// newMessagingServer is newTestServer with the service's message sender
// (nil: the log, as by default) and clock chosen.
func newMessagingServer(t testing.TB, messages cognito.MessageSender, clock *testClock) *testServer {
	t.Helper()
	return newTestServerWith(t, cognito.Limits{}, func(c *cognito.Config) {
		c.Messages = messages
		if clock != nil {
			c.Now = clock.Now
		}
	}, nil)
}

// recoveryPool is a pool for the recovery tests: a public client with
// USER_PASSWORD_AUTH, one that prevents user-existence errors, and one
// with a secret.
type recoveryPool struct {
	*userPool
	preventID string
}

func newRecoveryPool(t *testing.T, ts *testServer, in *cip.CreateUserPoolInput) *recoveryPool {
	t.Helper()
	ctx := context.Background()
	c := ts.client("us-east-1")
	if in == nil {
		in = &cip.CreateUserPoolInput{}
	}
	in.PoolName = aws.String("recovery")
	pool, err := c.CreateUserPool(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	poolID := *pool.UserPool.Id
	flows := []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}
	client := func(name string, secret bool, prevent types.PreventUserExistenceErrorTypes) *types.UserPoolClientType {
		out, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String(name),
			GenerateSecret: secret, ExplicitAuthFlows: flows, PreventUserExistenceErrors: prevent})
		if err != nil {
			t.Fatal(err)
		}
		return out.UserPoolClient
	}
	pub, sec, prev := client("web", false, ""), client("backend", true, ""), client("private", false, types.PreventUserExistenceErrorTypesEnabled)
	return &recoveryPool{userPool: &userPool{ts: ts, c: c, poolID: poolID, clientID: *pub.ClientId, secretID: *sec.ClientId, secret: *sec.ClientSecret},
		preventID: *prev.ClientId}
}

// confirmedUser creates a confirmed user with a permanent password and
// the given attributes.
func (p *recoveryPool) confirmedUser(t *testing.T, name, password string, attrs ...string) {
	t.Helper()
	ctx := context.Background()
	var list []types.AttributeType
	for i := 0; i+1 < len(attrs); i += 2 {
		list = append(list, types.AttributeType{Name: aws.String(attrs[i]), Value: aws.String(attrs[i+1])})
	}
	if _, err := p.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(p.poolID), Username: aws.String(name),
		MessageAction: types.MessageActionTypeSuppress, UserAttributes: list}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(p.poolID), Username: aws.String(name),
		Password: aws.String(password), Permanent: true}); err != nil {
		t.Fatal(err)
	}
}

func (p *recoveryPool) status(t *testing.T, name string) types.UserStatusType {
	t.Helper()
	u, err := p.c.AdminGetUser(context.Background(), &cip.AdminGetUserInput{UserPoolId: aws.String(p.poolID), Username: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	return u.UserStatus
}

var loggedCode = regexp.MustCompile(`MESSAGE FOR A USER.*?: ([a-z -]+)" .*?username=(\S+) medium=(\S+) to=(\S+) code=(\S+)`)

// lastCode returns the last code of kind the log shows for username, and
// how many such messages it holds.
func lastCode(t *testing.T, ts *testServer, kind cognito.DeliveryKind, username string) (code string, n int) {
	t.Helper()
	for _, m := range loggedCode.FindAllStringSubmatch(ts.log.String(), -1) {
		if m[1] == string(kind) && m[2] == username {
			code, n = m[5], n+1
		}
	}
	if n == 0 {
		t.Fatalf("no %s for %s in the log:\n%s", kind, username, ts.log.String())
	}
	return code, n
}

func regexpMatch(pattern, s string) bool { return regexp.MustCompile(pattern).MatchString(s) }
