package feeds

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/nlp/textnorm"
)

// maxOffset is how far the search page pages.
const maxOffset = 10_000

// datePresets are the date filters the search page offers.
var datePresets = []struct{ Label, Since string }{
	{"Any time", ""}, {"Past 24 hours", "24h"}, {"Past week", "7d"}, {"Past month", "30d"}, {"Past year", "365d"},
}

// link is a labelled link of a page, with a count for facets.
type link struct {
	Label  string
	URL    string
	Key    string // the facet it belongs to
	Value  string
	Count  int
	Active bool
}

// facetView is one facet of the search page.
type facetView struct {
	Title string
	Links []link
}

// resultView is one article of a result list.
type resultView struct {
	Title     string
	Link      string
	Source    string
	Published time.Time
	Lang      string
	Snippet   string
	Entities  []link
}

// feedLinks are the three feeds of a watchlist or a search.
type feedLinks struct {
	Title, RSS, Atom, JSON string
}

// searchView is what the search page shows.
type searchView struct {
	Title      string
	Query      string
	Hidden     []link // filters the form keeps, as Key and Value
	Filters    []link // active filters, each linking to the page without it
	Facets     []facetView
	Dates      []link
	Results    []resultView
	Total      int
	From, To   int
	Prev, Next string
	Subscribe  feedLinks
	Watchlists []feedLinks
	Error      string
}

// searchPage serves / : a search form, the results with facets that add
// filters, and links to subscribe to the search as a feed.
func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v := &searchView{Title: "ottwatch search", Query: strings.TrimSpace(q.Get("q"))}
	for _, wl := range s.watchlists {
		v.Watchlists = append(v.Watchlists, feedsOf(DisplayTitle(wl), "/feeds/"+wl.Name, nil))
	}
	status := http.StatusOK
	var lastMod time.Time
	if err := s.search(r, q, v, &lastMod); err != nil {
		status = http.StatusBadRequest
		var fail searchError
		if errors.As(err, &fail) {
			status = fail.status
		}
		v.Error = err.Error()
	}
	if v.Query != "" {
		v.Title = v.Query + " – ottwatch search"
	}
	s.page(w, r, status, "search", v, lastMod)
}

// search fills v with the results of the search in q.
func (s *Server) search(r *http.Request, q url.Values, v *searchView, lastMod *time.Time) error {
	win, err := s.window(q)
	if err != nil {
		return err
	}
	wl, query, err := s.adhoc(q, win)
	if err != nil {
		return err
	}
	params := searchParams(wl, q)
	sort := q.Get("sort")
	switch {
	case sort == "date" || (sort == "" && query.Text == ""):
		query.Sort = ottwatch.SortDate
	case sort == "" || sort == "relevance":
		query.Sort = ottwatch.SortRelevance
	default:
		return fmt.Errorf("sort %q: want relevance or date", sort)
	}
	if sort != "" {
		params.Set("sort", sort)
	}
	if o := q.Get("offset"); o != "" {
		n, err := strconv.Atoi(o)
		if err != nil || n < 0 || n > maxOffset {
			return fmt.Errorf("offset %q: want a number from 0 to %d", o, maxOffset)
		}
		query.Offset = n
	}
	query.Limit, query.Facets = resultsPerPage, true

	for _, key := range []string{"lang", "entity", "source", "topic", "since", "until", "sort"} {
		for _, val := range params[key] {
			v.Hidden = append(v.Hidden, link{Key: key, Value: val})
			v.Filters = append(v.Filters, link{Key: key, Value: val, Label: s.filterLabel(key, val),
				URL: withParams("/", without(params, key, val))})
		}
	}
	feedParams := without(params, "sort", "")
	v.Subscribe = feedsOf("this search", "/feeds/search", feedParams)
	for _, p := range datePresets {
		u := cloneValues(params)
		u.Del("since")
		if p.Since != "" {
			u.Set("since", p.Since)
		}
		v.Dates = append(v.Dates, link{Label: p.Label, Key: "since", Value: p.Since, URL: withParams("/", u),
			Active: q.Get("since") == p.Since})
	}

	res, err := s.idx.Search(r.Context(), query)
	if err != nil {
		s.log.Error("search page", "query", query.Text, "err", err)
		status, msg := SearchFailure(err)
		return searchError{status, msg}
	}
	v.Total = res.Total
	if len(res.Hits) > 0 {
		v.From, v.To = query.Offset+1, query.Offset+len(res.Hits)
	}
	for _, h := range res.Hits {
		a := h.Article
		if a == nil {
			continue
		}
		rv := resultView{Title: cmp.Or(textnorm.OneLine(a.Title), a.ID), Link: articleLink(a), Source: a.Source,
			Published: a.Published, Lang: a.Lang, Snippet: textnorm.OneLine(h.Snippet)}
		for i, m := range byCount(a.Entities) {
			if i == 8 {
				break
			}
			rv.Entities = append(rv.Entities, link{Label: m.Name, URL: "/entities/" + url.PathEscape(m.ID)})
		}
		v.Results = append(v.Results, rv)
		if a.Published.After(*lastMod) {
			*lastMod = a.Published
		}
	}
	if query.Offset > 0 {
		u := cloneValues(params)
		if prev := query.Offset - resultsPerPage; prev > 0 {
			u.Set("offset", strconv.Itoa(prev))
		}
		v.Prev = withParams("/", u)
	}
	if next := query.Offset + len(res.Hits); next < res.Total && next <= maxOffset {
		u := cloneValues(params)
		u.Set("offset", strconv.Itoa(next))
		v.Next = withParams("/", u)
	}
	for _, f := range []struct{ name, key, title string }{
		{ottwatch.FacetLang, "lang", "Language"},
		{ottwatch.FacetEntity, "entity", "Entity"},
		{ottwatch.FacetSource, "source", "Source"},
	} {
		fv := facetView{Title: f.title}
		for _, c := range res.Facets[f.name] {
			active := slices.Contains(params[f.key], c.Value)
			u := cloneValues(params)
			if !active {
				u.Add(f.key, c.Value)
			}
			fv.Links = append(fv.Links, link{Label: s.filterLabel(f.key, c.Value), Key: f.key, Value: c.Value,
				Count: c.Count, URL: withParams("/", u), Active: active})
		}
		if len(fv.Links) > 0 {
			v.Facets = append(v.Facets, fv)
		}
	}
	return nil
}

