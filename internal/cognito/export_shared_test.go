package cognito

// SetSharedCap lowers the sweep's cap on kind for one test, so that
// eviction can be tested without 100,000 rows; restore puts it back.
func SetSharedCap(kind string, keep int) (restore func()) {
	saved := append(sharedCaps[:0:0], sharedCaps...)
	for i := range sharedCaps {
		if sharedCaps[i].kind == kind {
			sharedCaps[i].keep = keep
		}
	}
	return func() { sharedCaps = saved }
}

// SharedCap is the sweep's cap on kind, 0 when it has none.
func SharedCap(kind string) int {
	for _, c := range sharedCaps {
		if c.kind == kind {
			return c.keep
		}
	}
	return 0
}
