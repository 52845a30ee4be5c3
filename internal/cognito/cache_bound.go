package cognito

// rowMap is one of the grant cache's maps, bounded at maxCacheEntries
// entries and forgetting roughly the least recently used: entries are
// added to cur; when cur holds half the bound it becomes prev and a new
// cur starts; an entry found in prev is moved back to cur. Whatever was
// not used during two halves is dropped. (The map used to start afresh
// when full: past the bound, as with more app clients in use than it
// holds, every entry went at once and each client cost a database read
// again.) The grant cache's mutex guards it.
type rowMap[T any] struct {
	cur, prev map[string]*cachedRow[T]
}

// get returns the entry under key and whether it was found in prev (the
// caller should then put it back, under the write lock).
func (m *rowMap[T]) get(key string) (row *cachedRow[T], old bool) {
	if r, ok := m.cur[key]; ok {
		return r, false
	}
	if r, ok := m.prev[key]; ok {
		return r, true
	}
	return nil, false
}

// put stores row under key in cur, turning cur into prev first when it
// holds half the bound.
func (m *rowMap[T]) put(key string, row *cachedRow[T]) {
	if m.cur == nil || len(m.cur) >= maxCacheEntries/2 {
		m.prev, m.cur = m.cur, make(map[string]*cachedRow[T])
	}
	m.cur[key] = row
}

// len is how many distinct keys the map holds.
func (m *rowMap[T]) len() int {
	n := len(m.cur)
	for k := range m.prev {
		if _, dup := m.cur[k]; !dup {
			n++
		}
	}
	return n
}
