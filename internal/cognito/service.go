package cognito

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"time"
)

// Limits are the quotas Cognito enforces, each a setting. Defaults are
// Cognito's defaults (Amazon Cognito developer guide, "Quotas").
type Limits struct {
	UserPoolsPerRegion     int // 1,000
	AppClientsPerPool      int // 1,000
	ResourceServersPerPool int // 25
	// ScopesPerResourceServer can only be lowered: the wire model caps
	// the list at 100.
	ScopesPerResourceServer int // 100
	GroupsPerPool           int // 10,000
	GroupsPerUser           int // 100
	// TagsPerPool is the tags a user pool can have (50).
	TagsPerPool int
}

// DefaultLimits returns Cognito's default quotas.
func DefaultLimits() Limits {
	return Limits{UserPoolsPerRegion: 1000, AppClientsPerPool: 1000, ResourceServersPerPool: 25, ScopesPerResourceServer: 100,
		GroupsPerPool: 10000, GroupsPerUser: 100, TagsPerPool: 50}
}

// Config configures a Service.
type Config struct {
	Store Store
	// Sealer encrypts secrets at rest and signs pagination tokens.
	Sealer *Sealer
	// AccountID appears in ARNs (default 000000000000).
	AccountID string
	// DomainSuffix completes prefix domains:
	// <prefix>.auth.<region>.<DomainSuffix> (default "localhost").
	DomainSuffix string
	Limits       Limits
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives what Cognito would send users by email or SMS
	// (temporary passwords, confirmation codes), marked as such.
	Logger *slog.Logger
	// Messages sends users their codes and temporary passwords; nil
	// means LogSender on Logger.
	Messages MessageSender
	// Tokens signs and checks the tokens of sign-ins (internal/token's
	// Issuer); without it, operations that issue or take tokens fail.
	Tokens Tokens

	// The hooks below are optional. Each must be quick: it runs on the
	// goroutine that made the change.

	// OnPoolCreated runs after each CreateUserPool commits (the server
	// makes the pool's signing keys in the background).
	OnPoolCreated func(poolID string)
	// OnPoolDeleted runs after each DeleteUserPool commits (the pool's
	// keys are dropped from memory).
	OnPoolDeleted func(poolID string)
	// OnStoreChanged runs when WatchStore sees a generation it has not
	// seen before: another process may have changed what is cached (the
	// signing keys). It runs on the watcher's goroutine.
	OnStoreChanged func()
	// OnSignInFailure is told of each failed password or SRP sign-in,
	// with one of SignInFlows and one of SignInFailureReasons (metrics).
	OnSignInFailure func(flow, reason string)
	// Triggers runs the functions a pool's LambdaConfig names
	// (triggers.go); nil means no trigger can be set.
	Triggers TriggerInvoker
}

// Service implements the cognito-idp operations. It is safe for concurrent
// use.
type Service struct {
	store        Store
	sealer       *Sealer
	accountID    string
	domainSuffix string
	limits       Limits
	now          func() time.Time
	logger       *slog.Logger
	grants       grantCache
	poolCreated  func(poolID string)
	poolDeleted  func(poolID string)
	tokens       Tokens
	phantoms     phantomLockouts
	phantomCodes phantomCodes
	messages     MessageSender
	policies     policyCache
	// onSignInFailure: see Config.OnSignInFailure.
	onSignInFailure func(flow, reason string)
	// storeChangedHook: see Config.OnStoreChanged (changes.go).
	storeChangedHook func()
	// triggers: see Config.Triggers.
	triggers TriggerInvoker
}

