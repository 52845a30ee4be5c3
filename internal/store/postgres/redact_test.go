package postgres

import (
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	for _, dsn := range []string{
		"postgres://u:s3cret@db:5432/x",
		"postgresql://u:s3cret@db/x?sslmode=require",
		"postgres://u@db/x?password=s3cret",
		"host=db user=u password=s3cret dbname=x",
		"host=db password = 's3cret with space' dbname=x",
	} {
		got := Redact(dsn)
		if strings.Contains(got, "s3cret") || !strings.Contains(got, "xxxxx") {
			t.Errorf("Redact(...) = %q", got)
		}
	}
	if got := Redact("postgres://u@db/x"); got != "postgres://u@db/x" {
		t.Errorf("Redact without a password = %q", got)
	}
}

func FuzzRedact(f *testing.F) {
	f.Add("postgres://u:pw@h/db")
	f.Add("password=pw host=h")
	f.Fuzz(func(t *testing.T, dsn string) {
		_ = Redact(dsn) // never panics
	})
}
