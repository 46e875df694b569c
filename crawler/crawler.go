// Package crawler fetches news pages with Colly and extracts the articles
// in them: discovery of links, politeness (robots.txt, per-host limits),
// charset decoding, URL canonicalisation and article extraction.
package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"
	"github.com/gocolly/colly/v2/storage"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/crawler/backoff"
)

// Version is the version ottwatch reports in its User-Agent.
var Version = "dev"

// Stats counts what a crawl did.
type Stats struct {
	Fetched      int `json:"fetched"`       // pages and documents fetched with success
	Articles     int `json:"articles"`      // articles extracted and handed on
	Skipped      int `json:"skipped"`       // pages that were not articles, duplicates, other documents
	Feeds        int `json:"feeds"`         // RSS, Atom and JSON feeds read
	Sitemaps     int `json:"sitemaps"`      // sitemaps read
	NotModified  int `json:"not_modified"`  // feeds and sitemaps unchanged since the last crawl (304)
	Blocked      int `json:"blocked"`       // pages robots.txt disallows
	Forbidden    int `json:"forbidden"`     // 403 answers
	Throttled    int `json:"throttled"`     // 429 answers, retried ones included
	Retries      int `json:"retries"`       // requests asked again after a 429 or 5xx
	ConsentWalls int `json:"consent_walls"` // pages that were a cookie or consent wall
	MissingDates int `json:"missing_dates"` // articles without a publication date
	Errors       int `json:"errors"`        // fetches or extractions that failed
	Cancelled    int `json:"cancelled"`     // requests interrupted because the crawl was stopped
	Dropped      int `json:"dropped"`       // links not followed because the crawl's queue was full
	Queued       int `json:"queued"`        // requests started
}

// Validators remember the ETag and Last-Modified of feeds and sitemaps, so
// that the next crawl asks for them only if they changed.
type Validators interface {
	Validators(url string) (etag, lastModified string)
	SetValidators(url, etag, lastModified string)
}

// Crawler crawls sites and hands on the articles it finds.
type Crawler struct {
	depth       int
	parallelism int
	delay       time.Duration
	timeout     time.Duration
	maxBody     int
	userAgent   string
	robots      bool
	retries     int
	retryBase   time.Duration
	retryCap    time.Duration
	skip        func(*url.URL) bool
	validators  Validators
	shared      *RedisStore
	threads     int
	maxQueue    int
	workers     int
	logger      *slog.Logger
	progress    func(Stats)
}

// Option configures a Crawler.
type Option func(*Crawler)

// WithDepth sets how many links away from the start pages the crawl goes
// (0: the start pages only).
func WithDepth(n int) Option { return func(c *Crawler) { c.depth = max(n, 0) } }

// WithParallelism sets how many requests run at once per host.
func WithParallelism(n int) Option { return func(c *Crawler) { c.parallelism = max(n, 1) } }

// WithDelay sets the pause between two requests to the same host; a
// source's delay or robots.txt's Crawl-delay may make it longer.
func WithDelay(d time.Duration) Option { return func(c *Crawler) { c.delay = d } }

// WithTimeout bounds connecting, waiting for headers, and each request
// with its body.
func WithTimeout(d time.Duration) Option { return func(c *Crawler) { c.timeout = d } }

// WithMaxBodySize bounds how many bytes of a page are read.
func WithMaxBodySize(n int) Option { return func(c *Crawler) { c.maxBody = n } }

// WithUserAgent sets the User-Agent header and the robots.txt agent name.
func WithUserAgent(ua string) Option { return func(c *Crawler) { c.userAgent = ua } }

// WithRobots sets whether robots.txt is obeyed (the default).
func WithRobots(obey bool) Option { return func(c *Crawler) { c.robots = obey } }

// WithRetries sets how often a request answered 429 or 5xx is asked again,
// and the backoff between attempts when the server sends no Retry-After:
// base·2^n with jitter, at most limit (which also caps Retry-After).
func WithRetries(n int, base, limit time.Duration) Option {
	return func(c *Crawler) { c.retries, c.retryBase, c.retryCap = max(n, 0), base, limit }
}

