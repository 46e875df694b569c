package feeds

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// queuedLen returns how many requests of priority p wait.
func (t *turns) queuedLen(p int) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.waiting[p])
}

// waitQueued waits until n requests of priority p wait for a turn.
func waitQueued(t *testing.T, tu *turns, p, n int) {
	t.Helper()
	for tu.queuedLen(p) != n {
		time.Sleep(time.Millisecond)
	}
}

func TestTurnsPriority(t *testing.T) {
	tests := []struct {
		name   string
		arrive []int // priorities, in order of arrival, while the one turn is held
		want   []int // the order they get the turn in
	}{
		{"a search overtakes feeds", []int{background, background, interactive}, []int{interactive, background, background}},
		{"each in order of arrival", []int{interactive, background, interactive, background}, []int{interactive, interactive, background, background}},
		{"feeds alone", []int{background, background}, []int{background, background}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tu := newTurns(1)
			if !tu.take(t.Context(), interactive, 0) {
				t.Fatal("the free turn was not given")
			}
			got := make(chan int, len(tt.arrive))
			var wg sync.WaitGroup
			queued := [priorities]int{}
			for _, p := range tt.arrive {
				wg.Go(func() {
					if !tu.take(t.Context(), p, time.Hour) {
						t.Error("no turn within an hour")
						return
					}
					got <- p
					tu.give()
				})
				queued[p]++
				waitQueued(t, tu, p, queued[p])
			}
			tu.give()
			wg.Wait()
			close(got)
			var order []int
			for p := range got {
				order = append(order, p)
			}
			if len(order) != len(tt.want) {
				t.Fatalf("turns given in order %v, want %v", order, tt.want)
			}
			for i := range order {
				if order[i] != tt.want[i] {
					t.Fatalf("turns given in order %v, want %v", order, tt.want)
				}
			}
			if tu.free != 1 {
				t.Errorf("%d turns free at the end, want 1", tu.free)
			}
		})
	}
}

func TestPriorityOf(t *testing.T) {
	tests := []struct {
		target string
		want   int
	}{
		{"/?q=Iliad", interactive},
		{"/entities/agcom", interactive},
		{"/api/search?q=Iliad", interactive},
		{"/api/search?q=Iliad&limit=100", interactive},
		{"/api/search?q=Iliad&limit=101", background},
		{"/api/search?q=Iliad&limit=1000&offset=2000", background},
		{"/api/search?q=Iliad&limit=lots", interactive}, // answered 400 at once
		{"/feeds/regulators.atom", background},
		{"/feeds/search.rss?q=Iliad", background},
	}
	for _, tt := range tests {
		if got := priorityOf(httptest.NewRequest(http.MethodGet, tt.target, nil)); got != tt.want {
			t.Errorf("priorityOf(%s) = %d, want %d", tt.target, got, tt.want)
		}
	}
}

func TestTurnsGiveUp(t *testing.T) {
	tu := newTurns(1)
	tu.take(t.Context(), interactive, 0)
	if tu.take(t.Context(), interactive, 0) {
		t.Fatal("a turn was given beyond the limit, without waiting")
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan bool)
	go func() { done <- tu.take(ctx, background, time.Hour) }()
	waitQueued(t, tu, background, 1)
	cancel()
	if <-done {
		t.Fatal("a request that went away got a turn")
	}
	if n := tu.queuedLen(background); n != 0 {
		t.Fatalf("%d requests still wait after leaving", n)
	}
	tu.give()
	if tu.free != 1 {
		t.Fatalf("%d turns free, want 1: the turn went to one who had left", tu.free)
	}
}

// TestTurnsStress takes and gives turns from many goroutines whose waits
// end as turns are handed over, and checks that no turn is lost or made.
func TestTurnsStress(t *testing.T) {
	const n = 3
	tu := newTurns(n)
	var mu sync.Mutex
	held, most := 0, 0
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Go(func() {
			if !tu.take(t.Context(), i%priorities, time.Duration(i%5)*time.Microsecond) {
				return
			}
			mu.Lock()
			held++
			most = max(most, held)
			mu.Unlock()
			time.Sleep(time.Duration(i%3) * time.Microsecond)
			mu.Lock()
			held--
			mu.Unlock()
			tu.give()
		})
	}
	wg.Wait()
	if most > n {
		t.Errorf("%d turns held at once, limit %d", most, n)
	}
	if tu.free != n {
		t.Errorf("%d turns free at the end, want %d", tu.free, n)
	}
}
