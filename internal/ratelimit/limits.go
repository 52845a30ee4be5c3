package ratelimit

// Config configures Limits.
type Config struct {
	// Quotas are the account-and-region quota buckets by name, each
	// PerSecond(rps) as a rule. Nil (--quotas off) checks none.
	Quotas map[string]Rate
	// SignIn bounds anonymous sign-in attempts per source; every attempt
	// takes a token. Stays on when the quotas are off.
	SignIn Rate
	// AuthFailures bounds failed client authentications per source (a
	// wrong client secret, SECRET_HASH or SigV4 signature): every failure
	// takes a token, and a source with none left is refused until one
	// refills. Stays on when the quotas are off.
	AuthFailures Rate
	// SourceCapacity is the sources each per-source table holds (0:
	// DefaultSourceCapacity).
	SourceCapacity int
	// Clock is the time source (nil: SystemClock).
	Clock Clock
	// OnThrottle, if set, is called for each refused request with the
	// quota bucket's name, or SourceSignIn / SourceAuthFailures: a hook
	// for metrics. It must be cheap and safe for concurrent use.
	OnThrottle func(name string)
}

// Names OnThrottle reports for the per-source limits.
const (
	SourceSignIn       = "source:SignIn"
	SourceAuthFailures = "source:AuthFailures"
)

// Default per-source limits. A person signs in a few times a minute at
// most, but many people can share one address (an office or carrier NAT,
// a test runner): 20 attempts a second with a burst of 100 lets a
// building's morning rush through while holding one address's flood to a
// rate the password hashing keeps up with. Failures are rarer still for
// real clients (a misconfigured secret fails every call, and 20 failures
// in a row say so as well as 2,000): after 20 failures, one more try
// every 3 seconds.
var (
	DefaultSignIn       = Rate{PerSecond: 20, Burst: 100}
	DefaultAuthFailures = Rate{PerSecond: 1.0 / 3, Burst: 20}
)

// Limits is everything a request is checked against. A nil *Limits
// limits nothing. It is safe for concurrent use.
type Limits struct {
	quotas     *Quotas
	signIn     *Sources
	failures   *Sources
	onThrottle func(string)
}

// New returns the limits cfg describes.
func New(cfg Config) *Limits {
	clock := cfg.Clock
	if clock == nil {
		clock = SystemClock()
	}
	l := &Limits{
		signIn:     NewSources(cfg.SignIn, cfg.SourceCapacity, clock),
		failures:   NewSources(cfg.AuthFailures, cfg.SourceCapacity, clock),
		onThrottle: cfg.OnThrottle,
	}
	if cfg.Quotas != nil {
		l.quotas = NewQuotas(cfg.Quotas, clock)
	}
	return l
}

func (l *Limits) throttled(name string) bool {
	if l.onThrottle != nil {
		l.onThrottle(name)
	}
	return false
}

// QuotasOn reports whether quota buckets are checked at all.
func (l *Limits) QuotasOn() bool { return l != nil && l.quotas != nil }

// Quota takes a token from region's bucket of the first of names that
// has one (see Quotas.Allow); when none has, the call is refused and
// counted under names[0].
func (l *Limits) Quota(region string, names ...string) bool {
	if l == nil || l.quotas == nil || len(names) == 0 {
		return true
	}
	if l.quotas.Allow(region, names...) {
		return true
	}
	return l.throttled(names[0])
}

// QuotaRate returns the rate of a quota bucket, when quotas are on and
// the bucket has one.
func (l *Limits) QuotaRate(name string) (Rate, bool) {
	if !l.QuotasOn() {
		return Rate{}, false
	}
	return l.quotas.Rate(name)
}

// SignInAttempt counts one anonymous sign-in attempt from remoteAddr and
// reports whether it may go ahead. An unparsable address (not a TCP
// peer: a test's fake request) is not limited.
func (l *Limits) SignInAttempt(remoteAddr string) bool {
	if l == nil {
		return true
	}
	src, ok := SourceOf(remoteAddr)
	if !ok || l.signIn.Take(src) {
		return true
	}
	return l.throttled(SourceSignIn)
}

// AuthAllowed reports whether remoteAddr may try to authenticate a
// client: false once it has used up its failures.
func (l *Limits) AuthAllowed(remoteAddr string) bool {
	if l == nil {
		return true
	}
	src, ok := SourceOf(remoteAddr)
	if !ok || !l.failures.Empty(src) {
		return true
	}
	return l.throttled(SourceAuthFailures)
}

// AuthFailed counts one failed client authentication from remoteAddr.
func (l *Limits) AuthFailed(remoteAddr string) {
	if l == nil {
		return
	}
	if src, ok := SourceOf(remoteAddr); ok {
		l.failures.Take(src)
	}
}
