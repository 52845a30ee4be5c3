package sigv4

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// TestSignMatchesSDK: Sign produces the same Authorization header as the
// AWS SDK's signer for the same request, and Verify accepts it.
func TestSignMatchesSDK(t *testing.T) {
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	body := []byte(`{"MaxResults":10}`)
	newReq := func() *http.Request {
		r, _ := http.NewRequest(http.MethodPost, "http://localhost:9229/", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/x-amz-json-1.1")
		r.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.ListUserPools")
		return r
	}
	ours := newReq()
	Sign(ours, body, "AKIDEXAMPLE", "secret", "eu-west-1", "cognito-idp", at)

	sdk := newReq()
	sum := sha256.Sum256(body)
	err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"},
		sdk, hex.EncodeToString(sum[:]), "cognito-idp", "eu-west-1", at)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ours.Header.Get("Authorization"), sdk.Header.Get("Authorization"); got != want {
		t.Errorf("Authorization:\n got %s\nwant %s", got, want)
	}
	v := &Verifier{Service: "cognito-idp", Now: func() time.Time { return at }, Lookup: func(string) (string, bool) { return "secret", true }}
	if id, err := v.Verify(ours, body); err != nil || id.Region != "eu-west-1" {
		t.Errorf("Verify = %+v, %v", id, err)
	}
}
