package indextest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/ottwatch/ottwatch"
)

// rebuilder is an index that rebuilds beside itself (index.Rebuilder).
type rebuilder interface {
	Rebuild(ctx context.Context, fill func(ctx context.Context, next ottwatch.Index) error) error
}

// testRebuild rebuilds an index holding some fixtures into one holding
// them all, searching it throughout: every search answers, from the old
// index until the new one takes its place.
func testRebuild(t *testing.T, open Opener) {
	x := open(t)
	r, ok := x.(rebuilder)
	if !ok {
		t.Skip("the backend does not rebuild beside the index")
	}
	list, _ := all()
	old := list[:3]
	if err := x.Upsert(t.Context(), old); err != nil {
		t.Fatal(err)
	}

	// Searches from another goroutine, across the swap.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	var searches int
	var failures []string
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			res, err := x.Search(t.Context(), ottwatch.Query{Limit: 100})
			mu.Lock()
			searches++
			if err != nil {
				failures = append(failures, err.Error())
			} else if res.Total != len(old) && res.Total != len(list) {
				failures = append(failures, fmt.Sprintf("%d hits", res.Total))
			}
			mu.Unlock()
		}
	})
	err := r.Rebuild(t.Context(), func(ctx context.Context, next ottwatch.Index) error {
		if n := count(t, next); n != 0 {
			return fmt.Errorf("the new index starts with %d articles", n)
		}
		for i := 0; i < len(list); i += 3 {
			if err := next.Upsert(ctx, list[i:min(i+3, len(list))]); err != nil {
				return err
			}
			if res := search(t, x, ottwatch.Query{Limit: 100}); res.Total != len(old) {
				t.Errorf("search during the rebuild: %d hits, want the old index's %d", res.Total, len(old))
			}
		}
		return nil
	})
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("Rebuild: %v", err)
	}
	if searches == 0 || len(failures) > 0 {
		t.Errorf("%d searches during the rebuild; failures: %v", searches, failures)
	}
	if n := count(t, x); n != len(list) {
		t.Errorf("Count after the rebuild = %d, want %d", n, len(list))
	}

	// A fill that fails leaves the index as it was.
	boom := errors.New("boom")
	err = r.Rebuild(t.Context(), func(ctx context.Context, next ottwatch.Index) error {
		if err := next.Upsert(ctx, old[:1]); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("failed Rebuild: err = %v, want the fill's", err)
	}
	if n := count(t, x); n != len(list) {
		t.Errorf("Count after a failed rebuild = %d, want %d", n, len(list))
	}
	if res := search(t, x, ottwatch.Query{Text: "Agcom"}); res.Total == 0 {
		t.Errorf("no search results after the rebuilds")
	}
}
