package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/ratelimit"
	"github.com/cognitod/cognitod/internal/server"
)

// quotaFlags are serve's request-rate settings: --quotas on|off and
// --quota CATEGORY=RPS (repeatable), with COGNITOD_QUOTAS and
// COGNITOD_QUOTA (a comma-separated CATEGORY=RPS list) as their twins.
type quotaFlags struct {
	mode      string
	overrides map[string]float64
	problems  []string
	// The per-source limits: sign-in attempts per second (burst five
	// seconds' worth) and failed client authentications (that many, then
	// that many a minute).
	signInRPS    float64
	authFailures float64
}

// quotaList is the repeatable --quota flag.
type quotaList struct{ q *quotaFlags }

func (l quotaList) String() string { return "" }

func (l quotaList) Set(v string) error {
	for item := range strings.SplitSeq(v, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		name, rps, ok := strings.Cut(item, "=")
		if !ok {
			return fmt.Errorf("%q: want CATEGORY=RPS", item)
		}
		if !cognito.IsQuotaCategory(name) {
			return fmt.Errorf("%q: unknown category (one of %s)", name, strings.Join(quotaCategories(), ", "))
		}
		n, err := strconv.ParseFloat(rps, 64)
		if err != nil || n < 0 || n > 1e9 {
			return fmt.Errorf("%q: want a number of requests per second, 0 for no limit", item)
		}
		l.q.overrides[name] = n
	}
	return nil
}

func quotaCategories() []string {
	var names []string
	for name := range cognito.DefaultQuotas {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// addQuotaFlags registers the flags; c.quotas is filled in by Parse and
// checked by quotaProblems.
func addQuotaFlags(fs *flag.FlagSet, c *serveConfig) {
	q := &quotaFlags{overrides: map[string]float64{}}
	c.quotaFlags = q
	fs.StringVar(&q.mode, "quotas", "on", "Cognito's request-rate quotas: on (Cognito's default rates) or off; per-source sign-in limits stay on (COGNITOD_QUOTAS)")
	if v, ok := os.LookupEnv("COGNITOD_QUOTA"); ok {
		if err := (quotaList{q}).Set(v); err != nil {
			q.problems = append(q.problems, "COGNITOD_QUOTA: "+err.Error())
		}
	}
	fs.Float64Var(&q.signInRPS, "source-signin-rps", ratelimit.DefaultSignIn.PerSecond,
		"anonymous sign-in attempts per second from one client address, with a burst of five seconds' worth; always on (COGNITOD_SOURCE_SIGNIN_RPS)")
	fs.Float64Var(&q.authFailures, "source-auth-failures", ratelimit.DefaultAuthFailures.Burst,
		"failed client authentications (secret, SECRET_HASH, SigV4) one client address may make before it is refused, refilling at that many a minute; always on (COGNITOD_SOURCE_AUTH_FAILURES)")
	fs.Var(quotaList{q}, "quota", "set one category's rate in requests per second, CATEGORY=RPS (0: no limit); repeatable (COGNITOD_QUOTA, comma-separated)")
}

// quotaOptions returns the parsed settings, or the problems found.
func (c *serveConfig) quotaOptions() (server.QuotaOptions, []string) {
	q := c.quotaFlags
	problems := q.problems
	if q.mode != "on" && q.mode != "off" {
		problems = append(problems, fmt.Sprintf("--quotas %q: want on or off", q.mode))
	}
	if !(q.signInRPS > 0 && q.signInRPS <= 1e6) {
		problems = append(problems, fmt.Sprintf("--source-signin-rps %v: want a positive rate (the per-source limits cannot be turned off)", q.signInRPS))
	}
	if !(q.authFailures >= 1 && q.authFailures <= 1e6) {
		problems = append(problems, fmt.Sprintf("--source-auth-failures %v: want at least 1 (the per-source limits cannot be turned off)", q.authFailures))
	}
	return server.QuotaOptions{Off: q.mode == "off", Overrides: q.overrides,
		SignIn:       ratelimit.Rate{PerSecond: q.signInRPS, Burst: 5 * q.signInRPS},
		AuthFailures: ratelimit.Rate{PerSecond: q.authFailures / 60, Burst: q.authFailures}}, problems
}

// throttleLog counts the requests the limits refuse, by bucket, and logs
// the counts once an interval when there were any: the operator sees that
// (and where) cognitod throttles without a line per refused request,
// which a flood would turn into a flood of log lines. The names are the
// fixed set of quota buckets and per-source limits, so the map is bounded.
type throttleLog struct {
	mu sync.Mutex
	n  map[string]int64
}

// add is the limits' OnThrottle callback.
func (l *throttleLog) add(name string) {
	l.mu.Lock()
	if l.n == nil {
		l.n = map[string]int64{}
	}
	l.n[name]++
	l.mu.Unlock()
}

// take returns the counts since the last call and starts again.
func (l *throttleLog) take() map[string]int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := l.n
	l.n = nil
	return n
}

// startThrottleLog makes o count refused requests and logs the counts
// every interval until ctx ends.
func startThrottleLog(ctx context.Context, o *server.QuotaOptions, logger *slog.Logger, every time.Duration) {
	l := &throttleLog{}
	o.OnThrottle = l.add
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				l.flush(logger, every)
			}
		}
	}()
}

// flush logs the counts since the last flush, if there were any.
func (l *throttleLog) flush(logger *slog.Logger, every time.Duration) {
	n := l.take()
	if len(n) == 0 {
		return
	}
	args := make([]any, 0, 2*len(n))
	for _, name := range slices.Sorted(maps.Keys(n)) {
		args = append(args, name, n[name])
	}
	logger.Warn("requests refused over a rate limit in the last "+every.String(), args...)
}