// WithSkip sets a test for links not to follow, such as articles already
// archived. Start URLs, feeds and sitemaps are always fetched.
func WithSkip(skip func(*url.URL) bool) Option { return func(c *Crawler) { c.skip = skip } }

// WithValidators sets where the ETag and Last-Modified of feeds and
// sitemaps are kept between crawls, for conditional requests.
func WithValidators(v Validators) Option { return func(c *Crawler) { c.validators = v } }

// WithShared makes the crawl share its frontier and visited set with other
// processes through a Redis store: each page is fetched once, by whichever
// process takes it first, and the crawl ends when no process has work left.
// threads requests run at once in this process.
func WithShared(store *RedisStore, threads int) Option {
	return func(c *Crawler) { c.shared, c.threads = store, max(threads, 1) }
}

// WithMaxQueue sets how many requests a crawl on its own keeps queued at
// most (DefaultMaxQueue): links found beyond it are counted as dropped.
func WithMaxQueue(n int) Option { return func(c *Crawler) { c.maxQueue = max(n, 1) } }

// maxThreads bounds the fetching threads of a crawl on its own: per-host
// parallelism is enforced besides.
const maxThreads = 64

// WithWorkers sets how many pages are extracted and handed on at once
// (GOMAXPROCS by default). Fetching goes on meanwhile: each fetched page
// is parsed and its links queued, then it waits in a queue of as many
// pages as there are workers, so that a crawl holds a bounded number of
// pages in memory whatever the size of the site.
func WithWorkers(n int) Option { return func(c *Crawler) { c.workers = max(n, 1) } }

// WithLogger sets where the crawler logs fetch errors and skipped pages.
func WithLogger(l *slog.Logger) Option { return func(c *Crawler) { c.logger = l } }

// WithProgress sets a function called with the running totals after each
// page.
func WithProgress(f func(Stats)) Option { return func(c *Crawler) { c.progress = f } }

