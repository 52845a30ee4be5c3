package storetest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

func poolCases() []testCase {
	return []testCase{
		{"pools/create-get", func(t *testing.T, e *env) {
			p := newPool(region, "first")
			p.Settings = fullPoolSettings()
			createPool(t, e, p)
			if p.Seq <= 0 {
				t.Fatalf("Seq after create: got %d, want > 0", p.Seq)
			}
			got, err := e.s.GetUserPool(e.ctx, p.ID)
			wantNoError(t, "GetUserPool", err)
			wantEqual(t, "GetUserPool", got, storedPool(p))
			if got.Region() != region {
				t.Errorf("Region: got %q, want %q", got.Region(), region)
			}
		}},
		{"pools/seq-increases", func(t *testing.T, e *env) {
			var last int64
			for i := range 5 {
				p := samplePool(t, e)
				if p.Seq <= last {
					t.Errorf("pool %d: got Seq %d, want > %d", i, p.Seq, last)
				}
				last = p.Seq
			}
		}},
		{"pools/get-missing", func(t *testing.T, e *env) {
			samplePool(t, e)
			_, err := e.s.GetUserPool(e.ctx, cognito.NewPoolID(region))
			wantNotFound(t, "GetUserPool", err)
		}},
		{"pools/duplicate-id", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			dup := newPool(region, "dup")
			dup.ID = p.ID
			err := e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.CreateUserPool(e.ctx, dup) })
			wantAlreadyExists(t, "CreateUserPool with a taken ID", err)
			got, err := e.s.GetUserPool(e.ctx, p.ID)
			wantNoError(t, "GetUserPool", err)
			wantEqual(t, "GetUserPool after the failed create", got, storedPool(p))
			n, err := e.s.CountUserPools(e.ctx, region)
			wantCount(t, "CountUserPools", n, err, 1)
		}},
		{"pools/update", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			other := samplePool(t, e)
			p.Name = "renamed"
			p.Settings = fullPoolSettings()
			p.LastModifiedDate = t0.Add(time.Hour + 123*time.Millisecond)
			update(t, e, func(tx cognito.Tx) error { return tx.UpdateUserPool(e.ctx, p) })
			got, err := e.s.GetUserPool(e.ctx, p.ID)
			wantNoError(t, "GetUserPool", err)
			wantEqual(t, "GetUserPool after update", got, storedPool(p))

			// And back to sparse settings: members cleared by the update
			// must not linger.
			p.Settings = cognito.PoolSettings{DeletionProtection: "INACTIVE"}
			update(t, e, func(tx cognito.Tx) error { return tx.UpdateUserPool(e.ctx, p) })
			got, err = e.s.GetUserPool(e.ctx, p.ID)
			wantNoError(t, "GetUserPool", err)
			wantEqual(t, "GetUserPool after second update", got, storedPool(p))

			got, err = e.s.GetUserPool(e.ctx, other.ID)
			wantNoError(t, "GetUserPool other", err)
			wantEqual(t, "other pool", got, storedPool(other))
		}},
		{"pools/update-missing", func(t *testing.T, e *env) {
			samplePool(t, e)
			p := newPool(region, "ghost")
			err := e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.UpdateUserPool(e.ctx, p) })
			wantNotFound(t, "UpdateUserPool", err)
		}},
		{"pools/delete", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			keep := samplePool(t, e)
			update(t, e, func(tx cognito.Tx) error { return tx.DeleteUserPool(e.ctx, p.ID) })
			_, err := e.s.GetUserPool(e.ctx, p.ID)
			wantNotFound(t, "GetUserPool after delete", err)
			_, err = e.s.GetUserPool(e.ctx, keep.ID)
			wantNoError(t, "GetUserPool of the other pool", err)
			n, err := e.s.CountUserPools(e.ctx, region)
			wantCount(t, "CountUserPools", n, err, 1)
			// The ID is free again.
			again := newPool(region, "again")
			again.ID = p.ID
			createPool(t, e, again)
			if again.Seq <= keep.Seq {
				t.Errorf("Seq of re-created pool: got %d, want > %d", again.Seq, keep.Seq)
			}
		}},
		{"pools/delete-missing", func(t *testing.T, e *env) {
			samplePool(t, e)
			err := e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.DeleteUserPool(e.ctx, cognito.NewPoolID(region)) })
			wantNotFound(t, "DeleteUserPool", err)
		}},
		{"pools/count-by-region", func(t *testing.T, e *env) {
			for range 3 {
				createPool(t, e, newPool(region, "a"))
			}
			for range 2 {
				createPool(t, e, newPool(otherRegion, "b"))
			}
			n, err := e.s.CountUserPools(e.ctx, region)
			wantCount(t, "CountUserPools("+region+")", n, err, 3)
			n, err = e.s.CountUserPools(e.ctx, otherRegion)
			wantCount(t, "CountUserPools("+otherRegion+")", n, err, 2)
			n, err = e.s.CountUserPools(e.ctx, "ap-south-1")
			wantCount(t, "CountUserPools(ap-south-1)", n, err, 0)
		}},
		{"pools/empty-settings", func(t *testing.T, e *env) {
			p := newPool(region, "")
			p.Settings = cognito.PoolSettings{}
			createPool(t, e, p)
			got, err := e.s.GetUserPool(e.ctx, p.ID)
			wantNoError(t, "GetUserPool", err)
			wantEqual(t, "GetUserPool", got, storedPool(p))
		}},
		{"pools/empty-collections-read-back-nil", func(t *testing.T, e *env) {
			p := newPool(region, "empties")
			p.Settings = cognito.PoolSettings{
				Policies:               &cognito.UserPoolPolicy{PasswordPolicy: &cognito.PasswordPolicy{}, SignInPolicy: json.RawMessage{}},
				LambdaConfig:           json.RawMessage{},
				AutoVerifiedAttributes: []string{},
				AliasAttributes:        []string{},
				UserPoolTags:           map[string]string{},
				SchemaAttributes:       []cognito.SchemaAttribute{},
				AdminCreateUserConfig:  &cognito.AdminCreateUserConfig{},
				UsernameConfiguration:  &cognito.UsernameConfiguration{},
			}
			createPool(t, e, p)
			got, err := e.s.GetUserPool(e.ctx, p.ID)
			wantNoError(t, "GetUserPool", err)
			want := storedPool(p)
			want.Settings = cognito.PoolSettings{
				Policies:              &cognito.UserPoolPolicy{PasswordPolicy: &cognito.PasswordPolicy{}},
				AdminCreateUserConfig: &cognito.AdminCreateUserConfig{},
				UsernameConfiguration: &cognito.UsernameConfiguration{},
			}
			wantEqual(t, "GetUserPool", got, want)
		}},
	}
}

