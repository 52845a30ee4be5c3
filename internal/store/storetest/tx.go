package storetest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/cognitod/cognitod/internal/cognito"
)

func txCases() []testCase {
	return []testCase{
		{"tx/read-own-writes", func(t *testing.T, e *env) {
			old := samplePool(t, e)
			oldClient := createClient(t, e, newClient(old.ID, "old"))
			p := newPool(region, "in-tx")
			c := newClient(p.ID, "in-tx")
			rs := newRS(p.ID, ident(1))
			d := newDomain(p.ID, "in-tx")
			k := newKey()
			update(t, e, func(tx cognito.Tx) error {
				if err := tx.CreateUserPool(e.ctx, p); err != nil {
					return err
				}
				got, err := tx.GetUserPool(e.ctx, p.ID)
				if err != nil {
					return fmt.Errorf("GetUserPool of the pool just created: %w", err)
				}
				wantEqual(t, "GetUserPool in tx", got, storedPool(p))
				if n, err := tx.CountUserPools(e.ctx, region); err != nil || n != 2 {
					t.Errorf("CountUserPools in tx: got %d, %v, want 2, nil", n, err)
				}
				if l, err := tx.ListUserPools(e.ctx, region, old.Seq, 10); err != nil || len(l) != 1 || l[0].ID != p.ID {
					t.Errorf("ListUserPools in tx: got %s, %v, want the new pool", show(l), err)
				}

				if err := tx.CreateAppClient(e.ctx, c); err != nil {
					return err
				}
				if _, err := tx.GetAppClient(e.ctx, c.ClientID); err != nil {
					t.Errorf("GetAppClient in tx: got error %v, want nil", err)
				}
				if l, err := tx.ListAppClients(e.ctx, p.ID, 0, 10); err != nil || len(l) != 1 {
					t.Errorf("ListAppClients in tx: got %d rows, %v, want 1, nil", len(l), err)
				}
				if err := tx.CreateResourceServer(e.ctx, rs); err != nil {
					return err
				}
				if n, err := tx.CountResourceServers(e.ctx, p.ID); err != nil || n != 1 {
					t.Errorf("CountResourceServers in tx: got %d, %v, want 1, nil", n, err)
				}
				if l, err := tx.ListResourceServers(e.ctx, p.ID, 0, 10); err != nil || len(l) != 1 {
					t.Errorf("ListResourceServers in tx: got %d rows, %v, want 1, nil", len(l), err)
				}
				if err := tx.CreateDomain(e.ctx, d); err != nil {
					return err
				}
				if _, err := tx.GetDomainByPool(e.ctx, p.ID); err != nil {
					t.Errorf("GetDomainByPool in tx: got error %v, want nil", err)
				}
				if err := tx.CreateAccessKey(e.ctx, k); err != nil {
					return err
				}
				if n, err := tx.CountAccessKeys(e.ctx); err != nil || n != 1 {
					t.Errorf("CountAccessKeys in tx: got %d, %v, want 1, nil", n, err)
				}

				p.Name = "renamed in tx"
				if err := tx.UpdateUserPool(e.ctx, p); err != nil {
					return err
				}
				if got, err := tx.GetUserPool(e.ctx, p.ID); err != nil || got.Name != p.Name {
					t.Errorf("GetUserPool after update in tx: got %s, %v, want name %q", show(got), err, p.Name)
				}
				if err := tx.DeleteAppClient(e.ctx, old.ID, oldClient.ClientID); err != nil {
					return err
				}
				if _, err := tx.GetAppClient(e.ctx, oldClient.ClientID); !errors.Is(err, cognito.ErrNotFound) {
					t.Errorf("GetAppClient after delete in tx: got error %v, want ErrNotFound", err)
				}
				return nil
			})
			got, err := e.s.GetUserPool(e.ctx, p.ID)
			wantNoError(t, "GetUserPool after commit", err)
			wantEqual(t, "GetUserPool after commit", got, storedPool(p))
			_, err = e.s.GetAppClient(e.ctx, oldClient.ClientID)
			wantNotFound(t, "GetAppClient deleted in the committed tx", err)
		}},
		{"tx/no-dirty-reads", func(t *testing.T, e *env) {
			p := newPool(region, "uncommitted")
			var outside error
			var updErr error
			withDeadline(t, func() {
				updErr = e.s.Update(e.ctx, func(tx cognito.Tx) error {
					if err := tx.CreateUserPool(e.ctx, p); err != nil {
						return err
					}
					// A read outside the transaction, while it is open.
					_, outside = e.s.GetUserPool(e.ctx, p.ID)
					return nil
				})
			})
			wantNoError(t, "Update", updErr)
			wantNotFound(t, "GetUserPool outside an open tx that created it", outside)
			_, err := e.s.GetUserPool(e.ctx, p.ID)
			wantNoError(t, "GetUserPool after commit", err)
		}},
		{"tx/error-rolls-back", func(t *testing.T, e *env) {
			old := samplePool(t, e)
			oldClient := createClient(t, e, newClient(old.ID, "old"))
			oldRS := createRS(t, e, newRS(old.ID, ident(1)))
			oldDomain := createDomain(t, e, newDomain(old.ID, "old"))
			oldKey := createKey(t, e, newKey())
			p := newPool(region, "doomed")
			c := newClient(old.ID, "doomed")
			k := newKey()
			boom := errors.New("boom")
			err := e.s.Update(e.ctx, func(tx cognito.Tx) error {
				renamed := *old
				renamed.Name = "renamed"
				for _, step := range []error{
					tx.CreateUserPool(e.ctx, p),
					tx.CreateAppClient(e.ctx, c),
					tx.CreateResourceServer(e.ctx, newRS(p.ID, ident(2))),
					tx.CreateDomain(e.ctx, newDomain(p.ID, "doomed")),
					tx.CreateAccessKey(e.ctx, k),
					tx.UpdateUserPool(e.ctx, &renamed),
					tx.DeleteAppClient(e.ctx, old.ID, oldClient.ClientID),
					tx.DeleteResourceServer(e.ctx, old.ID, oldRS.Identifier),
					tx.DeleteDomain(e.ctx, region, oldDomain.Domain),
					tx.DeleteAccessKey(e.ctx, oldKey.AccessKeyID),
				} {
					if step != nil {
						return step
					}
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("Update: got error %v, want %v", err, boom)
			}
			_, err = e.s.GetUserPool(e.ctx, p.ID)
			wantNotFound(t, "GetUserPool of a pool created in a rolled-back tx", err)
			_, err = e.s.GetAppClient(e.ctx, c.ClientID)
			wantNotFound(t, "GetAppClient of a client created in a rolled-back tx", err)
			_, err = e.s.GetDomain(e.ctx, region, "doomed")
			wantNotFound(t, "GetDomain of a domain created in a rolled-back tx", err)
			_, err = e.s.GetAccessKey(e.ctx, k.AccessKeyID)
			wantNotFound(t, "GetAccessKey of a key created in a rolled-back tx", err)
			got, err := e.s.GetUserPool(e.ctx, old.ID)
			wantNoError(t, "GetUserPool", err)
			wantEqual(t, "pool updated in a rolled-back tx", got, storedPool(old))
			_, err = e.s.GetAppClient(e.ctx, oldClient.ClientID)
			wantNoError(t, "GetAppClient of a client deleted in a rolled-back tx", err)
			_, err = e.s.GetResourceServer(e.ctx, old.ID, oldRS.Identifier)
			wantNoError(t, "GetResourceServer of a server deleted in a rolled-back tx", err)
			_, err = e.s.GetDomain(e.ctx, region, oldDomain.Domain)
			wantNoError(t, "GetDomain of a domain deleted in a rolled-back tx", err)
			_, err = e.s.GetAccessKey(e.ctx, oldKey.AccessKeyID)
			wantNoError(t, "GetAccessKey of a key deleted in a rolled-back tx", err)
			n, err := e.s.CountUserPools(e.ctx, region)
			wantCount(t, "CountUserPools", n, err, 1)
		}},
		{"tx/error-passes-through", func(t *testing.T, e *env) {
			limit := cognito.ErrLimitExceeded.WithMessage("too many")
			err := e.s.Update(e.ctx, func(tx cognito.Tx) error { return limit })
			var ce *cognito.Error
			if !errors.As(err, &ce) {
				t.Fatalf("Update: got error %v (%T), want one that errors.As *cognito.Error", err, err)
			}
			if ce.Type != limit.Type || ce.Message != limit.Message {
				t.Errorf("Update: got %s %q, want %s %q", ce.Type, ce.Message, limit.Type, limit.Message)
			}
			if !errors.Is(err, cognito.ErrLimitExceeded) {
				t.Errorf("Update: got error %v, want one that errors.Is ErrLimitExceeded", err)
			}
			// A store error returned by fn keeps its sentinel too.
			samplePool(t, e)
			err = e.s.Update(e.ctx, func(tx cognito.Tx) error {
				_, err := tx.GetUserPool(e.ctx, cognito.NewPoolID(region))
				return err
			})
			wantNotFound(t, "Update returning a Get's error", err)
		}},
		{"tx/panic-rolls-back", func(t *testing.T, e *env) {
			p := newPool(region, "panicked")
			type boom struct{ msg string }
			var recovered any
			withDeadline(t, func() {
				defer func() { recovered = recover() }()
				_ = e.s.Update(e.ctx, func(tx cognito.Tx) error {
					if err := tx.CreateUserPool(e.ctx, p); err != nil {
						return err
					}
					panic(boom{"fn panicked"})
				})
			})
			if b, ok := recovered.(boom); !ok || b.msg != "fn panicked" {
				t.Fatalf("recovered: got %#v, want the panic value of fn", recovered)
			}
			_, err := e.s.GetUserPool(e.ctx, p.ID)
			wantNotFound(t, "GetUserPool of a pool created before the panic", err)
			// The store is still usable: the transaction was released.
			var err2 error
			withDeadline(t, func() {
				err2 = e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.CreateUserPool(e.ctx, newPool(region, "after")) })
			})
			wantNoError(t, "Update after a panic", err2)
			n, err := e.s.CountUserPools(e.ctx, region)
			wantCount(t, "CountUserPools", n, err, 1)
		}},
		{"tx/continues-after-failed-write", func(t *testing.T, e *env) {
			// What EnsureAccessKey and the ID-collision retries do: a
			// write fails with a sentinel, fn handles it and goes on.
			p := samplePool(t, e)
			k := createKey(t, e, newKey())
			rs := createRS(t, e, newRS(p.ID, ident(1)))
			replaced := &cognito.AccessKey{AccessKeyID: k.AccessKeyID, SealedSecret: []byte("new secret"), CreationDate: t0}
			c := newClient(p.ID, "after")
			update(t, e, func(tx cognito.Tx) error {
				if err := tx.CreateAccessKey(e.ctx, replaced); !errors.Is(err, cognito.ErrAlreadyExists) {
					return fmt.Errorf("CreateAccessKey with a taken ID: got %v, want ErrAlreadyExists", err)
				}
				if err := tx.DeleteAccessKey(e.ctx, k.AccessKeyID); err != nil {
					return err
				}
				if err := tx.CreateAccessKey(e.ctx, replaced); err != nil {
					return err
				}
				if err := tx.CreateResourceServer(e.ctx, newRS(p.ID, rs.Identifier)); !errors.Is(err, cognito.ErrAlreadyExists) {
					return fmt.Errorf("CreateResourceServer with a taken identifier: got %v, want ErrAlreadyExists", err)
				}
				if err := tx.CreateAppClient(e.ctx, newClient(cognito.NewPoolID(region), "orphan")); !errors.Is(err, cognito.ErrNotFound) {
					return fmt.Errorf("CreateAppClient in a missing pool: got %v, want ErrNotFound", err)
				}
				if err := tx.DeleteDomain(e.ctx, region, "nope"); !errors.Is(err, cognito.ErrNotFound) {
					return fmt.Errorf("DeleteDomain of a missing domain: got %v, want ErrNotFound", err)
				}
				if _, err := tx.GetUserPool(e.ctx, "nope_123456789"); !errors.Is(err, cognito.ErrNotFound) {
					return fmt.Errorf("GetUserPool of a missing pool: got %v, want ErrNotFound", err)
				}
				return tx.CreateAppClient(e.ctx, c)
			})
			got, err := e.s.GetAccessKey(e.ctx, k.AccessKeyID)
			wantNoError(t, "GetAccessKey", err)
			wantEqual(t, "replaced access key", got, storedKey(replaced))
			_, err = e.s.GetAppClient(e.ctx, c.ClientID)
			wantNoError(t, "GetAppClient of the client created after the failed writes", err)
			n, err := e.s.CountResourceServers(e.ctx, p.ID)
			wantCount(t, "CountResourceServers", n, err, 1)
		}},
		{"tx/canceled-context", func(t *testing.T, e *env) {
			ctx, cancel := context.WithCancel(e.ctx)
			cancel()
			p := newPool(region, "canceled")
			var err error
			withDeadline(t, func() {
				err = e.s.Update(ctx, func(tx cognito.Tx) error { return tx.CreateUserPool(ctx, p) })
			})
			if err == nil {
				t.Errorf("Update with a canceled context: got nil error, want one")
			}
			_, err = e.s.GetUserPool(e.ctx, p.ID)
			wantNotFound(t, "GetUserPool", err)
			// The store is still usable.
			samplePool(t, e)
		}},
	}
}