// filterLabel names a filter value for people: entities by name.
func (s *Server) filterLabel(key, value string) string {
	switch key {
	case "entity":
		if e, ok := s.lookup(value); ok {
			return e.Name
		}
	case "since":
		return "since " + value
	case "until":
		return "until " + value
	case "sort":
		return "by " + value
	}
	return value
}

// entityView is what an entity page shows.
type entityView struct {
	Title     string
	Entity    ottwatch.Entity
	Parent    *ottwatch.Entity
	Wikidata  string
	Chart     chart
	Weeks     []Week
	Articles  int  // all the articles naming the entity
	Mentions  int  // its mentions in the articles read
	Read      int  // the articles read for the chart, the latest
	Truncated bool // Read < Articles
	Latest    []resultView
	Subscribe feedLinks
	Search    string
}

// entityPage serves /entities/{id}: the entity, a bar chart of the
// articles naming it week by week, and the latest of them, rendered once per
// cache TTL.
func (s *Server) entityPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	ent, ok := s.lookup(id)
	if !ok {
		s.pageError(w, r, http.StatusNotFound, fmt.Sprintf("No entity %q in the gazetteer.", id))
		return
	}
	if ent.ID != id {
		http.Redirect(w, r, "/entities/"+url.PathEscape(ent.ID), http.StatusMovedPermanently)
		return
	}
	send(w, r, s.guard.cached(r, func(ctx context.Context) response { return s.renderEntity(ctx, ent) }))
}

// renderEntity renders the page of ent: the latest articles and the total
// from one page of results, the timeline from up to maxServedHits articles.
func (s *Server) renderEntity(ctx context.Context, ent ottwatch.Entity) response {
	query := ottwatch.Query{Entities: []string{ent.ID}, Sort: ottwatch.SortDate, Limit: resultsPerPage}
	res, err := s.idx.Search(ctx, query)
	var hits []ottwatch.Hit
	switch {
	case err != nil:
	case res.Total > len(res.Hits):
		hits, err = Collect(ctx, s.idx, query, maxServedHits)
	default:
		hits = res.Hits
	}
	if err != nil {
		s.log.Error("entity page", "entity", ent.ID, "err", err)
		return s.errorPage(SearchFailure(err))
	}
	params := url.Values{"entity": {ent.ID}}
	v := &entityView{Title: ent.Name + " – ottwatch", Entity: ent, Articles: res.Total, Truncated: len(hits) < res.Total,
		Subscribe: feedsOf(ent.Name, "/feeds/search", params), Search: withParams("/", params)}
	if ent.Parent != "" {
		if p, ok := s.lookup(ent.Parent); ok {
			v.Parent = &p
		}
	}
	if strings.HasPrefix(ent.Wikidata, "Q") {
		v.Wikidata = "https://www.wikidata.org/wiki/" + url.PathEscape(ent.Wikidata)
	}
	articles := make([]*ottwatch.Article, 0, len(hits))
	var lastMod time.Time
	for _, h := range hits {
		if h.Article == nil {
			continue
		}
		articles = append(articles, h.Article)
		if h.Article.Published.After(lastMod) {
			lastMod = h.Article.Published
		}
	}
	v.Read = len(articles)
	v.Weeks = Timeline(articles, ent.ID, 104)
	for _, wk := range v.Weeks {
		v.Mentions += wk.Mentions
	}
	v.Chart = barChart(v.Weeks)
	for _, h := range res.Hits {
		a := h.Article
		if a == nil {
			continue
		}
		v.Latest = append(v.Latest, resultView{Title: cmp.Or(textnorm.OneLine(a.Title), a.ID), Link: articleLink(a),
			Source: a.Source, Published: a.Published, Lang: a.Lang, Snippet: textnorm.OneLine(h.Snippet)})
	}
	return s.render(http.StatusOK, "entity", v, lastMod)
}

