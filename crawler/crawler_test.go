package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/crawler/crawltest"
)

// requestLog records the paths a test server was asked for.
type requestLog struct {
	mu    sync.Mutex
	paths []string
}

func (l *requestLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		l.paths = append(l.paths, r.URL.Path)
		l.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}

func (l *requestLog) has(prefix string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.ContainsFunc(l.paths, func(p string) bool { return strings.HasPrefix(p, prefix) })
}

// serveSite serves the fixture site on loopback, without a charset in the
// Content-Type, as many servers do.
func serveSite(t *testing.T) (*httptest.Server, *requestLog) {
	t.Helper()
	log := &requestLog{}
	files := http.FileServer(http.Dir(siteDir))
	srv := httptest.NewServer(log.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".html") || strings.HasSuffix(r.URL.Path, "/") {
			w.Header().Set("Content-Type", "text/html")
		}
		files.ServeHTTP(w, r)
	})))
	t.Cleanup(srv.Close)
	return srv, log
}

func crawlAll(t *testing.T, c *Crawler, starts ...string) (map[string]*ottwatch.Article, Stats) {
	t.Helper()
	got := make(map[string]*ottwatch.Article)
	stats, err := c.Run(context.Background(), starts, serialArticles(func(a *ottwatch.Article) {
		if _, dup := got[a.CanonicalURL]; dup {
			t.Errorf("article %s handed on twice", a.CanonicalURL)
		}
		got[a.CanonicalURL] = a
	}))
	if err != nil {
		t.Fatal(err)
	}
	return got, stats
}

func wantArticles(t *testing.T) []fixturePage {
	var out []fixturePage
	for _, p := range loadManifest(t) {
		if p.Kind == "article" {
			out = append(out, p)
		}
	}
	return out
}

func TestCrawlHTTP(t *testing.T) {
	srv, log := serveSite(t)
	// The fixture site's five outlets answer on one loopback server: they
	// are the source's hosts, so that the pages' canonical URLs on them
	// are honoured.
	src := &Source{Name: "fixture", Start: []string{srv.URL + "/"}}
	for _, p := range wantArticles(t) {
		u, _ := url.Parse(p.Canonical)
		if !slices.Contains(src.Hosts, u.Hostname()) {
			src.Hosts = append(src.Hosts, u.Hostname())
		}
	}
	got := make(map[string]*ottwatch.Article)
	stats, err := New(WithDelay(0), WithParallelism(4)).Crawl(context.Background(), src, serially(func(r Result) {
		if r.Article == nil {
			return
		}
		if _, dup := got[r.Article.CanonicalURL]; dup {
			t.Errorf("article %s handed on twice", r.Article.CanonicalURL)
		}
		got[r.Article.CanonicalURL] = r.Article
	}))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range wantArticles(t) {
		a, ok := got[p.Canonical]
		if !ok {
			t.Errorf("article %s (%s) not found", p.Path, p.Canonical)
			continue
		}
		if a.URL != srv.URL+"/"+p.Path {
			t.Errorf("URL = %s, want %s", a.URL, srv.URL+"/"+p.Path)
		}
	}
	if len(got) != len(wantArticles(t)) {
		t.Errorf("%d articles, want %d", len(got), len(wantArticles(t)))
	}
	if log.has("/private/") {
		t.Error("fetched a page robots.txt disallows")
	}
	if !log.has("/robots.txt") {
		t.Error("never asked for robots.txt")
	}
	if stats.Blocked == 0 || stats.Errors != 0 || stats.Articles != len(got) {
		t.Errorf("stats = %+v", stats)
	}
	w1252 := got[canonicalOf(t, "fr/tarifs-fibre-windows-1252.html")]
	if w1252 == nil || !strings.Contains(w1252.Body, "é") || strings.ContainsRune(w1252.Body, '\uFFFD') {
		t.Error("windows-1252 page not decoded")
	}
}

func canonicalOf(t *testing.T, path string) string {
	for _, p := range loadManifest(t) {
		if p.Path == path {
			return p.Canonical
		}
	}
	t.Fatalf("%s not in the manifest", path)
	return ""
}

func TestCrawlLocalFolder(t *testing.T) {
	abs, err := filepath.Abs(siteDir)
	if err != nil {
		t.Fatal(err)
	}
	var pages []string
	c := New(WithDelay(0))
	stats, err := c.Pages(context.Background(), []string{abs}, serially(func(r Result) {
		pages = append(pages, r.URL)
	}))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		if strings.Contains(p, "/private/") {
			t.Errorf("fetched %s, which robots.txt disallows", p)
		}
	}
	if stats.Articles != len(wantArticles(t)) || stats.Blocked == 0 {
		t.Errorf("stats = %+v, want %d articles and a blocked page", stats, len(wantArticles(t)))
	}
}

