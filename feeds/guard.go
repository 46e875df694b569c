package feeds

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/nlp/textnorm"
)

// Defaults of the limits the server puts on requests.
const (
	// DefaultRequestTimeout is how long a request may search the index.
	DefaultRequestTimeout = 10 * time.Second
	// DefaultQueueWait is how long a request waits for its turn before it
	// is answered 429 Too Many Requests.
	DefaultQueueWait = 2 * time.Second
	// DefaultCacheTTL is how long a rendered feed or entity page is
	// served again to whoever asks for the same one.
	DefaultCacheTTL = 30 * time.Second
	// cacheEntries is how many rendered feeds and pages the server keeps.
	cacheEntries = 256
)

// guard is what the server checks before and around each request: the Host
// it was sent to, a turn among the searching requests, a deadline, and the
// cache of rendered feeds and entity pages.
type guard struct {
	base    *url.URL        // absolute links start with it; nil: from the request's Host
	hosts   map[string]bool // allowed Host names besides loopback ones
	timeout time.Duration
	wait    time.Duration
	turns   *turns
	ttl     time.Duration
	cache   *lru.Cache[string, cachedResponse]
	now     func() time.Time

	mu   sync.Mutex
	runs map[string]*run // renderings under way, by cache key
}

// run is one rendering of a response, shared by the requests that asked
// for it while it was under way.
type run struct {
	done    chan struct{} // closed when res is set
	res     response
	waiters int                // requests still waiting for it
	cancel  context.CancelFunc // stops the rendering
}

// cachedResponse is a rendered response and when it goes stale.
type cachedResponse struct {
	res     response
	expires time.Time
}

func newGuard(now func() time.Time) (*guard, error) {
	cache, err := lru.New[string, cachedResponse](cacheEntries)
	if err != nil {
		return nil, fmt.Errorf("serve: cache: %w", err)
	}
	return &guard{hosts: make(map[string]bool), timeout: DefaultRequestTimeout, wait: DefaultQueueWait,
		turns: newTurns(DefaultMaxSearches()), ttl: DefaultCacheTTL, cache: cache, now: now,
		runs: make(map[string]*run)}, nil
}

// WithBaseURL makes base (such as https://news.example.org) the start of
// every absolute link the server writes, feeds' self links included, and
// allows its host: requests may then come through a proxy under that name.
// Without it links are made from the request's Host, which must be a
// loopback name or one given to WithAllowedHosts.
func WithBaseURL(base *url.URL) ServerOption {
	return func(s *Server) {
		if base != nil {
			b := *base
			b.Path, b.RawPath = strings.TrimRight(b.Path, "/"), ""
			b.RawQuery, b.Fragment = "", ""
			s.guard.base = &b
			s.guard.hosts[normalHost(b.Host)] = true
		}
	}
}

// WithAllowedHosts adds names (with or without a port) that requests' Host
// may carry, besides loopback names and the base URL's host. A request
// to any other name is answered 421 Misdirected Request, which keeps a web
// page from reading the server through a name it controls (DNS rebinding)
// and a proxy from caching links to a forged host.
func WithAllowedHosts(hosts ...string) ServerOption {
	return func(s *Server) {
		for _, h := range hosts {
			if h = normalHost(h); h != "" {
				s.guard.hosts[h] = true
			}
		}
	}
}

// WithRequestTimeout sets how long a request may search the index
// (DefaultRequestTimeout); past it the search stops and the request is
// answered 503. d <= 0 is ignored.
func WithRequestTimeout(d time.Duration) ServerOption {
	return func(s *Server) {
		if d > 0 {
			s.guard.timeout = d
		}
	}
}

// DefaultMaxSearches is how many requests search the index at once, more
// waiting for a turn: one per core, as more at once only share the cores,
// so that every one of them ends later; but at least two, so that one slow
// search never holds every other back.
func DefaultMaxSearches() int { return max(2, runtime.GOMAXPROCS(0)) }

// WithMaxSearches sets how many requests search the index at once
// (DefaultMaxSearches) and how long the others wait for a turn
// (DefaultQueueWait) before being answered 429 with a Retry-After. n < 1
// and wait < 0 are ignored.
func WithMaxSearches(n int, wait time.Duration) ServerOption {
	return func(s *Server) {
		if n >= 1 {
			s.guard.turns = newTurns(n)
		}
		if wait >= 0 {
			s.guard.wait = wait
		}
	}
}

// WithCacheTTL sets how long a rendered answer (a search, a feed, an
// entity or story page) is served again (DefaultCacheTTL); 0 keeps none.
// d < 0 is ignored.
func WithCacheTTL(d time.Duration) ServerOption {
	return func(s *Server) {
		if d >= 0 {
			s.guard.ttl = d
		}
	}
}

