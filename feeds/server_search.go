package feeds

import (
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
)

// maxOffset is how far the search page pages.
const maxOffset = 10_000

// maxCoverage is how many articles the search page reads for the stories
// it shows, and maxOthers how many of a story's other articles a card
// lists; the story page lists them all.
const (
	maxCoverage = 500
	maxOthers   = 8
)

// datePresets are the date filters the search page offers.
var datePresets = []struct{ Label, Since string }{
	{"Any time", ""}, {"Past 24 hours", "24h"}, {"Past week", "7d"}, {"Past month", "30d"}, {"Past year", "365d"},
}

// pageKeys are the parameters of the search page, in the order its forms
// keep them: the search of a feed, then how the page shows it.
var pageKeys = []string{"q", "entity", "exact", "lang", "source", "topic", "since", "until", "sort", "view"}

// paramNames name the parameters of the search page for people, as what
// to drop from a search that cannot run.
var paramNames = map[string]string{
	"since": "the dates", "lang": "the language filter", "entity": "the entity filter",
	"exact": "“only this entity”", "sort": "the sort order", "view": "the view", "offset": "the page number",
}

// The views of the search page: one card per story, or every article.
const (
	viewStories  = "stories"
	viewArticles = "articles"
)

// facetView is one facet of the search page.
type facetView struct {
	Title string
	ID    string
	Links []link
	Scope []link // "only this entity" and back, under the entity facet
}

// option is one choice of a <select>.
type option struct {
	Value, Label string
	Selected     bool
}

// searchView is what the search page shows.
type searchView struct {
	Title      string
	Query      string
	Hidden     []link // what the search form keeps besides the words
	Filters    []link // active filters, each linking to the page without it
	Clear      string // the page without any filter
	Facets     []facetView
	Dates      []link
	DateForm   []link // what the custom range form keeps besides the dates
	Since      string // the custom range, when given as days
	Until      string
	Topics     []option
	TopicForm  []link // what the topic form keeps besides the topic
	Sorts      []link
	Views      []link
	Stories    bool   // one card per story
	One, Many  string // what the page counts: story and stories, or result and results
	Results    []resultView
	Total      int
	From, To   int
	Prev, Next string
	Subscribe  *feedLinks
	Watchlists []feedLinks
	Error      string
	Hints      []link // what to try after an error or when nothing matched
	Advice     string // the same, when it is not a link
}

// paramError is a parameter of the search page that cannot be used.
type paramError struct {
	keys []string // the parameters to drop to get past it
	err  error
}

func (e paramError) Error() string { return e.err.Error() }
func (e paramError) Unwrap() error { return e.err }

// searchPage serves / : a search form, the results grouped by story (or
// every article) with facets that add filters, and links to subscribe to
// the search as a feed. Every state of the page is in its URL.
func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v := &searchView{Title: "ottwatch search", Query: strings.TrimSpace(q.Get("q")), One: "result", Many: "results"}
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
		v.Subscribe, v.Results, v.Facets = nil, nil, nil
		raw := pageParams(q)
		drop := []string{}
		var bad paramError
		if errors.As(err, &bad) {
			drop = bad.keys
		}
		for _, k := range drop {
			raw.Del(k)
		}
		v.Hidden = hiddenFields(raw, "q")
		if len(drop) > 0 {
			v.Hints = append(v.Hints, link{Label: "the same search without " + paramNames[drop[0]], URL: withParams("/", raw)})
		}
		v.Hints = append(v.Hints, link{Label: "a new search", URL: "/"})
	}
	if v.Query != "" {
		v.Title = v.Query + " – ottwatch search"
	}
	s.page(w, r, status, "search", v, lastMod)
}

// pageParams returns the search page's parameters in q, blank values left
// out.
func pageParams(q url.Values) url.Values {
	out := url.Values{}
	for _, k := range pageKeys {
		for _, x := range values(q, k) {
			out.Add(k, x)
		}
	}
	return out
}

