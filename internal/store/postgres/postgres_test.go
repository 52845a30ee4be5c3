package postgres_test

import (
	"testing"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/postgres"
	"github.com/cognitod/cognitod/internal/store/postgres/pgtest"
	"github.com/cognitod/cognitod/internal/store/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) func() cognito.Store {
		_, dsn := pgtest.Schema(t)
		return func() cognito.Store {
			s, err := postgres.Open(t.Context(), dsn)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			return s
		}
	})
}

func BenchmarkReads(b *testing.B) {
	_, dsn := pgtest.Schema(b)
	s, err := postgres.Open(b.Context(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchmarkReads(b, s)
}
