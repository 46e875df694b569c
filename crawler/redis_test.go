package crawler

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gocolly/colly/v2"
	"github.com/gocolly/colly/v2/queue"
)

// newTestRedisStore opens a store on redisURL under prefix and closes it
// when the test ends.
func newTestRedisStore(t *testing.T, redisURL, prefix string) *RedisStore {
	t.Helper()
	s, err := NewRedisStore(context.Background(), redisURL, prefix)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// crashRedisStore makes s behave like a process that died: its heartbeat
// stops and its connection closes without giving up its lease.
func crashRedisStore(s *RedisStore) {
	s.closeOnce.Do(func() {
		close(s.stop)
		<-s.stopped
		s.client.Close()
	})
}

func TestRedisIsVisitedAtomic(t *testing.T) {
	redisURL := startRedis(t)
	tests := []struct {
		name       string
		goroutines int
		hashes     int
		markAfter  bool // call Visited after IsVisited, as colly does
	}{
		{"check only", 50, 1000, false},
		{"check then mark", 50, 1000, true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prefix := fmt.Sprintf("test:atomic:%d", i)
			stores := []*RedisStore{
				newTestRedisStore(t, redisURL, prefix),
				newTestRedisStore(t, redisURL, prefix),
			}
			hashes := make([]uint64, tt.hashes)
			for j := range hashes {
				hashes[j] = rand.Uint64() // also above math.MaxInt64
			}
			unvisited := make([]atomic.Int32, len(hashes))
			start := make(chan struct{})
			errc := make(chan error, tt.goroutines)
			var wg sync.WaitGroup
			for g := range tt.goroutines {
				s := stores[g%len(stores)]
				wg.Go(func() {
					<-start
					for _, j := range rand.Perm(len(hashes)) {
						visited, err := s.IsVisited(hashes[j])
						if err != nil {
							errc <- err
							return
						}
						if !visited {
							unvisited[j].Add(1)
						}
						if tt.markAfter {
							if err := s.Visited(hashes[j]); err != nil {
								errc <- err
								return
							}
						}
					}
				})
			}
			began := time.Now()
			close(start)
			wg.Wait()
			close(errc)
			for err := range errc {
				t.Fatal(err)
			}
			t.Logf("%d goroutines × %d hashes on 2 stores in %v", tt.goroutines, tt.hashes, time.Since(began).Round(time.Millisecond))
			for j := range unvisited {
				if n := unvisited[j].Load(); n != 1 {
					t.Errorf("hash %d reported unvisited %d times, want 1", hashes[j], n)
				}
			}
			// Everything is visited now, seen from either store.
			for _, s := range stores {
				if v, err := s.IsVisited(hashes[0]); err != nil || !v {
					t.Errorf("IsVisited after the race = %v, %v; want true", v, err)
				}
			}
		})
	}
}

func TestRedisQueueFIFOAcrossStores(t *testing.T) {
	redisURL := startRedis(t)
	type op struct {
		store int    // 0 or 1
		do    string // "add", "get", "empty"
		val   string // added or expected value
		size  int    // expected QueueSize afterwards, from both stores
	}
	tests := []struct {
		name string
		ops  []op
	}{
		{"empty queue", []op{{0, "empty", "", 0}, {1, "empty", "", 0}}},
		{"fifo across stores", []op{
			{0, "add", "a", 1}, {1, "add", "b", 2}, {0, "add", "c", 3},
			{1, "get", "a", 2}, {1, "get", "b", 1}, {0, "get", "c", 0},
			{0, "empty", "", 0},
		}},
		{"interleaved", []op{
			{0, "add", "1", 1}, {1, "get", "1", 0}, {1, "add", "2", 1},
			{0, "add", "3", 2}, {0, "get", "2", 1}, {1, "add", "4", 2},
			{1, "get", "3", 1}, {0, "get", "4", 0}, {1, "empty", "", 0},
		}},
		{"binary request", []op{
			{0, "add", "\x00\xff{\"URL\":\"x\"}\r\n", 1}, {1, "get", "\x00\xff{\"URL\":\"x\"}\r\n", 0},
		}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prefix := fmt.Sprintf("test:queue:%d", i)
			stores := []*RedisStore{
				newTestRedisStore(t, redisURL, prefix),
				newTestRedisStore(t, redisURL, prefix),
			}
			for _, s := range stores {
				if err := s.Init(); err != nil {
					t.Fatal(err)
				}
			}
			for k, o := range tt.ops {
				s := stores[o.store]
				switch o.do {
				case "add":
					if err := s.AddRequest([]byte(o.val)); err != nil {
						t.Fatalf("op %d: AddRequest: %v", k, err)
					}
				case "get":
					got, err := s.GetRequest()
					if err != nil || string(got) != o.val {
						t.Fatalf("op %d: GetRequest = %q, %v; want %q", k, got, err, o.val)
					}
				case "empty":
					got, err := s.GetRequest()
					if !errors.Is(err, ErrRedisQueueEmpty) {
						t.Fatalf("op %d: GetRequest = %q, %v; want ErrRedisQueueEmpty", k, got, err)
					}
				}
				for j, s := range stores {
					if n, err := s.QueueSize(); err != nil || n != o.size {
						t.Fatalf("op %d: store %d QueueSize = %d, %v; want %d", k, j, n, err, o.size)
					}
				}
			}
		})
	}
}

