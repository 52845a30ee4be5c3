package storetest

import (
	"fmt"
	"testing"

	"github.com/cognitod/cognitod/internal/cognito"
)

// BenchmarkReads measures the reads the admin API makes most
// (DescribeUserPoolClient and a ListUserPoolClients page of 60), in
// parallel, so that backends can be compared on one machine.
func BenchmarkReads(b *testing.B, s cognito.Store) {
	ctx := b.Context()
	p := newPool("us-east-1", "bench")
	if err := s.Update(ctx, func(tx cognito.Tx) error { return tx.CreateUserPool(ctx, p) }); err != nil {
		b.Fatal(err)
	}
	var ids []string
	for i := range 100 {
		c := newClient(p.ID, fmt.Sprintf("c%d", i))
		if err := s.Update(ctx, func(tx cognito.Tx) error { return tx.CreateAppClient(ctx, c) }); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, c.ClientID)
	}
	b.Run("GetAppClient", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				if _, err := s.GetAppClient(ctx, ids[i%len(ids)]); err != nil {
					b.Error(err)
					return
				}
				i++
			}
		})
	})
	b.Run("ListAppClients60", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if cs, err := s.ListAppClients(ctx, p.ID, 0, 60); err != nil || len(cs) != 60 {
					b.Errorf("%d clients, %v", len(cs), err)
					return
				}
			}
		})
	})
	// The change watcher's poll: what each instance pays per interval.
	b.Run("Generation", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Generation(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}
