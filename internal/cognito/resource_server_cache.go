package cognito

import (
	"context"
)

// Resource-server reads (DescribeResourceServer, ListResourceServers and
// the token endpoint's active scopes) answer from the grant cache: each
// pool's resource servers, all of them in creation order, read once per
// generation. A pool holds at most Limits.ResourceServersPerPool of them
// (25 by default), so the whole list is small, and a page or a lookup by
// identifier is a walk over it. Writes go through Service.update, so this
// process sees its own at once; another process's, when this one sees the
// generation move (changes.go).
//
// A resource server belongs to an existing pool (the stores delete a
// pool's resource servers with it, which the conformance suite checks),
// and a pool's region is in its ID, so a non-empty list proves the pool;
// only an empty one asks whether the pool exists, to tell "no such pool"
// from "no such resource server", and that answer is cached too.

// poolServers returns the pool's resource servers, ordered by Seq. The
// slice and the servers are shared: callers must not change them.
func (g *grantCache) poolServers(ctx context.Context, s *Service, poolID string) ([]*ResourceServer, error) {
	list, err := cachedLookup(g, &g.servers, poolID, func() (*[]*ResourceServer, error) {
		var all []*ResourceServer
		var after int64
		for {
			page, err := s.store.ListResourceServers(ctx, poolID, after, 100)
			if err != nil {
				return nil, err
			}
			all = append(all, page...)
			if len(page) < 100 {
				return &all, nil
			}
			after = page[len(page)-1].Seq
		}
	})
	if err != nil || list == nil {
		return nil, err
	}
	return *list, nil
}

// servedPool is getPool from the grant cache: nil when the pool exists in
// the caller's region, ResourceNotFoundException otherwise.
func (s *Service) servedPool(ctx context.Context, poolID string) error {
	region, err := s.region(ctx)
	if err != nil {
		return err
	}
	p, err := s.LookupPool(ctx, poolID)
	if err != nil {
		return err
	}
	if p.Region() != region {
		return ErrResourceNotFound.WithMessagef(msgPoolNotFound, poolID)
	}
	return nil
}

// inRegionServers returns the pool's resource servers when the pool ID is
// of the caller's region, and nil otherwise (the pool cannot be seen).
func (s *Service) inRegionServers(ctx context.Context, poolID string) ([]*ResourceServer, error) {
	region, err := s.region(ctx)
	if err != nil {
		return nil, err
	}
	if RegionOfPoolID(poolID) != region {
		return nil, nil
	}
	return s.grants.poolServers(ctx, s, poolID)
}

// readResourceServer is DescribeResourceServer's read.
func (s *Service) readResourceServer(ctx context.Context, poolID, identifier string) (*ResourceServer, error) {
	list, err := s.inRegionServers(ctx, poolID)
	if err != nil {
		return nil, err
	}
	for _, rs := range list {
		if rs.Identifier == identifier {
			return rs, nil
		}
	}
	if len(list) == 0 {
		if err := s.servedPool(ctx, poolID); err != nil {
			return nil, err
		}
	}
	return nil, ErrResourceNotFound.WithMessagef(msgResourceServerNotFound, identifier)
}

// readResourceServerPage is ListResourceServers' read of one page: at
// most limit servers created after the one whose Seq is after.
func (s *Service) readResourceServerPage(ctx context.Context, poolID string, after int64, limit int) ([]*ResourceServer, error) {
	list, err := s.inRegionServers(ctx, poolID)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, s.servedPool(ctx, poolID)
	}
	i := 0
	for i < len(list) && list[i].Seq <= after {
		i++
	}
	rest := list[i:]
	return append([]*ResourceServer(nil), rest[:min(limit, len(rest))]...), nil
}