// New returns a Crawler with polite defaults: depth 3, 2 requests at a
// time per host, 200 ms between them, 30 s timeouts, 10 MB pages at most,
// 3 retries after 429 and 5xx (1 s, 2 s, 4 s, at most 60 s), robots.txt
// obeyed.
func New(opts ...Option) *Crawler {
	c := &Crawler{
		depth:       3,
		parallelism: 2,
		maxQueue:    DefaultMaxQueue,
		workers:     runtime.GOMAXPROCS(0),
		delay:       200 * time.Millisecond,
		timeout:     30 * time.Second,
		maxBody:     10 << 20,
		userAgent:   "ottwatch/" + Version + " (+https://github.com/ottwatch/ottwatch)",
		robots:      true,
		retries:     3,
		retryBase:   time.Second,
		retryCap:    time.Minute,
		logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	for _, opt := range opts {
		opt(c)
	}
	return c
}

// Result is what a crawl made of one page.
type Result struct {
	URL         string
	Article     *ottwatch.Article // nil when Err is set
	Err         error             // why there is no article; wraps ErrNotArticle for pages that are not articles
	Body        []byte            // the page as fetched, nil when the fetch failed
	ContentType string            // the Content-Type Body is decoded with
	// Extracted is what extraction found on an HTML page, kept or not,
	// and Verdict why it was or was not kept; nil when the page was not
	// extracted (a fetch failure, a feed, a URL not of the source's).
	Extracted *ottwatch.Article
	Verdict   Verdict
}

// PageFunc receives what a crawl made of each page it tried. It is called
// from the crawl's workers (see WithWorkers), so calls are concurrent
// unless there is one worker.
type PageFunc func(Result)

// Run crawls from the start arguments (http(s) URLs, file:// URLs or local
// paths) and calls handle for every article found, from the crawl's
// workers (see PageFunc). It returns when the crawl is done or ctx is
// cancelled; what was handled stays handled: pages fetched before the
// cancellation are extracted and handed on before Run returns.
func (c *Crawler) Run(ctx context.Context, args []string, handle func(*ottwatch.Article)) (Stats, error) {
	return c.Pages(ctx, args, func(r Result) {
		if r.Err == nil {
			handle(r.Article)
		}
	})
}

// Pages crawls like Run, handing on every page rather than only articles.
func (c *Crawler) Pages(ctx context.Context, args []string, handle PageFunc) (Stats, error) {
	if len(args) == 0 {
		return Stats{}, errors.New("nothing to crawl: give at least one URL or path")
	}
	return c.Crawl(ctx, &Source{Name: "command-line", Start: args}, handle)
}

// Crawl crawls one source: its start pages and, within its hosts (or below
// its start folders), the links, feed items and sitemap entries they lead
// to, up to the crawler's depth.
func (c *Crawler) Crawl(ctx context.Context, src *Source, handle PageFunc) (Stats, error) {
	r := &run{Crawler: c, ctx: ctx, src: src, handle: handle, limited: make(map[string]bool)}
	for _, arg := range src.Start {
		s, err := resolveStart(arg)
		if err != nil {
			return Stats{}, fmt.Errorf("crawl %w", err)
		}
		r.starts = append(r.starts, s)
		for _, u := range s.urls {
			r.startURLs = append(r.startURLs, u.String())
		}
	}
	for _, h := range src.Hosts {
		for _, scheme := range []string{"http", "https"} {
			r.starts = append(r.starts, &start{scheme: scheme, host: strings.ToLower(h)})
		}
	}
	r.transport = &retryTransport{next: newTransport(c.timeout, c.maxBody), maxRetries: c.retries, policy: backoff.Policy{Base: c.retryBase, Cap: c.retryCap}}
	r.robotsTxt = newRobots(&http.Client{Transport: r.transport, Timeout: c.timeout}, c.userAgent)

	threads := c.threads
	r.frontier = c.shared
	if c.shared == nil {
		r.frontier = newMemoryFrontier(c.maxQueue)
		threads = c.parallelism * max(len(r.starts), 1)
	}
	col := colly.NewCollector(
		colly.MaxDepth(c.depth+1),
		colly.Async(false), // the frontier hands out requests to threads workers
		colly.MaxBodySize(c.maxBody),
		colly.UserAgent(c.userAgent),
		colly.IgnoreRobotsTxt(), // robots.txt is checked per scope, local folders included
		colly.StdlibContext(ctx),
	)
	col.WithTransport(r.transport)
	col.SetRequestTimeout(c.timeout)
	var store storage.Storage = newMemoryStore()
	if c.shared != nil {
		store = c.shared
	}
	if err := col.SetStorage(store); err != nil {
		return Stats{}, fmt.Errorf("crawl: %w", err)
	}
	col.SetRedirectHandler(r.checkRedirect)
	col.OnRequest(r.onRequest)
	col.OnResponse(r.onResponse)
	col.OnError(r.onError)
	r.col = col

	r.pages = make(chan func(), c.workers)
	var workers sync.WaitGroup
	for range c.workers {
		workers.Go(func() {
			for work := range r.pages {
				work()
			}
		})
	}
	for _, u := range r.startURLs {
		r.visit(u, 1)
	}
	err := r.frontier.RunShared(ctx, col, min(threads, maxThreads), 0)
	// The fetching threads are done: nothing is queued for the workers
	// any more.
	close(r.pages)
	workers.Wait()
	if err != nil && ctx.Err() == nil {
		return r.stats, fmt.Errorf("crawl: %w", err)
	}
	r.summarise()
	r.stats.Retries = int(r.transport.retries.Load())
	r.stats.Throttled += int(r.transport.throttled.Load())
	if err := ctx.Err(); err != nil {
		return r.stats, fmt.Errorf("crawl interrupted: %w", err)
	}
	return r.stats, nil
}

// run is the state of one crawl.
type run struct {
	*Crawler
	ctx       context.Context
	src       *Source
	starts    []*start
	startURLs []string
	transport *retryTransport
	robotsTxt *robots
	col       *colly.Collector
	handle    PageFunc
	// pages is the bounded queue between the fetching threads and the
	// workers: the extraction of a fetched page, or the hand-over of a
	// failure.
	pages chan func()

	limitMu  sync.Mutex
	frontier frontier
	seenMu   sync.Mutex
	seen     urlSet          // links met in this crawl
	warned   map[string]int  // failures logged, by kind; guarded by mu
	limited  map[string]bool // hosts with a limit rule

	mu    sync.Mutex // guards stats and warned; never held while a page is worked on
	stats Stats
}

// scopeOf returns the start whose scope contains u, or nil.
func (r *run) scopeOf(u *url.URL) *start {
	for _, s := range r.starts {
		if s.contains(u) {
			return s
		}
	}
	return nil
}

// permitted reports whether u is in scope and robots.txt allows it, and
// the Crawl-delay robots.txt asks for; err says why robots.txt could not
// be read.
func (r *run) permitted(u *url.URL) (inScope, allowed bool, crawlDelay time.Duration, err error) {
	s := r.scopeOf(u)
	if s == nil {
		return false, false, 0, nil
	}
	if !r.robots {
		return true, true, 0, nil
	}
	rules, err := r.robotsTxt.rules(r.ctx, s.robotsURL())
	if err != nil {
		return true, false, 0, err
	}
	r.discoverSitemaps(rules)
	return true, rules.group.Test(s.robotsPath(u)), rules.group.CrawlDelay, nil
}

// discoverSitemaps queues, once, the sitemaps a robots.txt lists when the
// source asks for them.
func (r *run) discoverSitemaps(rules *robotsRules) {
	if !r.src.Sitemaps {
		return
	}
	rules.sitemapsOnce.Do(func() {
		for _, sm := range rules.sitemaps {
			r.visit(sm, 1)
		}
	})
}

// limitHost gives a host its limit rule on first sight: the crawler's
// parallelism and delay, or the source's, made longer by robots.txt's
// Crawl-delay, which also brings parallelism down to one.
func (r *run) limitHost(host string, crawlDelay time.Duration) {
	if host == "" {
		return // local files: nobody to be polite to
	}
	r.limitMu.Lock()
	defer r.limitMu.Unlock()
	if r.limited[host] {
		return
	}
	r.limited[host] = true
	rule := &colly.LimitRule{DomainGlob: host, Parallelism: r.parallelism, Delay: r.delay}
	if r.src.Parallelism > 0 {
		rule.Parallelism = r.src.Parallelism
	}
	if d := time.Duration(r.src.Delay); d > rule.Delay {
		rule.Delay = d
	}
	if crawlDelay > 0 {
		rule.Delay = max(rule.Delay, crawlDelay)
		rule.Parallelism = 1
	}
	if err := r.col.Limit(rule); err != nil {
		r.logger.Warn("no limit for host", "host", host, "err", err)
	}
}

func (r *run) onRequest(req *colly.Request) {
	if r.ctx.Err() != nil {
		req.Abort()
		return
	}
	inScope, allowed, crawlDelay, err := r.permitted(req.URL)
	switch {
	case !inScope:
		req.Abort()
		return
	case err != nil:
		req.Abort()
		r.fail(req.URL.String(), fmt.Errorf("robots.txt: %w", err))
		return
	case !allowed:
		req.Abort()
		r.count(func(s *Stats) { s.Blocked++ })
		r.logger.Info("blocked by robots.txt", "url", req.URL.String())
		return
	}
	r.limitHost(req.URL.Host, crawlDelay)
	if r.validators != nil {
		etag, lastModified := r.validators.Validators(req.URL.String())
		if etag != "" {
			req.Headers.Set("If-None-Match", etag)
		}
		if lastModified != "" {
			req.Headers.Set("If-Modified-Since", lastModified)
		}
	}
	r.count(func(s *Stats) { s.Queued++ })
}

func (r *run) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if inScope, allowed, _, err := r.permitted(req.URL); !inScope || !allowed || err != nil {
		return fmt.Errorf("redirect to %s leaves the crawl's scope or is not allowed by robots.txt", req.URL)
	}
	return nil
}

