package cognito

import (
	"fmt"
	"testing"
)

// TestRowMapBounded: however many keys go through a grant-cache map, it
// holds at most maxCacheEntries; a key used all along survives, and keys
// not used for two halves of the bound are gone.
func TestRowMapBounded(t *testing.T) {
	var g grantCache
	m := &g.clients
	hot := &cachedRow[cachedClient]{row: &cachedClient{}}
	m.put("hot", hot)
	for i := range maxCacheEntries * 2 {
		m.put(fmt.Sprint("cold", i), &cachedRow[cachedClient]{})
		if i%1000 == 0 { // the hot key is read now and then
			if r, ok := peekCached(&g, m, "hot", 0); !ok || r != hot.row {
				t.Fatalf("after %d other keys: the key in use was dropped", i)
			}
		}
	}
	if n := m.len(); n > maxCacheEntries {
		t.Errorf("map holds %d keys, over its bound %d", n, maxCacheEntries)
	}
	if _, ok := peekCached(&g, m, "cold0", 0); ok {
		t.Error("a key unused for the whole run is still held")
	}
	if _, ok := peekCached(&g, m, fmt.Sprint("cold", maxCacheEntries*2-1), 0); !ok {
		t.Error("the key put last is not held")
	}
}