func clientCases() []testCase {
	return []testCase{
		{"clients/create-get", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			c := newClient(p.ID, "web")
			c.Settings = fullClientSettings()
			c.SealedSecret = []byte{0, 'a', 0xfe, 0, 0xff}
			createClient(t, e, c)
			if c.Seq <= 0 {
				t.Fatalf("Seq after create: got %d, want > 0", c.Seq)
			}
			got, err := e.s.GetAppClient(e.ctx, c.ClientID)
			wantNoError(t, "GetAppClient", err)
			wantEqual(t, "GetAppClient", got, storedClient(c))
			if !got.HasSecret() {
				t.Errorf("HasSecret: got false, want true")
			}
		}},
		{"clients/no-secret", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			for i, secret := range [][]byte{nil, {}} {
				c := createClient(t, e, &cognito.AppClient{
					UserPoolID: p.ID, ClientID: cognito.NewClientID(), SealedSecret: secret,
					CreationDate: t0, LastModifiedDate: t0,
				})
				got, err := e.s.GetAppClient(e.ctx, c.ClientID)
				wantNoError(t, "GetAppClient", err)
				if got.SealedSecret != nil || got.HasSecret() {
					t.Errorf("client %d: got SealedSecret %#v, want nil", i, got.SealedSecret)
				}
				wantEqual(t, "GetAppClient", got, storedClient(c))
			}
		}},
		{"clients/get-missing", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			createClient(t, e, newClient(p.ID, "web"))
			_, err := e.s.GetAppClient(e.ctx, cognito.NewClientID())
			wantNotFound(t, "GetAppClient", err)
		}},
		{"clients/duplicate-id", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			p2 := samplePool(t, e)
			c := createClient(t, e, newClient(p.ID, "web"))
			for _, pool := range []string{p.ID, p2.ID} {
				dup := newClient(pool, "dup")
				dup.ClientID = c.ClientID
				err := e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.CreateAppClient(e.ctx, dup) })
				wantAlreadyExists(t, "CreateAppClient with a taken ID in pool "+pool, err)
			}
			got, err := e.s.GetAppClient(e.ctx, c.ClientID)
			wantNoError(t, "GetAppClient", err)
			wantEqual(t, "GetAppClient after the failed creates", got, storedClient(c))
			n, err := e.s.CountAppClients(e.ctx, p2.ID)
			wantCount(t, "CountAppClients(other pool)", n, err, 0)
		}},
		{"clients/missing-pool", func(t *testing.T, e *env) {
			samplePool(t, e)
			c := newClient(cognito.NewPoolID(region), "orphan")
			err := e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.CreateAppClient(e.ctx, c) })
			wantNotFound(t, "CreateAppClient in a missing pool", err)
			_, err = e.s.GetAppClient(e.ctx, c.ClientID)
			wantNotFound(t, "GetAppClient", err)
		}},
		{"clients/update", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			c := createClient(t, e, newClient(p.ID, "web"))
			other := createClient(t, e, newClient(p.ID, "other"))
			c.Settings = fullClientSettings()
			c.SealedSecret = []byte("sealed")
			c.LastModifiedDate = t0.Add(90 * time.Minute)
			update(t, e, func(tx cognito.Tx) error { return tx.UpdateAppClient(e.ctx, c) })
			got, err := e.s.GetAppClient(e.ctx, c.ClientID)
			wantNoError(t, "GetAppClient", err)
			wantEqual(t, "GetAppClient after update", got, storedClient(c))

			c.Settings = cognito.ClientSettings{ClientName: "sparse"}
			c.SealedSecret = nil
			update(t, e, func(tx cognito.Tx) error { return tx.UpdateAppClient(e.ctx, c) })
			got, err = e.s.GetAppClient(e.ctx, c.ClientID)
			wantNoError(t, "GetAppClient", err)
			wantEqual(t, "GetAppClient after second update", got, storedClient(c))

			got, err = e.s.GetAppClient(e.ctx, other.ClientID)
			wantNoError(t, "GetAppClient other", err)
			wantEqual(t, "other client", got, storedClient(other))
		}},
		{"clients/update-missing", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			p2 := samplePool(t, e)
			c := createClient(t, e, newClient(p.ID, "web"))
			ghost := newClient(p.ID, "ghost")
			err := e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.UpdateAppClient(e.ctx, ghost) })
			wantNotFound(t, "UpdateAppClient of a missing client", err)

			wrong := *c
			wrong.UserPoolID = p2.ID
			wrong.Settings.ClientName = "hijacked"
			err = e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.UpdateAppClient(e.ctx, &wrong) })
			wantNotFound(t, "UpdateAppClient through another pool", err)
			got, err := e.s.GetAppClient(e.ctx, c.ClientID)
			wantNoError(t, "GetAppClient", err)
			wantEqual(t, "GetAppClient", got, storedClient(c))
		}},
		{"clients/delete", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			c := createClient(t, e, newClient(p.ID, "web"))
			keep := createClient(t, e, newClient(p.ID, "keep"))
			update(t, e, func(tx cognito.Tx) error { return tx.DeleteAppClient(e.ctx, p.ID, c.ClientID) })
			_, err := e.s.GetAppClient(e.ctx, c.ClientID)
			wantNotFound(t, "GetAppClient after delete", err)
			_, err = e.s.GetAppClient(e.ctx, keep.ClientID)
			wantNoError(t, "GetAppClient of the other client", err)
			n, err := e.s.CountAppClients(e.ctx, p.ID)
			wantCount(t, "CountAppClients", n, err, 1)
		}},
		{"clients/delete-missing", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			p2 := samplePool(t, e)
			c := createClient(t, e, newClient(p.ID, "web"))
			err := e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.DeleteAppClient(e.ctx, p.ID, cognito.NewClientID()) })
			wantNotFound(t, "DeleteAppClient of a missing client", err)
			err = e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.DeleteAppClient(e.ctx, p2.ID, c.ClientID) })
			wantNotFound(t, "DeleteAppClient through another pool", err)
			_, err = e.s.GetAppClient(e.ctx, c.ClientID)
			wantNoError(t, "GetAppClient after the failed deletes", err)
		}},
		{"clients/empty-collections-read-back-nil", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			c := newClient(p.ID, "empties")
			c.Settings = cognito.ClientSettings{
				ReadAttributes:         []string{},
				CallbackURLs:           []string{},
				AllowedOAuthScopes:     []string{},
				AnalyticsConfiguration: json.RawMessage{},
				TokenValidityUnits:     &cognito.TokenValidityUnits{},
			}
			createClient(t, e, c)
			got, err := e.s.GetAppClient(e.ctx, c.ClientID)
			wantNoError(t, "GetAppClient", err)
			want := storedClient(c)
			want.Settings = cognito.ClientSettings{TokenValidityUnits: &cognito.TokenValidityUnits{}}
			wantEqual(t, "GetAppClient", got, want)
		}},
	}
}

