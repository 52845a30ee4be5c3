package storetest

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

func cascadeCases() []testCase {
	return []testCase{
		{"cascade/delete-pool", func(t *testing.T, e *env) {
			type tree struct {
				pool    *cognito.UserPool
				clients []*cognito.AppClient
				rss     []*cognito.ResourceServer
				domain  *cognito.Domain
			}
			grow := func(name string, nClients, nRS int) *tree {
				tr := &tree{pool: createPool(t, e, newPool(region, name))}
				for i := range nClients {
					tr.clients = append(tr.clients, createClient(t, e, newClient(tr.pool.ID, fmt.Sprint(name, i))))
				}
				for i := range nRS {
					tr.rss = append(tr.rss, createRS(t, e, newRS(tr.pool.ID, ident(i))))
				}
				tr.domain = createDomain(t, e, newDomain(tr.pool.ID, name+"-domain"))
				return tr
			}
			gone := grow("gone", 3, 2)
			kept := grow("kept", 2, 2) // same identifiers as gone's
			key := createKey(t, e, newKey())

			update(t, e, func(tx cognito.Tx) error { return tx.DeleteUserPool(e.ctx, gone.pool.ID) })

			_, err := e.s.GetUserPool(e.ctx, gone.pool.ID)
			wantNotFound(t, "GetUserPool", err)
			for _, c := range gone.clients {
				_, err := e.s.GetAppClient(e.ctx, c.ClientID)
				wantNotFound(t, "GetAppClient of a deleted pool's client", err)
			}
			for _, rs := range gone.rss {
				_, err := e.s.GetResourceServer(e.ctx, gone.pool.ID, rs.Identifier)
				wantNotFound(t, "GetResourceServer of a deleted pool's server", err)
			}
			_, err = e.s.GetDomain(e.ctx, region, gone.domain.Domain)
			wantNotFound(t, "GetDomain of a deleted pool's domain", err)
			_, err = e.s.GetDomainByPool(e.ctx, gone.pool.ID)
			wantNotFound(t, "GetDomainByPool of a deleted pool", err)
			n, err := e.s.CountAppClients(e.ctx, gone.pool.ID)
			wantCount(t, "CountAppClients of a deleted pool", n, err, 0)
			n, err = e.s.CountResourceServers(e.ctx, gone.pool.ID)
			wantCount(t, "CountResourceServers of a deleted pool", n, err, 0)
			cl, err := e.s.ListAppClients(e.ctx, gone.pool.ID, 0, 100)
			wantNoError(t, "ListAppClients", err)
			if len(cl) != 0 {
				t.Errorf("ListAppClients of a deleted pool: got %d rows, want 0", len(cl))
			}
			rl, err := e.s.ListResourceServers(e.ctx, gone.pool.ID, 0, 100)
			wantNoError(t, "ListResourceServers", err)
			if len(rl) != 0 {
				t.Errorf("ListResourceServers of a deleted pool: got %d rows, want 0", len(rl))
			}

			// The other pool is untouched.
			got, err := e.s.GetUserPool(e.ctx, kept.pool.ID)
			wantNoError(t, "GetUserPool of the kept pool", err)
			wantEqual(t, "kept pool", got, storedPool(kept.pool))
			for _, c := range kept.clients {
				got, err := e.s.GetAppClient(e.ctx, c.ClientID)
				wantNoError(t, "GetAppClient of the kept pool", err)
				wantEqual(t, "kept client", got, storedClient(c))
			}
			for _, rs := range kept.rss {
				got, err := e.s.GetResourceServer(e.ctx, kept.pool.ID, rs.Identifier)
				wantNoError(t, "GetResourceServer of the kept pool", err)
				wantEqual(t, "kept resource server", got, storedRS(rs))
			}
			gd, err := e.s.GetDomainByPool(e.ctx, kept.pool.ID)
			wantNoError(t, "GetDomainByPool of the kept pool", err)
			wantEqual(t, "kept domain", gd, storedDomain(kept.domain))
			n, err = e.s.CountAppClients(e.ctx, kept.pool.ID)
			wantCount(t, "CountAppClients of the kept pool", n, err, 2)
			n, err = e.s.CountResourceServers(e.ctx, kept.pool.ID)
			wantCount(t, "CountResourceServers of the kept pool", n, err, 2)
			_, err = e.s.GetAccessKey(e.ctx, key.AccessKeyID)
			wantNoError(t, "GetAccessKey", err)

			// Everything the deleted pool held is free again.
			again := newPool(region, "again")
			again.ID = gone.pool.ID
			createPool(t, e, again)
			n, err = e.s.CountAppClients(e.ctx, again.ID)
			wantCount(t, "CountAppClients of a re-created pool", n, err, 0)
			c := newClient(again.ID, "reused")
			c.ClientID = gone.clients[0].ClientID
			createClient(t, e, c)
			createRS(t, e, newRS(again.ID, gone.rss[0].Identifier))
			createDomain(t, e, newDomain(again.ID, gone.domain.Domain))
		}},
		{"cascade/delete-pool-in-failed-tx", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			c := createClient(t, e, newClient(p.ID, "web"))
			d := createDomain(t, e, newDomain(p.ID, "my-app"))
			boom := errors.New("boom")
			err := e.s.Update(e.ctx, func(tx cognito.Tx) error {
				if err := tx.DeleteUserPool(e.ctx, p.ID); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("Update: got error %v, want %v", err, boom)
			}
			_, err = e.s.GetAppClient(e.ctx, c.ClientID)
			wantNoError(t, "GetAppClient after the rolled-back delete", err)
			_, err = e.s.GetDomain(e.ctx, region, d.Domain)
			wantNoError(t, "GetDomain after the rolled-back delete", err)
		}},
	}
}