// chart is an inline SVG bar chart of a timeline.
type chart struct {
	Width, Height int
	LabelY        int // the baseline of the labels under the bars
	Bars          []bar
	Max           int
}

type bar struct {
	X, Y, W, H int
	Title      string
	Label      string // under the bar, at the first week of a month
}

// Dimensions of the chart, in pixels: bars share chartWidth, each between
// minBar and maxBar wide.
const (
	chartWidth  = 640
	minBar      = 14
	maxBar      = 48
	chartHeight = 120
	labelSpace  = 16
)

// barChart lays out the bars of weeks: one per week, as tall as its
// articles against the busiest week, labelled at the first week of each
// month.
func barChart(weeks []Week) chart {
	barWidth := min(max(chartWidth/max(len(weeks), 1), minBar), maxBar)
	c := chart{Width: max(len(weeks), 1) * barWidth, Height: chartHeight + labelSpace, LabelY: chartHeight + labelSpace - 4}
	for _, wk := range weeks {
		c.Max = max(c.Max, wk.Articles)
	}
	for i, wk := range weeks {
		h := 0
		if c.Max > 0 {
			h = wk.Articles * (chartHeight - 4) / c.Max
		}
		if wk.Articles > 0 {
			h = max(h, 2)
		}
		b := bar{X: i * barWidth, Y: chartHeight - h, W: barWidth - 2, H: h,
			Title: fmt.Sprintf("Week of %s: %s, %s", wk.Start.Format("2 Jan 2006"),
				plural(wk.Articles, "article", "articles"), plural(wk.Mentions, "mention", "mentions"))}
		if i == 0 || wk.Start.Day() <= 7 {
			b.Label = wk.Start.Format("Jan 06")
		}
		c.Bars = append(c.Bars, b)
	}
	return c
}

// page renders one of the server's pages and sends it.
func (s *Server) page(w http.ResponseWriter, r *http.Request, status int, name string, data any, lastMod time.Time) {
	send(w, r, s.render(status, name, data, lastMod))
}

// render renders one of the server's pages.
func (s *Server) render(status int, name string, data any, lastMod time.Time) response {
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, name, data); err != nil {
		s.log.Error("render page", "page", name, "err", err)
		return textResponse(http.StatusInternalServerError, "the page could not be rendered; see the server's log")
	}
	return response{status: status, contentType: "text/html; charset=utf-8", body: buf.Bytes(),
		lastModified: lastMod, cacheControl: cachePage}
}

// searchError is a failed search with the status it is answered with.
type searchError struct {
	status int
	msg    string
}

func (e searchError) Error() string { return e.msg }

// feedsOf returns the links to the three feeds at path (without extension)
// with params.
func feedsOf(title, path string, params url.Values) feedLinks {
	return feedLinks{Title: title, RSS: withParams(path+".rss", params), Atom: withParams(path+".atom", params),
		JSON: withParams(path+".json", params)}
}

// without returns a copy of v without the value val of key, or without key
// when val is empty, and without the page offset.
func without(v url.Values, key, val string) url.Values {
	out := cloneValues(v)
	if val == "" {
		out.Del(key)
	} else {
		out[key] = slices.DeleteFunc(slices.Clone(out[key]), func(x string) bool { return x == val })
		if len(out[key]) == 0 {
			delete(out, key)
		}
	}
	return out
}

// cloneValues returns a copy of v without the page offset.
func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, list := range v {
		if k != "offset" {
			out[k] = slices.Clone(list)
		}
	}
	return out
}