func resourceServerCases() []testCase {
	return []testCase{
		{"resource-servers/create-get", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			rs := newRS(p.ID, "https://api.example.com")
			rs.Scopes = []cognito.ResourceServerScope{
				{ScopeName: "read", ScopeDescription: "Read <all> & more"},
				{ScopeName: "write", ScopeDescription: ""},
				{ScopeName: "ünï", ScopeDescription: "\u2028"},
			}
			createRS(t, e, rs)
			if rs.Seq <= 0 {
				t.Fatalf("Seq after create: got %d, want > 0", rs.Seq)
			}
			got, err := e.s.GetResourceServer(e.ctx, p.ID, rs.Identifier)
			wantNoError(t, "GetResourceServer", err)
			wantEqual(t, "GetResourceServer", got, storedRS(rs))
		}},
		{"resource-servers/empty-scopes-read-back-nil", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			for i, scopes := range [][]cognito.ResourceServerScope{nil, {}} {
				rs := newRS(p.ID, ident(i))
				rs.Scopes = scopes
				createRS(t, e, rs)
				got, err := e.s.GetResourceServer(e.ctx, p.ID, rs.Identifier)
				wantNoError(t, "GetResourceServer", err)
				if got.Scopes != nil {
					t.Errorf("resource server %d: got Scopes %#v, want nil", i, got.Scopes)
				}
				list, err := e.s.ListResourceServers(e.ctx, p.ID, rs.Seq-1, 1)
				wantNoError(t, "ListResourceServers", err)
				if len(list) != 1 || list[0].Scopes != nil {
					t.Errorf("resource server %d: got list %s, want one row with nil Scopes", i, show(list))
				}
			}
		}},
		{"resource-servers/get-missing", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			p2 := samplePool(t, e)
			rs := createRS(t, e, newRS(p.ID, ident(1)))
			_, err := e.s.GetResourceServer(e.ctx, p.ID, ident(2))
			wantNotFound(t, "GetResourceServer of a missing identifier", err)
			_, err = e.s.GetResourceServer(e.ctx, p2.ID, rs.Identifier)
			wantNotFound(t, "GetResourceServer through another pool", err)
		}},
		{"resource-servers/duplicate-identifier", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			rs := createRS(t, e, newRS(p.ID, ident(1)))
			dup := newRS(p.ID, ident(1))
			dup.Name = "dup"
			err := e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.CreateResourceServer(e.ctx, dup) })
			wantAlreadyExists(t, "CreateResourceServer with a taken identifier", err)
			got, err := e.s.GetResourceServer(e.ctx, p.ID, rs.Identifier)
			wantNoError(t, "GetResourceServer", err)
			wantEqual(t, "GetResourceServer after the failed create", got, storedRS(rs))
			n, err := e.s.CountResourceServers(e.ctx, p.ID)
			wantCount(t, "CountResourceServers", n, err, 1)
		}},
		{"resource-servers/same-identifier-other-pool", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			p2 := samplePool(t, e)
			a := createRS(t, e, newRS(p.ID, ident(1)))
			b := newRS(p2.ID, ident(1))
			b.Name = "second"
			createRS(t, e, b)
			for _, rs := range []*cognito.ResourceServer{a, b} {
				got, err := e.s.GetResourceServer(e.ctx, rs.UserPoolID, rs.Identifier)
				wantNoError(t, "GetResourceServer", err)
				wantEqual(t, "GetResourceServer", got, storedRS(rs))
			}
		}},
		{"resource-servers/missing-pool", func(t *testing.T, e *env) {
			samplePool(t, e)
			rs := newRS(cognito.NewPoolID(region), ident(1))
			err := e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.CreateResourceServer(e.ctx, rs) })
			wantNotFound(t, "CreateResourceServer in a missing pool", err)
		}},
		{"resource-servers/update", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			rs := createRS(t, e, newRS(p.ID, ident(1)))
			other := createRS(t, e, newRS(p.ID, ident(2)))
			rs.Name = "renamed"
			rs.Scopes = []cognito.ResourceServerScope{{ScopeName: "a", ScopeDescription: "A"}, {ScopeName: "b", ScopeDescription: "B"}}
			update(t, e, func(tx cognito.Tx) error { return tx.UpdateResourceServer(e.ctx, rs) })
			got, err := e.s.GetResourceServer(e.ctx, p.ID, rs.Identifier)
			wantNoError(t, "GetResourceServer", err)
			wantEqual(t, "GetResourceServer after update", got, storedRS(rs))

			rs.Scopes = nil
			update(t, e, func(tx cognito.Tx) error { return tx.UpdateResourceServer(e.ctx, rs) })
			got, err = e.s.GetResourceServer(e.ctx, p.ID, rs.Identifier)
			wantNoError(t, "GetResourceServer", err)
			wantEqual(t, "GetResourceServer after clearing scopes", got, storedRS(rs))

			got, err = e.s.GetResourceServer(e.ctx, p.ID, other.Identifier)
			wantNoError(t, "GetResourceServer other", err)
			wantEqual(t, "other resource server", got, storedRS(other))
		}},
		{"resource-servers/update-missing", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			p2 := samplePool(t, e)
			rs := createRS(t, e, newRS(p.ID, ident(1)))
			ghost := newRS(p.ID, ident(9))
			err := e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.UpdateResourceServer(e.ctx, ghost) })
			wantNotFound(t, "UpdateResourceServer of a missing identifier", err)
			wrong := *rs
			wrong.UserPoolID = p2.ID
			wrong.Name = "hijacked"
			err = e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.UpdateResourceServer(e.ctx, &wrong) })
			wantNotFound(t, "UpdateResourceServer through another pool", err)
			got, err := e.s.GetResourceServer(e.ctx, p.ID, rs.Identifier)
			wantNoError(t, "GetResourceServer", err)
			wantEqual(t, "GetResourceServer", got, storedRS(rs))
		}},
		{"resource-servers/delete", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			rs := createRS(t, e, newRS(p.ID, ident(1)))
			keep := createRS(t, e, newRS(p.ID, ident(2)))
			update(t, e, func(tx cognito.Tx) error { return tx.DeleteResourceServer(e.ctx, p.ID, rs.Identifier) })
			_, err := e.s.GetResourceServer(e.ctx, p.ID, rs.Identifier)
			wantNotFound(t, "GetResourceServer after delete", err)
			_, err = e.s.GetResourceServer(e.ctx, p.ID, keep.Identifier)
			wantNoError(t, "GetResourceServer of the other one", err)
			n, err := e.s.CountResourceServers(e.ctx, p.ID)
			wantCount(t, "CountResourceServers", n, err, 1)
			// The identifier is free again.
			createRS(t, e, newRS(p.ID, rs.Identifier))
		}},
		{"resource-servers/delete-missing", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			p2 := samplePool(t, e)
			rs := createRS(t, e, newRS(p.ID, ident(1)))
			err := e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.DeleteResourceServer(e.ctx, p.ID, ident(2)) })
			wantNotFound(t, "DeleteResourceServer of a missing identifier", err)
			err = e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.DeleteResourceServer(e.ctx, p2.ID, rs.Identifier) })
			wantNotFound(t, "DeleteResourceServer through another pool", err)
			_, err = e.s.GetResourceServer(e.ctx, p.ID, rs.Identifier)
			wantNoError(t, "GetResourceServer after the failed deletes", err)
		}},
	}
}