func (r *run) onResponse(resp *colly.Response) {
	u := resp.Request.URL
	ct := resp.Headers.Get("Content-Type")
	switch kindOf(ct, resp.Body) {
	case kindFeed:
		r.discovered(resp, "feed", feedLinks, func(s *Stats) { s.Feeds++ })
		return
	case kindSitemap:
		r.discovered(resp, "sitemap", sitemapLinks, func(s *Stats) { s.Sitemaps++ })
		return
	case kindOther:
		r.count(func(s *Stats) { s.Fetched++; s.Skipped++ })
		return
	}
	// Colly has already converted a body whose header named a charset.
	if _, params, err := mime.ParseMediaType(ct); err == nil && params["charset"] != "" {
		ct = "text/html; charset=utf-8"
	}
	page, err := ParsePage(resp.Body, u, ct)
	if err != nil {
		r.count(func(s *Stats) { s.Fetched++ })
		r.fail(u.String(), err)
		return
	}
	// The links are queued before the fetching thread is done with the
	// page, so that the frontier never looks empty while pages wait to be
	// extracted; the rest waits for a worker.
	r.follow(resp.Request.Depth, page.Links())
	body := resp.Body
	r.pages <- func() { r.extracted(page, body, ct) }
}

// extracted extracts the article of a fetched page, counts it and hands it
// on; it runs in a worker.
func (r *run) extracted(page *Page, body []byte, ct string) {
	u := page.URL
	a, err := r.src.Article(page)
	if page.ForeignCanonical != "" {
		r.logger.Warn("canonical URL on another site ignored", "url", u.String(), "claims", page.ForeignCanonical)
	}
	var tally func(*Stats) // what the page adds to the totals
	switch {
	case err == nil:
		tally = func(s *Stats) {
			s.Articles++
			if a.Published.IsZero() {
				s.MissingDates++
			}
		}
	case errors.Is(err, ErrConsentWall):
		r.logger.Warn("consent wall", "url", u.String())
		tally = func(s *Stats) { s.ConsentWalls++ }
	case errors.Is(err, ErrNotArticle):
		r.logger.Debug("skipped", "url", u.String(), "reason", err)
		tally = func(s *Stats) { s.Skipped++ }
	default:
		r.logger.Warn("extraction failed", "url", u.String(), "err", err)
		tally = func(s *Stats) { s.Errors++ }
	}
	r.count(func(s *Stats) {
		s.Fetched++
		tally(s)
	})
	res := Result{URL: u.String(), Article: a, Err: err, Body: body, ContentType: ct}
	if page.extracted { // Extract is not run again: it only hands on what was found
		res.Extracted, res.Verdict = page.article, page.verdict
	}
	r.handle(res)
}

