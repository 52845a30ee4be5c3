package server

import (
	"bytes"
	"context"
	"encoding/base64"
	"html"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/pquerna/otp"

	"github.com/cognitod/cognitod/internal/cognito"
)

// mfaSite is a hostedSite on a server whose clock is the test's (TOTP
// steps and session expiry are the test's to choose), with MFA set as
// in.
type mfaSite struct {
	*hostedSite
	clock *manualClock
}

func newMFASite(t *testing.T, pool *cip.CreateUserPoolInput, mfa *cip.SetUserPoolMfaConfigInput, callbackURL string) *mfaSite {
	t.Helper()
	clock := newManualClock()
	ts := newTestServerWith(t, cognito.Limits{}, func(c *cognito.Config) { c.Now = clock.Now }, nil)
	s := newHostedSite(t, ts, pool, callbackURL)
	mfa.UserPoolId = aws.String(s.poolID)
	if _, err := s.c.SetUserPoolMfaConfig(context.Background(), mfa); err != nil {
		t.Fatal(err)
	}
	return &mfaSite{hostedSite: s, clock: clock}
}

// hostedTOTPOn is MFA ON with the software token only.
func hostedTOTPOn() *cip.SetUserPoolMfaConfigInput {
	return &cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOn,
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}}
}

var totpSecretText = regexp.MustCompile(`<code id="totpSecret">([A-Z2-7]+)</code>`)
var totpURIHref = regexp.MustCompile(`id="totpURI" href="([^"]+)"`)
var qrDataURI = regexp.MustCompile(`<img id="totpQRCode" class="qr" src="([^"]+)"`)

// setupPage checks a TOTP set-up page (the QR code a real PNG, the
// otpauth URI naming the issuer, user and secret, the CSP) and returns
// the secret.
func setupPage(t *testing.T, resp *http.Response, page, issuer, username string) string {
	t.Helper()
	m := totpSecretText.FindStringSubmatch(page)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("want the TOTP set-up page, got %d %q %.600s", resp.StatusCode, errorText(page), page)
	}
	secret := m[1]
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' data:;") || strings.Contains(csp, "script") || !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("CSP of the set-up page: %s", csp)
	}
	u := totpURIHref.FindStringSubmatch(page)
	if u == nil {
		t.Fatalf("no otpauth URI: %.600s", page)
	}
	key, err := otp.NewKeyFromURL(html.UnescapeString(u[1]))
	if err != nil || key.Type() != "totp" || key.Secret() != secret || key.Issuer() != issuer || key.AccountName() != username {
		t.Fatalf("otpauth URI %s: %v (type %s issuer %q account %q)", u[1], err, key.Type(), key.Issuer(), key.AccountName())
	}
	q := qrDataURI.FindStringSubmatch(page)
	if q == nil {
		t.Fatalf("no QR image: %.600s", page)
	}
	data, ok := strings.CutPrefix(html.UnescapeString(q[1]), "data:image/png;base64,")
	if !ok {
		t.Fatalf("QR src %.60s", q[1])
	}
	raw, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil || img.Bounds().Dx() != 200 || img.Bounds().Dy() != 200 {
		t.Fatalf("QR PNG: %v %v", err, img)
	}
	return secret
}

// signIn opens the sign-in form of the site's public client and posts
// the password: the response (an MFA page, or a redirect).
func (b *browserless) signIn(s *hostedSite, state, username, password string) (*http.Response, string) {
	b.t.Helper()
	form, _ := b.open(s, s.page("/login", s.query(s.clientID, state)))
	return b.submit(form, url.Values{"username": {username}, "password": {password}})
}

// exchange redeems a code at the token endpoint with the public client
// and returns the access token's username.
func (s *hostedSite) exchange(t *testing.T, code string) string {
	t.Helper()
	tok, err := s.oauth(s.clientID, "").Exchange(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	return claims(t, tok.AccessToken)["username"].(string)
}
