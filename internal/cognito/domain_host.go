package cognito

import (
	"net"
	"regexp"
	"strings"
)

var domainHostPattern = regexp.MustCompile(`^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\.auth\.([a-z]{2}(?:-[a-z]+)+-[0-9]{1,2})\.(.+)$`)

// ParseDomainHost splits a pool domain host,
// <prefix>.auth.<region>.<suffix> with an optional port, where suffix is
// the service's domain suffix. The OAuth endpoints route by it and the
// development TLS CA certifies only names it accepts.
func (s *Service) ParseDomainHost(host string) (prefix, region string, ok bool) {
	if len(host) > 300 || !strings.Contains(host, ".auth.") {
		return "", "", false // most requests: skip the regular expression
	}
	if hst, _, err := net.SplitHostPort(host); err == nil {
		host = hst
	}
	m := domainHostPattern.FindStringSubmatch(strings.ToLower(host))
	if m == nil || m[3] != s.domainSuffix {
		return "", "", false
	}
	return m[1], m[2], true
}
