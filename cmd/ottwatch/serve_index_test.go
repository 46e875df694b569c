package main

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch"
)

// countingIndex counts the searches it answers and whether it is closed.
type countingIndex struct {
	ottwatch.Index
	searches atomic.Int64
	closed   atomic.Bool
}

func (c *countingIndex) Search(context.Context, ottwatch.Query) (*ottwatch.Results, error) {
	if c.closed.Load() {
		return nil, errors.New("search on a closed index")
	}
	c.searches.Add(1)
	return &ottwatch.Results{}, nil
}

func (c *countingIndex) Close() error {
	c.closed.Store(true)
	return nil
}

func TestSharedIndex(t *testing.T) {
	var opens atomic.Int64
	var mu sync.Mutex
	var all []*countingIndex
	s := &sharedIndex{open: func(context.Context) (ottwatch.Index, error) {
		opens.Add(1)
		c := &countingIndex{}
		mu.Lock()
		all = append(all, c)
		mu.Unlock()
		return c, nil
	}}
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			if _, err := s.Search(ctx, ottwatch.Query{}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	var searches int64
	for _, c := range all {
		searches += c.searches.Load()
		if !c.closed.Load() {
			t.Error("an index left open after the last request")
		}
	}
	if searches != 50 || opens.Load() < 1 || opens.Load() > 50 {
		t.Errorf("%d searches over %d opens", searches, opens.Load())
	}
	boom := errors.New("locked")
	failing := &sharedIndex{open: func(context.Context) (ottwatch.Index, error) { return nil, boom }}
	if _, err := failing.Count(ctx); !errors.Is(err, boom) {
		t.Errorf("Count: %v, want %v", err, boom)
	}
	if err := s.Close(); err != nil {
		t.Error(err)
	}
}

// Item 6 of the reliability report: the index was opened for each request.
// With a linger, requests one after the other share one opening.
func TestSharedIndexLinger(t *testing.T) {
	var opens atomic.Int64
	c := &countingIndex{}
	s := &sharedIndex{linger: time.Hour, open: func(context.Context) (ottwatch.Index, error) {
		opens.Add(1)
		return c, nil
	}}
	ctx := context.Background()
	for range 10 {
		if _, err := s.Search(ctx, ottwatch.Query{}); err != nil {
			t.Fatal(err)
		}
	}
	if opens.Load() != 1 || c.closed.Load() {
		t.Errorf("%d opens, closed %v: want one opening kept open", opens.Load(), c.closed.Load())
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if !c.closed.Load() {
		t.Error("Close left the index open")
	}
}
