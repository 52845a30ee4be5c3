package server

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// MasterKey returns the 32-byte key that seals secrets at rest: from
// envValue (base64 or hex) when set, otherwise from <dataDir>/master.key,
// generating that file (mode 0600) on first start. created reports that
// the file was just generated.
func MasterKey(envValue, dataDir string) (key []byte, created bool, err error) {
	if envValue != "" {
		key, err := decodeKey(envValue)
		if err != nil {
			return nil, false, fmt.Errorf("COGNITOD_MASTER_KEY: %w", err)
		}
		return key, false, nil
	}
	path := filepath.Join(dataDir, "master.key")
	b, err := os.ReadFile(path)
	if err == nil {
		key, err := decodeKey(strings.TrimSpace(string(b)))
		if err != nil {
			return nil, false, fmt.Errorf("%s: %w", path, err)
		}
		return key, false, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, false, err
	}
	key = make([]byte, 32)
	rand.Read(key)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, false, err
	}
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n"); err != nil {
		f.Close()
		return nil, false, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, false, err
	}
	return key, true, f.Close()
}

func decodeKey(s string) ([]byte, error) {
	if b, err := hex.DecodeString(s); err == nil && len(b) == 32 {
		return b, nil
	}
	if b, err := base64.StdEncoding.DecodeString(s); err == nil && len(b) == 32 {
		return b, nil
	}
	return nil, errors.New("a master key must be 32 bytes, written as base64 or hex")
}

// WriteCredentialsFile writes the root access key to
// <dataDir>/credentials in the AWS shared-credentials format under the
// profile "cognitod", mode 0600, and returns the path.
func WriteCredentialsFile(dataDir, region, accessKeyID, secret string) (string, error) {
	path := filepath.Join(dataDir, "credentials")
	content := fmt.Sprintf("[cognitod]\naws_access_key_id = %s\naws_secret_access_key = %s\nregion = %s\n", accessKeyID, secret, region)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(content), 0o600); err != nil {
		return "", err
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		return "", err
	}
	return path, os.Rename(tmp, path)
}
