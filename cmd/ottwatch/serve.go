package main

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/feeds"
	"github.com/ottwatch/ottwatch/nlp/textnorm"
)

// Timeouts of the HTTP server.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 15 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 2 * time.Minute
	shutdownTimeout   = 10 * time.Second
)

// serveOptions are the options of 'ottwatch serve'.
type serveOptions struct {
	*globals
	Addr           string
	FeedItems      int
	BaseURL        string
	AllowHosts     []string
	MaxSearches    int
	QueueWait      time.Duration
	RequestTimeout time.Duration
	CacheTTL       time.Duration
}

func newServeCmd(g *globals) *cobra.Command {
	o := &serveOptions{globals: g}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the watchlists as feeds, a search page and entity pages over HTTP (read-only)",
		Long: `Serve answers on --addr (loopback only by default) with:

  /feeds/WATCHLIST.rss, .atom, .json   a feed per watchlist, one item per story
  /feeds/search.rss?q=&entity=&lang=&source=&since=   a feed of any search
  /                                    a search page: stories (or every article), facets, sort
  /stories/ID                          a story: every article, grouped by language
  /entities/ID                         an entity: facts, articles per week, languages,
                                       sources, entities named with it, latest stories
  /api/search?q=...                    the JSON of 'ottwatch search --json'
  /healthz                             whether the index can be read

It only reads the index, opened read-only: a copy without write permission
can be served. Searches take turns (--max-searches at once; the others wait
up to --queue-wait, then get 429 with Retry-After; searches and pages go
before feeds and bulk reads of more than 100 hits) and stop at
--request-timeout (503). What a request gets (a search, a feed, an entity or
story page) is answered again from memory to anyone asking within --cache-ttl.

Absolute links (feeds' self links and item links) start with --base-url, or
else with the Host the request was sent to. Requests are answered only for
loopback names, the host of --base-url and the names given to --allow-host
(421 otherwise), so that a web page cannot read the server through a name
it controls and a proxy cannot cache links to a forged host.

Stop it with Ctrl-C: requests under way finish first.`,
		Example: `  ottwatch serve
  ottwatch serve --addr 127.0.0.1:9000
  ottwatch serve --addr 0.0.0.0:8080 --base-url https://news.example.org
  curl http://127.0.0.1:8080/feeds/amazon-telecom.rss`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runServe(cmd.Context(), o)
		},
	}
	cmd.Flags().StringVar(&o.Addr, "addr", "127.0.0.1:8080", "address to listen on; anything but loopback exposes the index to the network")
	cmd.Flags().IntVar(&o.FeedItems, "feed-items", feeds.DefaultFeedItems, "stories per feed, the newest")
	cmd.Flags().StringVar(&o.BaseURL, "base-url", "", "the public address of the server (https://news.example.org): absolute links start with it and its host is allowed")
	cmd.Flags().StringSliceVar(&o.AllowHosts, "allow-host", nil, "other host names requests may be sent to, besides loopback names and the --base-url host")
	cmd.Flags().IntVar(&o.MaxSearches, "max-searches", 0, "requests searching the index at once (0: one per core with bleve, at least two; twice that with meili, whose searches run in Meilisearch)")
	cmd.Flags().DurationVar(&o.QueueWait, "queue-wait", feeds.DefaultQueueWait, "how long a request waits for its turn before a 429")
	cmd.Flags().DurationVar(&o.CacheTTL, "cache-ttl", feeds.DefaultCacheTTL, "how long an answer is served again to anyone asking the same (0: never)")
	cmd.Flags().DurationVar(&o.RequestTimeout, "request-timeout", feeds.DefaultRequestTimeout, "how long a request may search the index")
	return cmd
}

