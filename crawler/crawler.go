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
	"path"
	"strings"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"

	"github.com/ottwatch/ottwatch"
)

// Version is the version ottwatch reports in its User-Agent.
var Version = "dev"

// Stats counts what a crawl did.
type Stats struct {
	Fetched  int `json:"fetched"`  // pages fetched with success
	Articles int `json:"articles"` // articles extracted and handed on
	Skipped  int `json:"skipped"`  // pages that were not articles, or not HTML
	Blocked  int `json:"blocked"`  // pages robots.txt disallows
	Errors   int `json:"errors"`   // fetches or extractions that failed
	Queued   int `json:"queued"`   // requests started so far
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

// WithDelay sets the pause between two requests to the same host.
func WithDelay(d time.Duration) Option { return func(c *Crawler) { c.delay = d } }

// WithTimeout bounds connecting, waiting for headers and each request.
func WithTimeout(d time.Duration) Option { return func(c *Crawler) { c.timeout = d } }

// WithMaxBodySize bounds how many bytes of a page are read.
func WithMaxBodySize(n int) Option { return func(c *Crawler) { c.maxBody = n } }

// WithUserAgent sets the User-Agent header and the robots.txt agent name.
func WithUserAgent(ua string) Option { return func(c *Crawler) { c.userAgent = ua } }

// WithRobots sets whether robots.txt is obeyed (the default).
func WithRobots(obey bool) Option { return func(c *Crawler) { c.robots = obey } }

// WithLogger sets where the crawler logs fetch errors and skipped pages.
func WithLogger(l *slog.Logger) Option { return func(c *Crawler) { c.logger = l } }

// WithProgress sets a function called with the running totals after each
// page.
func WithProgress(f func(Stats)) Option { return func(c *Crawler) { c.progress = f } }

// New returns a Crawler with polite defaults: depth 3, 2 requests at a
// time per host, 200 ms between them, 30 s timeouts, 10 MB pages at most,
// robots.txt obeyed.
func New(opts ...Option) *Crawler {
	c := &Crawler{
		depth:       3,
		parallelism: 2,
		delay:       200 * time.Millisecond,
		timeout:     30 * time.Second,
		maxBody:     10 << 20,
		userAgent:   "ottwatch/" + Version + " (+https://github.com/ottwatch/ottwatch)",
		robots:      true,
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
}

// PageFunc receives what a crawl made of each page it tried. Calls are
// never concurrent.
type PageFunc func(Result)

// Run crawls from the start arguments (http(s) URLs, file:// URLs or local
// paths) and calls handle for every article found. It returns when the
// crawl is done or ctx is cancelled; what was handled stays handled.
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
	var starts []*start
	for _, arg := range args {
		s, err := resolveStart(arg)
		if err != nil {
			return Stats{}, fmt.Errorf("crawl %w", err)
		}
		starts = append(starts, s)
	}
	r := &run{Crawler: c, ctx: ctx, starts: starts, handle: handle}
	transport := newTransport(c.timeout)
	r.robotsTxt = newRobots(&http.Client{Transport: transport, Timeout: c.timeout}, c.userAgent)

	col := colly.NewCollector(
		colly.MaxDepth(c.depth+1),
		colly.Async(true),
		colly.MaxBodySize(c.maxBody),
		colly.UserAgent(c.userAgent),
		colly.IgnoreRobotsTxt(), // robots.txt is checked per scope, local folders included
		colly.StdlibContext(ctx),
	)
	col.WithTransport(transport)
	col.SetRequestTimeout(c.timeout)
	if err := col.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: c.parallelism, Delay: c.delay}); err != nil {
		return Stats{}, fmt.Errorf("crawl: %w", err)
	}
	col.SetRedirectHandler(r.checkRedirect)
	col.OnRequest(r.onRequest)
	col.OnResponse(r.onResponse)
	col.OnError(r.onError)

	for _, s := range starts {
		for _, u := range s.urls {
			if err := col.Visit(u.String()); err != nil && !isAlreadyVisited(err) {
				r.fail(u.String(), err)
			}
		}
	}
	col.Wait()
	if err := ctx.Err(); err != nil {
		return r.stats, fmt.Errorf("crawl interrupted: %w", err)
	}
	return r.stats, nil
}

