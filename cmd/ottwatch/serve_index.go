package main

import (
	"context"
	"sync"

	"github.com/ottwatch/ottwatch"
)

// sharedIndex is an ottwatch.Searcher that opens the index it reads
// only while requests use it: the first request opens it, the requests that
// come meanwhile share it, and the last one to finish closes it. Bleve
// admits one process at a time, so 'ottwatch crawl' and 'ottwatch sync' can
// write to the index between the requests of 'ottwatch serve' (a request
// during a write waits for it, up to the lock timeout).
type sharedIndex struct {
	open func(context.Context) (ottwatch.Index, error)

	mu    sync.Mutex
	idx   ottwatch.Index
	users int
}

var _ ottwatch.Searcher = (*sharedIndex)(nil)

// use runs f with the index open.
func (s *sharedIndex) use(ctx context.Context, f func(ottwatch.Index) error) error {
	s.mu.Lock()
	if s.idx == nil {
		idx, err := s.open(ctx)
		if err != nil {
			s.mu.Unlock()
			return err
		}
		s.idx = idx
	}
	s.users++
	idx := s.idx
	s.mu.Unlock()

	defer func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.users--; s.users == 0 && s.idx != nil {
			s.idx.Close() // a read-only user: nothing to lose
			s.idx = nil
		}
	}()
	return f(idx)
}

// Search runs q on the index.
func (s *sharedIndex) Search(ctx context.Context, q ottwatch.Query) (res *ottwatch.Results, err error) {
	err = s.use(ctx, func(idx ottwatch.Index) error {
		res, err = idx.Search(ctx, q)
		return err
	})
	return res, err
}

// Get returns one article.
func (s *sharedIndex) Get(ctx context.Context, id string) (a *ottwatch.Article, err error) {
	err = s.use(ctx, func(idx ottwatch.Index) error {
		a, err = idx.Get(ctx, id)
		return err
	})
	return a, err
}

// Count returns the number of indexed articles.
func (s *sharedIndex) Count(ctx context.Context) (n int, err error) {
	err = s.use(ctx, func(idx ottwatch.Index) error {
		n, err = idx.Count(ctx)
		return err
	})
	return n, err
}

// Close closes the index if a request still holds it open.
func (s *sharedIndex) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.idx == nil {
		return nil
	}
	err := s.idx.Close()
	s.idx, s.users = nil, 0
	return err
}