// discovered handles a feed or a sitemap: it follows the links it lists
// and, when they are all it lists, remembers its validators for the next
// crawl.
func (r *run) discovered(resp *colly.Response, kind string, links func([]byte, *url.URL) ([]*url.URL, bool, error), tally func(*Stats)) {
	u := resp.Request.URL
	found, stable, err := links(resp.Body, u)
	if err != nil {
		r.count(func(s *Stats) { s.Fetched++ })
		r.fail(u.String(), fmt.Errorf("read %s: %w", kind, err))
		return
	}
	r.count(func(s *Stats) { s.Fetched++; tally(s) })
	if r.validators != nil && stable {
		r.validators.SetValidators(u.String(), resp.Headers.Get("ETag"), resp.Headers.Get("Last-Modified"))
	}
	// Entries of a feed or sitemap are followed however deep the feed is.
	r.follow(min(resp.Request.Depth, r.depth), found)
}

// follow visits the links, found on a page at a colly depth, that are in
// scope, canonicalised, leaving out those the skip test rejects. A link
// seen before in this crawl is not tested again: the skip test may be a
// lookup in the archive.
func (r *run) follow(depth int, links []*url.URL) {
	if depth > r.depth {
		return
	}
	for _, link := range links {
		link = Canonicalize(link)
		if r.scopeOf(link) == nil || !r.firstSight(link.String()) || (r.skip != nil && r.skip(link)) {
			continue
		}
		r.visit(link.String(), depth+1)
	}
}

