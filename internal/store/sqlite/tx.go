package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/sqlstore"
)

// tx is the cognito.Tx handed to Update's fn. Its reads go through the
// same *sql.Tx as its writes.
type tx struct {
	reader
	st *sql.Tx
}

var _ cognito.Tx = (*tx)(nil)

// affected turns "no row matched" into ErrNotFound.
func affected(res sql.Result, err error, op, what, key string) error {
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", op, err)
	}
	if n == 0 {
		return notFound(what, key)
	}
	return nil
}

// ---- user pools

func (t *tx) CreateUserPool(ctx context.Context, p *cognito.UserPool) error {
	settings, err := sqlstore.MarshalJSON(&p.Settings)
	if err != nil {
		return fmt.Errorf("sqlite: create user pool %q: encode settings: %w", p.ID, err)
	}
	var seq int64
	err = t.st.QueryRowContext(ctx,
		`INSERT INTO user_pools (id, region, name, created_ms, modified_ms, settings)
		 VALUES (?, ?, ?, ?, ?, ?) RETURNING seq`,
		p.ID, cognito.RegionOfPoolID(p.ID), p.Name, sqlstore.ToMS(p.CreationDate), sqlstore.ToMS(p.LastModifiedDate), settings).
		Scan(&seq)
	if err != nil {
		return writeErr(fmt.Sprintf("create user pool %q", p.ID), err)
	}
	p.Seq = seq
	return nil
}

// UpdateUserPool writes p's name, settings and last-modified date; ID,
// creation date and Seq never change.
func (t *tx) UpdateUserPool(ctx context.Context, p *cognito.UserPool) error {
	settings, err := sqlstore.MarshalJSON(&p.Settings)
	if err != nil {
		return fmt.Errorf("sqlite: update user pool %q: encode settings: %w", p.ID, err)
	}
	res, err := t.st.ExecContext(ctx,
		`UPDATE user_pools SET name = ?, modified_ms = ?, settings = ? WHERE id = ?`,
		p.Name, sqlstore.ToMS(p.LastModifiedDate), settings, p.ID)
	return affected(res, err, fmt.Sprintf("update user pool %q", p.ID), "user pool", p.ID)
}

// DeleteUserPool deletes the pool; the foreign keys cascade to its app
// clients, resource servers and domain.
func (t *tx) DeleteUserPool(ctx context.Context, id string) error {
	res, err := t.st.ExecContext(ctx, `DELETE FROM user_pools WHERE id = ?`, id)
	return affected(res, err, fmt.Sprintf("delete user pool %q", id), "user pool", id)
}

// ---- app clients

func (t *tx) CreateAppClient(ctx context.Context, c *cognito.AppClient) error {
	settings, err := sqlstore.MarshalJSON(&c.Settings)
	if err != nil {
		return fmt.Errorf("sqlite: create app client %q: encode settings: %w", c.ClientID, err)
	}
	var seq int64
	err = t.st.QueryRowContext(ctx,
		`INSERT INTO app_clients (client_id, pool_id, sealed_secret, created_ms, modified_ms, settings)
		 VALUES (?, ?, ?, ?, ?, ?) RETURNING seq`,
		c.ClientID, c.UserPoolID, sqlstore.BlobArg(c.SealedSecret), sqlstore.ToMS(c.CreationDate), sqlstore.ToMS(c.LastModifiedDate), settings).
		Scan(&seq)
	if err != nil {
		return writeErr(fmt.Sprintf("create app client %q in %q", c.ClientID, c.UserPoolID), err)
	}
	c.Seq = seq
	return nil
}

// UpdateAppClient writes c's sealed secret, settings and last-modified
// date. The client must belong to c.UserPoolID.
func (t *tx) UpdateAppClient(ctx context.Context, c *cognito.AppClient) error {
	settings, err := sqlstore.MarshalJSON(&c.Settings)
	if err != nil {
		return fmt.Errorf("sqlite: update app client %q: encode settings: %w", c.ClientID, err)
	}
	res, err := t.st.ExecContext(ctx,
		`UPDATE app_clients SET sealed_secret = ?, modified_ms = ?, settings = ?
		 WHERE client_id = ? AND pool_id = ?`,
		sqlstore.BlobArg(c.SealedSecret), sqlstore.ToMS(c.LastModifiedDate), settings, c.ClientID, c.UserPoolID)
	return affected(res, err, fmt.Sprintf("update app client %q", c.ClientID), "app client", c.UserPoolID+"/"+c.ClientID)
}

func (t *tx) DeleteAppClient(ctx context.Context, poolID, clientID string) error {
	res, err := t.st.ExecContext(ctx, `DELETE FROM app_clients WHERE pool_id = ? AND client_id = ?`, poolID, clientID)
	return affected(res, err, fmt.Sprintf("delete app client %q", clientID), "app client", poolID+"/"+clientID)
}

// ---- resource servers

func (t *tx) CreateResourceServer(ctx context.Context, rs *cognito.ResourceServer) error {
	scopes, err := marshalScopes(rs.Scopes)
	if err != nil {
		return fmt.Errorf("sqlite: create resource server %q: encode scopes: %w", rs.Identifier, err)
	}
	var seq int64
	err = t.st.QueryRowContext(ctx,
		`INSERT INTO resource_servers (pool_id, identifier, name, scopes) VALUES (?, ?, ?, ?) RETURNING seq`,
		rs.UserPoolID, rs.Identifier, rs.Name, scopes).Scan(&seq)
	if err != nil {
		return writeErr(fmt.Sprintf("create resource server %q in %q", rs.Identifier, rs.UserPoolID), err)
	}
	rs.Seq = seq
	return nil
}

