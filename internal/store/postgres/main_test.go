package postgres_test

import (
	"os"
	"testing"

	"github.com/cognitod/cognitod/internal/store/postgres/pgtest"
)

// Without the shared test server, the package's tests share one throwaway
// cluster (pgtest.Main removes it at the end).
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
