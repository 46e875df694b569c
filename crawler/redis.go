package crawler

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gocolly/colly/v2"
	"github.com/gocolly/colly/v2/queue"
	"github.com/gocolly/colly/v2/storage"
	"github.com/redis/go-redis/v9"
)

// Defaults of a RedisStore.
const (
	// DefaultRedisLease is how long a process counts as busy after it took a
	// request from the shared queue, unless its heartbeat renews the lease.
	// It bounds how long the other processes wait for a process that died
	// while it held work.
	DefaultRedisLease = 30 * time.Second
	// DefaultRedisPoll is how long RunShared waits before it looks again
	// when the shared queue is empty but other processes are still busy.
	DefaultRedisPoll = 500 * time.Millisecond

	redisConnectTimeout = 5 * time.Second
	redisOpTimeout      = 10 * time.Second
)

// ErrRedisQueueEmpty is returned by RedisStore.GetRequest when the shared
// queue holds no request.
var ErrRedisQueueEmpty = errors.New("redis queue is empty")

// RedisStore keeps a crawl's visited set, cookies and frontier in Redis, so
// that several ottwatch processes, on one machine or many, crawl one site
// together and fetch every page exactly once overall.
//
// A RedisStore implements colly's storage.Storage (pass it to
// Collector.SetStorage) and queue.Storage (pass it to queue.New). All keys
// live under the prefix given to NewRedisStore:
//
//	<prefix>:visited   set of colly request hashes that were claimed
//	<prefix>:queue     list of serialized colly requests (the frontier, FIFO)
//	<prefix>:enqueued  set of URLs that Enqueue has put on the queue
//	<prefix>:cookies   hash from host to colly's serialized cookies
//	<prefix>:busy      sorted set of process leases, for termination
//
// Termination: a process takes requests with GetRequest, which pops the
// queue and records a lease for this process in the same atomic step, so
// work is never invisible: at any instant every pending request is either
// on the queue or held by a process with a lease. A heartbeat renews the
// lease while the store is open. When a process has nothing in flight (its
// queue.Queue.Run returned), it calls Idle, which atomically drops its own
// lease, drops leases that expired (their processes died), and reports
// whether the queue is empty and no lease is left. Idle true means the
// whole crawl is finished: nobody holds work that could add URLs. Idle
// false means wait (or run the queue again, if it holds requests) and ask
// again; RunShared does exactly this. No grace period is needed; the only
// wait is the lease of a process that died while holding work.
//
// A process that is killed loses the requests it had taken but not yet
// finished (at most its thread count plus one) and the pages it fetched
// but had not handed on yet (at most twice its workers): they are claimed
// or popped and no other process will fetch them.
//
// The methods required by colly's interfaces take no context; they use a
// timeout of their own. Cookies and SetCookies cannot report errors: on a
// Redis error Cookies returns no cookies and SetCookies drops them.
type RedisStore struct {
	client *redis.Client
	prefix string
	worker string
	where  string // the Redis URL without its password, for errors

	lease     atomic.Int64  // nanoseconds
	newLease  chan struct{} // wakes the heartbeat when the lease changes
	stop      chan struct{}
	stopped   chan struct{}
	closeOnce sync.Once
	closeErr  error
}

