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
	Addr      string
	FeedItems int
}

func newServeCmd(g *globals) *cobra.Command {
	o := &serveOptions{globals: g}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the watchlists as feeds, a search page and entity pages over HTTP (read-only)",
		Long: `Serve answers on --addr (loopback only by default) with:

  /feeds/WATCHLIST.rss, .atom, .json   a feed per watchlist, one item per story
  /feeds/search.rss?q=&entity=&lang=&source=&since=   a feed of any search
  /                                    a search page with facets
  /entities/ID                         an entity's mentions week by week
  /api/search?q=...                    the JSON of 'ottwatch search --json'
  /healthz                             whether the index can be read

It only reads the index. Stop it with Ctrl-C: requests under way finish first.`,
		Example: `  ottwatch serve
  ottwatch serve --addr 127.0.0.1:9000
  curl http://127.0.0.1:8080/feeds/amazon-telecom.rss`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runServe(cmd.Context(), o)
		},
	}
	cmd.Flags().StringVar(&o.Addr, "addr", "127.0.0.1:8080", "address to listen on; anything but loopback exposes the index to the network")
	cmd.Flags().IntVar(&o.FeedItems, "feed-items", feeds.DefaultFeedItems, "stories per feed, the newest")
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
		idx = &sharedIndex{open: func(ctx context.Context) (ottwatch.Index, error) { return o.openBackend(ctx, s, false) }}
	}
	defer idx.Close()
	log := o.logger()
	handler, err := feeds.NewServer(idx, ws, lookup,
		feeds.WithSearchAPI(searchAPI(o.globals, idx)),
		feeds.WithLogger(log),
		feeds.WithFeedItems(o.FeedItems),
	)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
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
		for name, b := range map[string]*bool{"facets": &o.Facets, "collapse": &o.Collapse} {
			if v := p.Get(name); v != "" {
				if *b, err = strconv.ParseBool(v); err != nil {
					apiError(w, http.StatusBadRequest, fmt.Errorf("%s %q: want true or false", name, v))
					return
				}
			}
		}
		q, err := o.query(time.Now())
		if err != nil {
			apiError(w, http.StatusBadRequest, err)
			return
		}
		res, err := idx.Search(r.Context(), q)
		if err != nil {
			g.logger().Error("api search", "query", q.Text, "err", err)
			apiError(w, http.StatusInternalServerError, errors.New("the search failed; see the server's log"))
			return
		}
		var buf bytes.Buffer
		if err := writeJSON(&buf, searchJSON(res)); err != nil {
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