func TestRedisQueueConcurrentPops(t *testing.T) {
	redisURL := startRedis(t)
	a := newTestRedisStore(t, redisURL, "test:pops")
	b := newTestRedisStore(t, redisURL, "test:pops")
	const n = 2000
	for i := range n {
		if err := a.AddRequest([]byte(strconv.Itoa(i))); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	got := make(map[string]int)
	var wg sync.WaitGroup
	for g := range 20 {
		s := []*RedisStore{a, b}[g%2]
		wg.Go(func() {
			last := -1
			for {
				r, err := s.GetRequest()
				if errors.Is(err, ErrRedisQueueEmpty) {
					return
				}
				if err != nil {
					t.Error(err)
					return
				}
				v, _ := strconv.Atoi(string(r))
				if v <= last {
					t.Errorf("popped %d after %d: not FIFO", v, last)
				}
				last = v
				mu.Lock()
				got[string(r)]++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(got) != n {
		t.Errorf("popped %d distinct requests, want %d", len(got), n)
	}
	for r, c := range got {
		if c != 1 {
			t.Errorf("request %s popped %d times", r, c)
		}
	}
}

func TestRedisCookies(t *testing.T) {
	redisURL := startRedis(t)
	a := newTestRedisStore(t, redisURL, "test:cookies")
	b := newTestRedisStore(t, redisURL, "test:cookies")
	other := newTestRedisStore(t, redisURL, "test:othercrawl")
	mustURL := func(s string) *url.URL {
		u, err := url.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	tests := []struct {
		name   string
		set    *RedisStore
		setURL string
		value  string
		get    *RedisStore
		getURL string
		want   string
	}{
		{"shared between stores", a, "https://news.example/a", "sid=1", b, "https://news.example/b", "sid=1"},
		{"overwrite", b, "https://news.example/", "sid=2\nlang=fr", a, "https://news.example/x", "sid=2\nlang=fr"},
		{"per host", a, "https://news.example/", "sid=3", a, "https://other.example/", ""},
		{"port is part of the host", a, "http://127.0.0.1:8080/", "p=1", b, "http://127.0.0.1:9090/", ""},
		{"per crawl prefix", a, "https://blog.example/", "sid=4", other, "https://blog.example/", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.set.SetCookies(mustURL(tt.setURL), tt.value)
			if got := tt.get.Cookies(mustURL(tt.getURL)); got != tt.want {
				t.Errorf("Cookies(%s) = %q, want %q", tt.getURL, got, tt.want)
			}
		})
	}
}

func TestRedisStoreErrors(t *testing.T) {
	redisURL := startRedis(t)
	live, _ := url.Parse(redisURL)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedAddr := l.Addr().String()
	l.Close()

	// A second server that wants a password.
	pwURL, _ := url.Parse(startRedis(t))
	{
		s := newTestRedisStore(t, pwURL.String(), "setup")
		if err := s.client.ConfigSet(context.Background(), "requirepass", "right-pass").Err(); err != nil {
			t.Fatal(err)
		}
	}
	s, err := NewRedisStore(context.Background(), "redis://:right-pass@"+pwURL.Host+"/0", "p")
	if err != nil {
		t.Fatalf("right password: %v", err)
	}
	s.Close()

	const secret = "s3cr3t-pa55"
	tests := []struct {
		name   string
		url    string
		prefix string
		want   []string // substrings of the error
	}{
		{"empty prefix", redisURL, "", []string{"empty key prefix"}},
		{"no scheme", "127.0.0.1:6379", "p", []string{"redis URL", "want redis://"}},
		{"wrong scheme", "http://u:" + secret + "@127.0.0.1/0", "p", []string{"invalid URL scheme: http", "http://u:xxxxx@127.0.0.1/0"}},
		{"unparsable with password", "redis://u:" + secret + "@127.0.0.1:port/0", "p", []string{"redis URL redis://xxxxx@127.0.0.1:port/0", "invalid port"}},
		{"password in the query", "redis://" + live.Host + "/0?password=" + secret, "p", []string{"redis URL redis://" + live.Host + "/0:", "unexpected option: password"}},
		{"bad database", "redis://" + live.Host + "/db1", "p", []string{"invalid database number"}},
		{"unreachable", "redis://u:" + secret + "@" + closedAddr + "/0", "p", []string{"connect to redis at redis://u:xxxxx@" + closedAddr + "/0", "refused"}},
		{"wrong password", "redis://:" + secret + "@" + pwURL.Host + "/0", "p", []string{"connect to redis at redis://:xxxxx@" + pwURL.Host + "/0", "WRONGPASS"}},
		{"no password", "redis://" + pwURL.Host + "/0", "p", []string{"connect to redis at redis://" + pwURL.Host + "/0", "NOAUTH"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			began := time.Now()
			s, err := NewRedisStore(context.Background(), tt.url, tt.prefix)
			took := time.Since(began)
			if err == nil {
				s.Close()
				t.Fatalf("NewRedisStore(%q) succeeded, want an error", tt.url)
			}
			msg := err.Error()
			t.Logf("error after %v: %s", took.Round(time.Millisecond), msg)
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
			if strings.Contains(msg, secret) {
				t.Errorf("error %q shows the password", msg)
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("error %q is more than one line", msg)
			}
			if took > 6*time.Second {
				t.Errorf("NewRedisStore took %v to fail, want it fast", took)
			}
		})
	}
}

func TestRedisIdle(t *testing.T) {
	redisURL := startRedis(t)
	idle := func(t *testing.T, s *RedisStore, want bool) {
		t.Helper()
		got, err := s.Idle(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("Idle = %v, want %v", got, want)
		}
	}
	pop := func(t *testing.T, s *RedisStore) {
		t.Helper()
		if _, err := s.GetRequest(); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		run  func(t *testing.T, a, b *RedisStore)
	}{
		{"fresh crawl is idle", func(t *testing.T, a, b *RedisStore) {
			idle(t, a, true)
			idle(t, b, true)
		}},
		{"queued request is not idle", func(t *testing.T, a, b *RedisStore) {
			a.AddRequest([]byte("r"))
			idle(t, a, false)
			idle(t, b, false)
			pop(t, b)
			idle(t, b, true)
		}},
		{"request held by another process is not idle", func(t *testing.T, a, b *RedisStore) {
			a.AddRequest([]byte("r"))
			pop(t, a)
			idle(t, b, false)
			q, busy, err := b.Pending(context.Background())
			if err != nil || q != 0 || busy != 1 {
				t.Fatalf("Pending = %d, %d, %v; want 0, 1", q, busy, err)
			}
			idle(t, a, true) // a finished its request
			idle(t, b, true)
		}},
		{"Pending keeps own lease", func(t *testing.T, a, b *RedisStore) {
			a.AddRequest([]byte("r"))
			pop(t, a)
			a.Pending(context.Background())
			idle(t, b, false)
		}},
		{"Close releases the lease", func(t *testing.T, a, b *RedisStore) {
			a.AddRequest([]byte("r"))
			pop(t, a)
			idle(t, b, false)
			if err := a.Close(); err != nil {
				t.Fatal(err)
			}
			idle(t, b, true)
		}},
		{"heartbeat keeps the lease alive", func(t *testing.T, a, b *RedisStore) {
			a.SetLease(time.Second)
			a.AddRequest([]byte("r"))
			pop(t, a)
			for range 5 {
				time.Sleep(500 * time.Millisecond)
				idle(t, b, false)
			}
		}},
		{"dead process's lease expires", func(t *testing.T, a, b *RedisStore) {
			a.SetLease(time.Second)
			a.AddRequest([]byte("r"))
			pop(t, a)
			began := time.Now()
			crashRedisStore(a)
			idle(t, b, false)
			for {
				ok, err := b.Idle(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if ok {
					break
				}
				if time.Since(began) > time.Minute {
					t.Fatal("still not idle a minute after the process with a 1s lease died")
				}
				time.Sleep(20 * time.Millisecond)
			}
			if took := time.Since(began); took < 500*time.Millisecond {
				t.Errorf("idle %v after the crash, before the 1s lease ran out", took)
			} else {
				t.Logf("idle %v after the crash", took.Round(time.Millisecond))
			}
		}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prefix := fmt.Sprintf("test:idle:%d", i)
			tt.run(t, newTestRedisStore(t, redisURL, prefix), newTestRedisStore(t, redisURL, prefix))
		})
	}
}

func TestRedisResetExpire(t *testing.T) {
	redisURL := startRedis(t)
	s := newTestRedisStore(t, redisURL, "test:reset")
	keep := newTestRedisStore(t, redisURL, "test:keep")
	ctx := context.Background()
	fill := func(s *RedisStore) {
		s.IsVisited(1)
		s.AddRequest([]byte("r"))
		s.SetCookies(&url.URL{Host: "h"}, "c=1")
		if _, err := s.Enqueue(ctx, "https://h/x", 1); err != nil {
			t.Fatal(err)
		}
	}
	fill(s)
	fill(keep)
	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.IsVisited(1); v {
		t.Error("visited set survived Reset")
	}
	if n, _ := s.QueueSize(); n != 0 {
		t.Errorf("QueueSize after Reset = %d", n)
	}
	if v, _ := keep.IsVisited(1); !v {
		t.Error("Reset deleted another crawl's visited set")
	}
	if err := keep.Expire(ctx, 100*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if n, _ := keep.QueueSize(); n != 0 {
		t.Errorf("QueueSize after Expire = %d", n)
	}
	if c := keep.Cookies(&url.URL{Host: "h"}); c != "" {
		t.Errorf("cookies after Expire = %q", c)
	}
}

func TestRedisEnqueue(t *testing.T) {
	redisURL := startRedis(t)
	a := newTestRedisStore(t, redisURL, "test:enqueue")
	b := newTestRedisStore(t, redisURL, "test:enqueue")
	ctx := context.Background()
	tests := []struct {
		store   *RedisStore
		url     string
		added   bool
		wantErr bool
	}{
		{a, "https://news.example/a", true, false},
		{b, "https://news.example/a", false, false},
		{b, "https://news.example/a#comments", false, false},
		{a, "https://news.example/b", true, false},
		{a, "/relative", false, true},
		{a, "https://bad host/", false, true},
	}
	for _, tt := range tests {
		added, err := tt.store.Enqueue(ctx, tt.url, 2)
		if (err != nil) != tt.wantErr || added != tt.added {
			t.Errorf("Enqueue(%q) = %v, %v; want %v, error %v", tt.url, added, err, tt.added, tt.wantErr)
		}
	}
	c := colly.NewCollector()
	for _, want := range []string{"https://news.example/a", "https://news.example/b"} {
		data, err := b.GetRequest()
		if err != nil {
			t.Fatal(err)
		}
		r, err := c.UnmarshalRequest(data)
		if err != nil {
			t.Fatal(err)
		}
		if r.URL.String() != want || r.Depth != 2 || r.Method != "GET" {
			t.Errorf("queued request = %s %s depth %d, want GET %s depth 2", r.Method, r.URL, r.Depth, want)
		}
	}
}

// redisSite is a loopback news site of 521 pages: the home page links to
// 20 sections, each section to 25 articles, and each article to three
// articles elsewhere, its section and home. The home page sets a cookie.
// It counts the requests for every path.
type redisSite struct {
	*httptest.Server
	mu       sync.Mutex
	hits     map[string]int
	noCookie []string // pages other than home requested without the cookie
}

const (
	redisSiteSections = 20
	redisSiteArticles = 25
	redisSitePages    = 1 + redisSiteSections + redisSiteSections*redisSiteArticles
)

func newRedisSite(t *testing.T) *redisSite {
	site := &redisSite{hits: make(map[string]int)}
	site.Server = httptest.NewServer(http.HandlerFunc(site.serve))
	t.Cleanup(site.Close)
	return site
}

func (s *redisSite) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits[r.URL.Path]++
	if _, err := r.Cookie("sid"); err != nil && r.URL.Path != "/" {
		s.noCookie = append(s.noCookie, r.URL.Path)
	}
	s.mu.Unlock()

	var links []string
	switch {
	case r.URL.Path == "/":
		http.SetCookie(w, &http.Cookie{Name: "sid", Value: "42", Path: "/"})
		for i := range redisSiteSections {
			links = append(links, fmt.Sprintf("/s/%d", i))
		}
	case strings.HasPrefix(r.URL.Path, "/s/"):
		i, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/s/"))
		if err != nil || i < 0 || i >= redisSiteSections {
			http.NotFound(w, r)
			return
		}
		links = append(links, "/")
		for j := range redisSiteArticles {
			links = append(links, fmt.Sprintf("/a/%d/%d", i, j))
		}
	case strings.HasPrefix(r.URL.Path, "/a/"):
		var i, j int
		if _, err := fmt.Sscanf(r.URL.Path, "/a/%d/%d", &i, &j); err != nil {
			http.NotFound(w, r)
			return
		}
		links = append(links, "/", fmt.Sprintf("/s/%d", i),
			fmt.Sprintf("/a/%d/%d", (i+1)%redisSiteSections, j),
			fmt.Sprintf("/a/%d/%d", i, (j+1)%redisSiteArticles),
			fmt.Sprintf("/a/%d/%d#comments", (i+7)%redisSiteSections, (j+11)%redisSiteArticles))
	default:
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, "<html><head><title>%s</title></head><body>", r.URL.Path)
	for _, l := range links {
		fmt.Fprintf(w, `<a href="%s">%s</a> `, l, l)
	}
	fmt.Fprint(w, "</body></html>")
}

// check fails t unless every page was fetched exactly once and every
// request after the home page carried its cookie.
func (s *redisSite) check(t *testing.T) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.hits) != redisSitePages {
		t.Errorf("%d distinct pages fetched, want %d", len(s.hits), redisSitePages)
	}
	for p, n := range s.hits {
		if n != 1 {
			t.Errorf("%s fetched %d times, want once", p, n)
		}
	}
	if len(s.noCookie) > 0 {
		t.Errorf("%d requests without the home page's cookie, e.g. %s", len(s.noCookie), s.noCookie[0])
	}
}

// TestRedisTwoCollectorsShareCrawl crawls the site with two collectors, each
// with its own RedisStore as storage and as colly queue storage, like two
// processes on different machines, driving colly's queue directly.
func TestRedisTwoCollectorsShareCrawl(t *testing.T) {
	redisURL := startRedis(t)
	site := newRedisSite(t)
	const prefix = "test:e2e:queue"

	const procs, threads = 2, 4
	fetched := make([]atomic.Int32, procs)
	errc := make(chan error, procs)
	began := time.Now()
	var wg sync.WaitGroup
	for p := range procs {
		store := newTestRedisStore(t, redisURL, prefix)
		c := colly.NewCollector(colly.IgnoreRobotsTxt())
		if err := c.SetStorage(store); err != nil {
			t.Fatal(err)
		}
		// A queue that is never run, to add URLs to the shared queue.
		links, err := queue.New(1, store)
		if err != nil {
			t.Fatal(err)
		}
		c.OnHTML("a[href]", func(e *colly.HTMLElement) {
			// Colly tells URLs apart by their fragment; a crawler drops it.
			link, _, _ := strings.Cut(e.Request.AbsoluteURL(e.Attr("href")), "#")
			if err := links.AddURL(link); err != nil {
				t.Error(err)
			}
		})
		c.OnResponse(func(*colly.Response) { fetched[p].Add(1) })
		c.OnError(func(r *colly.Response, err error) { t.Errorf("%s: %v", r.Request.URL, err) })
		// Every process seeds the crawl; only one fetches the home page.
		if err := links.AddURL(site.URL + "/"); err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			for {
				q, err := queue.New(threads, store)
				if err != nil {
					errc <- err
					return
				}
				if err := q.Run(c); err != nil {
					errc <- err
					return
				}
				idle, err := store.Idle(context.Background())
				if err != nil {
					errc <- err
					return
				}
				if idle {
					return
				}
				time.Sleep(10 * time.Millisecond)
			}
		})
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
	t.Logf("%d pages in %v; per collector %d and %d", redisSitePages, time.Since(began).Round(time.Millisecond), fetched[0].Load(), fetched[1].Load())
	site.check(t)
	for p := range procs {
		if fetched[p].Load() == 0 {
			t.Errorf("collector %d fetched nothing: the work was not shared", p)
		}
	}
}

// TestRedisRunSharedCollectors crawls the site with three collectors driven
// by RunShared, adding links with Enqueue.
func TestRedisRunSharedCollectors(t *testing.T) {
	redisURL := startRedis(t)
	site := newRedisSite(t)
	const prefix = "test:e2e:runshared"

	const procs, threads = 3, 3
	fetched := make([]atomic.Int32, procs)
	errc := make(chan error, procs)
	ctx := context.Background()
	began := time.Now()
	var wg sync.WaitGroup
	for p := range procs {
		store := newTestRedisStore(t, redisURL, prefix)
		c := colly.NewCollector(colly.IgnoreRobotsTxt(), colly.MaxDepth(10))
		if err := c.SetStorage(store); err != nil {
			t.Fatal(err)
		}
		c.OnHTML("a[href]", func(e *colly.HTMLElement) {
			if _, err := store.Enqueue(ctx, e.Request.AbsoluteURL(e.Attr("href")), e.Request.Depth+1); err != nil {
				t.Error(err)
			}
		})
		c.OnResponse(func(*colly.Response) { fetched[p].Add(1) })
		c.OnError(func(r *colly.Response, err error) { t.Errorf("%s: %v", r.Request.URL, err) })
		if _, err := store.Enqueue(ctx, site.URL+"/", 1); err != nil {
			t.Fatal(err)
		}
		wg.Go(func() { errc <- store.RunShared(ctx, c, threads, 10*time.Millisecond) })
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Fatal(err)
		}
	}
	var counts []string
	for p := range procs {
		counts = append(counts, strconv.Itoa(int(fetched[p].Load())))
	}
	t.Logf("%d pages in %v; per collector %s", redisSitePages, time.Since(began).Round(time.Millisecond), strings.Join(counts, ", "))
	site.check(t)

	probe := newTestRedisStore(t, redisURL, prefix)
	if n, err := probe.client.SCard(ctx, probe.key("enqueued")).Result(); err != nil || n != redisSitePages {
		t.Errorf("%d URLs enqueued, %v; want %d (one per page)", n, err, redisSitePages)
	}
}

func TestRedisRunSharedRejectsAsync(t *testing.T) {
	redisURL := startRedis(t)
	s := newTestRedisStore(t, redisURL, "test:async")
	err := s.RunShared(context.Background(), colly.NewCollector(colly.Async(true)), 2, 0)
	if err == nil || !strings.Contains(err.Error(), "synchronous") {
		t.Errorf("RunShared with an async collector = %v, want an error", err)
	}
}

func TestRedisRunSharedCancel(t *testing.T) {
	redisURL := startRedis(t)
	s := newTestRedisStore(t, redisURL, "test:cancel")
	ctx, cancel := context.WithCancel(context.Background())
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cancel() // the first request cancels the crawl
		<-release
		fmt.Fprint(w, "<html></html>")
	}))
	defer srv.Close()
	for i := range 50 {
		if _, err := s.Enqueue(ctx, fmt.Sprintf("%s/p/%d", srv.URL, i), 1); err != nil {
			t.Fatal(err)
		}
	}
	c := colly.NewCollector(colly.IgnoreRobotsTxt())
	if err := c.SetStorage(s); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.RunShared(ctx, c, 2, 0) }()
	<-ctx.Done()
	time.Sleep(50 * time.Millisecond) // let the queue see the cancel
	close(release)
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("RunShared = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("RunShared did not return after cancel")
	}
	// Only the requests taken before the cancel are gone; the rest stays
	// for the other processes.
	if n, err := s.QueueSize(); err != nil || n < 45 {
		t.Errorf("QueueSize after cancel = %d, %v; want at least 45", n, err)
	} else {
		t.Logf("%d of 50 requests left on the queue after cancel", n)
	}
}

