package token

import (
	"encoding/json"

	"github.com/cognitod/cognitod/internal/cognito"
)

// overrideExtras turns a pre token generation function's changes into
// overrides (see Extras): claims added or replaced, then claims
// suppressed ("If a value is both suppressed and replaced, then it will
// be suppressed", developer guide). The domain has already dropped the
// claims a function may not change, and Extras refuses the protected
// ones again. o is nil for every token whose pool has no such function,
// and then this returns nil: no allocation on the fast path.
func overrideExtras(o *cognito.ClaimOverrides) Extras {
	if o == nil {
		return nil
	}
	x := make(Extras, len(o.Add)+len(o.Suppress))
	for name, v := range o.Add {
		x[name] = json.RawMessage(v)
	}
	for _, name := range o.Suppress {
		x[name] = nil // an untyped nil: the claim is left out
	}
	return x
}
