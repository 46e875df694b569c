package feeds

import (
	"bytes"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/ottwatch/ottwatch"
)

// Defaults of the server.
const (
	// DefaultFeedItems is how many stories a served feed holds: the newest.
	DefaultFeedItems = 50
	// maxServedHits is how many articles the server reads for one feed or
	// timeline.
	maxServedHits = 1000
	// resultsPerPage is how many results the search page shows at once.
	resultsPerPage = 20
)

// Server is the read-only HTTP server of 'ottwatch serve': feeds of the
// watchlists and of ad-hoc searches, the search page, entity pages, a
// health check and, when given one, the JSON search API. It reads through an
// ottwatch.Searcher, whichever backend it is, and is safe for concurrent use.
//
// Routes:
//
//	GET /                              search page with facets
//	GET /feeds/{watchlist}.rss|.atom|.json
//	GET /feeds/search.rss|.atom|.json?q=&entity=&lang=&source=&topic=&since=&until=
//	GET /stories/{id}                  a story: every article, grouped by language
//	GET /entities/{id}                 an entity's briefing: facts, weekly timeline, coverage, co-mentions, stories
//	GET /api/search                    with WithSearchAPI
//	GET /healthz
//	GET /static/style.css
type Server struct {
	idx        ottwatch.Searcher
	watchlists []ottwatch.Watchlist
	lookup     LookupFunc
	now        func() time.Time
	when       func(string, time.Time) (time.Time, error)
	log        *slog.Logger
	feedItems  int
	api        http.Handler
	started    time.Time
	mux        *http.ServeMux
	guard      *guard
	sites      *siteNames
	topics     []Topic
}

// Topic is a topic the search page offers as a filter.
type Topic struct {
	ID, Name string
}

// WithTopics sets the topics the search page offers, in order.
func WithTopics(topics []Topic) ServerOption {
	return func(s *Server) { s.topics = slices.Clone(topics) }
}

// ServerOption configures NewServer.
type ServerOption func(*Server)

// WithSearchAPI serves h at /api/search. 'ottwatch serve' gives it the
// handler that answers in the JSON of 'ottwatch search --json'.
func WithSearchAPI(h http.Handler) ServerOption {
	return func(s *Server) { s.api = h }
}

// WithClock sets the clock that relative dates (since=24h) count back from.
func WithClock(now func() time.Time) ServerOption {
	return func(s *Server) {
		if now != nil {
			s.now = now
		}
	}
}

// WithLogger sets where the server logs failures; nowhere by default.
func WithLogger(l *slog.Logger) ServerOption {
	return func(s *Server) {
		if l != nil {
			s.log = l
		}
	}
}

// WithFeedItems sets how many stories a feed holds (DefaultFeedItems).
func WithFeedItems(n int) ServerOption {
	return func(s *Server) {
		if n > 0 {
			s.feedItems = n
		}
	}
}

// NewServer returns the server of idx. The watchlists are validated (see
// ValidateWatchlists); lookup finds entities by id or name.
func NewServer(idx ottwatch.Searcher, watchlists []ottwatch.Watchlist, lookup LookupFunc, opts ...ServerOption) (*Server, error) {
	if idx == nil {
		return nil, fmt.Errorf("serve: no index")
	}
	if lookup == nil {
		return nil, fmt.Errorf("serve: no gazetteer")
	}
	ws, err := ValidateWatchlists(watchlists, lookup)
	if err != nil {
		return nil, err
	}
	s := &Server{
		idx: idx, watchlists: ws, lookup: lookup,
		now: time.Now, when: ParseWhen, feedItems: DefaultFeedItems,
		log: slog.New(slog.DiscardHandler),
	}
	if s.guard, err = newGuard(func() time.Time { return s.now() }); err != nil {
		return nil, err
	}
	if s.sites, err = newSiteNames(); err != nil {
		return nil, err
	}
	for _, o := range opts {
		o(s)
	}
	s.started = s.now().UTC().Truncate(time.Second)
	static, err := fs.Sub(staticFiles, "static")
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	files := http.FileServerFS(static)
	s.mux = http.NewServeMux()
	s.mux.Handle("GET /{$}", s.cachedHandler(http.HandlerFunc(s.searchPage)))
	s.mux.HandleFunc("GET /feeds/{file}", s.feed)
	s.mux.HandleFunc("GET /entities/{id}", s.entityPage)
	s.mux.HandleFunc("GET /stories/{id}", s.storyPage)
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /static/{file}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", cacheStatic)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		http.StripPrefix("/static", files).ServeHTTP(w, r)
	})
	if s.api != nil {
		s.mux.Handle("GET /api/search", s.cachedHandler(s.api))
	}
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.pageError(w, r, http.StatusNotFound, "No such page.")
	})
	return s, nil
}

// ServeHTTP answers one request. Only GET and HEAD are served (the server
// changes nothing), only for allowed hosts (see WithAllowedHosts), and
// searching requests take turns under a deadline (see WithMaxSearches and
// WithRequestTimeout).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		plainError(w, r, http.StatusMethodNotAllowed, "this server is read-only: only GET and HEAD")
		return
	}
	s.guard.serve(w, r, s.mux)
}

// Watchlists returns the server's watchlists, validated.
func (s *Server) Watchlists() []ottwatch.Watchlist { return s.watchlists }

// healthz answers whether the index can be read.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	n, err := s.idx.Count(r.Context())
	if err != nil {
		s.log.Error("health check", "err", err)
		plainError(w, r, http.StatusServiceUnavailable, "the index cannot be read")
		return
	}
	send(w, r, response{contentType: "text/plain; charset=utf-8", cacheControl: cacheNone,
		body: fmt.Appendf(nil, "ok: %d articles\n", n)})
}

// plainError answers with a one-line plain-text error.
func plainError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	send(w, r, textResponse(status, msg))
}

// pageError answers with an HTML error page.
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	send(w, r, s.errorPage(status, msg))
}

// errorPage renders an HTML error page.
func (s *Server) errorPage(status int, msg string) response {
	var buf bytes.Buffer
	err := templates.ExecuteTemplate(&buf, "error", struct {
		Title, Message string
		Status         int
		Subscribe      *feedLinks
	}{Title: http.StatusText(status), Message: msg, Status: status})
	if err != nil {
		s.log.Error("render error page", "err", err)
		return textResponse(status, msg)
	}
	return response{status: status, contentType: "text/html; charset=utf-8", body: buf.Bytes()}
}

// withParams returns path with the query values v, in a stable order.
func withParams(path string, v url.Values) string {
	if enc := v.Encode(); enc != "" {
		return path + "?" + enc
	}
	return path
}

// values returns the non-blank values of a query parameter, each once.
func values(q url.Values, key string) []string {
	var out []string
	for _, v := range q[key] {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}