// lister is one List call: list(after, limit) and the rows' keys and Seqs.
type lister func(after int64, limit int) (keys []string, seqs []int64, err error)

func poolLister(e *env, region string) lister {
	return func(after int64, limit int) ([]string, []int64, error) {
		rows, err := e.s.ListUserPools(e.ctx, region, after, limit)
		var keys []string
		var seqs []int64
		for _, r := range rows {
			if r.Region() != region {
				return nil, nil, fmt.Errorf("ListUserPools(%q) returned pool %q of region %q", region, r.ID, r.Region())
			}
			keys, seqs = append(keys, r.ID), append(seqs, r.Seq)
		}
		return keys, seqs, err
	}
}

func clientLister(e *env, poolID string) lister {
	return func(after int64, limit int) ([]string, []int64, error) {
		rows, err := e.s.ListAppClients(e.ctx, poolID, after, limit)
		var keys []string
		var seqs []int64
		for _, r := range rows {
			if r.UserPoolID != poolID {
				return nil, nil, fmt.Errorf("ListAppClients(%q) returned client %q of pool %q", poolID, r.ClientID, r.UserPoolID)
			}
			keys, seqs = append(keys, r.ClientID), append(seqs, r.Seq)
		}
		return keys, seqs, err
	}
}

func rsLister(e *env, poolID string) lister {
	return func(after int64, limit int) ([]string, []int64, error) {
		rows, err := e.s.ListResourceServers(e.ctx, poolID, after, limit)
		var keys []string
		var seqs []int64
		for _, r := range rows {
			if r.UserPoolID != poolID {
				return nil, nil, fmt.Errorf("ListResourceServers(%q) returned %q of pool %q", poolID, r.Identifier, r.UserPoolID)
			}
			keys, seqs = append(keys, rsKey(r)), append(seqs, r.Seq)
		}
		return keys, seqs, err
	}
}

// walk pages through list with limit, calling between(n) after the n-th
// page (from 1), and returns every key in the order seen. It checks each
// page's size and that Seqs rise strictly across pages.
func walk(t *testing.T, list lister, limit int, between func(page int, seen []string)) []string {
	t.Helper()
	var (
		all   []string
		after int64
	)
	for page := 1; ; page++ {
		if page > 1000 {
			t.Fatalf("pagination did not end after 1000 pages")
		}
		keys, seqs, err := list(after, limit)
		if err != nil {
			t.Fatalf("page %d (after %d, limit %d): got error %v", page, after, limit, err)
		}
		if len(keys) > limit {
			t.Fatalf("page %d: got %d rows, want at most %d", page, len(keys), limit)
		}
		for i, s := range seqs {
			if s <= after {
				t.Fatalf("page %d row %d: got Seq %d, want > %d (the cursor or the previous row)", page, i, s, after)
			}
			after = s
		}
		all = append(all, keys...)
		if len(keys) < limit {
			return all
		}
		if between != nil {
			between(page, all)
		}
	}
}

