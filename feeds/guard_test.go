package feeds_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/feeds"
)

// gatedIndex is a Searcher whose searches wait until the test lets them go
// or their context ends, and that counts them.
type gatedIndex struct {
	ottwatch.Searcher
	entered  chan context.Context // receives the context of each search
	release  chan struct{}        // closed to let searches finish
	searches atomic.Int64
}

func newGatedIndex(t *testing.T) *gatedIndex {
	return &gatedIndex{Searcher: openIndex(t, fixtureArticles()), entered: make(chan context.Context, 100),
		release: make(chan struct{})}
}

func (g *gatedIndex) Search(ctx context.Context, q ottwatch.Query) (*ottwatch.Results, error) {
	g.searches.Add(1)
	g.entered <- ctx
	select {
	case <-g.release:
		return g.Searcher.Search(ctx, q)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// serverOf starts the server of idx with opts and the test clock.
func serverOf(t *testing.T, idx ottwatch.Searcher, opts ...feeds.ServerOption) *httptest.Server {
	t.Helper()
	opts = append([]feeds.ServerOption{feeds.WithClock(func() time.Time { return now })}, opts...)
	s, err := feeds.NewServer(idx, []ottwatch.Watchlist{amazonTelecom, italyRegulators}, lookup, opts...)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv
}

// getHost requests path from srv as sent to host.
func getHost(t *testing.T, srv *httptest.Server, host, path string) (*http.Response, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Host = host
	srv.Config.Handler.ServeHTTP(rec, req)
	return rec.Result(), rec.Body.String()
}

// Item 10 of the reliability report: links came from whatever Host the
// client sent, and feeds are cached publicly.
func TestServerHostAllowlist(t *testing.T) {
	base, err := url.Parse("https://news.example.org/")
	if err != nil {
		t.Fatal(err)
	}
	plain := newServer(t, fixtureArticles())
	configured := newServer(t, fixtureArticles(), feeds.WithBaseURL(base), feeds.WithAllowedHosts("intranet.example:8080"))
	tests := []struct {
		srv    *httptest.Server
		host   string
		status int
	}{
		{plain, "127.0.0.1:8080", http.StatusOK},
		{plain, "localhost:8080", http.StatusOK},
		{plain, "LOCALHOST.", http.StatusOK},
		{plain, "[::1]:8080", http.StatusOK},
		{plain, "attacker.example", http.StatusMisdirectedRequest},
		{plain, "127.0.0.1.attacker.example", http.StatusMisdirectedRequest},
		{plain, "", http.StatusMisdirectedRequest},
		{configured, "news.example.org", http.StatusOK},
		{configured, "NEWS.example.org:443", http.StatusOK},
		{configured, "intranet.example", http.StatusOK},
		{configured, "localhost", http.StatusOK},
		{configured, "attacker.example", http.StatusMisdirectedRequest},
	}
	for _, tt := range tests {
		for _, path := range []string{"/feeds/amazon-telecom.rss", "/", "/healthz", "/static/style.css"} {
			res, body := getHost(t, tt.srv, tt.host, path)
			if res.StatusCode != tt.status {
				t.Errorf("Host %q %s: %d, want %d: %s", tt.host, path, res.StatusCode, tt.status, body)
			}
		}
	}
}

func TestServerBaseURLLinks(t *testing.T) {
	base, err := url.Parse("https://news.example.org/ottwatch/")
	if err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, fixtureArticles(), feeds.WithBaseURL(base))
	for _, host := range []string{"localhost", "news.example.org"} {
		res, body := getHost(t, srv, host, "/feeds/amazon-telecom.atom")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%d: %s", res.StatusCode, body)
		}
		if !strings.Contains(body, `https://news.example.org/ottwatch/feeds/amazon-telecom.atom`) {
			t.Errorf("Host %s: no self link under the base URL:\n%s", host, body)
		}
		if strings.Contains(body, "localhost") {
			t.Errorf("Host %s: the request's host is in the feed:\n%s", host, body)
		}
	}
}