// run is the state of one crawl.
type run struct {
	*Crawler
	ctx       context.Context
	starts    []*start
	robotsTxt *robots
	handle    PageFunc

	mu    sync.Mutex // guards stats and calls to handle
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

// permitted reports whether u is in scope and robots.txt allows it; err
// says why robots.txt could not be read.
func (r *run) permitted(u *url.URL) (inScope, allowed bool, err error) {
	s := r.scopeOf(u)
	if s == nil {
		return false, false, nil
	}
	if !r.robots {
		return true, true, nil
	}
	allowed, err = r.robotsTxt.allowed(r.ctx, s.robotsURL(), s.robotsPath(u))
	return true, allowed, err
}

func (r *run) onRequest(req *colly.Request) {
	if r.ctx.Err() != nil {
		req.Abort()
		return
	}
	inScope, allowed, err := r.permitted(req.URL)
	switch {
	case err != nil:
		req.Abort()
		r.fail(req.URL.String(), fmt.Errorf("robots.txt: %w", err))
	case !inScope:
		req.Abort()
	case !allowed:
		req.Abort()
		r.count(func(s *Stats) { s.Blocked++ })
		r.logger.Info("blocked by robots.txt", "url", req.URL.String())
	default:
		r.count(func(s *Stats) { s.Queued++ })
	}
}

func (r *run) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if inScope, allowed, err := r.permitted(req.URL); !inScope || !allowed || err != nil {
		return fmt.Errorf("redirect to %s leaves the crawl's scope or is not allowed by robots.txt", req.URL)
	}
	return nil
}

func (r *run) onResponse(resp *colly.Response) {
	u := resp.Request.URL
	ct := resp.Headers.Get("Content-Type")
	if !isHTML(ct, u.Path) {
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
	for _, link := range page.Links() {
		link = Canonicalize(link)
		if s := r.scopeOf(link); s != nil {
			if err := resp.Request.Visit(link.String()); err != nil && !isAlreadyVisited(err) && !errors.Is(err, colly.ErrMaxDepth) {
				r.logger.Debug("not following link", "url", link.String(), "err", err)
			}
		}
	}
	a, err := page.Article()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stats.Fetched++
	switch {
	case err == nil:
		r.stats.Articles++
	case errors.Is(err, ErrNotArticle):
		r.stats.Skipped++
		r.logger.Debug("skipped", "url", u.String(), "reason", err)
	default:
		r.stats.Errors++
		r.logger.Warn("extraction failed", "url", u.String(), "err", err)
	}
	r.handle(Result{URL: u.String(), Article: a, Err: err, Body: resp.Body, ContentType: ct})
	r.report()
}

func (r *run) onError(resp *colly.Response, err error) {
	if isAlreadyVisited(err) {
		// A redirect to a page this crawl already has.
		r.count(func(s *Stats) { s.Skipped++ })
		return
	}
	if resp != nil && resp.StatusCode != 0 {
		err = fmt.Errorf("HTTP %d: %w", resp.StatusCode, err)
	}
	r.fail(resp.Request.URL.String(), err)
}

// fail records a failed fetch and hands it on.
func (r *run) fail(pageURL string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stats.Errors++
	r.logger.Warn("fetch failed", "url", pageURL, "err", err)
	r.handle(Result{URL: pageURL, Err: fmt.Errorf("fetch %s: %w", pageURL, err)})
	r.report()
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

// isHTML reports whether a response is an HTML page, from its Content-Type
// or, when it has none, its file extension.
func isHTML(contentType, urlPath string) bool {
	if contentType == "" {
		contentType = mime.TypeByExtension(path.Ext(urlPath))
	}
	ct := strings.ToLower(contentType)
	return strings.Contains(ct, "text/html") || strings.Contains(ct, "application/xhtml")
}
