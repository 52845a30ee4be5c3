package server

import (
	"context"
	"crypto/tls"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/mail"
	"github.com/cognitod/cognitod/internal/mail/smtptest"
)

// Anyone can sign up any number of users with someone else's address,
// and each SignUp mails that address a code: the per-user bounds on codes
// do not stop it. A real SMTP server started by the test receives at most
// mail.DefaultPerRecipientPerHour messages for one address in the hour,
// however many users name it; other addresses still get theirs, and
// sign-up itself still answers (the refusal is the mailer's, logged).
// Without the bound all 30 arrived.
func TestSignUpCannotFloodAnAddress(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{Username: "cognitod", Password: "smtp-secret", RequireAuth: true})
	sender, err := mail.New("smtp://cognitod:smtp-secret@" + srv.Addr)
	if err != nil {
		t.Fatal(err)
	}
	sender.TLS = &tls.Config{RootCAs: srv.RootCAs}
	sender.Timeout = 5 * time.Second
	ts := newMessagingServer(t, sender, nil) // synchronous: every send is done when SignUp answers

	var mu sync.Mutex
	received := map[string]int{}
	// The receiver counts until the sign-ups are over and then until the
	// server has been quiet for two seconds: an idle timer running during
	// the sign-ups would stop counting whenever password hashing on a
	// loaded machine leaves a gap between two messages.
	signedUp, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		wait, quiet := signedUp, (<-chan time.Time)(nil)
		for {
			select {
			case m := <-srv.Messages:
				mu.Lock()
				received[strings.Join(m.To, ",")]++
				mu.Unlock()
				if quiet != nil {
					quiet = time.After(2 * time.Second)
				}
			case <-wait:
				wait, quiet = nil, time.After(2*time.Second)
			case <-quiet:
				return
			}
		}
	}()

	ctx := context.Background()
	c := ts.client("us-east-1")
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("flood"),
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}})
	if err != nil {
		t.Fatal(err)
	}
	client, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: pool.UserPool.Id, ClientName: aws.String("web")})
	if err != nil {
		t.Fatal(err)
	}
	signUp := func(name, email string) {
		t.Helper()
		if _, err := c.SignUp(ctx, &cip.SignUpInput{ClientId: client.UserPoolClient.ClientId, Username: aws.String(name),
			Password: aws.String("Flood-pass-12"), UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(email)}}}); err != nil {
			t.Fatalf("SignUp %s: %v", name, err)
		}
	}
	for i := range 30 {
		signUp(fmt.Sprintf("flood%d", i), "Victim@Example.com") // the bound ignores case, as mailboxes do
	}
	signUp("bystander", "bystander@example.com")
	close(signedUp)
	<-done

	mu.Lock()
	defer mu.Unlock()
	if n := received["victim@example.com"] + received["Victim@Example.com"]; n != mail.DefaultPerRecipientPerHour {
		t.Errorf("the victim's address received %d messages, want %d", n, mail.DefaultPerRecipientPerHour)
	}
	if received["bystander@example.com"] != 1 {
		t.Errorf("another address received %d messages, want 1", received["bystander@example.com"])
	}
	if !strings.Contains(ts.log.String(), "too many messages to this address") {
		t.Errorf("the refused sends are not logged:\n%s", ts.log.String())
	}
}