// TestRedisCrawlProcesses crawls the site with three OS processes (this
// test binary, re-run as TestRedisHelperProcess), sharing one Redis.
func TestRedisCrawlProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	redisURL := startRedis(t)
	site := newRedisSite(t)
	const procs = 3
	began := time.Now()
	type result struct {
		out string
		err error
	}
	results := make(chan result, procs)
	for p := range procs {
		cmd := exec.Command(os.Args[0], "-test.run=^TestRedisHelperProcess$", "-test.v")
		cmd.Env = append(os.Environ(),
			"OTTWATCH_REDIS_HELPER=1",
			"OTTWATCH_REDIS_URL="+redisURL,
			"OTTWATCH_REDIS_SITE="+site.URL,
			"OTTWATCH_REDIS_PREFIX=test:procs",
			"OTTWATCH_REDIS_NAME="+strconv.Itoa(p))
		go func() {
			out, err := cmd.CombinedOutput()
			results <- result{string(out), err}
		}()
	}
	var counts []string
	for range procs {
		r := <-results
		if r.err != nil {
			t.Fatalf("helper process: %v\n%s", r.err, r.out)
		}
		sc := bufio.NewScanner(strings.NewReader(r.out))
		found := false
		for sc.Scan() {
			if n, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "fetched "); ok {
				counts = append(counts, n)
				found = true
			}
		}
		if !found {
			t.Fatalf("helper process did not report its pages:\n%s", r.out)
		}
	}
	t.Logf("%d pages by %d processes in %v; per process %s", redisSitePages, procs, time.Since(began).Round(time.Millisecond), strings.Join(counts, ", "))
	site.check(t)
}

