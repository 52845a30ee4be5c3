package cognito

import (
	"context"
	"errors"
)

func accessKeyPurpose(id string) string { return "access-key:" + id }

// EnsureAccessKey stores the root access key (id, secret) unless a key
// with that ID exists, in which case it is replaced by a root key with
// this secret. It is how an operator sets the root key explicitly.
func (s *Service) EnsureAccessKey(ctx context.Context, id, secret string) error {
	return s.update(ctx, func(tx Tx) error {
		k := &AccessKey{AccessKeyID: id, SealedSecret: s.sealer.Seal(accessKeyPurpose(id), []byte(secret)), CreationDate: s.now().UTC(),
			Name: RootKeyName, Root: true}
		err := tx.CreateAccessKey(ctx, k)
		if errors.Is(err, ErrAlreadyExists) {
			if err := tx.DeleteAccessKey(ctx, id); err != nil {
				return err
			}
			return tx.CreateAccessKey(ctx, k)
		}
		return err
	})
}

// CreateRootAccessKeyIfNone creates a root access key when the store has none,
// and returns it; created is false when keys already existed.
func (s *Service) CreateRootAccessKeyIfNone(ctx context.Context) (id, secret string, created bool, err error) {
	// A new key needs no cache invalidation (absent keys are not cached).
	err = s.updateUncached(ctx, func(tx Tx) error {
		n, err := tx.CountAccessKeys(ctx)
		if err != nil || n > 0 {
			return err
		}
		id, secret = NewAccessKeyID(), NewSecretAccessKey()
		created = true
		return tx.CreateAccessKey(ctx, &AccessKey{AccessKeyID: id, SealedSecret: s.sealer.Seal(accessKeyPurpose(id), []byte(secret)), CreationDate: s.now().UTC(),
			Name: RootKeyName, Root: true})
	})
	if err != nil || !created {
		return "", "", false, err
	}
	return id, secret, true, nil
}

// AccessKeySecret returns the secret of an access key, for SigV4
// verification; ok is false for an unknown key.
func (s *Service) AccessKeySecret(ctx context.Context, id string) (secret string, ok bool, err error) {
	k, err := s.AccessKeyForSigV4(ctx, id)
	if err != nil || k == nil {
		return "", false, err
	}
	return k.secret, true, nil
}
