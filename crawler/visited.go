package crawler

import (
	"sync"

	"github.com/gocolly/colly/v2/storage"
)

// memoryStore is colly's in-memory storage with an atomic visited check:
// colly asks IsVisited and then marks Visited, so two goroutines that found
// the same link at once could both fetch it. Here the first IsVisited call
// for a request marks it, and every later call reports it visited.
type memoryStore struct {
	*storage.InMemoryStorage
	mu      sync.Mutex
	visited map[uint64]bool
}

func newMemoryStore() *memoryStore {
	return &memoryStore{InMemoryStorage: &storage.InMemoryStorage{}, visited: make(map[uint64]bool)}
}

// IsVisited reports whether the request was seen before, and marks it seen.
func (m *memoryStore) IsVisited(id uint64) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	seen := m.visited[id]
	m.visited[id] = true
	return seen, nil
}

// Visited marks the request seen.
func (m *memoryStore) Visited(id uint64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.visited[id] = true
	return nil
}