// wantExactlyOnce checks that got holds every key of want once, and
// nothing else, in want's order.
func wantExactlyOnce(t *testing.T, what string, got, want []string) {
	t.Helper()
	count := map[string]int{}
	for _, k := range got {
		count[k]++
	}
	for k, n := range count {
		if n > 1 {
			t.Errorf("%s: %q returned %d times, want once", what, k, n)
		}
	}
	wantSet := map[string]bool{}
	for _, k := range want {
		wantSet[k] = true
		if count[k] == 0 {
			t.Errorf("%s: %q never returned", what, k)
		}
	}
	for _, k := range got {
		if !wantSet[k] {
			t.Errorf("%s: %q returned, want it absent", what, k)
		}
	}
	if !t.Failed() {
		wantEqual(t, what+" order", got, want)
	}
}

func paginationCases() []testCase {
	return []testCase{
		{"pagination/pools-by-region", func(t *testing.T, e *env) {
			var us, eu []string
			for i := range 42 {
				if i%3 == 0 {
					eu = append(eu, createPool(t, e, newPool(otherRegion, fmt.Sprint("eu", i))).ID)
				} else {
					us = append(us, createPool(t, e, newPool(region, fmt.Sprint("us", i))).ID)
				}
			}
			for _, limit := range []int{1, 7, 28, 29, 100} {
				got := walk(t, poolLister(e, region), limit, nil)
				wantExactlyOnce(t, fmt.Sprintf("ListUserPools(%s) limit %d", region, limit), got, us)
			}
			got := walk(t, poolLister(e, otherRegion), 5, nil)
			wantExactlyOnce(t, "ListUserPools("+otherRegion+")", got, eu)
			got = walk(t, poolLister(e, "ap-south-1"), 5, nil)
			wantExactlyOnce(t, "ListUserPools(ap-south-1)", got, nil)
			n, err := e.s.CountUserPools(e.ctx, region)
			wantCount(t, "CountUserPools", n, err, len(us))
		}},
		{"pagination/clients-exactly-once", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			other := samplePool(t, e)
			var want []string
			for i := range 27 {
				want = append(want, createClient(t, e, newClient(p.ID, fmt.Sprint(i))).ClientID)
				if i%4 == 0 {
					createClient(t, e, newClient(other.ID, "noise"))
				}
			}
			for _, limit := range []int{1, 5, 26, 27, 28, 1000} {
				got := walk(t, clientLister(e, p.ID), limit, nil)
				wantExactlyOnce(t, fmt.Sprintf("ListAppClients limit %d", limit), got, want)
			}
			n, err := e.s.CountAppClients(e.ctx, p.ID)
			wantCount(t, "CountAppClients", n, err, 27)
		}},
		{"pagination/resource-servers-exactly-once", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			other := samplePool(t, e)
			var want []string
			for i := range 26 {
				want = append(want, rsKey(createRS(t, e, newRS(p.ID, ident(i)))))
				createRS(t, e, newRS(other.ID, ident(i)))
			}
			for _, limit := range []int{1, 6, 25, 26, 27} {
				got := walk(t, rsLister(e, p.ID), limit, nil)
				wantExactlyOnce(t, fmt.Sprintf("ListResourceServers limit %d", limit), got, want)
			}
		}},
		{"pagination/past-the-end", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			c := createClient(t, e, newClient(p.ID, "only"))
			rows, err := e.s.ListAppClients(e.ctx, p.ID, c.Seq, 10)
			wantNoError(t, "ListAppClients after the last Seq", err)
			if len(rows) != 0 {
				t.Errorf("ListAppClients after the last Seq: got %d rows, want 0", len(rows))
			}
			rows, err = e.s.ListAppClients(e.ctx, p.ID, c.Seq-1, 10)
			wantNoError(t, "ListAppClients", err)
			if len(rows) != 1 || rows[0].ClientID != c.ClientID {
				t.Errorf("ListAppClients after Seq-1: got %s, want the one client", show(rows))
			}
			rows, err = e.s.ListAppClients(e.ctx, cognito.NewPoolID(region), 0, 10)
			wantNoError(t, "ListAppClients of a missing pool", err)
			if len(rows) != 0 {
				t.Errorf("ListAppClients of a missing pool: got %d rows, want 0", len(rows))
			}
		}},
		{"pagination/clients-changing-between-pages", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			var initial []string
			for i := range 30 {
				initial = append(initial, createClient(t, e, newClient(p.ID, fmt.Sprint(i))).ClientID)
			}
			ch := newChanges()
			got := walk(t, clientLister(e, p.ID), 8, func(page int, seen []string) {
				del := func(id string) {
					update(t, e, func(tx cognito.Tx) error { return tx.DeleteAppClient(e.ctx, p.ID, id) })
					ch.deleted(id, seen)
				}
				switch page {
				case 1: // seen 0-7
					del(initial[0])  // already seen
					del(initial[7])  // the cursor row itself
					del(initial[8])  // first row of the next page
					del(initial[20]) // further ahead
					for i := range 3 {
						ch.add(createClient(t, e, newClient(p.ID, fmt.Sprint("new", i))).ClientID)
					}
				case 2:
					del(initial[29]) // the last row
					ch.add(createClient(t, e, newClient(p.ID, "newer")).ClientID)
				}
			})
			wantExactlyOnce(t, "ListAppClients while rows change", got, ch.want(initial))
		}},
		{"pagination/resource-servers-changing-between-pages", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			var initial []string
			for i := range 26 {
				initial = append(initial, rsKey(createRS(t, e, newRS(p.ID, ident(i)))))
			}
			ch := newChanges()
			got := walk(t, rsLister(e, p.ID), 5, func(page int, seen []string) {
				del := func(i int) {
					update(t, e, func(tx cognito.Tx) error { return tx.DeleteResourceServer(e.ctx, p.ID, ident(i)) })
					ch.deleted(initial[i], seen)
				}
				switch page {
				case 1: // seen 0-4
					del(4) // the cursor row
					del(5)
					// Re-creating a deleted identifier makes a new row with
					// a new Seq, which the listing reaches later.
					ch.add(rsKey(createRS(t, e, newRS(p.ID, ident(4)))))
				case 3:
					del(2)
					del(17)
					del(18)
					ch.add(rsKey(createRS(t, e, newRS(p.ID, ident(100)))))
				}
			})
			wantExactlyOnce(t, "ListResourceServers while rows change", got, ch.want(initial))
		}},
		{"pagination/pools-changing-between-pages", func(t *testing.T, e *env) {
			var initial []string
			for i := range 25 {
				r := region
				if i%5 == 0 {
					r = otherRegion
				}
				p := createPool(t, e, newPool(r, fmt.Sprint(i)))
				if r == region {
					initial = append(initial, p.ID)
				}
			}
			// 20 pools in region; pages of 6.
			ch := newChanges()
			got := walk(t, poolLister(e, region), 6, func(page int, seen []string) {
				if page != 1 {
					return
				}
				for _, i := range []int{5, 6, 19} {
					update(t, e, func(tx cognito.Tx) error { return tx.DeleteUserPool(e.ctx, initial[i]) })
					ch.deleted(initial[i], seen)
				}
				createPool(t, e, newPool(otherRegion, "elsewhere"))
				ch.add(createPool(t, e, newPool(region, "late")).ID)
			})
			wantExactlyOnce(t, "ListUserPools while rows change", got, ch.want(initial))
		}},
		{"pagination/seq-not-reused", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			createClient(t, e, newClient(p.ID, "a"))
			b := createClient(t, e, newClient(p.ID, "b"))
			update(t, e, func(tx cognito.Tx) error { return tx.DeleteAppClient(e.ctx, p.ID, b.ClientID) })
			c := createClient(t, e, newClient(p.ID, "c"))
			if c.Seq <= b.Seq {
				t.Errorf("Seq after deleting the newest row: got %d, want > %d (a cursor at %d would skip it)", c.Seq, b.Seq, b.Seq)
			}
			rows, err := e.s.ListAppClients(e.ctx, p.ID, b.Seq, 10)
			wantNoError(t, "ListAppClients", err)
			if len(rows) != 1 || rows[0].ClientID != c.ClientID {
				t.Errorf("ListAppClients after the deleted row's Seq: got %s, want client c", show(rows))
			}
		}},
	}
}

