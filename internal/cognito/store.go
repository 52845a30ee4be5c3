package cognito

import (
	"context"
	"time"
)

// Store is what the domain needs from persistence. Backends live in
// internal/store/...; every one of them passes storetest.Run unchanged.
//
// Uniqueness is the store's job: Create* methods return an error that
// errors.Is ErrAlreadyExists when the key (pool ID, client ID, resource
// server identifier within its pool, domain prefix, access key ID) is taken,
// and Get*/Update*/Delete* return ErrNotFound for a missing row. Rules that
// read before they write run inside Update, which the store executes as one
// transaction.
type Store interface {
	Reader

	// Update runs fn in one transaction and commits if fn returns nil.
	// The store may call fn more than once (after a serialization
	// failure), so fn must have no effects beyond tx and the values it
	// returns through its closure.
	Update(ctx context.Context, fn func(tx Tx) error) error

	// --- shared state (issue 12): see shared_state.go ---
	SharedState
	// --- end shared state ---

	Close() error

	ChangeSignal
}

// Reader holds the reads, usable inside and outside a transaction.
//
// List methods return up to limit rows whose Seq is greater than after, in
// Seq order: keyset pagination, which stays correct when rows are added or
// deleted between pages. A limit of zero or less returns no rows.
type Reader interface {
	GetUserPool(ctx context.Context, id string) (*UserPool, error)
	ListUserPools(ctx context.Context, region string, after int64, limit int) ([]*UserPool, error)
	CountUserPools(ctx context.Context, region string) (int, error)

	GetAppClient(ctx context.Context, clientID string) (*AppClient, error)
	ListAppClients(ctx context.Context, poolID string, after int64, limit int) ([]*AppClient, error)
	CountAppClients(ctx context.Context, poolID string) (int, error)

	GetResourceServer(ctx context.Context, poolID, identifier string) (*ResourceServer, error)
	ListResourceServers(ctx context.Context, poolID string, after int64, limit int) ([]*ResourceServer, error)
	CountResourceServers(ctx context.Context, poolID string) (int, error)

	// GetDomain returns the prefix domain of a region (prefixes are unique
	// within a region).
	GetDomain(ctx context.Context, region, domain string) (*Domain, error)
	// GetDomainByPool returns the pool's domain, or ErrNotFound.
	GetDomainByPool(ctx context.Context, poolID string) (*Domain, error)

	GetAccessKey(ctx context.Context, accessKeyID string) (*AccessKey, error)
	CountAccessKeys(ctx context.Context) (int, error)
	// ListAccessKeys returns every access key, oldest first (then by ID).
	ListAccessKeys(ctx context.Context) ([]*AccessKey, error)

	// ListSigningKeys returns a pool's signing keys, oldest first.
	ListSigningKeys(ctx context.Context, poolID string) ([]*SigningKey, error)

	// GetUser returns the user whose UsernameKey is key.
	GetUser(ctx context.Context, poolID, key string) (*User, error)
	GetUserBySub(ctx context.Context, poolID, sub string) (*User, error)
	ListUsers(ctx context.Context, poolID string, after int64, limit int) ([]*User, error)
	CountUsers(ctx context.Context, poolID string) (int, error)

	GetRefreshToken(ctx context.Context, hash string) (*RefreshToken, error)
	// GetRefreshTokenByOriginJTI finds the refresh token an access or ID
	// token was issued with.
	GetRefreshTokenByOriginJTI(ctx context.Context, poolID, originJTI string) (*RefreshToken, error)

	GetAuthCode(ctx context.Context, hash string) (*AuthCode, error)

	GroupReader
	UserCodeReader
	// --- hosted UI customization (issue 13): ui_customization_store.go ---
	UICustomizationReader
	UserMFAReader // mfa_store.go
}