// TestRedisHelperProcess is one crawling process of TestRedisCrawlProcesses;
// it does nothing when run on its own.
func TestRedisHelperProcess(t *testing.T) {
	if os.Getenv("OTTWATCH_REDIS_HELPER") != "1" {
		return
	}
	ctx := context.Background()
	store, err := NewRedisStore(ctx, os.Getenv("OTTWATCH_REDIS_URL"), os.Getenv("OTTWATCH_REDIS_PREFIX"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	c := colly.NewCollector(colly.IgnoreRobotsTxt())
	if err := c.SetStorage(store); err != nil {
		t.Fatal(err)
	}
	var fetched atomic.Int32
	c.OnHTML("a[href]", func(e *colly.HTMLElement) {
		if _, err := store.Enqueue(ctx, e.Request.AbsoluteURL(e.Attr("href")), e.Request.Depth+1); err != nil {
			t.Error(err)
		}
	})
	c.OnResponse(func(*colly.Response) { fetched.Add(1) })
	c.OnError(func(r *colly.Response, err error) { t.Errorf("%s: %v", r.Request.URL, err) })
	if _, err := store.Enqueue(ctx, os.Getenv("OTTWATCH_REDIS_SITE")+"/", 1); err != nil {
		t.Fatal(err)
	}
	if err := store.RunShared(ctx, c, 4, 20*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	fmt.Printf("fetched %d\n", fetched.Load())
}
