package postgres

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/postgres/pgtest"
)

// A burst of concurrent creates in one table, through four stores, all
// succeed, within the
// bounded retries, with distinct seqs: a run that lost the race for a seq
// locks the counters before its next run (Store.attempt).
func TestCreateBurstSucceeds(t *testing.T) {
	_, dsn := pgtest.Schema(t)
	// Four stores stand for four instances, each with its own pool.
	var stores [4]*Store
	for i := range stores {
		s, err := Open(t.Context(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		stores[i] = s
	}
	s := stores[0]
	const n = 200
	var wg sync.WaitGroup
	errs := make([]error, n)
	seqs := make([]int64, n)
	now := time.Now()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := &cognito.UserPool{ID: fmt.Sprintf("us-east-1_burst%04d", i), Name: "p", CreationDate: now, LastModifiedDate: now}
			errs[i] = stores[i%len(stores)].Update(t.Context(), func(tx cognito.Tx) error {
				// Read before writing, as the domain's quota checks do.
				if _, err := tx.CountUserPools(t.Context(), "us-east-1"); err != nil {
					return err
				}
				return tx.CreateUserPool(t.Context(), p)
			})
			seqs[i] = p.Seq
		}()
	}
	wg.Wait()
	seen := map[int64]bool{}
	for i, err := range errs {
		if err != nil {
			t.Errorf("create %d: %v", i, err)
		}
		if seen[seqs[i]] {
			t.Errorf("seq %d given twice", seqs[i])
		}
		seen[seqs[i]] = true
	}
	if got, _ := s.CountUserPools(t.Context(), "us-east-1"); got != n {
		t.Errorf("%d pools, want %d", got, n)
	}
}

// The same authorization code redeemed by concurrent transactions, each
// reading it first as the domain does, is redeemed exactly once: the
// losers are run again and find it used.
func TestAuthCodeRedeemedOnce(t *testing.T) {
	_, dsn := pgtest.Schema(t)
	var stores [4]*Store
	for i := range stores {
		s, err := Open(t.Context(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		stores[i] = s
	}
	ctx := t.Context()
	now := time.Now()
	p := &cognito.UserPool{ID: "us-east-1_codes0001", Name: "p", CreationDate: now, LastModifiedDate: now}
	code := &cognito.AuthCode{Hash: "h1", UserPoolID: p.ID, ClientID: "c", Sub: "s", CreationDate: now, AuthTime: now, Expires: now.Add(time.Minute)}
	if err := stores[0].Update(ctx, func(tx cognito.Tx) error {
		if err := tx.CreateUserPool(ctx, p); err != nil {
			return err
		}
		return tx.CreateAuthCode(ctx, code)
	}); err != nil {
		t.Fatal(err)
	}
	errUsed := fmt.Errorf("already used")
	const n = 16
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = stores[i%len(stores)].Update(ctx, func(tx cognito.Tx) error {
				c, err := tx.GetAuthCode(ctx, "h1")
				if err != nil {
					return err
				}
				if !c.UsedAt.IsZero() {
					return errUsed
				}
				return tx.RedeemAuthCode(ctx, "h1", now, fmt.Sprintf("jti-%d", i))
			})
		}()
	}
	wg.Wait()
	ok := 0
	for i, err := range errs {
		switch err {
		case nil:
			ok++
		case errUsed:
		default:
			t.Errorf("redeem %d: %v", i, err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d redemptions succeeded, want exactly 1", ok)
	}
}
