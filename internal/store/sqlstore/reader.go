package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cognitod/cognitod/internal/cognito"
)

// Row is one row of a query's answer: *sql.Row, pgx.Row.
type Row interface{ Scan(dest ...any) error }

// Rows are a query's rows, read with Next and Scan; Close may be called
// more than once.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

// Queryer runs the SQL, written with ? placeholders, on a backend's
// connection pool or transaction. Each backend adapts its driver to it
// and maps its own failures (a database that cannot be reached) inside.
type Queryer interface {
	QueryRow(ctx context.Context, query string, args ...any) Row
	Query(ctx context.Context, query string, args ...any) (Rows, error)
}

// Reader implements the reads of cognito.Reader that both backends
// answer with the same SQL: user pools, app clients, resource servers,
// domains, access keys and signing keys (this file), users, groups,
// refresh tokens, authorization codes, user codes and UI customizations
// (a file each). A backend embeds it and adds the reads it writes in its
// own dialect.
type Reader struct {
	Q Queryer
	// Name prefixes its errors ("sqlite", "postgres").
	Name string
	// NoRows is the error the driver's Row.Scan returns when the query
	// found nothing.
	NoRows error
}

func (r Reader) notFound(what, key string) error {
	return fmt.Errorf("%s: %s %q: %w", r.Name, what, key, cognito.ErrNotFound)
}

func (r Reader) count(ctx context.Context, op, query string, args ...any) (int, error) {
	var n int
	if err := r.Q.QueryRow(ctx, query, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("%s: %s: %w", r.Name, op, err)
	}
	return n, nil
}

// one reads the row query finds with scan, or ErrNotFound naming what
// and key.
func one[T any](r Reader, ctx context.Context, scan func(Row) (*T, error), what, key, query string, args ...any) (*T, error) {
	v, err := scan(r.Q.QueryRow(ctx, query, args...))
	if errors.Is(err, r.NoRows) {
		return nil, r.notFound(what, key)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: get %s %q: %w", r.Name, what, key, err)
	}
	return v, nil
}

// page reads at most limit rows of query, whose last placeholder is the
// LIMIT; none when limit is not positive (LIMIT -1 means no limit in
// SQLite).
func page[T any](r Reader, ctx context.Context, scan func(Row) (*T, error), op string, limit int, query string, args ...any) ([]*T, error) {
	if limit <= 0 {
		return nil, nil
	}
	return all(r, ctx, scan, op, query, append(args, limit)...)
}

// all reads every row of query with scan.
func all[T any](r Reader, ctx context.Context, scan func(Row) (*T, error), op, query string, args ...any) ([]*T, error) {
	rows, err := r.Q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", r.Name, op, err)
	}
	return collect(r.Name, rows, scan, op)
}

func collect[T any](name string, rows Rows, scan func(Row) (*T, error), op string) ([]*T, error) {
	defer rows.Close()
	var out []*T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", name, op, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %s: %w", name, op, err)
	}
	return out, nil
}

// ---- user pools

const poolCols = `seq, id, name, created_ms, modified_ms, settings`

func scanPool(r Row) (*cognito.UserPool, error) {
	var (
		p                 cognito.UserPool
		created, modified int64
		settings          string
	)
	if err := r.Scan(&p.Seq, &p.ID, &p.Name, &created, &modified, &settings); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(settings), &p.Settings); err != nil {
		return nil, fmt.Errorf("decode settings of user pool %q: %w", p.ID, err)
	}
	p.CreationDate, p.LastModifiedDate = fromMS(created), fromMS(modified)
	return &p, nil
}

func (r Reader) GetUserPool(ctx context.Context, id string) (*cognito.UserPool, error) {
	return one(r, ctx, scanPool, "user pool", id, `SELECT `+poolCols+` FROM user_pools WHERE id = ?`, id)
}

func (r Reader) ListUserPools(ctx context.Context, region string, after int64, limit int) ([]*cognito.UserPool, error) {
	return page(r, ctx, scanPool, "list user pools", limit, `SELECT `+poolCols+` FROM user_pools WHERE region = ? AND seq > ? ORDER BY seq LIMIT ?`,
		region, after)
}

func (r Reader) CountUserPools(ctx context.Context, region string) (int, error) {
	return r.count(ctx, "count user pools", `SELECT count(*) FROM user_pools WHERE region = ?`, region)
}

// ---- app clients

const clientCols = `seq, client_id, pool_id, sealed_secret, created_ms, modified_ms, settings`

func scanClient(r Row) (*cognito.AppClient, error) {
	var (
		c                 cognito.AppClient
		secret            []byte
		created, modified int64
		settings          string
	)
	if err := r.Scan(&c.Seq, &c.ClientID, &c.UserPoolID, &secret, &created, &modified, &settings); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(settings), &c.Settings); err != nil {
		return nil, fmt.Errorf("decode settings of app client %q: %w", c.ClientID, err)
	}
	c.SealedSecret = blobOut(secret)
	c.CreationDate, c.LastModifiedDate = fromMS(created), fromMS(modified)
	return &c, nil
}

func (r Reader) GetAppClient(ctx context.Context, clientID string) (*cognito.AppClient, error) {
	return one(r, ctx, scanClient, "app client", clientID, `SELECT `+clientCols+` FROM app_clients WHERE client_id = ?`, clientID)
}

