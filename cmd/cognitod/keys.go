package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/server"
)

// `cognitod keys ...` manages access keys: the credentials the cognito-idp
// API and the console accept, each limited by an IAM-style policy unless it
// is a root key. It works on the data directory directly, so it also works
// while the server runs (SQLite in WAL mode); a change takes effect on the
// key's next request.

const keysUsage = `usage:
  cognitod keys create --name NAME [--policy FILE] [--profile PROFILE [--credentials FILE]]
  cognitod keys list
  cognitod keys delete ID
  cognitod keys rotate ID
  cognitod keys set-policy ID --policy FILE       (--policy none removes the policy: the key is then denied everything)
  cognitod signing-keys rotate --pool POOL_ID      (also: cognitod keys rotate --pool POOL_ID)
each also takes --data-dir DIR and --db FILE`

// maxPolicyFile bounds a policy file before it is read whole; IAM's own
// limit (6,144 characters without white space) is checked by the parser.
const maxPolicyFile = 64 << 10

func keysCmd(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(keysUsage)
	}
	// The signing-key rotation kept its old spelling.
	if args[0] == "rotate" && slices.ContainsFunc(args[1:], func(a string) bool {
		return a == "--pool" || a == "-pool" || strings.HasPrefix(a, "--pool=") || strings.HasPrefix(a, "-pool=")
	}) {
		return signingKeysCmd(args, stdout, stderr)
	}
	sub := args[0]
	fs := flag.NewFlagSet("keys "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir := fs.String("data-dir", envOr("DATA_DIR", "./cognitod-data"), "data directory (COGNITOD_DATA_DIR)")
	db := fs.String("db", envOr("DB", ""), dbFlagHelp)
	var name, policyFile, profile, credsFile *string
	switch sub {
	case "create":
		name = fs.String("name", "", "the key's name (the user name in AccessDenied messages)")
		policyFile = fs.String("policy", "", "file holding the key's IAM-style policy (JSON); without it the key is denied everything")
		profile = fs.String("profile", "", "write the key to this profile of a shared-credentials file instead of printing the secret")
		credsFile = fs.String("credentials", "", "the shared-credentials file for --profile (default <data-dir>/credentials)")
	case "set-policy":
		policyFile = fs.String("policy", "", "file holding the new policy, or none")
	case "list", "delete", "rotate":
	default:
		return errors.New(keysUsage)
	}
	// Flags may come before or after the key ID.
	var pos []string
	rest := args[1:]
	for {
		if err := fs.Parse(rest); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	wantArgs := map[string]int{"create": 0, "list": 0, "delete": 1, "rotate": 1, "set-policy": 1}[sub]
	if len(pos) != wantArgs {
		return errors.New(keysUsage)
	}
	svc, closeFn, err := openService(*dataDir, *db)
	if err != nil {
		return fmt.Errorf("keys %s: %w", sub, err)
	}
	defer closeFn()
	ctx := context.Background()
	switch sub {
	case "create":
		return keysCreate(ctx, svc, *name, *policyFile, *profile, *credsFile, *dataDir, stdout, stderr)
	case "list":
		return keysList(ctx, svc, stdout)
	case "delete":
		if err := svc.DeleteAccessKey(ctx, pos[0]); err != nil {
			return fmt.Errorf("keys delete: %w", err)
		}
		fmt.Fprintf(stdout, "Deleted access key %s; it is refused from its next request.\n", pos[0])
		return nil
	case "rotate":
		id, secret, err := svc.RotateAccessKey(ctx, pos[0])
		if err != nil {
			return fmt.Errorf("keys rotate: %w", err)
		}
		fmt.Fprintf(stdout, "New access key for the holder of %s, with the same name and policy (shown once):\n", pos[0])
		fmt.Fprintf(stdout, "aws_access_key_id = %s\naws_secret_access_key = %s\n", id, secret)
		fmt.Fprintf(stdout, "The old key %s keeps working until you run: cognitod keys delete %s\n", pos[0], pos[0])
		return nil
	default: // set-policy
		if *policyFile == "" {
			return errors.New("keys set-policy: --policy FILE is required (--policy none removes the policy)")
		}
		policy := ""
		if *policyFile != "none" {
			if policy, err = readPolicy(*policyFile); err != nil {
				return fmt.Errorf("keys set-policy: %w", err)
			}
		}
		if err := svc.SetAccessKeyPolicy(ctx, pos[0], policy); err != nil {
			return fmt.Errorf("keys set-policy: %w", err)
		}
		if policy == "" {
			fmt.Fprintf(stderr, "WARNING: access key %s now has no policy: every call it signs is denied.\n", pos[0])
		}
		fmt.Fprintf(stdout, "Set the policy of access key %s; it applies from the key's next request.\n", pos[0])
		return nil
	}
}

func readPolicy(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxPolicyFile+1))
	if err != nil {
		return "", err
	}
	if len(b) > maxPolicyFile {
		return "", fmt.Errorf("%s is larger than %d bytes", path, maxPolicyFile)
	}
	return string(b), nil
}

