package token

import (
	"encoding/json"

	"github.com/cognitod/cognitod/internal/cognito"
)

// applyOverrides returns payload (a token's claims as a JSON object) with
// a pre token generation function's changes: claims added or replaced,
// then claims suppressed ("If a value is both suppressed and replaced,
// then it will be suppressed", developer guide). The domain has already
// dropped the claims a function may not change. Only tokens whose pool has
// such a function pay for the re-encoding; o is nil for every other.
func applyOverrides(payload []byte, o *cognito.ClaimOverrides) ([]byte, error) {
	if o == nil {
		return payload, nil
	}
	var claims map[string]json.RawMessage
	if err := json.Unmarshal(payload, &claims); err != nil {
		return nil, err
	}
	for name, v := range o.Add {
		claims[name] = v
	}
	for _, name := range o.Suppress {
		delete(claims, name)
	}
	return json.Marshal(claims)
}
