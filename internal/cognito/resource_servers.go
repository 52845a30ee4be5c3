package cognito

import (
	"context"
	"errors"
)

// ResourceServerInput is CreateResourceServerRequest and
// UpdateResourceServerRequest: an update replaces Name and the whole Scopes
// list, so leaving Scopes out removes every scope.
type ResourceServerInput struct {
	UserPoolId string                `json:"UserPoolId,omitempty"`
	Identifier string                `json:"Identifier,omitempty"`
	Name       string                `json:"Name,omitempty"`
	Scopes     []ResourceServerScope `json:"Scopes,omitempty"`
}

// ResourceServerIDInput names one resource server.
type ResourceServerIDInput struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
	Identifier string `json:"Identifier,omitempty"`
}

// ResourceServerType is a resource server as Cognito returns it; a server
// without scopes has no Scopes member.
type ResourceServerType struct {
	UserPoolId string                `json:"UserPoolId"`
	Identifier string                `json:"Identifier"`
	Name       string                `json:"Name"`
	Scopes     []ResourceServerScope `json:"Scopes,omitempty"`
}

// ResourceServerOutput wraps a server: {"ResourceServer": {...}}.
type ResourceServerOutput struct {
	ResourceServer *ResourceServerType `json:"ResourceServer"`
}

// ListResourceServersInput is ListResourceServersRequest.
type ListResourceServersInput struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
	MaxResults *int32 `json:"MaxResults,omitempty"`
	NextToken  string `json:"NextToken,omitempty"`
}

// ListResourceServersOutput is ListResourceServersResponse.
type ListResourceServersOutput struct {
	ResourceServers []ResourceServerType `json:"ResourceServers"`
	NextToken       *string              `json:"NextToken,omitempty"`
}

func describeResourceServer(rs *ResourceServer) *ResourceServerType {
	return &ResourceServerType{UserPoolId: rs.UserPoolID, Identifier: rs.Identifier, Name: rs.Name, Scopes: rs.Scopes}
}

func (s *Service) checkScopes(scopes []ResourceServerScope) error {
	if len(scopes) > s.limits.ScopesPerResourceServer {
		return ErrLimitExceeded.WithMessagef(msgLimitScopes, s.limits.ScopesPerResourceServer)
	}
	seen := make(map[string]bool, len(scopes))
	for _, sc := range scopes {
		if seen[sc.ScopeName] {
			return ErrInvalidParameter.WithMessagef(msgDuplicateScopeName, sc.ScopeName)
		}
		seen[sc.ScopeName] = true
	}
	return nil
}

// CreateResourceServer creates a resource server and its custom scopes.
func (s *Service) CreateResourceServer(ctx context.Context, in *ResourceServerInput) (*ResourceServerOutput, error) {
	if err := s.validate(ctx, "CreateResourceServer", in); err != nil {
		return nil, err
	}
	if err := s.checkScopes(in.Scopes); err != nil {
		return nil, err
	}
	rs := &ResourceServer{UserPoolID: in.UserPoolId, Identifier: in.Identifier, Name: in.Name, Scopes: in.Scopes}
	err := s.update(ctx, func(tx Tx) error {
		if _, err := s.getPool(ctx, tx, in.UserPoolId); err != nil {
			return err
		}
		n, err := tx.CountResourceServers(ctx, in.UserPoolId)
		if err != nil {
			return err
		}
		if n >= s.limits.ResourceServersPerPool {
			return ErrLimitExceeded.WithMessagef(msgLimitResourceServers, s.limits.ResourceServersPerPool)
		}
		err = tx.CreateResourceServer(ctx, rs)
		if errors.Is(err, ErrAlreadyExists) {
			return ErrInvalidParameter.WithMessagef(msgResourceServerExists, in.Identifier, in.UserPoolId)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &ResourceServerOutput{ResourceServer: describeResourceServer(rs)}, nil
}

// DescribeResourceServer returns a resource server.
func (s *Service) DescribeResourceServer(ctx context.Context, in *ResourceServerIDInput) (*ResourceServerOutput, error) {
	if err := s.validate(ctx, "DescribeResourceServer", in); err != nil {
		return nil, err
	}
	rs, err := s.readResourceServer(ctx, in.UserPoolId, in.Identifier) // resource_server_cache.go
	if err != nil {
		return nil, err
	}
	return &ResourceServerOutput{ResourceServer: describeResourceServer(rs)}, nil
}

func (s *Service) getResourceServer(ctx context.Context, r Reader, poolID, identifier string) (*ResourceServer, error) {
	if _, err := s.getPool(ctx, r, poolID); err != nil {
		return nil, err
	}
	rs, err := r.GetResourceServer(ctx, poolID, identifier)
	if errors.Is(err, ErrNotFound) {
		return nil, ErrResourceNotFound.WithMessagef(msgResourceServerNotFound, identifier)
	}
	if err != nil {
		return nil, asError(err)
	}
	return rs, nil
}

// ListResourceServers lists a pool's resource servers.
func (s *Service) ListResourceServers(ctx context.Context, in *ListResourceServersInput) (*ListResourceServersOutput, error) {
	if err := s.validate(ctx, "ListResourceServers", in); err != nil {
		return nil, err
	}
	poolID := in.UserPoolId
	if in.NextToken != "" {
		// A bad token is refused after the pool is found: keep that order.
		if err := s.servedPool(ctx, poolID); err != nil {
			return nil, err
		}
	}
	list := func(after int64, limit int) ([]*ResourceServer, error) {
		return s.readResourceServerPage(ctx, poolID, after, limit) // resource_server_cache.go
	}
	servers, next, err := page(s, "resource-servers:"+poolID, in.NextToken, clampMaxResults(in.MaxResults, 50), list,
		func(rs *ResourceServer) int64 { return rs.Seq })
	if err != nil {
		return nil, err
	}
	out := &ListResourceServersOutput{ResourceServers: make([]ResourceServerType, len(servers)), NextToken: next}
	for i, rs := range servers {
		out.ResourceServers[i] = *describeResourceServer(rs)
	}
	return out, nil
}

// UpdateResourceServer replaces a resource server's name and scopes.
// Clients keep scopes removed here, inactive, until they are added back.
func (s *Service) UpdateResourceServer(ctx context.Context, in *ResourceServerInput) (*ResourceServerOutput, error) {
	if err := s.validate(ctx, "UpdateResourceServer", in); err != nil {
		return nil, err
	}
	if err := s.checkScopes(in.Scopes); err != nil {
		return nil, err
	}
	var rs *ResourceServer
	err := s.update(ctx, func(tx Tx) error {
		cur, err := s.getResourceServer(ctx, tx, in.UserPoolId, in.Identifier)
		if err != nil {
			return err
		}
		cur.Name, cur.Scopes = in.Name, in.Scopes
		rs = cur
		return tx.UpdateResourceServer(ctx, cur)
	})
	if err != nil {
		return nil, err
	}
	return &ResourceServerOutput{ResourceServer: describeResourceServer(rs)}, nil
}

// DeleteResourceServer deletes a resource server. Clients keep its scopes
// in AllowedOAuthScopes, inactive.
func (s *Service) DeleteResourceServer(ctx context.Context, in *ResourceServerIDInput) (*Empty, error) {
	if err := s.validate(ctx, "DeleteResourceServer", in); err != nil {
		return nil, err
	}
	err := s.update(ctx, func(tx Tx) error {
		if _, err := s.getResourceServer(ctx, tx, in.UserPoolId, in.Identifier); err != nil {
			return err
		}
		return tx.DeleteResourceServer(ctx, in.UserPoolId, in.Identifier)
	})
	return empty(err)
}