// Item 6: searches take turns; the others wait, then get 429.
func TestServerBusy(t *testing.T) {
	idx := newGatedIndex(t)
	srv := serverOf(t, idx, feeds.WithMaxSearches(1, 0))
	first := make(chan *http.Response, 1)
	go func() {
		res, err := srv.Client().Get(srv.URL + "/?q=amazon")
		if err != nil {
			t.Error(err)
			close(first)
			return
		}
		res.Body.Close()
		first <- res
	}()
	<-idx.entered // the first request holds the only turn
	for _, path := range []string{"/?q=agcom", "/feeds/search.rss?q=agcom", "/entities/agcom"} {
		res, body := get(t, srv, path)
		if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
			t.Errorf("%s while busy: %d, Retry-After %q: %s", path, res.StatusCode, res.Header.Get("Retry-After"), body)
		}
	}
	if res, body := get(t, srv, "/healthz"); res.StatusCode != http.StatusOK {
		t.Errorf("healthz while busy: %d %s", res.StatusCode, body)
	}
	// A query refused as asked needs no turn.
	if res, body := get(t, srv, "/feeds/search.rss?q="+strings.Repeat("x", ottwatch.MaxTextBytes+1)); res.StatusCode != http.StatusBadRequest {
		t.Errorf("a query too long while busy: %d %.200s", res.StatusCode, body)
	}
	close(idx.release)
	if res := <-first; res == nil || res.StatusCode != http.StatusOK {
		t.Fatalf("first request: %v", res)
	}
	if res, body := get(t, srv, "/?q=agcom"); res.StatusCode != http.StatusOK {
		t.Errorf("after the turn is free: %d %s", res.StatusCode, body)
	}
}

// Item 5: a search runs under the request deadline and stops when the
// client goes away.
func TestServerDeadlineAndClientGone(t *testing.T) {
	idx := newGatedIndex(t)
	srv := serverOf(t, idx, feeds.WithRequestTimeout(time.Hour))
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/?q=amazon", nil)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if res, err := srv.Client().Do(req); err == nil {
			res.Body.Close()
		}
	}()
	sctx := <-idx.entered
	deadline, ok := sctx.Deadline()
	if !ok || deadline.After(time.Now().Add(time.Hour)) {
		t.Errorf("search deadline %v, %v: want one within the request timeout", deadline, ok)
	}
	cancel() // the client leaves
	<-sctx.Done()
	if !errors.Is(sctx.Err(), context.Canceled) {
		t.Errorf("search context: %v, want canceled", sctx.Err())
	}
	<-done

	// A search past its deadline is answered 503.
	expired := serverOf(t, idx, feeds.WithRequestTimeout(time.Nanosecond))
	res, body := get(t, expired, "/feeds/search.rss?q=amazon")
	if res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("search past its deadline: %d %s", res.StatusCode, body)
	}
}

// Item 5: a query over the limits is refused before it reaches the index.
func TestServerBadQuery(t *testing.T) {
	idx := newGatedIndex(t)
	close(idx.release)
	srv := serverOf(t, idx)
	words := make([]string, ottwatch.MaxWords+1)
	for i := range words {
		words[i] = "w" + strings.Repeat("x", i)
	}
	long := url.QueryEscape(strings.Join(words, " "))
	for _, path := range []string{"/?q=" + long, "/feeds/search.rss?q=" + long, "/feeds/search.json?q=" + strings.Repeat("amazon+", 300)} {
		res, body := get(t, srv, path)
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("%.60s: %d, want 400: %.200s", path, res.StatusCode, body)
		}
	}
	if n := idx.searches.Load(); n != 0 {
		t.Errorf("%d searches reached the index", n)
	}
	// The same word a hundred times is one word.
	res, body := get(t, srv, "/feeds/search.json?q="+strings.Repeat("amazon+", 100))
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Amazon") {
		t.Errorf("repeated word: %d %.300s", res.StatusCode, body)
	}
}

// Item 6: a feed, an entity page, a search page or an API search is
// rendered once for all who ask for it within the cache TTL, and again
// after it.
func TestServerCache(t *testing.T) {
	idx := newGatedIndex(t)
	close(idx.release)
	var mu sync.Mutex
	clock := now
	s, err := feeds.NewServer(idx, []ottwatch.Watchlist{amazonTelecom}, lookup,
		feeds.WithClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }),
		feeds.WithCacheTTL(time.Minute),
		feeds.WithSearchAPI(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			res, err := idx.Search(r.Context(), ottwatch.Query{Text: r.URL.Query().Get("q")})
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(res)
		})))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	for _, path := range []string{"/feeds/amazon-telecom.rss", "/entities/amazon", "/feeds/search.atom?q=agcom", "/?q=agcom", "/api/search?q=agcom"} {
		before := idx.searches.Load()
		if res, body := get(t, srv, path); res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", path, res.StatusCode, body)
		}
		once := idx.searches.Load() - before
		for range 2 {
			if res, body := get(t, srv, path); res.StatusCode != http.StatusOK {
				t.Fatalf("%s: %d %s", path, res.StatusCode, body)
			}
		}
		if thrice := idx.searches.Load() - before; once == 0 || thrice != once {
			t.Errorf("%s three times: %d searches, want the %d of one rendering", path, thrice, once)
		}
		mu.Lock()
		clock = clock.Add(2 * time.Minute)
		mu.Unlock()
		get(t, srv, path)
		// Rendered again, without what the first rendering learned (the
		// names of the sites) to search for again.
		if again := idx.searches.Load() - before - once; again == 0 || again > once {
			t.Errorf("%s after the TTL: %d searches, want 1 to %d", path, again, once)
		}
	}
}
