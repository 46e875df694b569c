package feeds

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Priorities of the requests waiting for a turn: a turn that frees goes to
// the first waiting request of the lowest priority.
const (
	interactive = iota // searches and the pages people open
	background         // feeds, which feed readers poll, and bulk reads
	priorities
)

// bulkHits is the most hits a request may ask for (its limit) and still be
// served as someone waiting at a screen: past a page or so, it is a
// script reading in bulk.
const bulkHits = 100

// priorityOf is the priority of r: feeds and bulk reads are background
// work, everything else is someone waiting at a screen.
func priorityOf(r *http.Request) int {
	if strings.HasPrefix(r.URL.Path, "/feeds/") {
		return background
	}
	if n, err := strconv.Atoi(r.URL.Query().Get("limit")); err == nil && n > bulkHits {
		return background
	}
	return interactive
}

// turns bounds how many requests search the index at once. Waiting
// requests are served by priority, then in order of arrival, so that a
// burst of feed readers never holds an analyst's search back; each waits
// at most the queue wait.
type turns struct {
	mu      sync.Mutex
	free    int
	waiting [priorities][]chan struct{} // closed when given a turn
}

func newTurns(n int) *turns { return &turns{free: n} }

// take waits up to wait for a turn for a request of priority p, and reports
// whether it got one; whoever gets one gives it back with give.
func (t *turns) take(ctx context.Context, p int, wait time.Duration) bool {
	t.mu.Lock()
	if t.free > 0 { // then none waits: a freed turn goes to a waiting request
		t.free--
		t.mu.Unlock()
		return true
	}
	if wait <= 0 {
		t.mu.Unlock()
		return false
	}
	ch := make(chan struct{})
	t.waiting[p] = append(t.waiting[p], ch)
	t.mu.Unlock()

	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-ch:
		return true
	case <-timer.C:
	case <-ctx.Done():
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for i, c := range t.waiting[p] {
		if c == ch {
			t.waiting[p] = append(t.waiting[p][:i], t.waiting[p][i+1:]...)
			return false
		}
	}
	// Given a turn as the wait ended: pass it on.
	t.handOver()
	return false
}

// give returns a turn.
func (t *turns) give() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.handOver()
}

// handOver gives a freed turn to the first request waiting, by priority,
// or keeps it free. t.mu is held.
func (t *turns) handOver() {
	for p := range t.waiting {
		if len(t.waiting[p]) > 0 {
			close(t.waiting[p][0])
			t.waiting[p] = t.waiting[p][1:]
			return
		}
	}
	t.free++
}