// changes records rows deleted and added while a listing pages through.
type changes struct {
	gone  map[string]bool // deleted before the listing returned them
	added []string
}

func newChanges() *changes { return &changes{gone: map[string]bool{}} }

func (c *changes) deleted(key string, seen []string) {
	if !slices.Contains(seen, key) {
		c.gone[key] = true
	}
}

func (c *changes) add(key string) { c.added = append(c.added, key) }

// want is what the listing must return, in Seq order: every initial row
// except those deleted before it got to them, then every added row (new
// rows have higher Seqs than any existing one).
func (c *changes) want(initial []string) []string {
	var w []string
	for _, k := range initial {
		if !c.gone[k] {
			w = append(w, k)
		}
	}
	return append(w, c.added...)
}

func timeCases() []testCase {
	return []testCase{
		{"time/utc-millisecond", func(t *testing.T, e *env) {
			created := time.Date(2023, 10, 12, 23, 59, 59, 999_999_999, zone)
			modified := time.Date(2025, 1, 2, 3, 4, 5, 6_000_001, time.FixedZone("UTC-8", -8*3600))
			p := newPool(region, "t")
			p.CreationDate, p.LastModifiedDate = created, modified
			createPool(t, e, p)
			c := newClient(p.ID, "t")
			c.CreationDate, c.LastModifiedDate = created, modified
			createClient(t, e, c)
			d := newDomain(p.ID, "t")
			d.CreationDate = created
			createDomain(t, e, d)
			k := newKey()
			k.CreationDate = modified
			createKey(t, e, k)

			check := func(through string, r cognito.Reader) {
				gp, err := r.GetUserPool(e.ctx, p.ID)
				wantNoError(t, through+" GetUserPool", err)
				wantTime(t, through+" pool CreationDate", gp.CreationDate, created)
				wantTime(t, through+" pool LastModifiedDate", gp.LastModifiedDate, modified)
				gc, err := r.GetAppClient(e.ctx, c.ClientID)
				wantNoError(t, through+" GetAppClient", err)
				wantTime(t, through+" client CreationDate", gc.CreationDate, created)
				wantTime(t, through+" client LastModifiedDate", gc.LastModifiedDate, modified)
				gd, err := r.GetDomain(e.ctx, region, d.Domain)
				wantNoError(t, through+" GetDomain", err)
				wantTime(t, through+" domain CreationDate", gd.CreationDate, created)
				gk, err := r.GetAccessKey(e.ctx, k.AccessKeyID)
				wantNoError(t, through+" GetAccessKey", err)
				wantTime(t, through+" access key CreationDate", gk.CreationDate, modified)
				lp, err := r.ListUserPools(e.ctx, region, 0, 10)
				wantNoError(t, through+" ListUserPools", err)
				if len(lp) != 1 {
					t.Fatalf("%s ListUserPools: got %d rows, want 1", through, len(lp))
				}
				wantTime(t, through+" listed pool CreationDate", lp[0].CreationDate, created)
				lc, err := r.ListAppClients(e.ctx, p.ID, 0, 10)
				wantNoError(t, through+" ListAppClients", err)
				if len(lc) != 1 {
					t.Fatalf("%s ListAppClients: got %d rows, want 1", through, len(lc))
				}
				wantTime(t, through+" listed client LastModifiedDate", lc[0].LastModifiedDate, modified)
			}
			check("store", e.s)
			update(t, e, func(tx cognito.Tx) error { check("tx", tx); return nil })
		}},
		{"time/extremes", func(t *testing.T, e *env) {
			for i, tm := range []time.Time{
				{}, // the zero time stays the zero time
				time.UnixMilli(0).In(zone),
				time.Date(1969, 12, 31, 23, 59, 59, 999_000_000, time.UTC),
				time.Date(9999, 12, 31, 23, 59, 59, 999_000_000, zone),
			} {
				k := newKey()
				k.CreationDate = tm
				createKey(t, e, k)
				got, err := e.s.GetAccessKey(e.ctx, k.AccessKeyID)
				wantNoError(t, "GetAccessKey", err)
				wantTime(t, fmt.Sprintf("time %d (%v)", i, tm), got.CreationDate, tm)
				wantEqual(t, fmt.Sprintf("time %d", i), got, storedKey(k))
			}
		}},
	}
}

// rsKey names a resource server row: identifiers can be re-created, rows
// cannot.
func rsKey(rs *cognito.ResourceServer) string { return fmt.Sprintf("%s@%d", rs.Identifier, rs.Seq) }
