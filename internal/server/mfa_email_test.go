package server

import (
	"context"
	"crypto/tls"
	"io"
	"mime/quotedprintable"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/mail"
	"github.com/cognitod/cognitod/internal/mail/smtptest"
)

// EMAIL_OTP: the code goes by SMTP to a real SMTP server the test runs,
// with the pool's EmailMfaConfiguration template; the code from that mail
// completes the sign-in, once.
func TestMFAEmailOTPBySMTP(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{Username: "cognitod", Password: "smtp-secret", RequireAuth: true})
	sender, err := mail.New("smtp://cognitod:smtp-secret@" + srv.Addr)
	if err != nil {
		t.Fatal(err)
	}
	sender.TLS = &tls.Config{RootCAs: srv.RootCAs}
	sender.Timeout = 5 * time.Second
	p := newMFAPool(t, sender, &cip.CreateUserPoolInput{EmailConfiguration: &types.EmailConfigurationType{
		EmailSendingAccount: types.EmailSendingAccountTypeDeveloper, From: aws.String("auth@example.com"),
		SourceArn: aws.String("arn:aws:ses:us-east-1:123456789012:identity/example.com")}})
	p.setMFA(t, &cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOptional,
		EmailMfaConfiguration: &types.EmailMfaConfigType{Subject: aws.String("Sign-in code"), Message: aws.String("Your code is {####}.")}})
	p.addUser(t, "fay", "Correct-horse-1") // fay@example.com
	ctx := context.Background()
	out, err := p.passwordAuth("fay", "Correct-horse-1")
	if err != nil || out.AuthenticationResult == nil {
		t.Fatalf("OPTIONAL, email MFA not on: %+v %v", out, err)
	}
	if _, err := p.c.AdminSetUserMFAPreference(ctx, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(p.poolID), Username: aws.String("fay"),
		EmailMfaSettings: &types.EmailMfaSettingsType{Enabled: true, PreferredMfa: true}}); err != nil {
		t.Fatal(err)
	}
	out, err = p.passwordAuth("fay", "Correct-horse-1")
	if err != nil || out.ChallengeName != types.ChallengeNameTypeEmailOtp || out.AuthenticationResult != nil ||
		out.ChallengeParameters["CODE_DELIVERY_DELIVERY_MEDIUM"] != "EMAIL" || out.ChallengeParameters["CODE_DELIVERY_DESTINATION"] != "f***@e***" {
		t.Fatalf("EMAIL_OTP: %+v %v", out, err)
	}
	got := srv.Next(t)
	msg := got.Parse(t)
	body, _ := io.ReadAll(quotedprintable.NewReader(msg.Body))
	m := regexp.MustCompile(`Your code is (\d{6})\.`).FindStringSubmatch(string(body))
	if got.To[0] != "fay@example.com" || msg.Header.Get("Subject") != "Sign-in code" || msg.Header.Get("From") != "<auth@example.com>" || m == nil {
		t.Fatalf("mail to %v subject %q from %q body %q", got.To, msg.Header.Get("Subject"), msg.Header.Get("From"), body)
	}
	_, err = p.respond(types.ChallengeNameTypeEmailOtp, out.Session, map[string]string{"USERNAME": "fay", "SMS_MFA_CODE": m[1]})
	wantAPIError(t, err, "InvalidParameterException", "Missing required parameter EMAIL_OTP_CODE")
	res, err := p.respond(types.ChallengeNameTypeEmailOtp, out.Session, map[string]string{"USERNAME": "fay", "EMAIL_OTP_CODE": m[1]})
	if err != nil || res.AuthenticationResult == nil {
		t.Fatalf("%+v %v", res, err)
	}
	_, err = p.respond(types.ChallengeNameTypeEmailOtp, out.Session, map[string]string{"USERNAME": "fay", "EMAIL_OTP_CODE": m[1]})
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	me, _ := p.c.GetUser(ctx, &cip.GetUserInput{AccessToken: res.AuthenticationResult.AccessToken})
	if len(me.UserMFASettingList) != 1 || me.UserMFASettingList[0] != "EMAIL_OTP" || aws.ToString(me.PreferredMfaSetting) != "EMAIL_OTP" {
		t.Errorf("GetUser: %+v", me)
	}
}
