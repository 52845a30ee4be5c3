package cognito

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// heapInUse is the live heap after a full collection.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestPhantomFloodHeapBound: 20,000 failed sign-ins, sign-up
// confirmations and code requests for distinct unknown names grow the
// heap by a bound per entry that does not depend on the names' length.
// Keyed by the names themselves, 4,096-character names held 20,000 × 4 KB
// (over 80 MB) in each map; keyed by their SHA-256, an entry is a fixed
// few hundred bytes whatever the caller sent.
func TestPhantomFloodHeapBound(t *testing.T) {
	if testing.Short() {
		t.Skip("measures the heap")
	}
	const names = 20_000
	// perEntry is generous for a 32-byte key, a pointer, the entry and the
	// map's own overhead in each of the two maps.
	const perEntry = 400
	for _, length := range []int{128, 4096} {
		t.Run(fmt.Sprint(length), func(t *testing.T) {
			var codes phantomCodes
			pool := &UserPool{ID: "us-east-1_flood"}
			now := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
			before := heapInUse()
			for i := range names {
				name := fmt.Sprintf("%08d", i) + strings.Repeat("n", length-8)
				codes.send(phantomResetKey(pool, name), now)
			}
			after := heapInUse()
			runtime.KeepAlive(&codes)
			if len(codes.names) != names {
				t.Fatalf("held %d code windows, want %d", len(codes.names), names)
			}
			grew := int64(after) - int64(before)
			t.Logf("%d distinct %d-character names: heap grew %d bytes (%d per name)", names, length, grew, grew/names)
			if grew > names*perEntry {
				t.Errorf("heap grew %d bytes for %d names, want under %d (%d per name)", grew, names, names*perEntry, perEntry)
			}
		})
	}
}
