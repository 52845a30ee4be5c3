package main

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/sqlite"
)

// BenchmarkExportImport measures a round trip of a pool of 10,000 users
// (each in one group) through the document, on SQLite files: export and
// encode, then decode and import into a fresh database.
func BenchmarkExportImport(b *testing.B) {
	ctx := context.Background()
	sealer, _ := cognito.NewSealer(bytes.Repeat([]byte{7}, 32))
	src, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "src.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	const users = 10000
	now := time.Now().UTC().Truncate(time.Millisecond)
	poolID := "us-east-1_Bench1"
	err = src.Update(ctx, func(tx cognito.Tx) error {
		if err := tx.CreateUserPool(ctx, &cognito.UserPool{ID: poolID, Name: "bench", CreationDate: now, LastModifiedDate: now}); err != nil {
			return err
		}
		if err := tx.CreateGroup(ctx, &cognito.Group{UserPoolID: poolID, Name: "all", NameKey: "all", CreationDate: now, LastModifiedDate: now}); err != nil {
			return err
		}
		for i := range users {
			name := fmt.Sprintf("user%05d", i)
			sub := cognito.NewUUID()
			if err := tx.CreateUser(ctx, &cognito.User{UserPoolID: poolID, Username: name, UsernameKey: name, Sub: sub, Status: cognito.StatusConfirmed,
				Enabled: true, PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
				Attributes:   []cognito.Attribute{{Name: "email", Value: name + "@example.com"}, {Name: "sub", Value: sub}},
				CreationDate: now, LastModifiedDate: now}); err != nil {
				return err
			}
			if err := tx.AddGroupMember(ctx, poolID, "all", sub); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	var size int
	var exporting time.Duration
	for b.Loop() {
		t0 := time.Now()
		var buf bytes.Buffer
		err := src.Update(ctx, func(tx cognito.Tx) error {
			d, err := cognito.ExportDeployment(ctx, tx, sealer, cognito.ExportRegions, now)
			if err != nil {
				return err
			}
			return cognito.EncodeDeployment(&buf, d)
		})
		if err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
		exporting += time.Since(t0)
		d, err := cognito.DecodeDeployment(&buf)
		if err != nil {
			b.Fatal(err)
		}
		dst, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "dst.db"))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := cognito.ImportDeployment(ctx, dst, sealer, d); err != nil {
			b.Fatal(err)
		}
		dst.Close()
	}
	b.ReportMetric(float64(size), "doc-bytes")
	b.ReportMetric(exporting.Seconds()/float64(b.N), "export-s/op")
}