// Tx is a transaction: reads see its own writes.
type Tx interface {
	Reader

	// CreateUserPool inserts p and sets p.Seq.
	CreateUserPool(ctx context.Context, p *UserPool) error
	UpdateUserPool(ctx context.Context, p *UserPool) error
	// DeleteUserPool deletes the pool and everything under it: app
	// clients, resource servers, its domain, its signing keys, its users
	// and groups.
	DeleteUserPool(ctx context.Context, id string) error

	// CreateAppClient inserts c and sets c.Seq.
	CreateAppClient(ctx context.Context, c *AppClient) error
	UpdateAppClient(ctx context.Context, c *AppClient) error
	DeleteAppClient(ctx context.Context, poolID, clientID string) error

	// CreateResourceServer inserts rs and sets rs.Seq.
	CreateResourceServer(ctx context.Context, rs *ResourceServer) error
	UpdateResourceServer(ctx context.Context, rs *ResourceServer) error
	DeleteResourceServer(ctx context.Context, poolID, identifier string) error

	CreateDomain(ctx context.Context, d *Domain) error
	DeleteDomain(ctx context.Context, region, domain string) error

	CreateAccessKey(ctx context.Context, k *AccessKey) error
	DeleteAccessKey(ctx context.Context, accessKeyID string) error
	// UpdateAccessKey writes k's name, root flag and policy (never its
	// secret or creation date), finding it by ID.
	UpdateAccessKey(ctx context.Context, k *AccessKey) error

	// CreateSigningKey inserts k. A pool has at most one active and one
	// next key: a second one is ErrAlreadyExists, as is a duplicate kid.
	CreateSigningKey(ctx context.Context, k *SigningKey) error
	// UpdateSigningKey writes k's status and retirement time.
	UpdateSigningKey(ctx context.Context, k *SigningKey) error
	DeleteSigningKey(ctx context.Context, poolID, kid string) error

	// CreateUser inserts u and sets u.Seq; UsernameKey and Sub are unique
	// within the pool.
	CreateUser(ctx context.Context, u *User) error
	// UpdateUser writes everything but the pool, Sub, CreationDate and
	// Seq, finding the user by Sub.
	UpdateUser(ctx context.Context, u *User) error
	DeleteUser(ctx context.Context, poolID, sub string) error

	CreateRefreshToken(ctx context.Context, t *RefreshToken) error
	// RevokeRefreshTokens revokes, at time at, the user's refresh tokens
	// (all of them when hash is "", else the family of the one with that
	// hash: every token sharing its OriginJTI, rotated ones included).
	RevokeRefreshTokens(ctx context.Context, poolID, sub, hash string, at time.Time) error
	// RotateRefreshToken marks the current token hash rotated at at, keeping
	// sealedSuccessor. It is ErrNotFound unless the token exists and is
	// neither rotated nor revoked, so a token is rotated at most once.
	RotateRefreshToken(ctx context.Context, hash string, at time.Time, sealedSuccessor []byte) error

	CreateAuthCode(ctx context.Context, c *AuthCode) error
	// RedeemAuthCode marks the code used at usedAt for the tokens named
	// originJTI; it is ErrNotFound for an unknown code.
	RedeemAuthCode(ctx context.Context, hash string, usedAt time.Time, originJTI string) error

	GroupWriter
	UserCodeWriter
	// --- hosted UI customization (issue 13): ui_customization_store.go ---
	UICustomizationWriter
	UserMFAWriter // mfa_store.go

	GenerationWriter
}

// ---- change signal (issue 12): several instances on one database.

// ChangeSignal lets a process see configuration written by another process
// on the same database. The generation is a counter that every
// configuration write (pools, app clients, resource servers, domains,
// signing keys) advances in its own transaction, so a reader that sees a
// new value knows its caches may be stale.
type ChangeSignal interface {
	// Generation returns the current generation: one tiny read, cheap
	// enough to poll several times a second.
	Generation(ctx context.Context) (uint64, error)
}

// GenerationWriter is the Tx side of ChangeSignal.
type GenerationWriter interface {
	// BumpGeneration advances the generation when the transaction
	// commits.
	BumpGeneration(ctx context.Context) error
}
