package cognito

import "context"

// readPool is getPool for reads outside a transaction: the pool comes
// from the grant cache (read at most once per generation), so that a
// read operation that only needs to know its pool exists in the caller's
// region, such as DescribeResourceServer, does not decode the pool's row
// each time. Writes keep reading the pool in their transaction.
func (s *Service) readPool(ctx context.Context, poolID string) (*UserPool, error) {
	region, err := s.region(ctx)
	if err != nil {
		return nil, err
	}
	if !poolIDPattern.MatchString(poolID) {
		// Never looked up, never cached: the cache keys on it.
		return nil, ErrResourceNotFound.WithMessagef(msgPoolNotFound, poolID)
	}
	p, err := cachedLookup(&s.grants, &s.grants.pools, poolID, func() (*UserPool, error) { return s.store.GetUserPool(ctx, poolID) })
	if err != nil {
		return nil, err
	}
	if p == nil || p.Region() != region {
		return nil, ErrResourceNotFound.WithMessagef(msgPoolNotFound, poolID)
	}
	return p, nil
}