// UpdateResourceServer writes rs's name and scopes.
func (t *tx) UpdateResourceServer(ctx context.Context, rs *cognito.ResourceServer) error {
	scopes, err := marshalScopes(rs.Scopes)
	if err != nil {
		return fmt.Errorf("sqlite: update resource server %q: encode scopes: %w", rs.Identifier, err)
	}
	res, err := t.st.ExecContext(ctx,
		`UPDATE resource_servers SET name = ?, scopes = ? WHERE pool_id = ? AND identifier = ?`,
		rs.Name, scopes, rs.UserPoolID, rs.Identifier)
	return affected(res, err, fmt.Sprintf("update resource server %q", rs.Identifier), "resource server", rs.UserPoolID+"/"+rs.Identifier)
}

func (t *tx) DeleteResourceServer(ctx context.Context, poolID, identifier string) error {
	res, err := t.st.ExecContext(ctx, `DELETE FROM resource_servers WHERE pool_id = ? AND identifier = ?`, poolID, identifier)
	return affected(res, err, fmt.Sprintf("delete resource server %q", identifier), "resource server", poolID+"/"+identifier)
}

// marshalScopes stores nil and empty alike, as [].
func marshalScopes(s []cognito.ResourceServerScope) (string, error) {
	if len(s) == 0 {
		return "[]", nil
	}
	return sqlstore.MarshalJSON(s)
}

// ---- domains

func (t *tx) CreateDomain(ctx context.Context, d *cognito.Domain) error {
	_, err := t.st.ExecContext(ctx,
		`INSERT INTO domains (region, domain, pool_id, created_ms, managed_login_version) VALUES (?, ?, ?, ?, ?)`,
		cognito.RegionOfPoolID(d.UserPoolID), d.Domain, d.UserPoolID, sqlstore.ToMS(d.CreationDate), d.ManagedLoginVersion)
	if err != nil {
		return writeErr(fmt.Sprintf("create domain %q for %q", d.Domain, d.UserPoolID), err)
	}
	return nil
}

func (t *tx) DeleteDomain(ctx context.Context, region, domain string) error {
	res, err := t.st.ExecContext(ctx, `DELETE FROM domains WHERE region = ? AND domain = ?`, region, domain)
	return affected(res, err, fmt.Sprintf("delete domain %q", domain), "domain", domain)
}

// ---- access keys

func (t *tx) CreateAccessKey(ctx context.Context, k *cognito.AccessKey) error {
	_, err := t.st.ExecContext(ctx,
		`INSERT INTO access_keys (access_key_id, sealed_secret, created_ms, name, root, policy) VALUES (?, ?, ?, ?, ?, ?)`,
		k.AccessKeyID, sqlstore.BlobArg(k.SealedSecret), sqlstore.ToMS(k.CreationDate), k.Name, k.Root, optText(k.Policy))
	if err != nil {
		return writeErr(fmt.Sprintf("create access key %q", k.AccessKeyID), err)
	}
	return nil
}

func (t *tx) DeleteAccessKey(ctx context.Context, accessKeyID string) error {
	res, err := t.st.ExecContext(ctx, `DELETE FROM access_keys WHERE access_key_id = ?`, accessKeyID)
	return affected(res, err, fmt.Sprintf("delete access key %q", accessKeyID), "access key", accessKeyID)
}

func (t *tx) UpdateAccessKey(ctx context.Context, k *cognito.AccessKey) error {
	res, err := t.st.ExecContext(ctx, `UPDATE access_keys SET name = ?, root = ?, policy = ? WHERE access_key_id = ?`,
		k.Name, k.Root, optText(k.Policy), k.AccessKeyID)
	return affected(res, err, fmt.Sprintf("update access key %q", k.AccessKeyID), "access key", k.AccessKeyID)
}

// optText stores "" as NULL: a key without a policy has none, not an
// empty one.
func optText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// ---- signing keys

func (t *tx) CreateSigningKey(ctx context.Context, k *cognito.SigningKey) error {
	_, err := t.st.ExecContext(ctx,
		`INSERT INTO signing_keys (pool_id, kid, sealed_private_key, status, created_ms, retired_ms) VALUES (?, ?, ?, ?, ?, ?)`,
		k.UserPoolID, k.KID, k.SealedPrivateKey, k.Status, sqlstore.ToMS(k.CreationDate), sqlstore.ToOptMS(k.RetiredAt))
	if err != nil {
		return writeErr(fmt.Sprintf("create signing key %q of %q", k.KID, k.UserPoolID), err)
	}
	return nil
}

// UpdateSigningKey writes k's status and retirement time.
func (t *tx) UpdateSigningKey(ctx context.Context, k *cognito.SigningKey) error {
	res, err := t.st.ExecContext(ctx,
		`UPDATE signing_keys SET status = ?, retired_ms = ? WHERE pool_id = ? AND kid = ?`,
		k.Status, sqlstore.ToOptMS(k.RetiredAt), k.UserPoolID, k.KID)
	if err != nil {
		return writeErr(fmt.Sprintf("update signing key %q of %q", k.KID, k.UserPoolID), err)
	}
	return affected(res, nil, fmt.Sprintf("update signing key %q of %q", k.KID, k.UserPoolID), "signing key", k.KID)
}

func (t *tx) DeleteSigningKey(ctx context.Context, poolID, kid string) error {
	res, err := t.st.ExecContext(ctx, `DELETE FROM signing_keys WHERE pool_id = ? AND kid = ?`, poolID, kid)
	return affected(res, err, fmt.Sprintf("delete signing key %q of %q", kid, poolID), "signing key", kid)
}
