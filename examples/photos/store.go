package main

import (
	"maps"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Photo is the resource the API serves.
type Photo struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	URL       string    `json:"url"`
	Owner     string    `json:"owner"`
	CreatedAt time.Time `json:"created_at"`
}

// store keeps photos in memory and is safe for concurrent use. IDs are
// increasing integers, so listing in ID order is listing in creation order,
// and a page can resume after the last ID it returned even if photos are
// added or deleted in between.
type store struct {
	mu     sync.RWMutex
	lastID int64
	photos map[int64]Photo
}

func newStore() *store {
	return &store{photos: make(map[int64]Photo)}
}

func (s *store) create(title, url, owner string) Photo {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastID++
	p := Photo{
		ID:        strconv.FormatInt(s.lastID, 10),
		Title:     title,
		URL:       url,
		Owner:     owner,
		CreatedAt: time.Now().UTC().Truncate(time.Second),
	}
	s.photos[s.lastID] = p
	return p
}

func (s *store) get(id int64) (Photo, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	p, ok := s.photos[id]
	return p, ok
}

// update replaces the title and URL of a photo; its owner and creation time
// stay as they were.
func (s *store) update(id int64, title, url string) (Photo, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.photos[id]
	if !ok {
		return Photo{}, false
	}
	p.Title, p.URL = title, url
	s.photos[id] = p
	return p, true
}

func (s *store) delete(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.photos[id]
	delete(s.photos, id)
	return ok
}

// list returns up to limit photos with an ID greater than after, in ID
// order, and whether more follow.
func (s *store) list(after int64, limit int) (page []Photo, more bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	page = []Photo{} // encoded as [], not null
	for _, id := range slices.Sorted(maps.Keys(s.photos)) {
		if id <= after {
			continue
		}
		if len(page) == limit {
			return page, true
		}
		page = append(page, s.photos[id])
	}
	return page, false
}
