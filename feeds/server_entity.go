package feeds

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/ottwatch/ottwatch"
)

// Bounds of the entity page: the weeks its chart shows, the stories it
// lists and the entities it names beside it.
const (
	chartWeeks    = 52
	entityStories = 10
	coMentioned   = 12
)

// entityView is what an entity page shows.
type entityView struct {
	Title       string
	Entity      ottwatch.Entity
	Type        string
	Country     string
	Parent      *ottwatch.Entity
	Children    []link
	Wikidata    string
	Chart       chart
	Weeks       []Week // newest first, for the table of counts
	Articles    int    // all the articles naming the entity
	Stories     int    // the stories they make
	Charted     int    // the articles in the chart's weeks
	Langs       []link
	Sources     []link
	CoMentioned []link
	Latest      []resultView
	Subscribe   *feedLinks
	Search      string
}

// entityPage serves /entities/{id}: a briefing on the entity, rendered
// once per cache TTL.
func (s *Server) entityPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	ent, ok := s.lookup(id)
	if !ok {
		s.pageError(w, r, http.StatusNotFound, fmt.Sprintf("No entity %q in the gazetteer: search for it by name on the search page, or list the entities with 'ottwatch entities'.", id))
		return
	}
	if ent.ID != id {
		http.Redirect(w, r, entityPath(ent.ID), http.StatusMovedPermanently)
		return
	}
	s.answer(w, r, func(ctx context.Context) response { return s.renderEntity(ctx, ent) })
}

// renderEntity renders the page of ent from two searches: its latest
// stories (with their coverage), then a count of its articles with their
// facets (languages, sources, the entities named with it) and how many
// were published in each week of the chart, which ends with the week of
// the latest.
func (s *Server) renderEntity(ctx context.Context, ent ottwatch.Entity) response {
	fail := func(err error) response {
		s.log.Error("entity page", "entity", ent.ID, "err", err)
		return s.errorPage(SearchFailure(err))
	}
	base := ottwatch.Query{Entities: []string{ent.ID}, Sort: ottwatch.SortDate}
	latest := base
	latest.Limit, latest.Collapse = entityStories, true
	stories, err := s.idx.Search(ctx, latest)
	if err != nil {
		return fail(err)
	}
	var lastMod time.Time
	for _, h := range stories.Hits {
		if h.Article != nil && h.Article.Published.After(lastMod) {
			lastMod = h.Article.Published
		}
	}
	agg := base
	agg.Facets, agg.CountOnly = true, true
	if !lastMod.IsZero() {
		agg.PublishedEdges = WeekEdges(lastMod, chartWeeks)
	}
	counts, err := s.idx.Search(ctx, agg)
	if err != nil {
		return fail(err)
	}

	params := url.Values{"entity": {ent.ID}}
	v := &entityView{Title: ent.Name + " – ottwatch", Entity: ent, Type: typeName(ent.Type), Articles: counts.Total,
		Stories: stories.Total, Subscribe: new(feedsOf(ent.Name, "/feeds/search", params)), Search: withParams("/", params)}
	if ent.Country != "" {
		v.Country = countryName(ent.Country)
	}
	if ent.Parent != "" {
		if p, ok := s.lookup(ent.Parent); ok {
			v.Parent = &p
		}
	}
	if strings.HasPrefix(ent.Wikidata, "Q") {
		v.Wikidata = "https://www.wikidata.org/wiki/" + url.PathEscape(ent.Wikidata)
	}
	s.learnSites(ctx, counts.Facets[ottwatch.FacetSource])
	s.entityFacets(v, counts.Facets)
	weeks := Timeline(agg.PublishedEdges, counts.PublishedCounts)
	for _, wk := range weeks {
		v.Charted += wk.Articles
	}
	v.Chart = barChart(weeks)
	v.Weeks = slices.Clone(weeks)
	slices.Reverse(v.Weeks)
	for _, h := range stories.Hits {
		if h.Article != nil {
			v.Latest = append(v.Latest, s.article(h.Article, h.Snippet))
		}
	}
	if err := s.coverage(ctx, v.Latest); err != nil {
		return fail(err)
	}
	return s.render(http.StatusOK, "entity", v, lastMod)
}

// entityFacets fills in, from the facets of the entity's articles, its
// children, the languages and sources covering it and the entities named
// with it, each with its count of articles and a link to the search.
func (s *Server) entityFacets(v *entityView, facets map[string][]ottwatch.FacetCount) {
	id := v.Entity.ID
	count := func(facet, value string) int {
		i := slices.IndexFunc(facets[facet], func(c ottwatch.FacetCount) bool { return c.Value == value })
		if i < 0 {
			return 0
		}
		return facets[facet][i].Count
	}
	search := func(key, value string) string {
		return withParams("/", url.Values{"entity": {id}, key: {value}})
	}
	var family []string
	if tree := s.tree(); tree != nil {
		family = append(tree.Descendants(id), tree.Ancestors(id)...)
		for _, kid := range tree.Descendants(id) {
			if up := tree.Ancestors(kid); len(up) == 0 || up[0] != id {
				continue // a grandchild
			}
			if e, ok := s.lookup(kid); ok {
				v.Children = append(v.Children, link{Label: e.Name, URL: entityPath(e.ID), Value: e.ID, Count: count(ottwatch.FacetEntity, e.ID)})
			}
		}
	}
	for _, c := range facets[ottwatch.FacetLang] {
		v.Langs = append(v.Langs, link{Label: langName(c.Value), Value: c.Value, Count: c.Count, URL: search("lang", c.Value)})
	}
	for _, c := range facets[ottwatch.FacetSource] {
		l := link{Label: s.sites.name(c.Value), Value: c.Value, Count: c.Count, URL: search("source", c.Value)}
		if l.Label != c.Value {
			l.Title = c.Value
		}
		v.Sources = append(v.Sources, l)
	}
	for _, c := range facets[ottwatch.FacetEntity] {
		if c.Value == id || slices.Contains(family, c.Value) || len(v.CoMentioned) == coMentioned {
			continue
		}
		e, ok := s.lookup(c.Value)
		if !ok {
			continue
		}
		v.CoMentioned = append(v.CoMentioned, link{Label: e.Name, Value: e.ID, Count: c.Count,
			URL: withParams("/", url.Values{"entity": {id, e.ID}}), Title: "search the articles naming both"})
	}
}
