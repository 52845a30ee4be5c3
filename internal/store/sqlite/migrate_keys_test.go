package sqlite

import (
	"path/filepath"
	"testing"
)

// TestMigrationKeepsExistingKeysRoot: a data directory made before access
// keys had policies holds only full-rights keys; after migration 0012
// they are root keys named "root", so the operator is not locked out.
func TestMigrationKeepsExistingKeysRoot(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db.sqlite")
	db := openRaw(t, path)
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if err := applyMigrations(t.Context(), db, ms[:11]); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(t.Context(), `INSERT INTO access_keys (access_key_id, sealed_secret, created_ms) VALUES ('AKIAOLDKEY', x'00', 1)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s := mustOpen(t, path)
	k, err := s.GetAccessKey(t.Context(), "AKIAOLDKEY")
	if err != nil {
		t.Fatal(err)
	}
	if !k.Root || k.Name != "root" || k.Policy != "" {
		t.Errorf("key from before migration 0012: got root=%v name=%q policy=%q, want a root key named root with no policy", k.Root, k.Name, k.Policy)
	}
}
