package server

import (
	"bytes"
	"context"
	"testing"
	"time"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/sqlite"
)

// A user's software token moves with an export and import: on the new
// deployment the next sign-in asks for the same token (not MFA_SETUP,
// which would let whoever knows the password register their own), and
// the code of the next step signs in.
func TestMFAMovesWithExportImport(t *testing.T) {
	ctx := context.Background()
	p := newMFAPool(t, nil, nil)
	p.setMFA(t, &cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOn, SoftwareTokenMfaConfiguration: totpOn})
	p.addUser(t, "hank", "Correct-horse-1")
	secret, _ := p.enrolTOTP(t, "hank", "Correct-horse-1")

	sealer, err := cognito.NewSealer(bytes.Repeat([]byte{7}, 32)) // the harness's master key
	if err != nil {
		t.Fatal(err)
	}
	src, err := sqlite.Open(ctx, p.ts.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	d, err := cognito.ExportDeployment(ctx, src, sealer, []string{"us-east-1"}, time.Now())
	src.Close()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := cognito.EncodeDeployment(&buf, d); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), []byte(`"TOTPEnabled": true`)) || bytes.Contains(buf.Bytes(), []byte(secret)) {
		t.Fatalf("the document lacks the MFA state or shows the secret in the clear")
	}
	d, err = cognito.DecodeDeployment(&buf)
	if err != nil {
		t.Fatal(err)
	}

	q := newMFAPool(t, nil, nil) // its own server and database; its pool is not used
	q.clock.Advance(p.clock.Now().Sub(q.clock.Now()))
	dst, err := sqlite.Open(ctx, q.ts.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	if err := dst.Update(ctx, func(tx cognito.Tx) error { return tx.DeleteUserPool(ctx, q.poolID) }); err != nil {
		t.Fatal(err)
	}
	if _, err := cognito.ImportDeployment(ctx, dst, sealer, d); err != nil {
		t.Fatal(err)
	}
	moved := &mfaPool{srpPool: &srpPool{ts: q.ts, c: q.c, poolID: p.poolID, public: p.public}, clock: q.clock}
	out, err := moved.passwordAuth("hank", "Correct-horse-1")
	if err != nil || out.ChallengeName != types.ChallengeNameTypeSoftwareTokenMfa {
		t.Fatalf("after the move: %+v %v, want SOFTWARE_TOKEN_MFA", out, err)
	}
	moved.clock.Advance(30 * time.Second)
	res, err := moved.respond(types.ChallengeNameTypeSoftwareTokenMfa, out.Session, map[string]string{"USERNAME": "hank",
		"SOFTWARE_TOKEN_MFA_CODE": totpAt(t, secret, moved.clock.Now())})
	if err != nil || res.AuthenticationResult == nil {
		t.Fatalf("%+v %v", res, err)
	}
}
