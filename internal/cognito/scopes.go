package cognito

import (
	"context"
	"errors"
	"strings"
)

// SplitCustomScope splits "<identifier>/<scope name>" at its last slash:
// identifiers may hold slashes (https://api.example.com), scope names may
// not.
func SplitCustomScope(scope string) (identifier, name string, ok bool) {
	i := strings.LastIndexByte(scope, '/')
	if i <= 0 || i == len(scope)-1 {
		return "", "", false
	}
	return scope[:i], scope[i+1:], true
}

// customScopeExists reports whether a custom scope is defined, now, by a
// resource server of the pool.
func customScopeExists(ctx context.Context, r Reader, poolID, scope string) (bool, error) {
	identifier, name, ok := SplitCustomScope(scope)
	if !ok {
		return false, nil
	}
	rs, err := r.GetResourceServer(ctx, poolID, identifier)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, asError(err)
	}
	for _, sc := range rs.Scopes {
		if sc.ScopeName == name {
			return true, nil
		}
	}
	return false, nil
}