func TestCrawlOptions(t *testing.T) {
	srv, log := serveSite(t)
	tests := []struct {
		name    string
		opts    []Option
		fetched func(Stats) bool
		private bool
	}{
		{"depth 0 fetches only the start", []Option{WithDepth(0)}, func(s Stats) bool { return s.Fetched == 1 }, false},
		{"ignoring robots.txt reaches the private page", []Option{WithRobots(false)}, func(s Stats) bool { return s.Blocked == 0 }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stats := crawlAll(t, New(append(tt.opts, WithDelay(0))...), srv.URL+"/")
			if !tt.fetched(stats) {
				t.Errorf("stats = %+v", stats)
			}
			if log.has("/private/") != tt.private {
				t.Errorf("private page fetched: %t, want %t", log.has("/private/"), tt.private)
			}
		})
	}
}

func TestCrawlErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte(`<a href="/gone">gone</a> <a href="/boom">boom</a> <a href="/feed.xml">x</a> <a href="https://elsewhere.example/">out</a>`))
		case "/boom":
			http.Error(w, "boom", http.StatusInternalServerError)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	var errs []error
	stats, err := New(WithDelay(0), WithRetries(1, 10*time.Millisecond, 50*time.Millisecond)).Pages(context.Background(), []string{srv.URL + "/"}, serially(func(r Result) {
		if r.Err != nil && !errors.Is(r.Err, ErrNotArticle) {
			errs = append(errs, r.Err)
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	if stats.Errors != 2 || len(errs) != 2 || stats.Retries != 1 {
		t.Errorf("stats = %+v, errors %v; want 2 (404 and 500)", stats, errs)
	}
	for _, e := range errs {
		if !strings.Contains(e.Error(), "HTTP 404") && !strings.Contains(e.Error(), "HTTP 500") {
			t.Errorf("error %q does not name the status", e)
		}
	}
}

func TestCrawlCancel(t *testing.T) {
	srv, _ := serveSite(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := New(WithDelay(time.Second)).Run(ctx, []string{srv.URL + "/"}, func(*ottwatch.Article) {})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestResolveStartErrors(t *testing.T) {
	tests := []struct{ arg, want string }{
		{"/no/such/dir", "no such file"},
		{"ftp://example.com/", "unsupported scheme"},
		{"http:///path", "no host"},
	}
	for _, tt := range tests {
		if _, err := resolveStart(tt.arg); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("resolveStart(%q): err = %v, want %q", tt.arg, err, tt.want)
		}
	}
}

// serially returns handle made safe for the crawl's concurrent calls: one
// call at a time.
func serially(handle PageFunc) PageFunc {
	var mu sync.Mutex
	return func(r Result) {
		mu.Lock()
		defer mu.Unlock()
		handle(r)
	}
}

// serialArticles is serially for Run's articles.
func serialArticles(handle func(*ottwatch.Article)) func(*ottwatch.Article) {
	page := serially(func(r Result) { handle(r.Article) })
	return func(a *ottwatch.Article) { page(Result{Article: a}) }
}

// TestCrawlHoldsBoundedPages stops the crawl's workers in the page handler
// until the fetching threads have filled the queue between them, and
// checks that no more pages were fetched than the threads, the queue and
// the workers hold: pages are not read faster than they are handed on.
func TestCrawlHoldsBoundedPages(t *testing.T) {
	tests := []struct{ parallelism, workers int }{
		{parallelism: 4, workers: 1},
		{parallelism: 2, workers: 2},
		{parallelism: 8, workers: 3},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("parallelism=%d,workers=%d", tt.parallelism, tt.workers), func(t *testing.T) {
			site := &crawltest.Site{N: 40}
			held := tt.parallelism + 2*tt.workers // fetching threads, queue, workers
			var mu sync.Mutex
			served, handled, most := 0, 0, 0
			gate := make(chan struct{})
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/robots.txt" { // robots.txt is read, not handed on
					mu.Lock()
					served++
					most = max(most, served-handled)
					if served == held {
						close(gate) // every thread, the queue and every worker hold a page
					}
					mu.Unlock()
				}
				site.ServeHTTP(w, r)
			}))
			defer srv.Close()
			stats, err := New(WithDelay(0), WithParallelism(tt.parallelism), WithWorkers(tt.workers)).Pages(context.Background(), []string{srv.URL + "/"}, func(r Result) {
				<-gate
				mu.Lock()
				handled++
				mu.Unlock()
			})
			if err != nil {
				t.Fatal(err)
			}
			if stats.Articles != site.N || handled != served {
				t.Errorf("%d articles, %d pages handed on of %d fetched; want %d articles, every page", stats.Articles, handled, served, site.N)
			}
			if most != held {
				t.Errorf("%d pages fetched and not handed on at most, want %d", most, held)
			}
		})
	}
}