// hiddenFields returns the values of params, but those of the keys a form
// asks for itself, as hidden fields of the form.
func hiddenFields(params url.Values, except ...string) []link {
	var out []link
	for _, k := range pageKeys {
		if slices.Contains(except, k) {
			continue
		}
		for _, x := range params[k] {
			out = append(out, link{Key: k, Value: x})
		}
	}
	return out
}

// search fills v with the results of the search in q.
func (s *Server) search(r *http.Request, q url.Values, v *searchView, lastMod *time.Time) error {
	win, err := s.window(q)
	if err != nil {
		return paramError{[]string{"since", "until"}, err}
	}
	wl, query, err := s.adhoc(q, win)
	if err != nil {
		var bad paramError
		if errors.As(err, &bad) {
			return err
		}
		return paramError{nil, err}
	}
	params := searchParams(wl, q)
	feedParams := cloneValues(params)
	sort := strings.TrimSpace(q.Get("sort"))
	switch {
	case sort == "date" || (sort == "" && query.Text == ""):
		query.Sort = ottwatch.SortDate
	case sort == "" || sort == "relevance":
		query.Sort = ottwatch.SortRelevance
	default:
		return paramError{[]string{"sort"}, fmt.Errorf("sort %q: want relevance or date", sort)}
	}
	if sort != "" {
		params.Set("sort", sort)
	}
	switch view := strings.TrimSpace(q.Get("view")); view {
	case "", viewStories:
		v.Stories, v.One, v.Many = true, "story", "stories"
	case viewArticles:
		params.Set("view", view)
	default:
		return paramError{[]string{"view"}, fmt.Errorf("view %q: want %s or %s", view, viewStories, viewArticles)}
	}
	if o := q.Get("offset"); o != "" {
		n, err := strconv.Atoi(o)
		if err != nil || n < 0 || n > maxOffset {
			return paramError{[]string{"offset"}, fmt.Errorf("offset %q: want a number from 0 to %d", o, maxOffset)}
		}
		query.Offset = n
	}
	query.Limit, query.Facets, query.Collapse = resultsPerPage, true, v.Stories
	s.controls(v, q, params, feedParams, query)

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
		if a := h.Article; a != nil {
			v.Results = append(v.Results, s.article(a, h.Snippet))
			if a.Published.After(*lastMod) {
				*lastMod = a.Published
			}
		}
	}
	if v.Stories {
		if err := s.coverage(r.Context(), v.Results); err != nil {
			s.log.Error("search page: coverage", "err", err)
			status, msg := SearchFailure(err)
			return searchError{status, msg}
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
	s.learnSites(r.Context(), res.Facets[ottwatch.FacetSource])
	s.facets(v, params, query, res)
	if v.Total == 0 {
		s.hints(v, params, query)
	}
	return nil
}

// controls fills in what the page offers around the results: the filters
// in force, sort and view switches, dates, topics and the feeds.
func (s *Server) controls(v *searchView, q, params, feedParams url.Values, query ottwatch.Query) {
	v.Hidden = hiddenFields(params, "q")
	for _, key := range []string{"entity", "exact", "lang", "source", "topic", "since", "until"} {
		for _, val := range params[key] {
			v.Filters = append(v.Filters, link{Key: key, Value: val, Label: s.filterLabel(key, val),
				URL: withParams("/", without(params, key, val)), Title: "remove this filter"})
		}
	}
	if len(v.Filters) > 0 {
		clear := url.Values{}
		for _, k := range []string{"q", "sort", "view"} {
			if x := params.Get(k); x != "" {
				clear.Set(k, x)
			}
		}
		v.Clear = withParams("/", clear)
	}
	v.Subscribe = new(feedsOf("this search", "/feeds/search", feedParams))
	for _, p := range datePresets {
		u := without(params, "until", "")
		u = with(u, "since", p.Since)
		v.Dates = append(v.Dates, link{Label: p.Label, Key: "since", Value: p.Since, URL: withParams("/", u),
			Active: params.Get("since") == p.Since && params.Get("until") == ""})
	}
	v.DateForm = hiddenFields(params, "since", "until")
	for _, key := range []string{"since", "until"} {
		if x := params.Get(key); x != "" {
			if _, err := time.Parse(time.DateOnly, x); err == nil {
				if key == "since" {
					v.Since = x
				} else {
					v.Until = x
				}
			}
		}
	}
	v.TopicForm = hiddenFields(params, "topic")
	for _, t := range s.topics {
		v.Topics = append(v.Topics, option{Value: t.ID, Label: t.Name, Selected: slices.Contains(params["topic"], t.ID)})
	}
	relevance := query.Sort == ottwatch.SortRelevance
	v.Sorts = []link{
		{Label: "Relevance", Key: "sort", Value: "relevance", URL: withParams("/", with(params, "sort", "relevance")), Active: relevance},
		{Label: "Newest", Key: "sort", Value: "date", URL: withParams("/", with(params, "sort", "date")), Active: !relevance},
	}
	v.Views = []link{
		{Label: "Stories", Key: "view", Value: viewStories, URL: withParams("/", with(params, "view", "")), Active: v.Stories,
			Title: "one card per story, its other coverage one click away"},
		{Label: "Every article", Key: "view", Value: viewArticles, URL: withParams("/", with(params, "view", viewArticles)), Active: !v.Stories,
			Title: "every article on its own"},
	}
}

// coverage adds to each story card the rest of its story, read for all
// the cards at once (up to maxCoverage articles).
func (s *Server) coverage(ctx context.Context, cards []resultView) error {
	var ids []string
	for _, c := range cards {
		if id := storyOf(c); id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	res, err := s.idx.Search(ctx, ottwatch.Query{Stories: ids, Sort: ottwatch.SortDate, Limit: maxCoverage})
	if err != nil {
		return err
	}
	byStory := make(map[string][]*ottwatch.Article)
	for _, h := range res.Hits {
		if a := h.Article; a != nil {
			byStory[a.Cluster] = append(byStory[a.Cluster], a)
		}
	}
	for i := range cards {
		members := byStory[storyOf(cards[i])]
		if len(members) <= 1 {
			if res.Total == len(res.Hits) {
				cards[i].Story = "" // a story of one article: the card is all of it
			}
			continue
		}
		c := &coverage{Articles: len(members), Other: len(members) - 1, AtLeast: res.Total > len(res.Hits)}
		var outlets, langs []string
		for _, a := range members {
			if !slices.Contains(outlets, a.Source) {
				outlets = append(outlets, a.Source)
			}
			if a.Lang != "" && !slices.Contains(langs, a.Lang) {
				langs = append(langs, a.Lang)
			}
			if a.ID == cards[i].ID {
				continue
			}
			if len(c.Others) < maxOthers {
				c.Others = append(c.Others, s.article(a, ""))
			} else {
				c.More++
			}
		}
		c.Outlets, c.Langs = len(outlets), langNames(langs)
		cards[i].Coverage = c
	}
	return nil
}

// storyOf returns the story id of a result, "" for an article in none.
func storyOf(rv resultView) string {
	id, ok := strings.CutPrefix(rv.Story, "/stories/")
	if !ok {
		return ""
	}
	id, _ = url.PathUnescape(id)
	return id
}

// facets fills in the facets of res: links that add a filter, with
// counts, and under the entity facet the choice between an entity with
// the entities under it and the entity alone.
func (s *Server) facets(v *searchView, params url.Values, query ottwatch.Query, res *ottwatch.Results) {
	for _, f := range []struct{ name, key, title string }{
		{ottwatch.FacetLang, "lang", "Language"},
		{ottwatch.FacetEntity, "entity", "Entity"},
		{ottwatch.FacetSource, "source", "Source"},
	} {
		fv := facetView{Title: f.title, ID: "facet-" + f.key}
		for _, c := range res.Facets[f.name] {
			active := slices.Contains(params[f.key], c.Value)
			u := cloneValues(params)
			if !active {
				u.Add(f.key, c.Value)
			}
			l := link{Label: s.filterLabel(f.key, c.Value), Key: f.key, Value: c.Value,
				Count: c.Count, URL: withParams("/", u), Active: active}
			if f.key == "source" && l.Label != c.Value {
				l.Title = c.Value
			}
			fv.Links = append(fv.Links, l)
		}
		if f.key == "entity" {
			fv.Links = s.nest(fv.Links)
			fv.Scope = s.scopeLinks(params, query)
		}
		if len(fv.Links) > 0 || len(fv.Scope) > 0 {
			v.Facets = append(v.Facets, fv)
		}
	}
}

// nest orders the links of the entity facet so that each entity under
// another one listed comes after it, a level deeper.
func (s *Server) nest(links []link) []link {
	tree := s.tree()
	if tree == nil {
		return links
	}
	parent := make(map[string]string)
	for _, l := range links {
		for _, up := range tree.Ancestors(l.Value) {
			if slices.ContainsFunc(links, func(o link) bool { return o.Value == up }) {
				parent[l.Value] = up
				break
			}
		}
	}
	out := make([]link, 0, len(links))
	var add func(id string, depth int)
	add = func(id string, depth int) {
		for _, l := range links {
			if parent[l.Value] == id {
				l.Depth = depth
				out = append(out, l)
				add(l.Value, depth+1)
			}
		}
	}
	add("", 0)
	return out
}

// scopeLinks returns, for a search filtered on entities with entities
// under them, the link between "with the entities under it" and "only
// this entity".
func (s *Server) scopeLinks(params url.Values, query ottwatch.Query) []link {
	tree := s.tree()
	if tree == nil {
		return nil
	}
	var out []link
	for _, id := range query.Entities {
		kids := tree.Descendants(id)
		if len(kids) == 0 {
			continue
		}
		name := s.filterLabel("entity", id)
		if query.Exact {
			out = append(out, link{Label: "Include " + s.names(kids, 3), Key: "exact", URL: withParams("/", without(params, "exact", "")),
				Title: "also find the articles naming only an entity under " + name})
		} else {
			out = append(out, link{Label: "Only " + name + " itself", Key: "exact", Value: "1", URL: withParams("/", with(params, "exact", "1")),
				Title: "leave out the articles naming only " + s.names(kids, 3)})
		}
		break // exact applies to every entity of the search
	}
	return out
}

// names names the entities ids for people: "Prime Video, AWS and 2 more".
func (s *Server) names(ids []string, max int) string {
	var out []string
	for i, id := range ids {
		if i == max {
			return strings.Join(out, ", ") + " and " + strconv.Itoa(len(ids)-max) + " more"
		}
		out = append(out, s.filterLabel("entity", id))
	}
	return strings.Join(out, ", ")
}

// hints says what to try when a search finds nothing.
func (s *Server) hints(v *searchView, params url.Values, query ottwatch.Query) {
	if params.Get("since") != "" || params.Get("until") != "" {
		v.Hints = append(v.Hints, link{Label: "any time", URL: withParams("/", without(without(params, "since", ""), "until", ""))})
	}
	for _, f := range v.Filters {
		if f.Key != "since" && f.Key != "until" {
			v.Hints = append(v.Hints, link{Label: "without “" + f.Label + "”", URL: f.URL})
		}
	}
	words := query.TextQuery().Words()
	switch {
	case words > 1:
		v.Advice = "Every word must match: try fewer words, or OR between alternatives (Amazon OR AWS)."
	case words == 0 && len(v.Filters) == 0:
		v.Advice = "Type words to search for, in any language, or pick an entity."
	}
}

// filterLabel names a filter value for people: entities, languages,
// sources and topics by name.
func (s *Server) filterLabel(key, value string) string {
	switch key {
	case "entity":
		if e, ok := s.lookup(value); ok {
			return e.Name
		}
	case "lang":
		return langName(value)
	case "source":
		return s.sites.name(value)
	case "topic":
		for _, t := range s.topics {
			if t.ID == value {
				return t.Name
			}
		}
	case "exact":
		return "only the entity itself"
	case "since", "until":
		for _, p := range datePresets {
			if key == "since" && p.Since == value && value != "" {
				return p.Label
			}
		}
		return key + " " + value
	}
	return value
}

// tree returns the entity hierarchy the index's searches use, or nil.
func (s *Server) tree() ottwatch.EntityTree {
	if t, ok := s.idx.(EntityTreeSearcher); ok {
		return t.EntityTree()
	}
	return nil
}
