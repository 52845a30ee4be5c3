package cognito

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// GrantError is a refusal at the OAuth endpoints, carrying the RFC 6749
// error code Cognito answers with. internal/oauth maps it to a response.
type GrantError struct {
	Code string
	// Reason is for logs; clients see only the code, as from Cognito.
	Reason string
}

func (e *GrantError) Error() string { return "oauth " + e.Code + ": " + e.Reason }

// Is matches on the code.
func (e *GrantError) Is(target error) bool {
	t, ok := target.(*GrantError)
	return ok && t.Code == e.Code
}

// The OAuth 2.0 error codes (RFC 6749 section 5.2).
var (
	ErrGrantInvalidRequest     = &GrantError{Code: "invalid_request"}
	ErrGrantInvalidClient      = &GrantError{Code: "invalid_client"}
	ErrGrantInvalidGrant       = &GrantError{Code: "invalid_grant"}
	ErrGrantUnauthorizedClient = &GrantError{Code: "unauthorized_client"}
	ErrGrantUnsupportedGrant   = &GrantError{Code: "unsupported_grant_type"}
	ErrGrantInvalidScope       = &GrantError{Code: "invalid_scope"}
)

func grantError(base *GrantError, reason string) *GrantError {
	return &GrantError{Code: base.Code, Reason: reason}
}

// ClientGrant is what the client credentials grant decided: who gets a
// token, for which pool, with which scopes, for how long.
type ClientGrant struct {
	PoolID   string
	ClientID string
	// Scopes are the granted scopes, in the order they go into the
	// space-separated scope claim.
	Scopes   []string
	Lifetime time.Duration
	// Overrides are a V3_0 pre token generation function's changes to the
	// token's claims (triggers_tokens.go); nil when none.
	Overrides *ClaimOverrides
}

// ClientCredentials applies Cognito's rules for grant_type
// client_credentials (developer guide, "Token endpoint" and "Defining
// resource servers"):
//
//   - the client must exist in the pool and present its secret;
//   - it must allow OAuth flows and the client_credentials flow;
//   - each requested scope (a space-separated list of full names
//     "identifier/scope") must be among the client's AllowedOAuthScopes,
//     or the request fails and no token is issued;
//   - "Deleting a scope from a resource server does not delete its
//     association with all clients; deleting the scope makes it
//     inactive. So if a client app requests the deleted scope at runtime,
//     the scope is ignored and is not included in the access token";
//   - without a scope parameter the token carries every active custom
//     scope the client is allowed;
//   - when no active scope remains, cognitod refuses with invalid_scope
//     rather than issue a token that authorizes nothing.
//
// requested is nil when the request had no scope parameter. poolID is ""
// when the endpoint does not name a pool. The answer comes from memory
// while nothing has changed since it was last read.
func (s *Service) ClientCredentials(ctx context.Context, poolID string, auth ClientAuth, requested *string) (*ClientGrant, error) {
	c, err := s.authenticateClient(ctx, poolID, auth)
	if err != nil {
		return nil, err
	}
	if !c.client.HasSecret() {
		return nil, grantError(ErrGrantInvalidClient, "client has no secret")
	}
	st := &c.client.Settings
	if !st.AllowedOAuthFlowsUserPoolClient {
		// Observed from Cognito for clients with OAuth turned off.
		return nil, grantError(ErrGrantInvalidGrant, "client does not allow OAuth flows")
	}
	if !slices.Contains(st.AllowedOAuthFlows, FlowClientCredentials) {
		return nil, grantError(ErrGrantUnauthorizedClient, "client does not allow client_credentials")
	}
	active, err := s.grants.activeScopes(ctx, s, c.client.UserPoolID)
	if err != nil {
		return nil, err
	}
	var wanted []string
	if requested == nil {
		wanted = st.AllowedOAuthScopes
	} else {
		wanted = splitScopes(*requested)
		if len(wanted) == 0 {
			return nil, grantError(ErrGrantInvalidScope, "empty scope parameter")
		}
		for _, sc := range wanted {
			if !slices.Contains(st.AllowedOAuthScopes, sc) {
				return nil, grantError(ErrGrantInvalidScope, "scope not allowed for the client: "+sc)
			}
		}
	}
	granted := make([]string, 0, len(wanted))
	for _, sc := range wanted {
		if active[sc] && !slices.Contains(granted, sc) {
			granted = append(granted, sc)
		}
	}
	if len(granted) == 0 {
		return nil, grantError(ErrGrantInvalidScope, "no active scope left")
	}
	g := &ClientGrant{PoolID: c.client.UserPoolID, ClientID: c.client.ClientID, Scopes: granted,
		Lifetime: time.Duration(c.client.AccessTokenTTLSeconds()) * time.Second}
	if err := s.preTokenClientCredentials(ctx, g); err != nil { // triggers_tokens.go
		return nil, err
	}
	return g, nil
}

