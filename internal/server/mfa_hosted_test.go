package server

import (
	"context"
	"html"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// The hosted sign-in pages do not ask for a second factor yet: once MFA is
// required, a right password there is refused with a clear message and
// no code, never completed without the factor. Turning MFA off again
// lets the same sign-in through (the refusal is MFA's, nothing else).
func TestHostedLoginRefusesWhenMFAIsRequired(t *testing.T) {
	p := newWebPool(t, nil, "")
	cfg := p.oauthConfig(p.clientID, "")
	if _, err := p.c.SetUserPoolMfaConfig(context.Background(), &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(p.poolID),
		MfaConfiguration: types.UserPoolMfaTypeOn, SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}}); err != nil {
		t.Fatal(err)
	}
	final, page := newBrowserless(t).signInOverHTTP(cfg.AuthCodeURL("s"), "alice", "Alice-pass-1")
	if final != nil {
		t.Fatalf("MFA ON: the hosted page redirected to %s", final)
	}
	if !strings.Contains(html.UnescapeString(page), "This sign-in needs multi-factor authentication, which the hosted sign-in pages do not offer yet; sign in through the API.") {
		t.Fatalf("MFA ON: page does not say why: %.500s", page)
	}
	if _, err := p.c.SetUserPoolMfaConfig(context.Background(), &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(p.poolID),
		MfaConfiguration: types.UserPoolMfaTypeOff}); err != nil {
		t.Fatal(err)
	}
	if final, page := newBrowserless(t).signInOverHTTP(cfg.AuthCodeURL("s"), "alice", "Alice-pass-1"); final == nil || final.Query().Get("code") == "" {
		t.Fatalf("MFA OFF: no code: %.300s", page)
	}
}
