package sqlite_test

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/sqlite"
)

// helperEnv names the database file TestHelperWriter writes to; it is set
// only in the child process TestKill9Durability starts.
const helperEnv = "COGNITOD_SQLITE_HELPER_DB"

// helperRows is more than the child can write before it is killed.
const helperRows = 100000

func helperIDs(i int) (poolID, keyID string) {
	return fmt.Sprintf("us-east-1_k%08d", i), fmt.Sprintf("AKIAKILL%012d", i)
}

// TestHelperWriter is the child of TestKill9Durability, not a test of its
// own: it writes rows through Update, one transaction each, and prints
// "acked <n>" once Update has returned for row n.
func TestHelperWriter(t *testing.T) {
	path := os.Getenv(helperEnv)
	if path == "" {
		t.Skip("helper process for TestKill9Durability")
	}
	ctx := context.Background()
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	now := time.Now()
	for i := range helperRows {
		poolID, keyID := helperIDs(i)
		err := s.Update(ctx, func(tx cognito.Tx) error {
			p := &cognito.UserPool{ID: poolID, Name: "p", CreationDate: now, LastModifiedDate: now}
			if err := tx.CreateUserPool(ctx, p); err != nil {
				return err
			}
			return tx.CreateAccessKey(ctx, &cognito.AccessKey{AccessKeyID: keyID, SealedSecret: []byte(keyID), CreationDate: now})
		})
		if err != nil {
			fmt.Println("error", err)
			os.Exit(2)
		}
		// os.Stdout is unbuffered: the line is in the pipe when Println
		// returns.
		fmt.Println("acked", i)
	}
	os.Exit(0)
}

// TestKill9Durability kills a writer with SIGKILL in the middle of its
// work and checks that every write it acknowledged is in the file, and
// that each transaction is all there or not at all.
func TestKill9Durability(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	path := filepath.Join(t.TempDir(), "db.sqlite")
	const killAfter = 200

	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWriter$")
	cmd.Env = append(os.Environ(), helperEnv+"="+path)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	timer := time.AfterFunc(60*time.Second, func() { cmd.Process.Kill() })
	defer timer.Stop()

	acked, killed := -1, false
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		line := sc.Text()
		n, ok := strings.CutPrefix(line, "acked ")
		if !ok {
			t.Logf("child: %s", line)
			continue
		}
		i, err := strconv.Atoi(n)
		if err != nil || i != acked+1 {
			t.Fatalf("child printed %q after acked %d", line, acked)
		}
		acked = i
		if acked >= killAfter && !killed {
			// SIGKILL: no deferred code, no Close, no checkpoint.
			if err := cmd.Process.Kill(); err != nil {
				t.Fatalf("kill: %v", err)
			}
			killed = true
		}
		// Keep reading: lines already in the pipe are acks too.
	}
	err = cmd.Wait()
	if !killed {
		t.Fatalf("child ended before it was killed (acked %d): %v", acked, err)
	}
	if err == nil {
		t.Fatalf("child exited cleanly, want it killed")
	}
	t.Logf("child killed after acking %d rows", acked+1)

	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	var check string
	if err := db.QueryRowContext(t.Context(), "PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity_check after kill -9: got %q, %v, want \"ok\"", check, err)
	}
	db.Close()

	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("Open after kill -9: %v", err)
	}
	defer s.Close()
	ctx := t.Context()
	for i := 0; i <= acked; i++ {
		poolID, keyID := helperIDs(i)
		if _, err := s.GetUserPool(ctx, poolID); err != nil {
			t.Fatalf("acked row %d: GetUserPool: %v", i, err)
		}
		if _, err := s.GetAccessKey(ctx, keyID); err != nil {
			t.Fatalf("acked row %d: GetAccessKey: %v", i, err)
		}
	}
	// At most the one transaction in flight may have landed unacked, and
	// wholly or not at all.
	pools, err := s.CountUserPools(ctx, "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	keys, err := s.CountAccessKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if pools != keys || pools < acked+1 || pools > acked+2 {
		t.Errorf("after kill -9: got %d pools and %d access keys, want equal counts of %d or %d", pools, keys, acked+1, acked+2)
	}
}