func raceCases() []testCase {
	const n = 20
	return []testCase{
		{"race/same-resource-server-identifier", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			errs := concurrently(t, n, func(i int) error {
				return e.s.Update(e.ctx, func(tx cognito.Tx) error {
					rs := newRS(p.ID, ident(1))
					rs.Name = fmt.Sprint("racer ", i)
					return tx.CreateResourceServer(e.ctx, rs)
				})
			})
			wantOneWinner(t, errs)
			cnt, err := e.s.CountResourceServers(e.ctx, p.ID)
			wantCount(t, "CountResourceServers", cnt, err, 1)
		}},
		{"race/same-pool-id", func(t *testing.T, e *env) {
			id := cognito.NewPoolID(region)
			errs := concurrently(t, n, func(i int) error {
				return e.s.Update(e.ctx, func(tx cognito.Tx) error {
					p := newPool(region, fmt.Sprint("racer ", i))
					p.ID = id
					return tx.CreateUserPool(e.ctx, p)
				})
			})
			wantOneWinner(t, errs)
			cnt, err := e.s.CountUserPools(e.ctx, region)
			wantCount(t, "CountUserPools", cnt, err, 1)
		}},
		{"race/resource-server-quota", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			errs := concurrently(t, n, func(i int) error { return quotaCreate(e.ctx, e.s, p.ID, i) })
			wantQuota(t, e, p.ID, errs)
		}},
		{"race/resource-server-quota-two-stores", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			stores := []cognito.Store{e.s, e.open()}
			errs := concurrently(t, n, func(i int) error { return quotaCreate(e.ctx, stores[i%2], p.ID, i) })
			wantQuota(t, e, p.ID, errs)
		}},
		{"race/read-modify-write", func(t *testing.T, e *env) {
			p := newPool(region, "0")
			createPool(t, e, p)
			errs := concurrently(t, n, func(i int) error {
				return e.s.Update(e.ctx, func(tx cognito.Tx) error {
					cur, err := tx.GetUserPool(e.ctx, p.ID)
					if err != nil {
						return err
					}
					k, err := strconv.Atoi(cur.Name)
					if err != nil {
						return err
					}
					cur.Name = strconv.Itoa(k + 1)
					return tx.UpdateUserPool(e.ctx, cur)
				})
			})
			for i, err := range errs {
				if err != nil {
					t.Errorf("Update %d: got error %v, want nil", i, err)
				}
			}
			got, err := e.s.GetUserPool(e.ctx, p.ID)
			wantNoError(t, "GetUserPool", err)
			if got.Name != strconv.Itoa(n) {
				t.Errorf("counter after %d increments: got %s, want %d (lost updates)", n, got.Name, n)
			}
		}},
		{"race/readers-during-writes", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			const readers = 4
			var written atomic.Int32
			errs := concurrently(t, n+readers, func(i int) error {
				if i >= readers {
					defer written.Add(1)
					return e.s.Update(e.ctx, func(tx cognito.Tx) error {
						return tx.CreateAppClient(e.ctx, newClient(p.ID, fmt.Sprint(i)))
					})
				}
				last := 0
				for written.Load() < n {
					cnt, err := e.s.CountAppClients(e.ctx, p.ID)
					if err != nil {
						return fmt.Errorf("CountAppClients: %w", err)
					}
					if cnt < last {
						return fmt.Errorf("CountAppClients went from %d down to %d", last, cnt)
					}
					last = cnt
					l, err := e.s.ListAppClients(e.ctx, p.ID, 0, 100)
					if err != nil {
						return fmt.Errorf("ListAppClients: %w", err)
					}
					if len(l) < last {
						return fmt.Errorf("ListAppClients returned %d rows after a count of %d", len(l), last)
					}
					if _, err := e.s.GetUserPool(e.ctx, p.ID); err != nil {
						return fmt.Errorf("GetUserPool: %w", err)
					}
				}
				return nil
			})
			for i, err := range errs {
				if err != nil {
					t.Errorf("goroutine %d: got error %v, want nil", i, err)
				}
			}
			cnt, err := e.s.CountAppClients(e.ctx, p.ID)
			wantCount(t, "CountAppClients", cnt, err, n)
		}},
	}
}

