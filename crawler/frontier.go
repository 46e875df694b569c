package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"
	"github.com/gocolly/colly/v2/queue"
)

// frontier is where a crawl's requests wait to be fetched: a queue shared
// with other processes in Redis, or a bounded one in memory. Either way
// links are data in a queue, not goroutines, whatever their number.
type frontier interface {
	// Enqueue queues a GET request for rawURL at a colly depth, unless it
	// was queued before during the crawl; it reports whether it did.
	Enqueue(ctx context.Context, rawURL string, depth int) (bool, error)
	// RunShared fetches the queued requests with threads workers on the
	// synchronous collector c until none is left or ctx is done.
	RunShared(ctx context.Context, c *colly.Collector, threads int, poll time.Duration) error
}

// DefaultMaxQueue is how many requests a crawl's frontier holds at most.
const DefaultMaxQueue = 100_000

// ErrFrontierFull is returned for a link found when the crawl's frontier
// already holds its maximum of requests: the link is not followed.
var ErrFrontierFull = errors.New("the crawl's queue is full")

// memoryFrontier is the frontier of a crawl on its own: a first-in,
// first-out queue of at most max requests, with the set of URLs queued
// during the crawl.
type memoryFrontier struct {
	mu       sync.Mutex
	max      int
	enqueued map[string]bool
	queue    [][]byte
	head     int
}

func newMemoryFrontier(max int) *memoryFrontier {
	return &memoryFrontier{max: max, enqueued: make(map[string]bool)}
}

func (f *memoryFrontier) Enqueue(ctx context.Context, rawURL string, depth int) (bool, error) {
	u, err := url.Parse(rawURL)
	if err != nil || !u.IsAbs() {
		return false, fmt.Errorf("enqueue %q: not an absolute URL", rawURL)
	}
	u.Fragment, u.RawFragment = "", ""
	key := u.String()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.enqueued[key] {
		return false, nil
	}
	if len(f.queue)-f.head >= f.max {
		return false, fmt.Errorf("enqueue %s: %w (%d requests)", key, ErrFrontierFull, f.max)
	}
	data, err := (&colly.Request{URL: u, Method: "GET", Depth: depth}).Marshal()
	if err != nil {
		return false, fmt.Errorf("enqueue %s: %w", key, err)
	}
	f.enqueued[key] = true
	f.queue = append(f.queue, data)
	return true, nil
}

func (f *memoryFrontier) RunShared(ctx context.Context, c *colly.Collector, threads int, _ time.Duration) error {
	q, err := queue.New(threads, &runQueue{f: f, ctx: ctx})
	if err != nil {
		return fmt.Errorf("crawl queue: %w", err)
	}
	if err := q.Run(c); err != nil {
		return fmt.Errorf("crawl queue: %w", err)
	}
	return ctx.Err()
}

// runQueue is the queue.Storage of a memoryFrontier for one run: once ctx
// is done it reports an empty queue, so that the run waits for the
// requests in flight and returns without starting the others.
type runQueue struct {
	f   *memoryFrontier
	ctx context.Context
}

func (q *runQueue) Init() error { return nil }

func (q *runQueue) AddRequest(r []byte) error {
	q.f.mu.Lock()
	defer q.f.mu.Unlock()
	if len(q.f.queue)-q.f.head >= q.f.max {
		return colly.ErrQueueFull
	}
	q.f.queue = append(q.f.queue, r)
	return nil
}

func (q *runQueue) GetRequest() ([]byte, error) {
	q.f.mu.Lock()
	defer q.f.mu.Unlock()
	if q.f.head == len(q.f.queue) || q.ctx.Err() != nil {
		return nil, errors.New("the crawl's queue is empty")
	}
	r := q.f.queue[q.f.head]
	q.f.queue[q.f.head] = nil
	q.f.head++
	if q.f.head > 1024 && 2*q.f.head > len(q.f.queue) {
		// Let go of the array under the requests taken.
		q.f.queue, q.f.head = append([][]byte(nil), q.f.queue[q.f.head:]...), 0
	}
	return r, nil
}

func (q *runQueue) QueueSize() (int, error) {
	if q.ctx.Err() != nil {
		return 0, nil
	}
	q.f.mu.Lock()
	defer q.f.mu.Unlock()
	return len(q.f.queue) - q.f.head, nil
}

var (
	_ frontier      = (*memoryFrontier)(nil)
	_ frontier      = (*RedisStore)(nil)
	_ queue.Storage = (*runQueue)(nil)
)
