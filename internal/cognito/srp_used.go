package cognito

import (
	"context"
	"encoding/hex"
	"time"
)

// useSRPBlock records an SRP secret block that completed a sign-in, until
// it expires, and reports whether it was unused: a proof seen on the wire
// cannot be replayed for another set of tokens, at this instance or at any
// other sharing the store, so the record lives in the store's shared state
// (one atomic increment: the first use counts 1, a replay more).
//
// The kind has no cap (sharedCaps): evicting an entry would make its block
// replayable again. Entries need a correct password proof, each costs the
// caller a full SRP exchange counted against UserAuthentication, and each
// lives only as long as its block (3 to 15 minutes) before the sweeper
// drops it. A store that cannot record the use refuses the sign-in (fail
// closed).
func (s *Service) useSRPBlock(ctx context.Context, nonce []byte, expires, now time.Time) (bool, error) {
	n, err := s.store.IncrShared(ctx, SharedSRPUsed, hex.EncodeToString(nonce), now, expires)
	if err != nil {
		return false, asError(err)
	}
	return n == 1, nil
}