func domainCases() []testCase {
	return []testCase{
		{"domains/create-get", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			d := createDomain(t, e, newDomain(p.ID, "my-app"))
			got, err := e.s.GetDomain(e.ctx, region, "my-app")
			wantNoError(t, "GetDomain", err)
			wantEqual(t, "GetDomain", got, storedDomain(d))
			got, err = e.s.GetDomainByPool(e.ctx, p.ID)
			wantNoError(t, "GetDomainByPool", err)
			wantEqual(t, "GetDomainByPool", got, storedDomain(d))
		}},
		{"domains/managed-login-version", func(t *testing.T, e *env) {
			for _, v := range []int32{1, 2} {
				p := samplePool(t, e)
				d := newDomain(p.ID, "v"+string(rune('0'+v)))
				d.ManagedLoginVersion = v
				createDomain(t, e, d)
				got, err := e.s.GetDomain(e.ctx, region, d.Domain)
				wantNoError(t, "GetDomain", err)
				if got.ManagedLoginVersion != v {
					t.Errorf("ManagedLoginVersion: got %d, want %d", got.ManagedLoginVersion, v)
				}
			}
		}},
		{"domains/get-missing", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			p2 := samplePool(t, e)
			createDomain(t, e, newDomain(p.ID, "my-app"))
			_, err := e.s.GetDomain(e.ctx, region, "other-app")
			wantNotFound(t, "GetDomain", err)
			_, err = e.s.GetDomainByPool(e.ctx, p2.ID)
			wantNotFound(t, "GetDomainByPool of a pool without a domain", err)
			_, err = e.s.GetDomainByPool(e.ctx, cognito.NewPoolID(region))
			wantNotFound(t, "GetDomainByPool of a missing pool", err)
		}},
		{"domains/duplicate-domain", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			p2 := samplePool(t, e)
			d := createDomain(t, e, newDomain(p.ID, "my-app"))
			err := e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.CreateDomain(e.ctx, newDomain(p2.ID, "my-app")) })
			wantAlreadyExists(t, "CreateDomain with a prefix taken by another pool", err)
			got, err := e.s.GetDomain(e.ctx, region, "my-app")
			wantNoError(t, "GetDomain", err)
			wantEqual(t, "GetDomain after the failed create", got, storedDomain(d))
			_, err = e.s.GetDomainByPool(e.ctx, p2.ID)
			wantNotFound(t, "GetDomainByPool of the pool whose create failed", err)
		}},
		{"domains/second-domain-same-pool", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			d := createDomain(t, e, newDomain(p.ID, "first"))
			err := e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.CreateDomain(e.ctx, newDomain(p.ID, "second")) })
			wantAlreadyExists(t, "CreateDomain for a pool that has one", err)
			_, err = e.s.GetDomain(e.ctx, region, "second")
			wantNotFound(t, "GetDomain of the rejected domain", err)
			got, err := e.s.GetDomainByPool(e.ctx, p.ID)
			wantNoError(t, "GetDomainByPool", err)
			wantEqual(t, "GetDomainByPool", got, storedDomain(d))
		}},
		{"domains/missing-pool", func(t *testing.T, e *env) {
			samplePool(t, e)
			err := e.s.Update(e.ctx, func(tx cognito.Tx) error {
				return tx.CreateDomain(e.ctx, newDomain(cognito.NewPoolID(region), "orphan"))
			})
			wantNotFound(t, "CreateDomain for a missing pool", err)
			_, err = e.s.GetDomain(e.ctx, region, "orphan")
			wantNotFound(t, "GetDomain", err)
		}},
		{"domains/delete", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			p2 := samplePool(t, e)
			createDomain(t, e, newDomain(p.ID, "my-app"))
			keep := createDomain(t, e, newDomain(p2.ID, "keep"))
			update(t, e, func(tx cognito.Tx) error { return tx.DeleteDomain(e.ctx, region, "my-app") })
			_, err := e.s.GetDomain(e.ctx, region, "my-app")
			wantNotFound(t, "GetDomain after delete", err)
			_, err = e.s.GetDomainByPool(e.ctx, p.ID)
			wantNotFound(t, "GetDomainByPool after delete", err)
			got, err := e.s.GetDomain(e.ctx, region, "keep")
			wantNoError(t, "GetDomain of the other domain", err)
			wantEqual(t, "other domain", got, storedDomain(keep))
			_, err = e.s.GetUserPool(e.ctx, p.ID)
			wantNoError(t, "GetUserPool after deleting its domain", err)

			// The pool may take a new domain, and the old prefix is free.
			createDomain(t, e, newDomain(p.ID, "renamed"))
			p3 := samplePool(t, e)
			createDomain(t, e, newDomain(p3.ID, "my-app"))
		}},
		{"domains/delete-missing", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			createDomain(t, e, newDomain(p.ID, "my-app"))
			err := e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.DeleteDomain(e.ctx, region, "nope") })
			wantNotFound(t, "DeleteDomain", err)
		}},
	}
}