var errQuota = errors.New("storetest: quota reached")

const quota = 5

// quotaCreate is the domain's quota rule: count, then create if below.
func quotaCreate(ctx context.Context, s cognito.Store, poolID string, i int) error {
	return s.Update(ctx, func(tx cognito.Tx) error {
		n, err := tx.CountResourceServers(ctx, poolID)
		if err != nil {
			return err
		}
		if n >= quota {
			return errQuota
		}
		return tx.CreateResourceServer(ctx, newRS(poolID, ident(i)))
	})
}

func wantQuota(t *testing.T, e *env, poolID string, errs []error) {
	t.Helper()
	ok, over := 0, 0
	for i, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, errQuota):
			over++
		default:
			t.Errorf("Update %d: got error %v, want nil or the quota error", i, err)
		}
	}
	if ok != quota || over != len(errs)-quota {
		t.Errorf("got %d created and %d over quota, want %d and %d", ok, over, quota, len(errs)-quota)
	}
	n, err := e.s.CountResourceServers(e.ctx, poolID)
	wantCount(t, "CountResourceServers", n, err, quota)
	l, err := e.s.ListResourceServers(e.ctx, poolID, 0, 100)
	wantNoError(t, "ListResourceServers", err)
	if len(l) != quota {
		t.Errorf("ListResourceServers: got %d rows, want %d", len(l), quota)
	}
}