func runServe(ctx context.Context, o *serveOptions) error {
	if o.FeedItems < 1 {
		return errors.New("--feed-items must be 1 or more")
	}
	s, err := o.settings("")
	if err != nil {
		return err
	}
	limits, err := o.serverLimits(s.Index.Value)
	if err != nil {
		return err
	}
	ws, lookup, err := o.watchlists(s)
	if err != nil {
		return err
	}
	be, err := o.openBackend(ctx, s, false)
	if err != nil {
		return err
	}
	var idx interface {
		ottwatch.Searcher
		io.Closer
	} = be
	if be.Kind == backendBleve {
		// Hold the embedded index only while requests use it, so that a
		// crawl or a sync can write to it between them.
		if err := be.Close(); err != nil {
			return err
		}
		idx = &sharedIndex{open: func(ctx context.Context) (ottwatch.Index, error) { return o.openBackend(ctx, s, false) },
			linger: indexLinger, tree: be.tree}
	}
	defer idx.Close()
	log := o.logger()
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && !tcp.IP.IsUnspecified() {
		limits = append(limits, feeds.WithAllowedHosts(tcp.IP.String()))
	}
	gaz, err := o.gazetteer()
	if err != nil {
		ln.Close()
		return err
	}
	var topics []feeds.Topic
	for _, t := range gaz.TopicList() {
		topics = append(topics, feeds.Topic{ID: t.ID, Name: t.Name})
	}
	handler, err := feeds.NewServer(idx, ws, lookup, append(limits,
		feeds.WithSearchAPI(searchAPI(o.globals, idx)),
		feeds.WithTopics(topics),
		feeds.WithLogger(log),
		feeds.WithFeedItems(o.FeedItems),
	)...)
	if err != nil {
		ln.Close()
		return err
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	base := "http://" + ln.Addr().String()
	if !isLoopback(ln.Addr()) {
		fmt.Fprintf(o.io.Err, "warning: %s is not a loopback address: anyone who can reach it can read the index\n", ln.Addr())
	}
	fmt.Fprintf(o.io.Out, "serving the %s index on %s/ (Ctrl-C to stop)\n", be.Kind, base)
	for _, w := range ws {
		fmt.Fprintf(o.io.Out, "  %s: %s/feeds/%s.rss\n", w.Name, base, w.Name)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		srv.Close()
		return fmt.Errorf("serve: shut down: %w", err)
	}
	fmt.Fprintln(o.io.Out, "stopped")
	return nil
}

// serverLimits checks the flags that bound the server over an index of
// backend and returns them as options of feeds.NewServer.
func (o *serveOptions) serverLimits(backend string) ([]feeds.ServerOption, error) {
	switch {
	case o.MaxSearches < 0:
		return nil, fmt.Errorf("--max-searches %d: must not be negative (0: the default)", o.MaxSearches)
	case o.QueueWait < 0:
		return nil, fmt.Errorf("--queue-wait %s: must not be negative", o.QueueWait)
	case o.RequestTimeout <= 0:
		return nil, fmt.Errorf("--request-timeout %s: must be more than 0", o.RequestTimeout)
	case o.CacheTTL < 0:
		return nil, fmt.Errorf("--cache-ttl %s: must not be negative", o.CacheTTL)
	}
	searches := o.MaxSearches
	if searches == 0 {
		searches = feeds.DefaultMaxSearches()
		if backend == backendMeili {
			searches *= 2 // a search waits on Meilisearch more than it works here
		}
	}
	opts := []feeds.ServerOption{
		feeds.WithMaxSearches(searches, o.QueueWait),
		feeds.WithRequestTimeout(o.RequestTimeout),
		feeds.WithCacheTTL(o.CacheTTL),
		feeds.WithAllowedHosts(o.AllowHosts...),
	}
	if o.BaseURL != "" {
		u, err := url.Parse(o.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
			return nil, fmt.Errorf("--base-url %q: want an absolute http or https URL without credentials, such as https://news.example.org", redactURL(o.BaseURL))
		}
		opts = append(opts, feeds.WithBaseURL(u))
	}
	return opts, nil
}

// isLoopback reports whether addr listens on a loopback interface only.
func isLoopback(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// searchAPI answers /api/search with what 'ottwatch search --json' prints,
// from the same query parameters as its flags: q, lang, entity, source,
// topic (repeated or comma-separated), since, until, sort, limit, offset,
// facets and collapse.
func searchAPI(g *globals, idx ottwatch.Searcher) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Query()
		o := &searchOptions{globals: g, Query: p.Get("q"), Langs: split(p["lang"]), Entities: split(p["entity"]),
			Sources: split(p["source"]), Topics: split(p["topic"]), Since: p.Get("since"), Until: p.Get("until"),
			Sort: cmp.Or(p.Get("sort"), string(ottwatch.SortRelevance)), Limit: 10}
		var err error
		for name, n := range map[string]*int{"limit": &o.Limit, "offset": &o.Offset} {
			if v := p.Get(name); v != "" {
				if *n, err = strconv.Atoi(v); err != nil {
					apiError(w, http.StatusBadRequest, fmt.Errorf("%s %q is not a number", name, v))
					return
				}
			}
		}
		for name, b := range map[string]*bool{"facets": &o.Facets, "collapse": &o.Collapse, "exact": &o.Exact} {
			if v := p.Get(name); v != "" {
				if *b, err = strconv.ParseBool(v); err != nil {
					apiError(w, http.StatusBadRequest, fmt.Errorf("%s %q: want true or false", name, v))
					return
				}
			}
		}
		q, err := o.query(o.clock.Now())
		if err != nil {
			apiError(w, http.StatusBadRequest, err)
			return
		}
		res, err := idx.Search(r.Context(), q)
		if err != nil {
			g.logger().Error("api search", "query", q.Text, "err", err)
			status, msg := feeds.SearchFailure(err)
			apiError(w, status, errors.New(msg))
			return
		}
		var stories map[string]*ottwatch.Story
		if q.Collapse {
			stories = g.stories(res) // as search --collapse --json gives them
		}
		var buf bytes.Buffer
		if err := writeJSON(&buf, searchJSON(res, stories)); err != nil {
			apiError(w, http.StatusInternalServerError, err)
			return
		}
		apiHeaders(w)
		w.Write(buf.Bytes())
	})
}

// apiError answers with {"error": "..."}.
func apiError(w http.ResponseWriter, status int, err error) {
	var buf bytes.Buffer
	writeJSON(&buf, map[string]string{"error": textnorm.OneLine(err.Error())})
	apiHeaders(w)
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func apiHeaders(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
}

// split splits comma-separated values, as the flags of 'ottwatch search'
// do.
func split(values []string) []string {
	var out []string
	for _, v := range values {
		out = append(out, strings.Split(v, ",")...)
	}
	return out
}