func keysCreate(ctx context.Context, svc *cognito.Service, name, policyFile, profile, credsFile, dataDir string, stdout, stderr io.Writer) error {
	if name == "" {
		return errors.New("keys create: --name is required")
	}
	policy := ""
	if policyFile != "" {
		var err error
		if policy, err = readPolicy(policyFile); err != nil {
			return fmt.Errorf("keys create: %w", err)
		}
	}
	if profile != "" {
		if strings.ContainsAny(profile, "[]\r\n") || strings.TrimSpace(profile) != profile {
			return errors.New("keys create: --profile must be a plain profile name")
		}
		if credsFile == "" {
			credsFile = filepath.Join(dataDir, "credentials")
		}
		if b, err := os.ReadFile(credsFile); err == nil && strings.Contains("\n"+string(b), "\n["+profile+"]") {
			return fmt.Errorf("keys create: %s already has a profile %s", credsFile, profile)
		}
	}
	id, secret, err := svc.CreateAccessKey(ctx, name, policy)
	if err != nil {
		return fmt.Errorf("keys create: %w", err)
	}
	if policy == "" {
		fmt.Fprintf(stderr, "WARNING: access key %s has no policy, so every call it signs is denied (as for an IAM user without policies).\n"+
			"Give it one with: cognitod keys set-policy %s --policy FILE\n", id, id)
	}
	if profile != "" {
		if err := appendProfile(credsFile, profile, id, secret); err != nil {
			return fmt.Errorf("keys create: the key %s was made but could not be written to %s: %w (delete it with cognitod keys delete %s)", id, credsFile, err, id)
		}
		fmt.Fprintf(stdout, "Created access key %s (%s); its secret is in %s, profile %s.\n", id, name, credsFile, profile)
		return nil
	}
	fmt.Fprintf(stdout, "Created access key %s (%s). The secret is shown this once:\n", id, name)
	fmt.Fprintf(stdout, "aws_access_key_id = %s\naws_secret_access_key = %s\n", id, secret)
	return nil
}

// appendProfile adds a profile to a shared-credentials file (made if
// missing), mode 0600, by writing a new file and renaming it into place.
func appendProfile(path, profile, id, secret string) error {
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	content := string(old)
	if content != "" && !strings.HasSuffix(content, "\n") {
		content += "\n"
	}
	content += fmt.Sprintf("[%s]\naws_access_key_id = %s\naws_secret_access_key = %s\nregion = us-east-1\n", profile, id, secret)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(content), 0o600); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func keysList(ctx context.Context, svc *cognito.Service, stdout io.Writer) error {
	keys, err := svc.ListAccessKeys(ctx)
	if err != nil {
		return fmt.Errorf("keys list: %w", err)
	}
	fmt.Fprintf(stdout, "%-20s  %-24s  %-4s  %-20s  %s\n", "ACCESS KEY ID", "NAME", "ROOT", "CREATED", "POLICY")
	for _, k := range keys {
		root := "no"
		if k.Root {
			root = "yes"
		}
		fmt.Fprintf(stdout, "%-20s  %-24s  %-4s  %-20s  %s\n", k.AccessKeyID, k.Name, root, k.CreationDate.UTC().Format("2006-01-02 15:04 UTC"), cognito.PolicySummary(k))
	}
	return nil
}

// openService opens the data directory's store under its master key.
func openService(dataDir, db string) (*cognito.Service, func(), error) {
	if db == "" {
		db = filepath.Join(dataDir, "cognitod.db")
	}
	masterKey, _, err := server.MasterKey(os.Getenv("COGNITOD_MASTER_KEY"), dataDir)
	if err != nil {
		return nil, nil, err
	}
	sealer, err := cognito.NewSealer(masterKey)
	if err != nil {
		return nil, nil, err
	}
	store, err := openExistingStore(context.Background(), db)
	if err != nil {
		return nil, nil, err
	}
	svc, err := cognito.NewService(cognito.Config{Store: store, Sealer: sealer})
	if err != nil {
		store.Close()
		return nil, nil, err
	}
	return svc, func() { store.Close() }, nil
}