// firstSight reports whether the crawl meets u for the first time.
func (r *run) firstSight(u string) bool {
	r.seenMu.Lock()
	defer r.seenMu.Unlock()
	return r.seen.add(u)
}

// visit queues a page at a depth in the crawl's frontier.
func (r *run) visit(u string, depth int) {
	_, err := r.frontier.Enqueue(r.ctx, u, depth)
	switch {
	case errors.Is(err, ErrFrontierFull):
		r.count(func(s *Stats) { s.Dropped++ })
	case err != nil:
		r.fail(u, err)
	}
}

func (r *run) onError(resp *colly.Response, err error) {
	switch {
	case isAlreadyVisited(err):
		// A redirect to a page this crawl already has.
		r.count(func(s *Stats) { s.Skipped++ })
		return
	case resp != nil && resp.StatusCode == http.StatusNotModified:
		r.count(func(s *Stats) { s.NotModified++ })
		return
	case resp != nil && resp.StatusCode == http.StatusForbidden:
		r.count(func(s *Stats) { s.Forbidden++ })
	case resp != nil && resp.StatusCode == http.StatusTooManyRequests:
		r.count(func(s *Stats) { s.Throttled++ })
	}
	if resp != nil && resp.StatusCode != 0 {
		err = fmt.Errorf("HTTP %d: %w", resp.StatusCode, err)
	}
	r.fail(resp.Request.URL.String(), err)
}

// fail records a failed fetch and hands it on through the workers.
func (r *run) fail(pageURL string, err error) {
	if r.ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		// Stopped by the user, not failed.
		r.count(func(s *Stats) { s.Cancelled++ })
		return
	}
	kind := innermost(err).Error()
	var warn bool
	r.count(func(s *Stats) {
		s.Errors++
		if r.warned == nil {
			r.warned = make(map[string]int)
		}
		r.warned[kind]++
		warn = r.warned[kind] <= warnings
	})
	if warn {
		r.logger.Warn("fetch failed", "url", pageURL, "err", err)
	} else {
		r.logger.Debug("fetch failed", "url", pageURL, "err", err)
	}
	res := Result{URL: pageURL, Err: fmt.Errorf("fetch %s: %w", pageURL, err)}
	r.pages <- func() { r.handle(res) }
}

// warnings is how many failures of one kind a crawl logs as warnings; the
// others are summed up at the end (and logged at debug level).
const warnings = 3

// summarise logs what the crawl did not log one by one: failures past the
// first of their kind, interrupted requests and dropped links.
func (r *run) summarise() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for kind, n := range r.warned {
		if n > warnings {
			r.logger.Warn("more fetches failed the same way", "err", kind, "count", n-warnings)
		}
	}
	if r.stats.Cancelled > 0 {
		r.logger.Info("requests interrupted", "count", r.stats.Cancelled)
	}
	if r.stats.Dropped > 0 {
		r.logger.Warn("links not followed: the crawl's queue was full", "count", r.stats.Dropped, "max", r.maxQueue)
	}
}

// innermost returns the error at the end of err's chain.
func innermost(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

func (r *run) count(f func(*Stats)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f(&r.stats)
	r.report()
}

// report passes the totals to the progress function; r.mu must be held.
func (r *run) report() {
	if r.progress != nil {
		r.progress(r.stats)
	}
}

func isAlreadyVisited(err error) bool {
	var av *colly.AlreadyVisitedError
	return errors.As(err, &av)
}
