package server

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitod/cognitod/internal/cognito"
)

// poolSigner opens the pool's active signing key from the store through
// the server's own sealer, as only someone holding the master key could,
// and returns a function that signs any header and payload with it.
func poolSigner(t *testing.T, ts *testServer, poolID string) (kid string, sign func(header, payload string) string) {
	t.Helper()
	keys, err := ts.svc.Store().ListSigningKeys(context.Background(), poolID)
	if err != nil {
		t.Fatal(err)
	}
	var key *rsa.PrivateKey
	for _, sk := range keys {
		if sk.Status != cognito.KeyActive {
			continue
		}
		der, err := ts.svc.Sealer().Open("signing-key:"+poolID+":"+sk.KID, sk.SealedPrivateKey)
		if err != nil {
			t.Fatal(err)
		}
		k, err := x509.ParsePKCS8PrivateKey(der)
		if err != nil {
			t.Fatal(err)
		}
		key, kid = k.(*rsa.PrivateKey), sk.KID
	}
	if key == nil {
		t.Fatal("pool has no active signing key")
	}
	enc := base64.RawURLEncoding
	return kid, func(header, payload string) string {
		input := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(payload))
		sum := sha256.Sum256([]byte(input))
		sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, sum[:])
		if err != nil {
			t.Fatal(err)
		}
		return input + "." + enc.EncodeToString(sig)
	}
}

// TestDuplicateMemberNamesRefused: an access token signed with the pool's
// real key, but whose header or claims name a member twice, is refused by
// GetUser, userInfo and GlobalSignOut. encoding/json took the last copy
// and let these through; a verifier that takes the first copy reads
// another user.
func TestDuplicateMemberNamesRefused(t *testing.T) {
	p := newUserPool(t, "")
	auth := signedInUser(t, p)
	parts := strings.Split(*auth.AccessToken, ".")
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	// userInfo needs openid; the re-signed control token carries it.
	payload := strings.Replace(string(raw), `"scope":"aws.cognito.signin.user.admin"`, `"scope":"openid aws.cognito.signin.user.admin"`, 1)
	if payload == string(raw) {
		t.Fatalf("unexpected scope in %s", raw)
	}
	kid, sign := poolSigner(t, p.ts, p.poolID)
	header := `{"kid":"` + kid + `","alg":"RS256"}`
	rest := strings.TrimPrefix(payload, "{")

	getUser := func(tok string) error {
		_, err := p.c.GetUser(context.Background(), &cip.GetUserInput{AccessToken: aws.String(tok)})
		return err
	}
	userInfo := func(tok string) int {
		req, _ := http.NewRequest(http.MethodGet, p.ts.URL+"/"+p.poolID+"/oauth2/userInfo", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}

	// The control: the same payload re-signed is accepted, so a refusal
	// below is the duplicate's doing.
	control := sign(header, payload)
	if err := getUser(control); err != nil {
		t.Fatalf("GetUser with the re-signed token: %v", err)
	}
	if st := userInfo(control); st != http.StatusOK {
		t.Fatalf("userInfo with the re-signed token: %d", st)
	}
	for name, tok := range map[string]string{
		"claims/sub":          sign(header, `{"sub":"00000000-0000-4000-8000-000000000000",`+rest),
		"claims/escaped-name": sign(header, `{"user\u006eame":"mallory",`+rest),
		"claims/nested":       sign(header, `{"x":{"a":1,"a":2},`+rest),
		"header/kid":          sign(`{"kid":"other","alg":"RS256","kid":"`+kid+`"}`, payload),
		"header/alg":          sign(`{"alg":"none","kid":"`+kid+`","alg":"RS256"}`, payload),
	} {
		t.Run(name, func(t *testing.T) {
			if st := userInfo(tok); st != http.StatusUnauthorized {
				t.Errorf("userInfo answered %d, want 401", st)
			}
			wantAPIError(t, getUser(tok), "NotAuthorizedException", "Invalid Access Token")
			// GlobalSignOut, the one call that revokes by access token,
			// refuses it too (the checks below show nothing was revoked).
			_, err := p.c.GlobalSignOut(context.Background(), &cip.GlobalSignOutInput{AccessToken: aws.String(tok)})
			wantAPIError(t, err, "NotAuthorizedException", "Invalid Access Token")
			// RevokeToken takes refresh tokens, which are opaque: a JWT
			// is an unknown token there (RFC 7009: no error) and revokes
			// nothing.
			if _, err := p.c.RevokeToken(context.Background(), &cip.RevokeTokenInput{ClientId: aws.String(p.clientID), Token: aws.String(tok)}); err != nil {
				t.Errorf("RevokeToken with a JWT: %v", err)
			}
		})
	}
	// Nothing above signed alice out: her own tokens still work.
	if err := getUser(*auth.AccessToken); err != nil {
		t.Errorf("GetUser with alice's own token after the refusals: %v", err)
	}
	if _, err := p.c.InitiateAuth(context.Background(), &cip.InitiateAuthInput{AuthFlow: "REFRESH_TOKEN_AUTH", ClientId: aws.String(p.clientID),
		AuthParameters: map[string]string{"REFRESH_TOKEN": *auth.RefreshToken}}); err != nil {
		t.Errorf("refresh with alice's own refresh token after the refusals: %v", err)
	}
}