// NewService checks cfg and returns a Service.
func NewService(cfg Config) (*Service, error) {
	if cfg.Store == nil || cfg.Sealer == nil {
		return nil, errors.New("cognito: Config needs a Store and a Sealer")
	}
	s := &Service{store: cfg.Store, phantoms: phantomLockouts{st: cfg.Store}, phantomCodes: phantomCodes{st: cfg.Store}, sealer: cfg.Sealer, accountID: cfg.AccountID, domainSuffix: cfg.DomainSuffix, limits: cfg.Limits, now: cfg.Now,
		tokens: cfg.Tokens, poolCreated: cfg.OnPoolCreated, poolDeleted: cfg.OnPoolDeleted, storeChangedHook: cfg.OnStoreChanged, onSignInFailure: cfg.OnSignInFailure, triggers: cfg.Triggers}
	if s.accountID == "" {
		s.accountID = "000000000000"
	}
	if s.domainSuffix == "" {
		s.domainSuffix = "localhost"
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.logger = cfg.Logger
	if s.logger == nil {
		s.logger = slog.Default()
	}
	s.triggers = cfg.Triggers
	s.messages = cfg.Messages
	if s.messages == nil {
		s.messages = LogSender{Logger: s.logger}
	}
	d := DefaultLimits()
	for _, l := range []struct {
		v   *int
		def int
	}{
		{&s.limits.UserPoolsPerRegion, d.UserPoolsPerRegion},
		{&s.limits.AppClientsPerPool, d.AppClientsPerPool},
		{&s.limits.ResourceServersPerPool, d.ResourceServersPerPool},
		{&s.limits.ScopesPerResourceServer, d.ScopesPerResourceServer},
		{&s.limits.GroupsPerPool, d.GroupsPerPool},
		{&s.limits.GroupsPerUser, d.GroupsPerUser},
		{&s.limits.TagsPerPool, d.TagsPerPool},
	} {
		if *l.v <= 0 {
			*l.v = l.def
		}
	}
	return s, nil
}

// Store returns the store the service writes to.
func (s *Service) Store() Store { return s.store }

// Sealer returns the service's sealer, for packages that keep their own
// secrets at rest (signing keys).
func (s *Service) Sealer() *Sealer { return s.sealer }

// AccountID is the account the service's ARNs name.
func (s *Service) AccountID() string { return s.accountID }

// Caller is who makes a request: the verified access key and the region
// of its SigV4 credential scope, and what IAM conditions see of the
// connection.
type Caller struct {
	AccessKeyID string
	Region      string
	// SourceIP is the connection's peer address (never a forwarded-for
	// header, which the client writes); the zero Addr when unknown.
	SourceIP netip.Addr
	// SecureTransport is whether the request came over TLS.
	SecureTransport bool
	// verified: see WithKey (access_key_cache.go).
	verified *VerifiedAccessKey
}

// ConnInfo returns what IAM conditions see of r's connection: the peer
// address of r.RemoteAddr and whether r came over TLS.
func ConnInfo(r *http.Request) (netip.Addr, bool) {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	var ip netip.Addr
	if err == nil {
		ip = ap.Addr().Unmap()
	}
	return ip, r.TLS != nil
}

type callerKey struct{}

// WithCaller returns ctx carrying c.
func WithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerFrom returns the caller ctx carries.
func CallerFrom(ctx context.Context) (Caller, bool) {
	c, ok := ctx.Value(callerKey{}).(Caller)
	return c, ok
}

func (s *Service) region(ctx context.Context) (string, error) {
	c, ok := CallerFrom(ctx)
	if !ok || c.Region == "" {
		return "", &Error{Type: ErrInternal.Type, Message: ErrInternal.Message, Cause: errors.New("cognito: no caller region in context")}
	}
	return c.Region, nil
}

// PoolARN returns the ARN of a pool.
func (s *Service) PoolARN(poolID string) string {
	return fmt.Sprintf("arn:aws:cognito-idp:%s:%s:userpool/%s", RegionOfPoolID(poolID), s.accountID, poolID)
}

// getPool returns a pool visible to the caller: one in the caller's region.
func (s *Service) getPool(ctx context.Context, r Reader, poolID string) (*UserPool, error) {
	region, err := s.region(ctx)
	if err != nil {
		return nil, err
	}
	p, err := r.GetUserPool(ctx, poolID)
	if errors.Is(err, ErrNotFound) || (err == nil && p.Region() != region) {
		return nil, ErrResourceNotFound.WithMessagef(msgPoolNotFound, poolID)
	}
	if err != nil {
		return nil, asError(err)
	}
	return p, nil
}

// update runs fn in a store transaction and turns storage errors into
// Cognito exceptions. It is for writes to what the grant cache holds
// (pools, app clients, resource servers, domains, existing access keys),
// so it is where the cache learns that something changed.
func (s *Service) update(ctx context.Context, fn func(tx Tx) error) error {
	// The generation advances in the same transaction, so other
	// instances on the database drop their caches too (changes.go).
	err := s.store.Update(ctx, func(tx Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return tx.BumpGeneration(ctx)
	})
	if !errors.Is(err, ErrStoreUnavailable) {
		s.grants.invalidate()
	}
	// A write that failed because the store could not be reached keeps
	// the cache, so that cached clients go on getting tokens through an
	// outage. If it did commit (the connection dropped after COMMIT was
	// sent), its BumpGeneration committed with it, and WatchStore drops
	// the cache when it reads the new generation, or when the store
	// answers again after failing.
	return asError(err)
}

// updateUncached is update for writes to rows the grant cache does not
// hold (users, codes, refresh tokens, new access keys): sign-ins and code
// exchanges must not cost the token endpoint its cache.
func (s *Service) updateUncached(ctx context.Context, fn func(tx Tx) error) error {
	return asError(s.store.Update(ctx, fn))
}

func clampMaxResults(v *int32, def int) int {
	if v == nil || *v <= 0 {
		return def
	}
	return int(*v)
}
