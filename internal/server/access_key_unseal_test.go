package server

import (
	"context"
	"database/sql"
	"log/slog"
	"strings"
	"testing"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitod/cognitod/internal/cognito"
)

// TestUnreadableAccessKeySecret: an access key whose sealed secret does
// not open (here another key's, which the sealing's purpose binding
// refuses, as it would a row written under another master key) cannot
// verify a signature, and is not an unknown key either: the caller gets
// InternalErrorException, which SDKs retry, and the log names the cause
// once, without an InternalErrorException wrapped inside it.
func TestUnreadableAccessKeySecret(t *testing.T) {
	logs := &syncBuffer{}
	ts := newTestServerWith(t, cognito.Limits{}, nil, func(c *Config) { c.Logger = slog.New(slog.NewTextHandler(logs, nil)) })
	ctx := context.Background()
	const other = "AKIDCOGNITODOTHER001"
	if err := ts.svc.EnsureAccessKey(ctx, other, "other-secret"); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", ts.dbPath+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.ExecContext(ctx, `UPDATE access_keys SET sealed_secret = (SELECT sealed_secret FROM access_keys WHERE access_key_id = ?) WHERE access_key_id = ?`, other, testKeyID)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("%d rows tampered with", n)
	}

	_, err = ts.client("us-east-1").ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: ptr32(10)})
	wantAPIError(t, err, "InternalErrorException", "")
	var line string
	for _, l := range strings.Split(logs.String(), "\n") {
		if strings.Contains(l, "cognito-idp operation failed") {
			line = l
		}
	}
	if !strings.Contains(line, "cannot open sealed value") || strings.Count(line, "InternalErrorException") != 1 {
		t.Errorf("log line for the failure:\n%s", line)
	}
	// The other key, untouched, still works.
	if _, err := ts.clientWith("us-east-1", other, "other-secret").ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: ptr32(10)}); err != nil {
		t.Errorf("the other key: %v", err)
	}
}
