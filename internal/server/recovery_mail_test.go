package server

import (
	"context"
	"crypto/tls"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/mail"
	"github.com/cognitod/cognitod/internal/mail/smtptest"
)

// mailServer starts a real SMTP server (STARTTLS with a test
// certificate, AUTH PLAIN required) and cognitod sending through it, in
// the background as cognitod serve does.
func mailServer(t *testing.T) (*testServer, *smtptest.Server) {
	t.Helper()
	srv := smtptest.Start(t, smtptest.Options{Username: "cognitod", Password: "smtp-secret", RequireAuth: true})
	sender, err := mail.New("smtp://cognitod:smtp-secret@" + srv.Addr)
	if err != nil {
		t.Fatal(err)
	}
	sender.TLS = &tls.Config{RootCAs: srv.RootCAs}
	queue := mail.NewQueue(sender, nil, 2, 16)
	t.Cleanup(func() { queue.Close(context.Background()) })
	return newMessagingServer(t, queue, nil), srv
}

type receivedMail struct {
	subject, body string
	from, replyTo string
	to            string
}

func readMail(t *testing.T, srv *smtptest.Server) receivedMail {
	t.Helper()
	m := srv.Next(t)
	if !m.TLS || m.AuthUser != "cognitod" {
		t.Errorf("the mail came without STARTTLS or AUTH: TLS %v, user %q", m.TLS, m.AuthUser)
	}
	msg := m.Parse(t)
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatal(err)
	}
	return receivedMail{subject: subject, body: strings.TrimRight(string(body), "\r\n"), from: msg.Header.Get("From"),
		replyTo: msg.Header.Get("Reply-To"), to: strings.Join(m.To, ",")}
}

// TestForgotPasswordByMail: ForgotPassword, the mail read from a real SMTP
// server (the pool's template, From and Reply-To), ConfirmForgotPassword
// with the code it carried, and sign-in with the new password.
func TestForgotPasswordByMail(t *testing.T) {
	ts, srv := mailServer(t)
	email := types.EmailConfigurationType{From: aws.String("Photos <no-reply@photos.example>"), ReplyToEmailAddress: aws.String("help@photos.example")}
	p := newRecoveryPool(t, ts, &cip.CreateUserPoolInput{AccountRecoverySetting: recovery("verified_email"), EmailConfiguration: &email,
		VerificationMessageTemplate: &types.VerificationMessageTemplateType{EmailSubject: aws.String("Réinitialisez votre mot de passe"),
			EmailMessage: aws.String("<p>Your Photos code is <b>{####}</b></p>")}})
	p.confirmedUser(t, "sara", "Sara-pass-12", "email", "sara@example.com", "email_verified", "true")
	out, err := p.forgot(p.clientID, "sara")
	if err != nil {
		t.Fatal(err)
	}
	wantDelivery(t, out.CodeDeliveryDetails, "s***@e***", types.DeliveryMediumTypeEmail, "email")
	got := readMail(t, srv)
	m := regexp.MustCompile(`^<p>Your Photos code is <b>(\d{6})</b></p>$`).FindStringSubmatch(got.body)
	if m == nil || got.subject != "Réinitialisez votre mot de passe" || got.to != "sara@example.com" ||
		got.from != `"Photos" <no-reply@photos.example>` || got.replyTo != "<help@photos.example>" {
		t.Fatalf("mail: %+v", got)
	}
	if err := p.confirmForgot(p.clientID, "sara", m[1], "Sara-new-pass-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := p.signIn(p.clientID, "sara", "Sara-new-pass-1", nil); err != nil {
		t.Fatalf("sign-in with the new password: %v", err)
	}
	if strings.Contains(ts.log.String(), m[1]) {
		t.Errorf("the code reached the log although it went by mail:\n%s", ts.log.String())
	}
}