// grantCache keeps the token endpoint off the database: clients (with a
// hash of their secret, never the secret) and each pool's set of active
// custom scopes. Every write through the Service bumps the generation,
// which invalidates everything read before it; entries remember the
// generation current when their read began, so a read that races a write
// is never trusted afterwards.
type grantCache struct {
	gen     atomic.Uint64
	mu      sync.RWMutex
	clients rowMap[cachedClient]
	scopes  rowMap[map[string]bool]
	pools   rowMap[UserPool]
	domains rowMap[Domain]
	// machineTriggers: see machineTrigger (triggers_tokens.go).
	machineTriggers rowMap[string]
	// accessKeys: see access_key_cache.go.
	accessKeys rowMap[VerifiedAccessKey]
	// servers: each pool's resource servers (resource_server_cache.go).
	servers rowMap[[]*ResourceServer]
}

// cachedRow is one row read at generation gen; row is nil when it did not
// exist.
type cachedRow[T any] struct {
	gen uint64
	row *T
}

// cachedLookup returns the row under key from m, or reads it with get and
// remembers the answer, "not found" included.
func cachedLookup[T any](g *grantCache, m *rowMap[T], key string, get func() (*T, error)) (*T, error) {
	return fill(g, m, key, get, true)
}

// fill is cachedLookup, remembering a row that does not exist only when
// missesToo: a lookup keyed by what an anonymous caller presents (an
// access key ID) reads again instead, so made-up keys cannot push real
// ones out.
func fill[T any](g *grantCache, m *rowMap[T], key string, get func() (*T, error), missesToo bool) (*T, error) {
	gen := g.gen.Load()
	if row, ok := peekCached(g, m, key, gen); ok {
		return row, nil
	}
	row, err := get()
	if errors.Is(err, ErrNotFound) {
		row, err = nil, nil
	}
	if err != nil {
		return nil, asError(err)
	}
	if row == nil && !missesToo {
		return nil, nil
	}
	g.mu.Lock()
	m.put(key, &cachedRow[T]{gen: gen, row: row})
	g.mu.Unlock()
	return row, nil
}

// peekCached returns the row cached under key for generation gen, if any.
// It only reads: a key that is not cached is not remembered.
func peekCached[T any](g *grantCache, m *rowMap[T], key string, gen uint64) (*T, bool) {
	g.mu.RLock()
	c, old := m.get(key)
	g.mu.RUnlock()
	if c == nil || c.gen != gen {
		return nil, false
	}
	if old {
		g.mu.Lock()
		m.put(key, c)
		g.mu.Unlock()
	}
	return c.row, true
}

// ClientAuth is the client authentication a token or revocation request
// presented. RFC 6749 section 2.3.1 has a Basic secret form-encoded, but
// clients such as curl send it as is, and a secret may hold '+', which
// form-decoding turns into a space: SecretAsSent is the undecoded
// reading, "" when it is the same as Secret.
type ClientAuth struct {
	ClientID     string
	Secret       string
	SecretAsSent string
}

