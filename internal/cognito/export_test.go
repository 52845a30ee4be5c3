package cognito

// CachedEntries counts the rows the grant cache holds, so that tests
// outside the package can see what a lookup put in memory.
func CachedEntries(s *Service) (pools, clients, domains int) {
	s.grants.mu.RLock()
	defer s.grants.mu.RUnlock()
	return s.grants.pools.len(), s.grants.clients.len(), s.grants.domains.len()
}

// CacheGeneration is the grant cache's generation: it moves when the
// cache is told that something it holds may have changed.
func CacheGeneration(s *Service) uint64 { return s.grants.gen.Load() }

// DropGrantCache empties the grant cache, as a restart would.
func DropGrantCache(s *Service) {
	s.grants.mu.Lock()
	defer s.grants.mu.Unlock()
	s.grants.clients, s.grants.scopes, s.grants.pools, s.grants.domains, s.grants.machineTriggers = rowMap[cachedClient]{}, rowMap[map[string]bool]{}, rowMap[UserPool]{}, rowMap[Domain]{}, rowMap[string]{}
	s.grants.accessKeys, s.grants.servers = rowMap[VerifiedAccessKey]{}, rowMap[[]*ResourceServer]{}
}

// CachedAccessKeys counts the access keys the grant cache holds.
func CachedAccessKeys(s *Service) int {
	s.grants.mu.RLock()
	defer s.grants.mu.RUnlock()
	return s.grants.accessKeys.len()
}

// AccessKeyPurpose is the sealing purpose of an access key's secret.
func AccessKeyPurpose(id string) string { return accessKeyPurpose(id) }