// TestMessageTemplates: Cognito's defaults when the pool sets nothing, the
// legacy verification members, and the invitation template with
// {username}, HTML-escaped.
func TestMessageTemplates(t *testing.T) {
	ts, srv := mailServer(t)
	ctx := context.Background()
	signUp := func(p *recoveryPool, name string) {
		t.Helper()
		if _, err := p.c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(p.clientID), Username: aws.String(name), Password: aws.String("Some-pass-12"),
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(name + "@example.com")}}}); err != nil {
			t.Fatal(err)
		}
	}
	verify := []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}

	defaults := newRecoveryPool(t, ts, &cip.CreateUserPoolInput{AutoVerifiedAttributes: verify})
	signUp(defaults, "tom")
	got := readMail(t, srv)
	if got.subject != "Your verification code" || !regexpMatch(`^Your verification code is \d{6}\. $`, got.body) || got.from != "<no-reply@verificationemail.com>" || got.replyTo != "" {
		t.Errorf("default verification mail: %+v", got)
	}

	legacy := newRecoveryPool(t, ts, &cip.CreateUserPoolInput{AutoVerifiedAttributes: verify,
		EmailVerificationSubject: aws.String("Legacy subject"), EmailVerificationMessage: aws.String("Legacy code: {####}")})
	signUp(legacy, "uma")
	if got := readMail(t, srv); got.subject != "Legacy subject" || !regexpMatch(`^Legacy code: \d{6}$`, got.body) {
		t.Errorf("legacy verification mail: %+v", got)
	}

	invite := newRecoveryPool(t, ts, &cip.CreateUserPoolInput{AdminCreateUserConfig: &types.AdminCreateUserConfigType{
		InviteMessageTemplate: &types.MessageTemplateType{EmailSubject: aws.String("Welcome, {username}"), EmailMessage: aws.String("<p>Hi {username}: {####}</p>")}}})
	if _, err := invite.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(invite.poolID), Username: aws.String("<b>vic"),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("vic@example.com")}}}); err != nil {
		t.Fatal(err)
	}
	got = readMail(t, srv)
	if got.subject != "Welcome, <b>vic" || !regexpMatch(`^<p>Hi &lt;b&gt;vic: \S{12,}</p>$`, got.body) {
		t.Errorf("invitation: %+v", got)
	}
	defaultInvite := newRecoveryPool(t, ts, nil)
	if _, err := defaultInvite.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(defaultInvite.poolID), Username: aws.String("wes"),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("wes@example.com")}}}); err != nil {
		t.Fatal(err)
	}
	if got := readMail(t, srv); got.subject != "Your temporary password" || !regexpMatch(`^Your username is wes and temporary password is \S{12,}\. $`, got.body) {
		t.Errorf("default invitation: %+v", got)
	}
}

// TestMailFailureDoesNotFailTheCall: as in Cognito, the operation
// succeeds when the message cannot go; the failure is logged without the
// code.
func TestMailFailureDoesNotFailTheCall(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	sender, err := mail.New("smtp://" + addr)
	if err != nil {
		t.Fatal(err)
	}
	sender.Timeout = 2 * time.Second
	var logs syncBuffer
	queue := mail.NewQueue(sender, slog.New(slog.NewTextHandler(&logs, nil)), 1, 8)
	ts := newMessagingServer(t, queue, nil)
	p := newRecoveryPool(t, ts, &cip.CreateUserPoolInput{AccountRecoverySetting: recovery("verified_email")})
	p.confirmedUser(t, "xena", "Xena-pass-12", "email", "xena@example.com", "email_verified", "true")
	out, err := p.forgot(p.clientID, "xena")
	if err != nil || out.CodeDeliveryDetails == nil {
		t.Fatalf("ForgotPassword with the mail server down: %+v %v", out, err)
	}
	if err := queue.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	all := ts.log.String() + logs.String()
	if !strings.Contains(logs.String(), `msg="message to a user not sent"`) || !strings.Contains(logs.String(), "username=xena") {
		t.Fatalf("the failure is not logged:\n%s", all)
	}
	if regexpMatch(`code=|\b\d{6}\b`, all) {
		t.Errorf("the log shows a code:\n%s", all)
	}
}
