package crawler

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
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
// during the crawl. A request waits as its URL and depth, made a colly
// request only when it is taken.
type memoryFrontier struct {
	mu       sync.Mutex
	max      int
	enqueued urlSet
	queue    []queued
	head     int
}

// queued is a request in a memoryFrontier: a GET of url at a colly depth,
// or a request colly queued itself.
type queued struct {
	url   string
	depth int
	raw   []byte // a request colly serialised, or nil
}

func newMemoryFrontier(max int) *memoryFrontier {
	return &memoryFrontier{max: max}
}

// urlSet is a set of URLs kept as 64-bit hashes with a seed of its own,
// so that a crawl remembers a site of a million pages in a few megabytes.
// Two URLs of one crawl have one chance in about 2^64/n² of taking the same
// hash, the way colly tells requests apart.
type urlSet struct {
	seed   maphash.Seed
	hashes map[uint64]struct{}
}

// add adds u to the set and reports whether it was not there.
func (s *urlSet) add(u string) bool {
	if s.hashes == nil {
		s.seed, s.hashes = maphash.MakeSeed(), make(map[uint64]struct{})
	}
	h := maphash.String(s.seed, u)
	if _, ok := s.hashes[h]; ok {
		return false
	}
	s.hashes[h] = struct{}{}
	return true
}

// has reports whether u is in the set.
func (s *urlSet) has(u string) bool {
	if s.hashes == nil {
		return false
	}
	_, ok := s.hashes[maphash.String(s.seed, u)]
	return ok
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
	if len(f.queue)-f.head >= f.max {
		if f.enqueued.has(key) {
			return false, nil
		}
		return false, fmt.Errorf("enqueue %s: %w (%d requests)", key, ErrFrontierFull, f.max)
	}
	if !f.enqueued.add(key) {
		return false, nil
	}
	f.queue = append(f.queue, queued{url: key, depth: depth})
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
	q.f.queue = append(q.f.queue, queued{raw: r})
	return nil
}

func (q *runQueue) GetRequest() ([]byte, error) {
	q.f.mu.Lock()
	defer q.f.mu.Unlock()
	if q.f.head == len(q.f.queue) || q.ctx.Err() != nil {
		return nil, errors.New("the crawl's queue is empty")
	}
	r := q.f.queue[q.f.head]
	q.f.queue[q.f.head] = queued{}
	q.f.head++
	if q.f.head > 1024 && 2*q.f.head > len(q.f.queue) {
		// Let go of the array under the requests taken.
		q.f.queue, q.f.head = append([]queued(nil), q.f.queue[q.f.head:]...), 0
	}
	if r.raw != nil {
		return r.raw, nil
	}
	u, err := url.Parse(r.url)
	if err != nil {
		return nil, fmt.Errorf("dequeue %s: %w", r.url, err)
	}
	return (&colly.Request{URL: u, Method: "GET", Depth: r.depth}).Marshal()
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