func accessKeyCases() []testCase {
	return []testCase{
		{"access-keys/create-get", func(t *testing.T, e *env) {
			k := createKey(t, e, newKey())
			got, err := e.s.GetAccessKey(e.ctx, k.AccessKeyID)
			wantNoError(t, "GetAccessKey", err)
			wantEqual(t, "GetAccessKey", got, storedKey(k))
		}},
		{"access-keys/get-missing", func(t *testing.T, e *env) {
			createKey(t, e, newKey())
			_, err := e.s.GetAccessKey(e.ctx, cognito.NewAccessKeyID())
			wantNotFound(t, "GetAccessKey", err)
		}},
		{"access-keys/duplicate-id", func(t *testing.T, e *env) {
			k := createKey(t, e, newKey())
			dup := newKey()
			dup.AccessKeyID = k.AccessKeyID
			dup.SealedSecret = []byte("other")
			err := e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.CreateAccessKey(e.ctx, dup) })
			wantAlreadyExists(t, "CreateAccessKey with a taken ID", err)
			got, err := e.s.GetAccessKey(e.ctx, k.AccessKeyID)
			wantNoError(t, "GetAccessKey", err)
			wantEqual(t, "GetAccessKey after the failed create", got, storedKey(k))
		}},
		{"access-keys/count", func(t *testing.T, e *env) {
			n, err := e.s.CountAccessKeys(e.ctx)
			wantCount(t, "CountAccessKeys of an empty store", n, err, 0)
			for range 3 {
				createKey(t, e, newKey())
			}
			n, err = e.s.CountAccessKeys(e.ctx)
			wantCount(t, "CountAccessKeys", n, err, 3)
		}},
		{"access-keys/delete", func(t *testing.T, e *env) {
			k := createKey(t, e, newKey())
			keep := createKey(t, e, newKey())
			update(t, e, func(tx cognito.Tx) error { return tx.DeleteAccessKey(e.ctx, k.AccessKeyID) })
			_, err := e.s.GetAccessKey(e.ctx, k.AccessKeyID)
			wantNotFound(t, "GetAccessKey after delete", err)
			_, err = e.s.GetAccessKey(e.ctx, keep.AccessKeyID)
			wantNoError(t, "GetAccessKey of the other key", err)
			n, err := e.s.CountAccessKeys(e.ctx)
			wantCount(t, "CountAccessKeys", n, err, 1)
		}},
		{"access-keys/name-root-policy", func(t *testing.T, e *env) {
			root := newKey()
			root.Name, root.Root = "root", true
			createKey(t, e, root)
			limited := newKey()
			limited.Name, limited.Policy = "ci-reader", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"cognito-idp:List*","Resource":"*"}}`
			createKey(t, e, limited)
			for _, k := range []*cognito.AccessKey{root, limited} {
				got, err := e.s.GetAccessKey(e.ctx, k.AccessKeyID)
				wantNoError(t, "GetAccessKey", err)
				wantEqual(t, "GetAccessKey", got, storedKey(k))
			}
		}},
		{"access-keys/list", func(t *testing.T, e *env) {
			got, err := e.s.ListAccessKeys(e.ctx)
			wantNoError(t, "ListAccessKeys of an empty store", err)
			if len(got) != 0 {
				t.Fatalf("ListAccessKeys of an empty store: got %d keys", len(got))
			}
			a, b, c := newKey(), newKey(), newKey()
			a.CreationDate, b.CreationDate, c.CreationDate = t0.Add(2*time.Second), t0, t0.Add(time.Second)
			b.Name, b.Policy = "b", `{"Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}`
			for _, k := range []*cognito.AccessKey{a, b, c} {
				createKey(t, e, k)
			}
			got, err = e.s.ListAccessKeys(e.ctx)
			wantNoError(t, "ListAccessKeys", err)
			wantEqual(t, "ListAccessKeys (oldest first)", got, []*cognito.AccessKey{storedKey(b), storedKey(c), storedKey(a)})
		}},
		{"access-keys/update", func(t *testing.T, e *env) {
			k := newKey()
			k.Name, k.Policy = "ops", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`
			createKey(t, e, k)
			changed := *k
			changed.Name, changed.Policy, changed.Root = "ops2", "", true
			changed.SealedSecret, changed.CreationDate = []byte("ignored"), t0.Add(time.Hour)
			update(t, e, func(tx cognito.Tx) error { return tx.UpdateAccessKey(e.ctx, &changed) })
			got, err := e.s.GetAccessKey(e.ctx, k.AccessKeyID)
			wantNoError(t, "GetAccessKey after UpdateAccessKey", err)
			want := storedKey(k)
			want.Name, want.Policy, want.Root = "ops2", "", true
			wantEqual(t, "GetAccessKey after UpdateAccessKey (secret and creation date kept)", got, want)
			missing := newKey()
			err = e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.UpdateAccessKey(e.ctx, missing) })
			wantNotFound(t, "UpdateAccessKey of a missing key", err)
		}},
		{"access-keys/delete-missing", func(t *testing.T, e *env) {
			createKey(t, e, newKey())
			err := e.s.Update(e.ctx, func(tx cognito.Tx) error { return tx.DeleteAccessKey(e.ctx, cognito.NewAccessKeyID()) })
			wantNotFound(t, "DeleteAccessKey", err)
		}},
	}
}
