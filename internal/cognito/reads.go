package cognito

import (
	"context"
	"errors"
)

// Resource-server reads answer from one store read when they can. A pool
// row is large (its settings are decoded from JSON) and a read that only
// needs to know the pool exists in the caller's region need not decode
// it: a resource server belongs to an existing pool (the stores delete a
// pool's resource servers with it, which the conformance suite checks),
// and a pool's region is in its ID. So a found resource server, or a
// non-empty page of them, proves the pool; only an empty answer reads the
// pool, to tell "no such pool" from "no such resource server". Every
// answer comes from the store as it is now, so a pool or resource server
// deleted through another instance is not found here at once.

// readResourceServer is DescribeResourceServer's read.
func (s *Service) readResourceServer(ctx context.Context, poolID, identifier string) (*ResourceServer, error) {
	region, err := s.region(ctx)
	if err != nil {
		return nil, err
	}
	if RegionOfPoolID(poolID) == region {
		rs, err := s.store.GetResourceServer(ctx, poolID, identifier)
		if err == nil {
			return rs, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return nil, asError(err)
		}
	}
	if _, err := s.getPool(ctx, s.store, poolID); err != nil {
		return nil, err
	}
	return nil, ErrResourceNotFound.WithMessagef(msgResourceServerNotFound, identifier)
}

// readResourceServerPage is ListResourceServers' read of one page.
func (s *Service) readResourceServerPage(ctx context.Context, poolID string, after int64, limit int) ([]*ResourceServer, error) {
	region, err := s.region(ctx)
	if err != nil {
		return nil, err
	}
	if RegionOfPoolID(poolID) == region {
		page, err := s.store.ListResourceServers(ctx, poolID, after, limit)
		if err != nil {
			return nil, asError(err)
		}
		if len(page) > 0 {
			return page, nil
		}
	}
	if _, err := s.getPool(ctx, s.store, poolID); err != nil {
		return nil, err
	}
	return nil, nil
}
