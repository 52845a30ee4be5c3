package postgres

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cognitod/cognitod/internal/cognito"
)

// reader implements cognito.Reader on q: the pool outside a transaction,
// the transaction inside one (so reads see its writes).
type reader struct{ q q }

var _ cognito.Reader = reader{}

// rowScanner is pgx.Row or pgx.Rows.
type rowScanner interface{ Scan(dest ...any) error }

// Conversions. Times are UTC Unix milliseconds. JSON is written without
// HTML escaping so that json.RawMessage members come back byte for byte
// (encoding/json still compacts them). Empty byte slices are stored as
// NULL and read back as nil.

func toMS(t time.Time) int64 { return t.UnixMilli() }

func fromMS(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

func marshalJSON(v any) (string, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return string(bytes.TrimSuffix(b.Bytes(), []byte("\n"))), nil
}

func blobArg(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

func blobOut(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

func notFound(what, key string) error {
	return fmt.Errorf("postgres: %s %q: %w", what, key, cognito.ErrNotFound)
}

// ---- user pools

const poolCols = `seq, id, name, created_ms, modified_ms, settings`

func scanPool(r rowScanner) (*cognito.UserPool, error) {
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

func (r reader) GetUserPool(ctx context.Context, id string) (*cognito.UserPool, error) {
	p, err := scanPool(r.q.QueryRowContext(ctx, `SELECT `+poolCols+` FROM user_pools WHERE id = ?`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("user pool", id)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: get user pool %q: %w", id, err)
	}
	return p, nil
}

func (r reader) ListUserPools(ctx context.Context, region string, after int64, limit int) ([]*cognito.UserPool, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := r.q.QueryContext(ctx,
		`SELECT `+poolCols+` FROM user_pools WHERE region = ? AND seq > ? ORDER BY seq LIMIT ?`,
		region, after, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: list user pools: %w", err)
	}
	return collect(rows, scanPool, "list user pools")
}

func (r reader) CountUserPools(ctx context.Context, region string) (int, error) {
	return r.count(ctx, "count user pools", `SELECT count(*) FROM user_pools WHERE region = ?`, region)
}

// ---- app clients

const clientCols = `seq, client_id, pool_id, sealed_secret, created_ms, modified_ms, settings`

func scanClient(r rowScanner) (*cognito.AppClient, error) {
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

func (r reader) GetAppClient(ctx context.Context, clientID string) (*cognito.AppClient, error) {
	c, err := scanClient(r.q.QueryRowContext(ctx, `SELECT `+clientCols+` FROM app_clients WHERE client_id = ?`, clientID))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("app client", clientID)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: get app client %q: %w", clientID, err)
	}
	return c, nil
}

func (r reader) ListAppClients(ctx context.Context, poolID string, after int64, limit int) ([]*cognito.AppClient, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := r.q.QueryContext(ctx,
		`SELECT `+clientCols+` FROM app_clients WHERE pool_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
		poolID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: list app clients: %w", err)
	}
	return collect(rows, scanClient, "list app clients")
}

func (r reader) CountAppClients(ctx context.Context, poolID string) (int, error) {
	return r.count(ctx, "count app clients", `SELECT count(*) FROM app_clients WHERE pool_id = ?`, poolID)
}

// ---- resource servers

const rsCols = `seq, pool_id, identifier, name, scopes`

func scanResourceServer(r rowScanner) (*cognito.ResourceServer, error) {
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

func (r reader) GetResourceServer(ctx context.Context, poolID, identifier string) (*cognito.ResourceServer, error) {
	rs, err := scanResourceServer(r.q.QueryRowContext(ctx,
		`SELECT `+rsCols+` FROM resource_servers WHERE pool_id = ? AND identifier = ?`, poolID, identifier))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("resource server", poolID+"/"+identifier)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: get resource server %q in %q: %w", identifier, poolID, err)
	}
	return rs, nil
}

func (r reader) ListResourceServers(ctx context.Context, poolID string, after int64, limit int) ([]*cognito.ResourceServer, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := r.q.QueryContext(ctx,
		`SELECT `+rsCols+` FROM resource_servers WHERE pool_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
		poolID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: list resource servers: %w", err)
	}
	return collect(rows, scanResourceServer, "list resource servers")
}

func (r reader) CountResourceServers(ctx context.Context, poolID string) (int, error) {
	return r.count(ctx, "count resource servers", `SELECT count(*) FROM resource_servers WHERE pool_id = ?`, poolID)
}

// ---- domains

const domainCols = `domain, pool_id, created_ms, managed_login_version`

func scanDomain(r rowScanner) (*cognito.Domain, error) {
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

func (r reader) GetDomain(ctx context.Context, region, domain string) (*cognito.Domain, error) {
	d, err := scanDomain(r.q.QueryRowContext(ctx, `SELECT `+domainCols+` FROM domains WHERE region = ? AND domain = ?`, region, domain))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("domain", domain)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: get domain %q: %w", domain, err)
	}
	return d, nil
}

func (r reader) GetDomainByPool(ctx context.Context, poolID string) (*cognito.Domain, error) {
	d, err := scanDomain(r.q.QueryRowContext(ctx, `SELECT `+domainCols+` FROM domains WHERE pool_id = ?`, poolID))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("domain of user pool", poolID)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: get domain of user pool %q: %w", poolID, err)
	}
	return d, nil
}

// ---- access keys

const accessKeyColumns = `access_key_id, sealed_secret, created_ms, name, root, policy`

func scanAccessKey(row rowScanner) (*cognito.AccessKey, error) {
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

func (r reader) GetAccessKey(ctx context.Context, accessKeyID string) (*cognito.AccessKey, error) {
	k, err := scanAccessKey(r.q.QueryRowContext(ctx,
		`SELECT `+accessKeyColumns+` FROM access_keys WHERE access_key_id = ?`, accessKeyID))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("access key", accessKeyID)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: get access key %q: %w", accessKeyID, err)
	}
	return k, nil
}

func (r reader) ListAccessKeys(ctx context.Context) ([]*cognito.AccessKey, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT `+accessKeyColumns+` FROM access_keys ORDER BY created_ms, access_key_id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: list access keys: %w", err)
	}
	return collect(rows, scanAccessKey, "list access keys")
}

func (r reader) CountAccessKeys(ctx context.Context) (int, error) {
	return r.count(ctx, "count access keys", `SELECT count(*) FROM access_keys`)
}

// ---- helpers

func (r reader) count(ctx context.Context, op, query string, args ...any) (int, error) {
	var n int
	if err := r.q.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: %s: %w", op, err)
	}
	return n, nil
}

func collect[T any](rows pgx.Rows, scan func(rowScanner) (*T, error), op string) ([]*T, error) {
	defer rows.Close()
	var out []*T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: %s: %w", op, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", op, err)
	}
	return out, nil
}

// ---- signing keys

func (r reader) ListSigningKeys(ctx context.Context, poolID string) ([]*cognito.SigningKey, error) {
	rows, err := r.q.QueryContext(ctx,
		`SELECT pool_id, kid, sealed_private_key, status, created_ms, retired_ms
		 FROM signing_keys WHERE pool_id = ? ORDER BY created_ms, kid`, poolID)
	if err != nil {
		return nil, fmt.Errorf("postgres: list signing keys of %q: %w", poolID, err)
	}
	return collect(rows, func(s rowScanner) (*cognito.SigningKey, error) {
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
	}, "list signing keys")
}
