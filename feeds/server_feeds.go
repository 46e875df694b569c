package feeds

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ottwatch/ottwatch"
)

// feedFormats are the formats the server serves feeds in, by extension.
var feedFormats = map[string]Format{"rss": FormatRSS, "atom": FormatAtom, "json": FormatJSON}

// feed serves /feeds/{watchlist}.{rss,atom,json} and the ad-hoc
// /feeds/search.{rss,atom,json}?q=..., rendered once per cache TTL.
func (s *Server) feed(w http.ResponseWriter, r *http.Request) {
	s.answer(w, r, func(ctx context.Context) response { return s.renderFeed(ctx, r) })
}

// renderFeed renders the feed r asks for.
func (s *Server) renderFeed(ctx context.Context, r *http.Request) response {
	file := r.PathValue("file")
	dot := strings.LastIndexByte(file, '.')
	if dot < 0 {
		return textResponse(http.StatusNotFound, "no such feed: feeds end in .rss, .atom or .json")
	}
	name, ext := file[:dot], file[dot+1:]
	format, ok := feedFormats[ext]
	if !ok {
		return textResponse(http.StatusNotFound, fmt.Sprintf("no such feed format %q: want .rss, .atom or .json", ext))
	}
	q := r.URL.Query()
	win, err := s.window(q)
	if err != nil {
		return textResponse(http.StatusBadRequest, err.Error())
	}
	base := s.guard.baseURL(r)
	opts := Options{MaxItems: s.feedItems, Now: s.started, Link: base + "/", Lookup: s.lookup,
		FeedURL: base + r.URL.EscapedPath()}
	var wl ottwatch.Watchlist
	var hits []ottwatch.Hit
	if name == SearchName {
		var query ottwatch.Query
		wl, query, err = s.adhoc(q, win)
		if err != nil {
			return textResponse(http.StatusBadRequest, err.Error())
		}
		params := searchParams(wl, q)
		opts.Link = withParams(base+"/", params)
		opts.FeedURL = withParams(opts.FeedURL, params)
		hits, err = CollectWindow(ctx, s.idx, query, s.feedLimits())
	} else {
		wl, ok = FindWatchlist(s.watchlists, name)
		if !ok {
			return textResponse(http.StatusNotFound, fmt.Sprintf("no watchlist %q", name))
		}
		hits, err = Select(ctx, s.idx, wl, win, s.feedLimits())
	}
	if err != nil {
		s.log.Error("feed", "feed", name, "err", err)
		return textResponse(SearchFailure(err))
	}
	d := Build(wl, win, hits, opts)
	var buf bytes.Buffer
	if err := Render(&buf, d, format); err != nil {
		s.log.Error("feed", "feed", name, "err", err)
		return textResponse(http.StatusInternalServerError, "the feed could not be rendered; see the server's log")
	}
	res := response{contentType: format.ContentType(), body: buf.Bytes(), cacheControl: cacheFeed}
	if len(d.Items) > 0 {
		res.lastModified = d.Updated
	}
	return res
}

// window reads since= and until=.
func (s *Server) window(q url.Values) (Window, error) {
	var win Window
	var err error
	now := s.now()
	if win.Since, err = s.when(q.Get("since"), now); err != nil {
		return win, fmt.Errorf("since: %w", err)
	}
	if win.Until, err = s.when(q.Get("until"), now); err != nil {
		return win, fmt.Errorf("until: %w", err)
	}
	return win, win.Check()
}

// adhoc reads an ad-hoc search from query parameters: q (words), entity
// (all of them, by id or name, with the entities under them unless
// exact=1), lang, source and topic (any of each). It
// returns it as an unnamed watchlist, for the digest, and as the query to
// run, newest first.
func (s *Server) adhoc(q url.Values, win Window) (ottwatch.Watchlist, ottwatch.Query, error) {
	w := ottwatch.Watchlist{
		Name:    SearchName,
		Query:   strings.TrimSpace(q.Get("q")),
		Sources: lowerSet(values(q, "source")),
		Topics:  lowerSet(values(q, "topic")),
	}
	var err error
	if w.Langs, err = checkLangs(values(q, "lang")); err != nil {
		return w, ottwatch.Query{}, paramError{[]string{"lang"}, fmt.Errorf("lang: %w", err)}
	}
	if w.Entities, err = resolveEntities(values(q, "entity"), s.lookup); err != nil {
		return w, ottwatch.Query{}, paramError{[]string{"entity"}, fmt.Errorf("entity: %w", err)}
	}
	exact, err := exactParam(q)
	if err != nil {
		return w, ottwatch.Query{}, paramError{[]string{"exact"}, err}
	}
	w.Title = "Search"
	if w.Query != "" {
		w.Title = "Search “" + w.Query + "”"
	}
	query := ottwatch.Query{Text: w.Query, Langs: w.Langs, Entities: w.Entities, Sources: w.Sources,
		Topics: w.Topics, Since: win.Since, Until: win.Until, Sort: ottwatch.SortDate, Exact: exact}
	if _, err := query.Check(); err != nil {
		return w, query, err
	}
	return w, query, nil
}

// searchParams are the query parameters of an ad-hoc search, normalised,
// with the window as it was asked for.
func searchParams(w ottwatch.Watchlist, q url.Values) url.Values {
	v := url.Values{}
	if w.Query != "" {
		v.Set("q", w.Query)
	}
	for key, list := range map[string][]string{"entity": w.Entities, "lang": w.Langs, "source": w.Sources, "topic": w.Topics} {
		for _, x := range list {
			v.Add(key, x)
		}
	}
	for _, key := range []string{"since", "until"} {
		if x := strings.TrimSpace(q.Get(key)); x != "" {
			v.Set(key, x)
		}
	}
	if exact, _ := exactParam(q); exact && len(w.Entities) > 0 {
		v.Set("exact", "1")
	}
	return v
}

// exactParam reads exact=: whether entity filters leave out the entities
// under them.
func exactParam(q url.Values) (bool, error) {
	x := strings.TrimSpace(q.Get("exact"))
	if x == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(x)
	if err != nil {
		return false, fmt.Errorf("exact %q: want 1 (only the entities named) or 0 (with the entities under them)", x)
	}
	return b, nil
}

// feedLimits bounds the reading of a served feed: the stories it shows,
// with at most maxServedHits articles per search.
func (s *Server) feedLimits() Limits {
	return Limits{Hits: maxServedHits, Stories: s.feedItems}
}
