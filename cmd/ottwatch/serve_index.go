package main

import (
	"context"
	"sync"
	"time"

	"github.com/ottwatch/ottwatch"
)

// indexLinger is how long 'ottwatch serve' keeps the index open after the
// last request: a busy server opens it once, an idle one lets writers in.
const indexLinger = 2 * time.Second

// sharedIndex is an ottwatch.Searcher that opens the index it reads
// only while requests use it: the first request opens it, the requests that
// come meanwhile share it, and it is closed linger after the last one
// finishes. Readers share a Bleve index but a writer has it alone, so
// 'ottwatch crawl' and 'ottwatch sync' can write to the index between the
// busy spells of 'ottwatch serve' (a request during a write waits for it,
// up to the lock timeout), and the next spell sees what they wrote.
type sharedIndex struct {
	open   func(context.Context) (ottwatch.Index, error)
	linger time.Duration
	tree   ottwatch.EntityTree // the hierarchy the index's searches use

	mu    sync.Mutex
	idx   ottwatch.Index
	users int
	timer *time.Timer // closes idx when it fires
}

var _ ottwatch.Searcher = (*sharedIndex)(nil)

// EntityTree returns the hierarchy of the gazetteer the index's searches
// use, so that watchlists count the mentions of the entities under theirs.
func (s *sharedIndex) EntityTree() ottwatch.EntityTree { return s.tree }

// use runs f with the index open.
func (s *sharedIndex) use(ctx context.Context, f func(ottwatch.Index) error) error {
	s.mu.Lock()
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
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
		if s.users--; s.users > 0 || s.idx == nil {
			return
		}
		if s.linger <= 0 {
			s.idx.Close() // a read-only user: nothing to lose
			s.idx = nil
			return
		}
		idx := s.idx
		s.timer = time.AfterFunc(s.linger, func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			if s.idx == idx && s.users == 0 {
				idx.Close()
				s.idx, s.timer = nil, nil
			}
		})
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
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
	if s.idx == nil {
		return nil
	}
	err := s.idx.Close()
	s.idx, s.users = nil, 0
	return err
}
