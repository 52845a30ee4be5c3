package storetest

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

func newGroup(poolID, name string, precedence *int32) *cognito.Group {
	at := t0.UTC().Truncate(time.Millisecond)
	return &cognito.Group{UserPoolID: poolID, Name: name, NameKey: strings.ToLower(name), Description: "the " + name + " 🚀",
		RoleArn: "arn:aws:iam::000000000000:role/" + name, Precedence: precedence, CreationDate: at, LastModifiedDate: at}
}

func createGroup(t *testing.T, e *env, g *cognito.Group) *cognito.Group {
	t.Helper()
	update(t, e, func(tx cognito.Tx) error { return tx.CreateGroup(e.ctx, g) })
	return g
}

func addMember(t *testing.T, e *env, poolID, group, sub string) {
	t.Helper()
	update(t, e, func(tx cognito.Tx) error { return tx.AddGroupMember(e.ctx, poolID, group, sub) })
}

func groupNames(gs []*cognito.Group) []string {
	var out []string
	for _, g := range gs {
		out = append(out, g.Name)
	}
	return out
}

func usernames(us []*cognito.User) []string {
	var out []string
	for _, u := range us {
		out = append(out, u.Username)
	}
	return out
}

func groupCases() []testCase {
	return []testCase{
		{"groups/create-get-update-delete", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			other := samplePool(t, e)
			g := createGroup(t, e, newGroup(p.ID, "Admins", ptr[int32](3)))
			if g.Seq <= 0 {
				t.Fatalf("Seq after create: got %d", g.Seq)
			}
			got, err := e.s.GetGroup(e.ctx, p.ID, "Admins")
			wantNoError(t, "GetGroup", err)
			wantEqual(t, "GetGroup", got, g)
			_, err = e.s.GetGroup(e.ctx, p.ID, "admins")
			wantNotFound(t, "GetGroup by another case", err)
			_, err = e.s.GetGroup(e.ctx, other.ID, "Admins")
			wantNotFound(t, "GetGroup in another pool", err)

			at := t0.UTC().Truncate(time.Millisecond)
			plain := createGroup(t, e, &cognito.Group{UserPoolID: p.ID, Name: "plain", NameKey: "plain", CreationDate: at, LastModifiedDate: at})
			got, err = e.s.GetGroup(e.ctx, p.ID, "plain")
			wantNoError(t, "GetGroup without precedence", err)
			wantEqual(t, "GetGroup without precedence", got, plain)

			err = e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.CreateGroup(e.ctx, newGroup(p.ID, "ADMINS", nil)) })
			wantAlreadyExists(t, "a group whose name differs only in case", err)
			createGroup(t, e, newGroup(other.ID, "Admins", nil))
			err = e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.CreateGroup(e.ctx, newGroup(cognito.NewPoolID(region), "x", nil)) })
			wantNotFound(t, "CreateGroup in a missing pool", err)
			n, err := e.s.CountGroups(e.ctx, p.ID)
			wantCount(t, "CountGroups", n, err, 2)

			later := t0.Add(time.Hour).UTC().Truncate(time.Millisecond)
			g.Description, g.RoleArn, g.Precedence, g.LastModifiedDate = "", "", nil, later
			update(t, e, func(tx cognito.Tx) error { return tx.UpdateGroup(e.ctx, g) })
			got, err = e.s.GetGroup(e.ctx, p.ID, "Admins")
			wantNoError(t, "GetGroup after update", err)
			wantEqual(t, "GetGroup after update", got, g)
			err = e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.UpdateGroup(e.ctx, newGroup(p.ID, "missing", nil)) })
			wantNotFound(t, "UpdateGroup of a missing group", err)

			update(t, e, func(tx cognito.Tx) error { return tx.DeleteGroup(e.ctx, p.ID, "Admins") })
			_, err = e.s.GetGroup(e.ctx, p.ID, "Admins")
			wantNotFound(t, "GetGroup after delete", err)
			err = e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.DeleteGroup(e.ctx, p.ID, "Admins") })
			wantNotFound(t, "DeleteGroup twice", err)
			_, err = e.s.GetGroup(e.ctx, other.ID, "Admins")
			wantNoError(t, "the other pool's group after delete", err)
			// The name is free again.
			createGroup(t, e, newGroup(p.ID, "admins", nil))
		}},
		{"groups/members", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			alice := createUser(t, e, newUser(p.ID, "alice"))
			bob := createUser(t, e, newUser(p.ID, "bob"))
			a := createGroup(t, e, newGroup(p.ID, "a", nil))
			b := createGroup(t, e, newGroup(p.ID, "b", ptr[int32](0)))
			addMember(t, e, p.ID, "b", alice.Sub)
			addMember(t, e, p.ID, "a", alice.Sub)
			addMember(t, e, p.ID, "a", bob.Sub)
			err := e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.AddGroupMember(e.ctx, p.ID, "a", alice.Sub) })
			wantAlreadyExists(t, "AddGroupMember twice", err)
			err = e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.AddGroupMember(e.ctx, p.ID, "missing", alice.Sub) })
			wantNotFound(t, "AddGroupMember to a missing group", err)
			err = e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.AddGroupMember(e.ctx, p.ID, "a", "no-such-sub") })
			wantNotFound(t, "AddGroupMember of a missing user", err)
			other := samplePool(t, e)
			createGroup(t, e, newGroup(other.ID, "a", nil))
			err = e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.AddGroupMember(e.ctx, other.ID, "a", alice.Sub) })
			wantNotFound(t, "AddGroupMember of a user of another pool", err)

			gs, err := e.s.ListGroupsOfUser(e.ctx, p.ID, alice.Sub, 0, 10)
			wantNoError(t, "ListGroupsOfUser", err)
			wantEqual(t, "ListGroupsOfUser (group Seq order)", groupNames(gs), []string{"a", "b"})
			wantEqual(t, "ListGroupsOfUser rows", gs, []*cognito.Group{a, b})
			n, err := e.s.CountGroupsOfUser(e.ctx, p.ID, alice.Sub)
			wantCount(t, "CountGroupsOfUser", n, err, 2)
			us, err := e.s.ListGroupMembers(e.ctx, p.ID, "a", 0, 10)
			wantNoError(t, "ListGroupMembers", err)
			wantEqual(t, "ListGroupMembers rows", us, []*cognito.User{alice, bob})
			us, err = e.s.ListGroupMembers(e.ctx, p.ID, "missing", 0, 10)
			if err != nil || len(us) != 0 {
				t.Errorf("ListGroupMembers of a missing group: got %d users, %v, want none", len(us), err)
			}
			for _, c := range []struct {
				group, sub string
				want       bool
			}{{"a", alice.Sub, true}, {"b", bob.Sub, false}, {"missing", bob.Sub, false}, {"a", "no-such-sub", false}} {
				got, err := e.s.IsGroupMember(e.ctx, p.ID, c.group, c.sub)
				if err != nil || got != c.want {
					t.Errorf("IsGroupMember(%s, %s): got %v, %v, want %v", c.group, c.sub, got, err, c.want)
				}
			}
			if got, err := e.s.IsGroupMember(e.ctx, other.ID, "a", alice.Sub); err != nil || got {
				t.Errorf("IsGroupMember in another pool: got %v, %v, want false", got, err)
			}

			update(t, e, func(tx cognito.Tx) error { return tx.RemoveGroupMember(e.ctx, p.ID, "a", alice.Sub) })
			err = e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.RemoveGroupMember(e.ctx, p.ID, "a", alice.Sub) })
			wantNotFound(t, "RemoveGroupMember twice", err)
			gs, err = e.s.ListGroupsOfUser(e.ctx, p.ID, alice.Sub, 0, 10)
			wantNoError(t, "ListGroupsOfUser after remove", err)
			wantEqual(t, "ListGroupsOfUser after remove", groupNames(gs), []string{"b"})
			if lim, err := e.s.ListGroupsOfUser(e.ctx, p.ID, alice.Sub, 0, 0); err != nil || len(lim) != 0 {
				t.Errorf("ListGroupsOfUser limit 0: got %d rows, %v", len(lim), err)
			}
		}},
		{"groups/cascades", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			alice := createUser(t, e, newUser(p.ID, "alice"))
			bob := createUser(t, e, newUser(p.ID, "bob"))
			createGroup(t, e, newGroup(p.ID, "a", nil))
			createGroup(t, e, newGroup(p.ID, "b", nil))
			for _, g := range []string{"a", "b"} {
				addMember(t, e, p.ID, g, alice.Sub)
				addMember(t, e, p.ID, g, bob.Sub)
			}
			// Deleting a group deletes its memberships.
			update(t, e, func(tx cognito.Tx) error { return tx.DeleteGroup(e.ctx, p.ID, "a") })
			createGroup(t, e, newGroup(p.ID, "a", nil))
			us, err := e.s.ListGroupMembers(e.ctx, p.ID, "a", 0, 10)
			if err != nil || len(us) != 0 {
				t.Errorf("members of a group re-created after delete: got %v, %v, want none", usernames(us), err)
			}
			n, err := e.s.CountGroupsOfUser(e.ctx, p.ID, alice.Sub)
			wantCount(t, "CountGroupsOfUser after group delete", n, err, 1)
			// Deleting a user deletes theirs.
			update(t, e, func(tx cognito.Tx) error { return tx.DeleteUser(e.ctx, p.ID, alice.Sub) })
			us, err = e.s.ListGroupMembers(e.ctx, p.ID, "b", 0, 10)
			wantNoError(t, "ListGroupMembers after user delete", err)
			wantEqual(t, "members after user delete", usernames(us), []string{"bob"})
			again := newUser(p.ID, "alice")
			again.Sub = alice.Sub
			createUser(t, e, again)
			n, err = e.s.CountGroupsOfUser(e.ctx, p.ID, alice.Sub)
			wantCount(t, "groups of a user re-created with the same sub", n, err, 0)
			// Deleting the pool deletes its groups and their memberships.
			update(t, e, func(tx cognito.Tx) error { return tx.DeleteUserPool(e.ctx, p.ID) })
			_, err = e.s.GetGroup(e.ctx, p.ID, "b")
			wantNotFound(t, "GetGroup after pool delete", err)
			n, err = e.s.CountGroups(e.ctx, p.ID)
			wantCount(t, "CountGroups after pool delete", n, err, 0)
			n, err = e.s.CountGroupsOfUser(e.ctx, p.ID, bob.Sub)
			wantCount(t, "CountGroupsOfUser after pool delete", n, err, 0)
		}},
		{"groups/pagination-with-deletes", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			member := createUser(t, e, newUser(p.ID, "member"))
			var names []string
			for i := range 23 {
				g := createGroup(t, e, newGroup(p.ID, fmt.Sprintf("g%02d", i), nil))
				addMember(t, e, p.ID, g.Name, member.Sub)
				names = append(names, g.Name)
			}
			var users []string
			for i := range 17 {
				u := createUser(t, e, newUser(p.ID, fmt.Sprintf("u%02d", i)))
				addMember(t, e, p.ID, "g00", u.Sub)
				users = append(users, u.Username)
			}
			groupLister := func(list func(after int64, limit int) ([]*cognito.Group, error)) lister {
				return func(after int64, limit int) ([]string, []int64, error) {
					rows, err := list(after, limit)
					var keys []string
					var seqs []int64
					for _, r := range rows {
						keys, seqs = append(keys, r.Name), append(seqs, r.Seq)
					}
					return keys, seqs, err
				}
			}
			byPool := groupLister(func(after int64, limit int) ([]*cognito.Group, error) {
				return e.s.ListGroups(e.ctx, p.ID, after, limit)
			})
			byUser := groupLister(func(after int64, limit int) ([]*cognito.Group, error) {
				return e.s.ListGroupsOfUser(e.ctx, p.ID, member.Sub, after, limit)
			})
			for _, limit := range []int{1, 5, 23, 60} {
				wantExactlyOnce(t, fmt.Sprintf("ListGroups limit %d", limit), walk(t, byPool, limit, nil), names)
				wantExactlyOnce(t, fmt.Sprintf("ListGroupsOfUser limit %d", limit), walk(t, byUser, limit, nil), names)
			}
			// Delete a group already seen and one not yet seen after every
			// page: each remaining group still comes exactly once.
			ch := newChanges()
			got := walk(t, byUser, 4, func(page int, seen []string) {
				last := seen[len(seen)-1]
				victim := names[len(names)-page]
				for _, name := range []string{seen[len(seen)-2], victim} {
					if ch.gone[name] || name == last || name == "g00" {
						continue
					}
					update(t, e, func(tx cognito.Tx) error { return tx.DeleteGroup(e.ctx, p.ID, name) })
					ch.deleted(name, seen)
				}
			})
			wantExactlyOnce(t, "ListGroupsOfUser with deletes", got, ch.want(names))

			members := func(after int64, limit int) ([]string, []int64, error) {
				rows, err := e.s.ListGroupMembers(e.ctx, p.ID, "g00", after, limit)
				var keys []string
				var seqs []int64
				for _, r := range rows {
					keys, seqs = append(keys, r.Username), append(seqs, r.Seq)
				}
				return keys, seqs, err
			}
			if ch.gone["g00"] {
				t.Fatal("g00 was deleted; the test needs it")
			}
			want := append([]string{"member"}, users...)
			wantExactlyOnce(t, "ListGroupMembers limit 5", walk(t, members, 5, nil), want)
			ch = newChanges()
			got = walk(t, members, 3, func(page int, seen []string) {
				victim := want[len(want)-page]
				if ch.gone[victim] || victim == seen[len(seen)-1] {
					return
				}
				u, err := e.s.GetUser(e.ctx, p.ID, victim)
				wantNoError(t, "GetUser", err)
				update(t, e, func(tx cognito.Tx) error { return tx.DeleteUser(e.ctx, p.ID, u.Sub) })
				ch.deleted(victim, seen)
			})
			wantExactlyOnce(t, "ListGroupMembers with user deletes", got, ch.want(want))
		}},
		{"groups/update-domain", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			d := createDomain(t, e, newDomain(p.ID, "login"))
			d.ManagedLoginVersion = 1
			update(t, e, func(tx cognito.Tx) error { return tx.UpdateDomain(e.ctx, d) })
			got, err := e.s.GetDomain(e.ctx, region, "login")
			wantNoError(t, "GetDomain after update", err)
			wantEqual(t, "domain after update", got, storedDomain(d))
			missing := newDomain(p.ID, "nope")
			err = e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.UpdateDomain(e.ctx, missing) })
			wantNotFound(t, "UpdateDomain of a missing domain", err)
			other := samplePool(t, e)
			wrongPool := *d
			wrongPool.UserPoolID = other.ID
			err = e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.UpdateDomain(e.ctx, &wrongPool) })
			wantNotFound(t, "UpdateDomain naming another pool", err)
		}},
		{"race/same-group-name", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			errs := concurrently(t, 20, func(i int) error {
				return e.s.Update(e.ctx, func(tx cognito.Tx) error {
					name := "Racers"
					if i%2 == 1 {
						name = "racers" // differs only in case: the same key
					}
					return tx.CreateGroup(e.ctx, newGroup(p.ID, name, nil))
				})
			})
			wantOneWinner(t, errs)
			n, err := e.s.CountGroups(e.ctx, p.ID)
			wantCount(t, "CountGroups", n, err, 1)
		}},
		{"race/groups-per-user-quota", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			u := createUser(t, e, newUser(p.ID, "joiner"))
			for i := range 20 {
				createGroup(t, e, newGroup(p.ID, fmt.Sprint("g", i), nil))
			}
			stores := []cognito.Store{e.s, e.open()}
			// The domain's rule: a member already is a no-op, else count,
			// then add if below the quota.
			errs := concurrently(t, 20, func(i int) error {
				return stores[i%2].Update(e.ctx, func(tx cognito.Tx) error {
					group := fmt.Sprint("g", i%10) // two racers per group
					if in, err := tx.IsGroupMember(e.ctx, p.ID, group, u.Sub); err != nil || in {
						return err
					}
					n, err := tx.CountGroupsOfUser(e.ctx, p.ID, u.Sub)
					if err != nil {
						return err
					}
					if n >= quota {
						return errQuota
					}
					return tx.AddGroupMember(e.ctx, p.ID, group, u.Sub)
				})
			})
			over := 0
			for i, err := range errs {
				switch {
				case err == nil:
				case errors.Is(err, errQuota):
					over++
				default:
					t.Errorf("Update %d: got error %v, want nil or the quota error", i, err)
				}
			}
			n, err := e.s.CountGroupsOfUser(e.ctx, p.ID, u.Sub)
			wantCount(t, "CountGroupsOfUser", n, err, quota)
			gs, err := e.s.ListGroupsOfUser(e.ctx, p.ID, u.Sub, 0, 100)
			wantNoError(t, "ListGroupsOfUser", err)
			if len(gs) != quota {
				t.Errorf("ListGroupsOfUser: got %d groups, want %d", len(gs), quota)
			}
			// 10 groups, two racers each: the quota's 5 joins; of the
			// other 15 racers, those whose group was joined are no-ops.
			if over < 5 || over > 10 {
				t.Errorf("got %d over quota, want between 5 and 10", over)
			}
		}},
		{"race/group-quota", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			errs := concurrently(t, 20, func(i int) error {
				return e.s.Update(e.ctx, func(tx cognito.Tx) error {
					n, err := tx.CountGroups(e.ctx, p.ID)
					if err != nil {
						return err
					}
					if n >= quota {
						return errQuota
					}
					return tx.CreateGroup(e.ctx, newGroup(p.ID, fmt.Sprint("g", i), nil))
				})
			})
			ok := 0
			for i, err := range errs {
				switch {
				case err == nil:
					ok++
				case errors.Is(err, errQuota):
				default:
					t.Errorf("Update %d: got error %v", i, err)
				}
			}
			n, err := e.s.CountGroups(e.ctx, p.ID)
			wantCount(t, "CountGroups", n, err, quota)
			if ok != quota {
				t.Errorf("got %d created, want %d", ok, quota)
			}
		}},
	}
}