func (r Reader) ListAppClients(ctx context.Context, poolID string, after int64, limit int) ([]*cognito.AppClient, error) {
	return page(r, ctx, scanClient, "list app clients", limit, `SELECT `+clientCols+` FROM app_clients WHERE pool_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
		poolID, after)
}

func (r Reader) CountAppClients(ctx context.Context, poolID string) (int, error) {
	return r.count(ctx, "count app clients", `SELECT count(*) FROM app_clients WHERE pool_id = ?`, poolID)
}

// ---- resource servers

const rsCols = `seq, pool_id, identifier, name, scopes`

func scanResourceServer(r Row) (*cognito.ResourceServer, error) {
	var (
		rs     cognito.ResourceServer
		scopes string
	)
	if err := r.Scan(&rs.Seq, &rs.UserPoolID, &rs.Identifier, &rs.Name, &scopes); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(scopes), &rs.Scopes); err != nil {
		return nil, fmt.Errorf("decode scopes of resource server %q: %w", rs.Identifier, err)
	}
	if len(rs.Scopes) == 0 {
		rs.Scopes = nil
	}
	return &rs, nil
}

func (r Reader) GetResourceServer(ctx context.Context, poolID, identifier string) (*cognito.ResourceServer, error) {
	return one(r, ctx, scanResourceServer, "resource server", poolID+"/"+identifier, `SELECT `+rsCols+` FROM resource_servers WHERE pool_id = ? AND identifier = ?`, poolID, identifier)
}

func (r Reader) ListResourceServers(ctx context.Context, poolID string, after int64, limit int) ([]*cognito.ResourceServer, error) {
	return page(r, ctx, scanResourceServer, "list resource servers", limit, `SELECT `+rsCols+` FROM resource_servers WHERE pool_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
		poolID, after)
}

func (r Reader) CountResourceServers(ctx context.Context, poolID string) (int, error) {
	return r.count(ctx, "count resource servers", `SELECT count(*) FROM resource_servers WHERE pool_id = ?`, poolID)
}

// ---- domains

const domainCols = `domain, pool_id, created_ms, managed_login_version`

func scanDomain(r Row) (*cognito.Domain, error) {
	var (
		d       cognito.Domain
		created int64
	)
	if err := r.Scan(&d.Domain, &d.UserPoolID, &created, &d.ManagedLoginVersion); err != nil {
		return nil, err
	}
	d.CreationDate = fromMS(created)
	return &d, nil
}

func (r Reader) GetDomain(ctx context.Context, region, domain string) (*cognito.Domain, error) {
	return one(r, ctx, scanDomain, "domain", domain, `SELECT `+domainCols+` FROM domains WHERE region = ? AND domain = ?`, region, domain)
}

func (r Reader) GetDomainByPool(ctx context.Context, poolID string) (*cognito.Domain, error) {
	return one(r, ctx, scanDomain, "domain of user pool", poolID, `SELECT `+domainCols+` FROM domains WHERE pool_id = ?`, poolID)
}

// ---- access keys

const accessKeyColumns = `access_key_id, sealed_secret, created_ms, name, root, policy`

func scanAccessKey(row Row) (*cognito.AccessKey, error) {
	var (
		k       cognito.AccessKey
		secret  []byte
		created int64
		policy  sql.NullString
	)
	if err := row.Scan(&k.AccessKeyID, &secret, &created, &k.Name, &k.Root, &policy); err != nil {
		return nil, err
	}
	k.SealedSecret = blobOut(secret)
	k.CreationDate = fromMS(created)
	k.Policy = policy.String
	return &k, nil
}

func (r Reader) GetAccessKey(ctx context.Context, accessKeyID string) (*cognito.AccessKey, error) {
	return one(r, ctx, scanAccessKey, "access key", accessKeyID, `SELECT `+accessKeyColumns+` FROM access_keys WHERE access_key_id = ?`, accessKeyID)
}

func (r Reader) ListAccessKeys(ctx context.Context) ([]*cognito.AccessKey, error) {
	return all(r, ctx, scanAccessKey, "list access keys", `SELECT `+accessKeyColumns+` FROM access_keys ORDER BY created_ms, access_key_id`)
}

func (r Reader) CountAccessKeys(ctx context.Context) (int, error) {
	return r.count(ctx, "count access keys", `SELECT count(*) FROM access_keys`)
}

// ---- signing keys

func (r Reader) ListSigningKeys(ctx context.Context, poolID string) ([]*cognito.SigningKey, error) {
	return all(r, ctx, func(s Row) (*cognito.SigningKey, error) {
		var (
			k                cognito.SigningKey
			created, retired int64
		)
		if err := s.Scan(&k.UserPoolID, &k.KID, &k.SealedPrivateKey, &k.Status, &created, &retired); err != nil {
			return nil, err
		}
		k.CreationDate = fromMS(created)
		k.RetiredAt = fromOptMS(retired)
		return &k, nil
	}, "list signing keys", `SELECT pool_id, kid, sealed_private_key, status, created_ms, retired_ms
		 FROM signing_keys WHERE pool_id = ? ORDER BY created_ms, kid`, poolID)
}