// allowedHost reports whether host, as a request's Host header gives it,
// names this server.
func (g *guard) allowedHost(host string) bool {
	h := normalHost(host)
	if h == "" {
		return false
	}
	if g.hosts[h] || h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// normalHost returns the name of host without its port, brackets and final
// dot, lowercased.
func normalHost(host string) string {
	host = strings.TrimSpace(host)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	return strings.TrimSuffix(strings.ToLower(host), ".")
}

// baseURL is where the server's absolute links start: the configured base
// URL or, without one, the address the request reached the server at (an
// allowed Host, see allowedHost).
func (g *guard) baseURL(r *http.Request) string {
	if g.base != nil {
		return g.base.String()
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// searches reports whether a request to path may search the index, and so
// has a deadline and is answered through the cache, whose rendering takes a
// turn (see cached).
func searches(path string) bool {
	return !strings.HasPrefix(path, "/static/") && path != "/healthz"
}

// serve answers r with next once its Host is allowed, under the request
// deadline for searching requests.
func (g *guard) serve(w http.ResponseWriter, r *http.Request, next http.Handler) {
	if !g.allowedHost(r.Host) {
		plainError(w, r, http.StatusMisdirectedRequest,
			fmt.Sprintf("this server does not answer for host %q; see 'ottwatch serve --base-url' and --allow-host", r.Host))
		return
	}
	if !searches(r.URL.Path) {
		next.ServeHTTP(w, r)
		return
	}
	// A query refused as it is asked needs no search (but on the search
	// page, which shows the error beside the form). What does search is
	// answered through the cache, whose rendering takes the turn (see
	// cached).
	if _, err := (ottwatch.Query{Text: r.URL.Query().Get("q")}).Check(); err != nil && r.URL.Path != "/" {
		badQuery(w, r, err)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), g.timeout)
	defer cancel()
	next.ServeHTTP(w, r.WithContext(ctx))
}

// busy is the answer to a request that found no turn: 429 with
// Retry-After.
func (g *guard) busy() response {
	res := textResponse(http.StatusTooManyRequests, "the server is busy with other searches; try again shortly")
	res.retryAfter = max(1, int(g.wait.Round(time.Second)/time.Second))
	return res
}

// badQuery answers a query refused by ottwatch.Query.Check with 400: in
// JSON under /api/, in plain text elsewhere.
func badQuery(w http.ResponseWriter, r *http.Request, err error) {
	if !strings.HasPrefix(r.URL.Path, "/api/") {
		plainError(w, r, http.StatusBadRequest, err.Error())
		return
	}
	body, _ := json.Marshal(map[string]string{"error": textnorm.OneLine(err.Error())})
	send(w, r, response{status: http.StatusBadRequest, contentType: "application/json; charset=utf-8",
		body: append(body, '\n')})
}

// cacheKey is the key of r's response in the cache.
func (g *guard) cacheKey(r *http.Request) string {
	return g.baseURL(r) + r.URL.Path + "?" + r.URL.Query().Encode()
}

// fresh returns the cached response to r when there is one within the
// cache TTL.
func (g *guard) fresh(r *http.Request) (response, bool) {
	c, ok := g.cache.Get(g.cacheKey(r))
	if !ok || !g.now().Before(c.expires) {
		return response{}, false
	}
	return c.res, true
}

// cached returns the response of render for r from the cache when the
// same request (with the same base URL) was answered within the cache TTL.
// Requests for it while it is rendered share one run of render, which
// takes one turn among the searching requests (429 when none comes within
// the queue wait) and runs under the request timeout; the run stops when
// every request waiting for it has gone away. Only answers 200 OK are kept. A request whose deadline passes
// first is answered 503; the second result is false when r went away
// before the answer was ready.
func (g *guard) cached(r *http.Request, render func(context.Context) response) (response, bool) {
	if res, ok := g.fresh(r); ok {
		return res, true
	}
	key := g.cacheKey(r)
	g.mu.Lock()
	ru := g.runs[key]
	if ru == nil {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), g.timeout)
		ru = &run{done: make(chan struct{}), cancel: cancel}
		g.runs[key] = ru
		go func() {
			defer cancel()
			res := g.busy()
			if g.turns.take(ctx, priorityOf(r), g.wait) {
				res = render(ctx)
				g.turns.give()
			}
			res.derived = new(derived) // its ETag and gzip, once for all it answers
			if res.status == 0 || res.status == http.StatusOK {
				g.keep(r, res)
			}
			g.mu.Lock()
			delete(g.runs, key)
			ru.res = res
			close(ru.done)
			g.mu.Unlock()
		}()
	}
	ru.waiters++
	g.mu.Unlock()
	select {
	case <-ru.done:
		return ru.res, true
	case <-r.Context().Done():
		g.mu.Lock()
		if ru.waiters--; ru.waiters == 0 {
			ru.cancel()
		}
		g.mu.Unlock()
		if err := r.Context().Err(); errors.Is(err, context.DeadlineExceeded) {
			return textResponse(SearchFailure(err)), true
		}
		return response{}, false
	}
}

// keep caches res as the answer to r for the cache TTL.
func (g *guard) keep(r *http.Request, res response) {
	g.cache.Add(g.cacheKey(r), cachedResponse{res: res, expires: g.now().Add(g.ttl)})
}

// SearchFailure is the status and message of a failed search: 400 for a
// query no backend runs, 503 for one that took longer than the request
// may, 500 otherwise (the cause goes to the log, not to the client).
func SearchFailure(err error) (status int, msg string) {
	switch {
	case errors.Is(err, ottwatch.ErrBadQuery):
		return http.StatusBadRequest, err.Error()
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "the search took longer than the server allows; narrow it down"
	case errors.Is(err, context.Canceled):
		return http.StatusServiceUnavailable, "the search was interrupted"
	}
	return http.StatusInternalServerError, "the search failed; see the server's log"
}