// authenticateClient is the client check shared by every grant and the
// revocation endpoint: the client exists (in the pool, when the endpoint
// names one), a client with a secret presented it, and a public client
// presented none. It is served from the grant cache.
func (s *Service) authenticateClient(ctx context.Context, poolID string, auth ClientAuth) (*cachedClient, error) {
	c, err := s.grants.client(ctx, s, auth.ClientID)
	if err != nil {
		return nil, err
	}
	if c.client == nil || (poolID != "" && c.client.UserPoolID != poolID) {
		return nil, grantError(ErrGrantInvalidClient, "unknown client")
	}
	switch {
	case c.client.HasSecret() && !c.secretIs(auth):
		return nil, grantError(ErrGrantInvalidClient, "wrong or missing client secret")
	case !c.client.HasSecret() && auth.Secret != "":
		return nil, grantError(ErrGrantInvalidClient, "a secret for a public client")
	}
	return c, nil
}

// secretIs compares each reading of the presented secret with the
// client's in constant time.
func (c *cachedClient) secretIs(auth ClientAuth) bool {
	presented := sha256.Sum256([]byte(auth.Secret))
	match := subtle.ConstantTimeCompare(presented[:], c.secretHash[:])
	if auth.SecretAsSent != "" {
		asSent := sha256.Sum256([]byte(auth.SecretAsSent))
		match |= subtle.ConstantTimeCompare(asSent[:], c.secretHash[:])
	}
	return match == 1
}

type cachedClient struct {
	client *AppClient // nil: no such client
	// secretHash is the SHA-256 of the client's secret, opened once, so
	// that a token request costs no decryption; zero without a secret.
	secretHash [sha256.Size]byte
}

// noClient is the answer for a client ID that names no client.
var noClient = &cachedClient{}

// maxCacheEntries bounds each of the cache's maps, against a flood of
// made-up IDs and a deployment with more clients than memory should hold
// (rowMap keeps those used most recently). 200,000 entries hold 100,000
// clients in use at once with room to spare; a cached client weighs about
// a kilobyte.
const maxCacheEntries = 200_000

func (g *grantCache) invalidate() { g.gen.Add(1) }

func (g *grantCache) client(ctx context.Context, s *Service, clientID string) (*cachedClient, error) {
	if !clientIDPattern.MatchString(clientID) {
		return noClient, nil // not looked up, not cached: the key is the caller's
	}
	c, err := cachedLookup(g, &g.clients, clientID, func() (*cachedClient, error) {
		ac, err := s.store.GetAppClient(ctx, clientID)
		if err != nil {
			return nil, err
		}
		c := &cachedClient{client: ac}
		if ac.HasSecret() {
			secret, err := s.ClientSecret(ac)
			if err != nil {
				return nil, err
			}
			c.secretHash = sha256.Sum256([]byte(secret))
		}
		return c, nil
	})
	if c == nil && err == nil {
		return noClient, nil
	}
	return c, err
}

// activeScopes returns the full names ("identifier/scope") of the pool's
// custom scopes.
func (g *grantCache) activeScopes(ctx context.Context, s *Service, poolID string) (map[string]bool, error) {
	active, err := cachedLookup(g, &g.scopes, poolID, func() (*map[string]bool, error) {
		list, err := g.poolServers(ctx, s, poolID)
		if err != nil {
			return nil, err
		}
		active := map[string]bool{}
		for _, rs := range list {
			for _, sc := range rs.Scopes {
				active[rs.Identifier+"/"+sc.ScopeName] = true
			}
		}
		return &active, nil
	})
	if err != nil {
		return nil, err
	}
	return *active, nil
}

// splitScopes splits a scope parameter at spaces (RFC 6749 section 3.3:
// "space-delimited"), ignoring empty entries.
func splitScopes(s string) []string {
	var out []string
	for _, sc := range strings.Split(s, " ") {
		if sc != "" {
			out = append(out, sc)
		}
	}
	return out
}
