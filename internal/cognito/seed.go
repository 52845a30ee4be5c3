package cognito

import (
	"context"
	"errors"
)

// SeededClient is one app client SeedClientClones made, with its secret
// in the clear (the store has it sealed).
type SeededClient struct {
	ClientID, Secret string
}

// seedBatch is how many clients one seeding transaction writes: large
// enough that 100,000 clients take a few seconds, small enough that no
// transaction holds the database's writer for long.
const seedBatch = 5000

// MaxSeedClients bounds one SeedClientClones call.
const MaxSeedClients = 1_000_000

// SeedClientClones writes n copies of the pool's app client templateID
// (its settings, each with a new ID and a new secret) straight into the
// store, a few thousand per transaction, and returns them. It is the bulk
// path of `cognitod bench token --clients N`, which measures how the
// token endpoint and the server's memory bear a large number of clients:
// it skips the per-pool quota on app clients (AppClientsPerPool) on
// purpose, and nothing but the bench should call it. Each transaction
// advances the store's generation, so running servers see the clients.
func (s *Service) SeedClientClones(ctx context.Context, poolID, templateID string, n int) ([]SeededClient, error) {
	if n < 0 || n > MaxSeedClients {
		return nil, ErrInvalidParameter.WithMessagef("cannot seed %d clients (at most %d)", n, MaxSeedClients)
	}
	tmpl, err := s.store.GetAppClient(ctx, templateID)
	if errors.Is(err, ErrNotFound) || (err == nil && tmpl.UserPoolID != poolID) {
		return nil, ErrResourceNotFound.WithMessagef("Client %s does not exist in pool %s.", templateID, poolID)
	}
	if err != nil {
		return nil, asError(err)
	}
	out := make([]SeededClient, 0, n)
	for len(out) < n {
		batch := make([]SeededClient, 0, min(seedBatch, n-len(out)))
		err := s.update(ctx, func(tx Tx) error {
			batch = batch[:0] // the store may run fn again
			now := s.now().UTC()
			for range cap(batch) {
				c := &AppClient{UserPoolID: poolID, CreationDate: now, LastModifiedDate: now, Settings: tmpl.Settings}
				c.ClientID, c.Settings.ClientName = NewClientID(), tmpl.Settings.ClientName
				secret := NewClientSecret()
				c.SealedSecret = s.sealer.Seal(clientSecretPurpose(c.ClientID), []byte(secret))
				if err := tx.CreateAppClient(ctx, c); err != nil {
					return err
				}
				batch = append(batch, SeededClient{ClientID: c.ClientID, Secret: secret})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		out = append(out, batch...)
	}
	return out, nil
}