func wantOneWinner(t *testing.T, errs []error) {
	t.Helper()
	ok := 0
	for i, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, cognito.ErrAlreadyExists):
		default:
			t.Errorf("Update %d: got error %v, want nil or ErrAlreadyExists", i, err)
		}
	}
	if ok != 1 {
		t.Errorf("got %d successful creates, want exactly 1", ok)
	}
}

func restartCases() []testCase {
	return []testCase{
		{"restart/reopen", func(t *testing.T, e *env) {
			p := newPool(region, "durable")
			p.Settings = fullPoolSettings()
			createPool(t, e, p)
			c := newClient(p.ID, "durable")
			c.Settings = fullClientSettings()
			c.SealedSecret = []byte{9, 0, 9}
			createClient(t, e, c)
			rs := createRS(t, e, newRS(p.ID, ident(1)))
			d := createDomain(t, e, newDomain(p.ID, "durable"))
			k := createKey(t, e, newKey())
			// Delete the newest pool and client: their Seqs must not come
			// back after the restart either.
			lastPool := samplePool(t, e)
			lastClient := createClient(t, e, newClient(p.ID, "last"))
			update(t, e, func(tx cognito.Tx) error {
				if err := tx.DeleteAppClient(e.ctx, p.ID, lastClient.ClientID); err != nil {
					return err
				}
				return tx.DeleteUserPool(e.ctx, lastPool.ID)
			})
			if err := e.s.Close(); err != nil {
				t.Fatalf("Close: got error %v, want nil", err)
			}

			e2 := &env{ctx: e.ctx, s: e.open(), open: e.open}
			gp, err := e2.s.GetUserPool(e.ctx, p.ID)
			wantNoError(t, "GetUserPool after reopen", err)
			wantEqual(t, "pool after reopen", gp, storedPool(p))
			gc, err := e2.s.GetAppClient(e.ctx, c.ClientID)
			wantNoError(t, "GetAppClient after reopen", err)
			wantEqual(t, "client after reopen", gc, storedClient(c))
			grs, err := e2.s.GetResourceServer(e.ctx, p.ID, rs.Identifier)
			wantNoError(t, "GetResourceServer after reopen", err)
			wantEqual(t, "resource server after reopen", grs, storedRS(rs))
			gd, err := e2.s.GetDomain(e.ctx, region, d.Domain)
			wantNoError(t, "GetDomain after reopen", err)
			wantEqual(t, "domain after reopen", gd, storedDomain(d))
			gk, err := e2.s.GetAccessKey(e.ctx, k.AccessKeyID)
			wantNoError(t, "GetAccessKey after reopen", err)
			wantEqual(t, "access key after reopen", gk, storedKey(k))
			_, err = e2.s.GetUserPool(e.ctx, lastPool.ID)
			wantNotFound(t, "GetUserPool of the deleted pool after reopen", err)

			np := samplePool(t, e2)
			if np.Seq <= lastPool.Seq {
				t.Errorf("pool Seq after reopen: got %d, want > %d (the deleted newest pool's)", np.Seq, lastPool.Seq)
			}
			nc := createClient(t, e2, newClient(p.ID, "new"))
			if nc.Seq <= lastClient.Seq {
				t.Errorf("client Seq after reopen: got %d, want > %d (the deleted newest client's)", nc.Seq, lastClient.Seq)
			}
		}},
		{"restart/close-twice", func(t *testing.T, e *env) {
			samplePool(t, e)
			if err := e.s.Close(); err != nil {
				t.Fatalf("Close: got error %v, want nil", err)
			}
			if err := e.s.Close(); err != nil {
				t.Errorf("second Close: got error %v, want nil", err)
			}
		}},
		{"restart/two-stores-one-database", func(t *testing.T, e *env) {
			s2 := e.open()
			p := samplePool(t, e)
			got, err := s2.GetUserPool(e.ctx, p.ID)
			wantNoError(t, "GetUserPool through the second store", err)
			wantEqual(t, "pool through the second store", got, storedPool(p))
			e2 := &env{ctx: e.ctx, s: s2, open: e.open}
			c := createClient(t, e2, newClient(p.ID, "via s2"))
			_, err = e.s.GetAppClient(e.ctx, c.ClientID)
			wantNoError(t, "GetAppClient through the first store", err)
		}},
	}
}