// Lua scripts. Times come from the Redis server (TIME), so the processes'
// clocks do not matter. They need Redis 5 or newer (scripts replicated by
// effects).
var (
	// KEYS: queue, busy. ARGV: worker, lease in ms.
	redisPopScript = redis.NewScript(`
local item = redis.call('LPOP', KEYS[1])
if item then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[1])
end
return item
`)
	// KEYS: busy. ARGV: worker, lease in ms. Renews an existing lease only.
	redisHeartbeatScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
`)
	// KEYS: queue, busy. ARGV: worker, or "" to keep this worker's lease.
	// Returns {queued, live leases}.
	redisIdleScript = redis.NewScript(`
if ARGV[1] ~= '' then
  redis.call('ZREM', KEYS[2], ARGV[1])
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
return {redis.call('LLEN', KEYS[1]), redis.call('ZCARD', KEYS[2])}
`)
	// KEYS: enqueued, queue. ARGV: URL, request.
	redisEnqueueScript = redis.NewScript(`
if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then
  redis.call('RPUSH', KEYS[2], ARGV[2])
  return 1
end
return 0
`)
)

// NewRedisStore connects to the Redis server at redisURL
// (redis://[user:password@]host:port/db, or rediss:// for TLS) and returns
// a store whose keys start with prefix, e.g. "ottwatch:crawl:<name>". It
// pings the server within ctx and at most 5 seconds, so a wrong URL fails
// fast; its errors never contain the URL's password. The first call
// silences go-redis's process-wide logging. Close the store when the crawl
// is over.
func NewRedisStore(ctx context.Context, redisURL, prefix string) (*RedisStore, error) {
	where := redactRedisURL(redisURL)
	prefix = strings.TrimSuffix(prefix, ":")
	if prefix == "" {
		return nil, errors.New("redis store: empty key prefix")
	}
	opt, err := redis.ParseURL(redisURL)
	if err != nil {
		return nil, fmt.Errorf("redis URL %s: %w (want redis://[user:password@]host:port/db)", where, redactRedisError(err, redisURL))
	}
	quietRedisOnce.Do(func() { redis.SetLogger(quietRedisLogger{}) })
	client := redis.NewClient(opt)
	pctx, cancel := context.WithTimeout(ctx, redisConnectTimeout)
	defer cancel()
	if err := client.Ping(pctx).Err(); err != nil {
		client.Close()
		return nil, fmt.Errorf("connect to redis at %s: %w", where, redactRedisError(err, redisURL))
	}
	host, _ := os.Hostname()
	var id [4]byte
	rand.Read(id[:])
	s := &RedisStore{
		client:   client,
		prefix:   prefix,
		worker:   fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(id[:])),
		where:    where,
		newLease: make(chan struct{}, 1),
		stop:     make(chan struct{}),
		stopped:  make(chan struct{}),
	}
	s.lease.Store(int64(DefaultRedisLease))
	go s.heartbeat()
	return s, nil
}

// quietRedisOnce silences go-redis's own logging, which is process-wide
// and would add lines like "connection pool: failed to dial after 5
// attempts" to ottwatch's output; the failures reach the callers of
// RedisStore's methods as errors.
var quietRedisOnce sync.Once

type quietRedisLogger struct{}

func (quietRedisLogger) Printf(context.Context, string, ...any) {}

// redactRedisURL returns rawURL for messages, with any password replaced by
// "xxxxx" and without its query, where someone might have put one.
func redactRedisURL(rawURL string) string {
	if u, err := url.Parse(rawURL); err == nil {
		u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = "", false, "", ""
		return u.Redacted()
	}
	rawURL, _, _ = strings.Cut(rawURL, "?")
	if secret := redisUserinfo(rawURL); secret != "" {
		return strings.Replace(rawURL, secret+"@", "xxxxx@", 1)
	}
	return rawURL
}

// redisUserinfo returns the user[:password] part of a URL-like string,
// found without parsing it, since the string may not parse.
func redisUserinfo(rawURL string) string {
	rest := rawURL
	if i := strings.Index(rest, "://"); i >= 0 {
		rest = rest[i+3:]
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	if i := strings.LastIndex(rest, "@"); i >= 0 {
		return rest[:i]
	}
	return ""
}

// redactRedisError returns err, or an error with err's message minus the
// URL's userinfo when the message contains it (url.Parse errors quote the
// whole URL).
func redactRedisError(err error, rawURL string) error {
	info := redisUserinfo(rawURL)
	if info == "" {
		return err
	}
	msg := err.Error()
	secrets := []string{info}
	if _, pass, ok := strings.Cut(info, ":"); ok && pass != "" {
		secrets = append(secrets, pass)
		if p, err := url.PathUnescape(pass); err == nil && p != pass {
			secrets = append(secrets, p)
		}
	}
	changed := false
	for _, sec := range secrets {
		if strings.Contains(msg, sec) {
			msg = strings.ReplaceAll(msg, sec, "xxxxx")
			changed = true
		}
	}
	if !changed {
		return err
	}
	return errors.New(msg)
}

func (s *RedisStore) key(name string) string { return s.prefix + ":" + name }

func (s *RedisStore) opContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), redisOpTimeout)
}

func (s *RedisStore) leaseMillis() int64 { return time.Duration(s.lease.Load()).Milliseconds() }

// SetLease sets how long this process counts as busy without a heartbeat
// (DefaultRedisLease unless set). The heartbeat renews the lease every
// third of it. Use the same lease in all processes of a crawl.
func (s *RedisStore) SetLease(d time.Duration) {
	if d < 30*time.Millisecond {
		d = 30 * time.Millisecond
	}
	s.lease.Store(int64(d))
	select {
	case s.newLease <- struct{}{}:
	default:
	}
}

// Worker returns the name of this store's lease: host/pid/random.
func (s *RedisStore) Worker() string { return s.worker }

func (s *RedisStore) heartbeat() {
	defer close(s.stopped)
	for {
		select {
		case <-s.stop:
			return
		case <-s.newLease:
		case <-time.After(time.Duration(s.lease.Load()) / 3):
		}
		ctx, cancel := s.opContext()
		// An error here is not fatal: the next GetRequest sets the lease
		// again, and a lease that lapses only lets others finish early.
		redisHeartbeatScript.Run(ctx, s.client, []string{s.key("busy")}, s.worker, s.leaseMillis())
		cancel()
	}
}

// Close stops the heartbeat, gives up this process's lease and closes the
// connection. It is safe to call more than once.
func (s *RedisStore) Close() error {
	s.closeOnce.Do(func() {
		close(s.stop)
		<-s.stopped
		ctx, cancel := context.WithTimeout(context.Background(), redisConnectTimeout)
		defer cancel()
		var errs []error
		if err := s.client.ZRem(ctx, s.key("busy"), s.worker).Err(); err != nil {
			errs = append(errs, fmt.Errorf("release lease at %s: %w", s.where, err))
		}
		if err := s.client.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close redis connection to %s: %w", s.where, err))
		}
		s.closeErr = errors.Join(errs...)
	})
	return s.closeErr
}

// Init implements storage.Storage and queue.Storage: it checks that Redis
// answers. It never clears anything, so every process of a crawl, and every
// queue.New, may call it.
func (s *RedisStore) Init() error {
	ctx, cancel := s.opContext()
	defer cancel()
	if err := s.client.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("ping redis at %s: %w", s.where, err)
	}
	return nil
}

// IsVisited implements storage.Storage as an atomic check-and-mark: the
// first call for requestID, in any process sharing the prefix, returns
// false and marks requestID visited; every later call returns true. Colly
// calls IsVisited and then Visited before each request, so this makes the
// process whose check comes first the only one to fetch the page.
//
// Because of this, Collector.HasVisited claims the URL too: with this
// store, do not call HasVisited for a URL you are about to visit.
func (s *RedisStore) IsVisited(requestID uint64) (bool, error) {
	ctx, cancel := s.opContext()
	defer cancel()
	added, err := s.client.SAdd(ctx, s.key("visited"), strconv.FormatUint(requestID, 10)).Result()
	if err != nil {
		return false, fmt.Errorf("check visited in redis at %s: %w", s.where, err)
	}
	return added == 0, nil
}

// Visited implements storage.Storage: it marks requestID visited. It is
// idempotent; after IsVisited it changes nothing.
func (s *RedisStore) Visited(requestID uint64) error {
	ctx, cancel := s.opContext()
	defer cancel()
	if err := s.client.SAdd(ctx, s.key("visited"), strconv.FormatUint(requestID, 10)).Err(); err != nil {
		return fmt.Errorf("mark visited in redis at %s: %w", s.where, err)
	}
	return nil
}

// Cookies implements storage.Storage: it returns the cookies stored for
// u's host (host:port), serialized by colly, or "" if there are none or
// Redis fails.
func (s *RedisStore) Cookies(u *url.URL) string {
	ctx, cancel := s.opContext()
	defer cancel()
	c, err := s.client.HGet(ctx, s.key("cookies"), u.Host).Result()
	if err != nil {
		return ""
	}
	return c
}

// SetCookies implements storage.Storage: it stores cookies, serialized by
// colly, for u's host (host:port). Colly merges them with the stored ones
// first; between processes the last writer wins.
func (s *RedisStore) SetCookies(u *url.URL, cookies string) {
	ctx, cancel := s.opContext()
	defer cancel()
	s.client.HSet(ctx, s.key("cookies"), u.Host, cookies)
}

// AddRequest implements queue.Storage: it appends a serialized request to
// the shared queue.
func (s *RedisStore) AddRequest(r []byte) error {
	ctx, cancel := s.opContext()
	defer cancel()
	if err := s.client.RPush(ctx, s.key("queue"), r).Err(); err != nil {
		return fmt.Errorf("add request to redis queue at %s: %w", s.where, err)
	}
	return nil
}

// GetRequest implements queue.Storage: it pops the oldest request from the
// shared queue and, in the same atomic step, marks this process busy (see
// Idle). It returns ErrRedisQueueEmpty if the queue is empty, e.g. because
// another process took the last request.
func (s *RedisStore) GetRequest() ([]byte, error) {
	ctx, cancel := s.opContext()
	defer cancel()
	r, err := redisPopScript.Run(ctx, s.client, []string{s.key("queue"), s.key("busy")}, s.worker, s.leaseMillis()).Text()
	if errors.Is(err, redis.Nil) {
		return nil, ErrRedisQueueEmpty
	}
	if err != nil {
		return nil, fmt.Errorf("get request from redis queue at %s: %w", s.where, err)
	}
	return []byte(r), nil
}

// QueueSize implements queue.Storage: the number of requests on the shared
// queue.
func (s *RedisStore) QueueSize() (int, error) {
	ctx, cancel := s.opContext()
	defer cancel()
	n, err := s.client.LLen(ctx, s.key("queue")).Result()
	if err != nil {
		return 0, fmt.Errorf("size of redis queue at %s: %w", s.where, err)
	}
	return int(n), nil
}

// Enqueue puts a GET request for the absolute URL rawURL, at the given
// colly depth, on the shared queue, unless Enqueue already put rawURL there
// during this crawl (in any process). It reports whether it added the
// request. Deduplicating here keeps the queue about as long as the number
// of pages rather than of links; IsVisited still guarantees that each page
// is fetched once. Use it from callbacks instead of queue.Queue.AddRequest,
// which blocks once its Queue.Run has returned.
func (s *RedisStore) Enqueue(ctx context.Context, rawURL string, depth int) (bool, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false, fmt.Errorf("enqueue %q: %w", rawURL, err)
	}
	if !u.IsAbs() {
		return false, fmt.Errorf("enqueue %q: not an absolute URL", rawURL)
	}
	u.Fragment, u.RawFragment = "", ""
	r := &colly.Request{URL: u, Method: "GET", Depth: depth}
	data, err := r.Marshal()
	if err != nil {
		return false, fmt.Errorf("enqueue %s: %w", u, err)
	}
	added, err := redisEnqueueScript.Run(ctx, s.client, []string{s.key("enqueued"), s.key("queue")}, u.String(), data).Int()
	if err != nil {
		return false, fmt.Errorf("enqueue %s in redis at %s: %w", u, s.where, err)
	}
	return added == 1, nil
}

// Idle reports whether the whole distributed crawl is finished: the shared
// queue is empty and no live process holds a request. Call it only when
// this process has nothing in flight (after queue.Queue.Run returned):
// it gives up this process's lease first, and the next GetRequest takes it
// again. It also drops the leases of processes whose heartbeat stopped.
func (s *RedisStore) Idle(ctx context.Context) (bool, error) {
	queued, busy, err := s.pending(ctx, s.worker)
	if err != nil {
		return false, err
	}
	return queued == 0 && busy == 0, nil
}

// Pending returns the number of requests on the shared queue and of live
// processes holding requests (this one included), without changing this
// process's lease. It is meant for progress reports.
func (s *RedisStore) Pending(ctx context.Context) (queued, busy int64, err error) {
	return s.pending(ctx, "")
}

func (s *RedisStore) pending(ctx context.Context, release string) (queued, busy int64, err error) {
	v, err := redisIdleScript.Run(ctx, s.client, []string{s.key("queue"), s.key("busy")}, release).Int64Slice()
	if err != nil {
		return 0, 0, fmt.Errorf("check pending work in redis at %s: %w", s.where, err)
	}
	if len(v) != 2 {
		return 0, 0, fmt.Errorf("check pending work in redis at %s: unexpected reply %v", s.where, v)
	}
	return v[0], v[1], nil
}

func (s *RedisStore) keys() []string {
	return []string{s.key("visited"), s.key("queue"), s.key("enqueued"), s.key("cookies"), s.key("busy")}
}

// Reset deletes all of the crawl's keys, so the next crawl under the same
// prefix starts afresh. Do it only when no process of the crawl runs.
func (s *RedisStore) Reset(ctx context.Context) error {
	if err := s.client.Del(ctx, s.keys()...).Err(); err != nil {
		return fmt.Errorf("reset crawl %s in redis at %s: %w", s.prefix, s.where, err)
	}
	return nil
}

// Expire makes Redis delete the crawl's existing keys after ttl, e.g. when
// a finished crawl's visited set should be kept for a while. Keys created
// afterwards do not expire.
func (s *RedisStore) Expire(ctx context.Context, ttl time.Duration) error {
	_, err := s.client.TxPipelined(ctx, func(p redis.Pipeliner) error {
		for _, k := range s.keys() {
			p.PExpire(ctx, k, ttl)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("expire crawl %s in redis at %s: %w", s.prefix, s.where, err)
	}
	return nil
}

// RunShared runs c on the shared queue with the given number of threads
// until the whole distributed crawl is finished (Idle) or ctx is done. c
// must have s as its storage (c.SetStorage(s)) and must be synchronous:
// an asynchronous collector would take the whole queue at once and leave
// nothing to the other processes; parallelism comes from threads. Seed the
// queue with Enqueue (every process may seed the same URLs) and add
// discovered links with Enqueue from c's callbacks. poll is how long to
// wait while the queue is empty but other processes work
// (DefaultRedisPoll if zero).
//
// When ctx is done, RunShared stops taking requests, waits for the ones in
// flight and returns ctx's error; what is left on the queue stays there for
// the other processes.
func (s *RedisStore) RunShared(ctx context.Context, c *colly.Collector, threads int, poll time.Duration) error {
	if c.Async {
		return errors.New("shared redis queue: the collector must be synchronous (colly.Async(false)); use threads for parallelism")
	}
	if poll <= 0 {
		poll = DefaultRedisPoll
	}
	for {
		q, err := queue.New(threads, &redisRunQueue{s: s, ctx: ctx})
		if err != nil {
			return fmt.Errorf("shared redis queue: %w", err)
		}
		if err := q.Run(c); err != nil {
			return fmt.Errorf("shared redis queue: %w", err)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		queued, busy, err := s.pending(ctx, s.worker)
		if err != nil {
			return err
		}
		if queued == 0 && busy == 0 {
			return nil
		}
		if queued > 0 {
			continue
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(poll):
		}
	}
}

// redisRunQueue is the queue.Storage of one RunShared round: once ctx is
// done it reports an empty queue, so that queue.Queue.Run waits for the
// requests in flight and returns without draining the shared queue.
type redisRunQueue struct {
	s   *RedisStore
	ctx context.Context
}

var _ queue.Storage = (*redisRunQueue)(nil)

func (q *redisRunQueue) Init() error               { return q.s.Init() }
func (q *redisRunQueue) AddRequest(r []byte) error { return q.s.AddRequest(r) }

func (q *redisRunQueue) GetRequest() ([]byte, error) {
	if err := q.ctx.Err(); err != nil {
		return nil, err
	}
	return q.s.GetRequest()
}

func (q *redisRunQueue) QueueSize() (int, error) {
	if q.ctx.Err() != nil {
		return 0, nil
	}
	return q.s.QueueSize()
}

var (
	_ storage.Storage = (*RedisStore)(nil)
	_ queue.Storage   = (*RedisStore)(nil)
)
