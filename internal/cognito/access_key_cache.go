package cognito

import (
	"context"
	"errors"
)

// A signed call's access key comes from the grant cache (grants.go): the
// row and its opened secret, read once per generation, so SigV4
// verification reads nothing from the store while nothing has changed,
// and Authorize is handed the same entry through the caller
// (Caller.WithKey). Every access-key write goes through Service.update,
// which advances the generation in its transaction: a key deleted, given
// a new secret or a new policy by this process is decided by its very
// next request; by another process on the database (`cognitod keys`, a
// second instance), as soon as this one sees the generation move (a
// PostgreSQL NOTIFY within milliseconds, the 250 ms poll at the latest;
// changes.go).
//
// Only keys that exist are cached: a made-up access key ID costs a read
// and is refused, and cannot push real keys out. The opened secrets are
// held in the clear in memory, as the master key that opens them is.

// VerifiedAccessKey is an access key as one request's SigV4 verification
// found it, with its secret opened; see Caller.WithKey. It is shared by
// every request of its generation and never changed.
type VerifiedAccessKey struct {
	key    *AccessKey
	secret string
}

// Secret is the key's secret access key.
func (k *VerifiedAccessKey) Secret() string { return k.secret }

// AccessKeyForSigV4 returns access key id for one request's signature
// check, with its secret opened; nil when there is no such key.
func (s *Service) AccessKeyForSigV4(ctx context.Context, id string) (*VerifiedAccessKey, error) {
	return fill(&s.grants, &s.grants.accessKeys, id, func() (*VerifiedAccessKey, error) {
		k, err := s.store.GetAccessKey(ctx, id)
		if err != nil {
			return nil, err
		}
		b, err := s.sealer.Open(accessKeyPurpose(id), k.SealedSecret)
		if err != nil {
			return nil, err
		}
		return &VerifiedAccessKey{key: k, secret: string(b)}, nil
	}, false) // misses are not remembered: see above
}

// WithKey returns c carrying the key its request's signature was verified
// with, for Authorize to decide on without looking it up again. A key for
// another access key ID than c's is ignored.
func (c Caller) WithKey(k *VerifiedAccessKey) Caller {
	c.verified = k
	return c
}

// callerAccessKey returns the access key a call is authorized as: the one its
// SigV4 verification found, or else a fresh read; nil when it is gone.
func (s *Service) callerAccessKey(ctx context.Context, c Caller) (*AccessKey, error) {
	if v := c.verified; v != nil && v.key.AccessKeyID == c.AccessKeyID {
		return v.key, nil
	}
	k, err := s.store.GetAccessKey(ctx, c.AccessKeyID)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	return k, err
}
