package meili

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	gojson "github.com/goccy/go-json"
	"github.com/meilisearch/meilisearch-go"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index"
)

// Paging limits of Search, as in the Bleve backend.
const (
	DefaultLimit = index.DefaultLimit
	MaxLimit     = index.MaxLimit
	MaxOffset    = index.MaxOffset
)

// facetSize is how many values of each facet Search returns, as in the
// Bleve backend; the dashboard sees up to maxValuesPerFacet.
const facetSize = 20

// cropLength is how many words of a body or description a snippet shows
// around its matches, for about 200 characters.
const cropLength = 30

// Highlight marks and crop marker of snippets.
const (
	markTag      = "**"
	cropMarker   = "…"
	rankingKey   = "_rankingScore"
	formattedKey = "_formatted"
)

// plan is a search request and how to read its answer.
type plan struct {
	req    *meilisearch.SearchRequest
	skip   int  // hits of the page to drop before the first one asked
	limit  int  // hits asked
	none   bool // the text cannot match: no need to ask
	text   bool // the query has text, so snippets have marks
	facets bool
	// facetReq, when the search is collapsed and counts facets, asks for
	// the facets apart, without distinct, so that they count every
	// matching article as in the Bleve backend.
	facetReq *meilisearch.SearchRequest
}

// newPlan checks q and translates it into a Meilisearch search: the
// normalized text, the filter, facets, sort and the page that holds
// q.Offset..q.Offset+limit with an exact total.
func newPlan(q ottwatch.Query) (*plan, error) {
	q, err := q.Check()
	if err != nil {
		return nil, err
	}
	limit, offset := q.Limit, q.Offset
	p := &plan{limit: limit, facets: q.Facets}
	for _, clause := range q.TextQuery().Clauses {
		if len(clause) > 1 {
			return nil, fmt.Errorf("%w: Meilisearch cannot search for alternatives (%s): search for each on its own",
				ottwatch.ErrUnsupported, ottwatch.TextQuery{Clauses: [][]ottwatch.TextTerm{clause}})
		}
	}
	text, matchable := normalizeText(q.Text)
	blank := stripQuotes(q.Text) == ""
	if !blank && !matchable {
		p.none = true
	}
	p.text = !blank && matchable
	if blank {
		text = ""
	}
	page, perPage, skip := pageFor(offset, limit)
	if q.CountOnly {
		page, perPage, skip = 1, 0, 0
	}
	p.skip = skip
	req := &meilisearch.SearchRequest{
		Query:                text,
		HitsPerPage:          &perPage,
		Page:                 page,
		ShowRankingScore:     true,
		MatchingStrategy:     meilisearch.All, // every word, as in the query language
		AttributesToRetrieve: articleFields,
	}
	if p.text {
		req.AttributesToHighlight = textAttributes()
		req.AttributesToCrop = cropAttributes()
		req.CropLength = cropLength
		req.CropMarker = cropMarker
		req.HighlightPreTag, req.HighlightPostTag = markTag, markTag
	}
	if f := filterExpr(q); f != "" {
		req.Filter = f
	}
	switch q.Sort {
	case ottwatch.SortRelevance, "":
	case ottwatch.SortDate:
		req.Sort = []string{index.FieldPublished + ":desc"}
	default:
		return nil, fmt.Errorf("unknown sort %q", q.Sort)
	}
	if q.Facets {
		req.Facets = slices.Sorted(maps.Values(facetAttributes))
	}
	if ls := queryLocales(q.Langs); len(ls) > 0 {
		req.Locales = ls
	}
	if q.Collapse {
		if q.Facets {
			none := int64(0)
			p.facetReq = &meilisearch.SearchRequest{
				Query: req.Query, Filter: req.Filter, Locales: req.Locales, MatchingStrategy: req.MatchingStrategy,
				Page: 1, HitsPerPage: &none, Facets: req.Facets,
			}
			req.Facets = nil
		}
		req.Distinct = index.FieldCluster
	}
	p.req = req
	return p, nil
}

// stripQuotes returns text without its double quotes and outer space.
func stripQuotes(text string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if strings.ContainsRune(doubleQuotes, r) {
			return -1
		}
		return r
	}, text))
}

// cropAttributes are the descriptions and bodies of every language.
func cropAttributes() []string {
	var out []string
	for _, prefix := range []string{index.FieldDescription, index.FieldBody} {
		for _, suffix := range index.Suffixes() {
			out = append(out, index.TextField(prefix, suffix))
		}
	}
	return out
}

// queryLocales returns the locales of the languages a query filters on,
// so that Meilisearch tokenizes the query as them; none when one of them
// has no locale.
func queryLocales(langs []string) []string {
	var out []string
	for _, l := range langs {
		loc, ok := locales[index.LangSuffix(l)]
		if !ok {
			return nil
		}
		if !slices.Contains(out, loc) {
			out = append(out, loc)
		}
	}
	return out
}

// pageFor returns the smallest page size from limit up whose page holds
// the hits offset..offset+limit-1, the page number (from 1), and how many
// hits of the page come before offset. Meilisearch counts hits exactly
// only in its page mode.
func pageFor(offset, limit int) (page, perPage int64, skip int) {
	for size := limit; ; size++ {
		start := offset / size * size
		if start+size >= offset+limit {
			return int64(offset/size + 1), int64(size), offset - start
		}
	}
}

// Search runs q. A blank q.Text browses the articles the filters select;
// quoted parts of q.Text are phrases. See the package documentation for
// how matching differs from the Bleve backend. Limit defaults to
// DefaultLimit and is cut to MaxLimit.
//
// With q.Collapse, Meilisearch keeps the best ranked hit of each story
// cluster (the distinct search parameter on index.FieldCluster, Meilisearch
// 1.11 or later); an article without a cluster is a story of its own.
// Total is then the exact number of clusters (page mode counts distinct
// hits exhaustively) and Limit and Offset page through clusters. Facets
// still count every matching article, asked for in a second search without
// distinct: Meilisearch would count one article per cluster.
func (x *Index) Search(ctx context.Context, q ottwatch.Query) (*ottwatch.Results, error) {
	if err := x.use(ctx); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	p, err := newPlan(q)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q.Text, err)
	}
	out := &ottwatch.Results{Hits: []ottwatch.Hit{}}
	if p.facets {
		out.Facets = map[string][]ottwatch.FacetCount{
			ottwatch.FacetLang: {}, ottwatch.FacetEntity: {}, ottwatch.FacetSource: {},
		}
	}
	if n := len(q.PublishedEdges) - 1; n > 0 {
		out.PublishedCounts = make([]int, n)
	}
	if p.none {
		return out, nil
	}
	resp, err := x.idx.SearchWithContext(ctx, "", p.req)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q.Text, convert(err))
	}
	out.Total = int(resp.TotalHits)
	hits := resp.Hits
	if p.skip < len(hits) {
		hits = hits[p.skip:]
	} else {
		hits = nil
	}
	if len(hits) > p.limit {
		hits = hits[:p.limit]
	}
	for _, h := range hits {
		hit, err := newHit(h, p.text)
		if err != nil {
			return nil, fmt.Errorf("search %q: %w", q.Text, err)
		}
		out.Hits = append(out.Hits, hit)
	}
	if p.facets {
		dist := resp.FacetDistribution
		if p.facetReq != nil {
			fresp, err := x.idx.SearchWithContext(ctx, "", p.facetReq)
			if err != nil {
				return nil, fmt.Errorf("search %q: facets: %w", q.Text, convert(err))
			}
			dist = fresp.FacetDistribution
		}
		if out.Facets, err = facets(dist); err != nil {
			return nil, fmt.Errorf("search %q: %w", q.Text, err)
		}
	}
	if out.PublishedCounts != nil {
		if err := x.countPublished(ctx, p.req, q.PublishedEdges, out.PublishedCounts); err != nil {
			return nil, fmt.Errorf("search %q: %w", q.Text, err)
		}
	}
	return out, nil
}

// countPublished counts, into counts, the articles req matches published
// in each span of edges: Meilisearch has no range facets, so each span is
// a count of its own, all sent at once in one multi-search.
func (x *Index) countPublished(ctx context.Context, req *meilisearch.SearchRequest, edges []time.Time, counts []int) error {
	none := int64(0)
	multi := &meilisearch.MultiSearchRequest{}
	for i := range counts {
		span := filterExpr(ottwatch.Query{Since: edges[i], Until: edges[i+1]})
		if f, ok := req.Filter.(string); ok && f != "" {
			span = "(" + f + ") AND " + span
		}
		multi.Queries = append(multi.Queries, &meilisearch.SearchRequest{
			IndexUID: x.uid, Query: req.Query, Filter: span, Locales: req.Locales,
			MatchingStrategy: req.MatchingStrategy, Page: 1, HitsPerPage: &none,
		})
	}
	resp, err := x.client.MultiSearchWithContext(ctx, multi)
	if err != nil {
		return fmt.Errorf("published counts: %w", convert(err))
	}
	if len(resp.Results) != len(counts) {
		return fmt.Errorf("published counts: %d answers to %d spans", len(resp.Results), len(counts))
	}
	for i, r := range resp.Results {
		counts[i] = int(r.TotalHits)
	}
	return nil
}

// newHit makes a hit of a Meilisearch hit: the article, its ranking score
// and a snippet of its formatted text.
func newHit(h meilisearch.Hit, text bool) (ottwatch.Hit, error) {
	a, err := decodeArticle(h)
	if err != nil {
		return ottwatch.Hit{}, err
	}
	var score float64
	if raw, ok := h[rankingKey]; ok {
		if err := gojson.Unmarshal(raw, &score); err != nil {
			return ottwatch.Hit{}, fmt.Errorf("hit %s: %s: %w", a.ID, rankingKey, err)
		}
	}
	var formatted map[string]json.RawMessage
	if raw, ok := h[formattedKey]; ok && text {
		if err := gojson.Unmarshal(raw, &formatted); err != nil {
			return ottwatch.Hit{}, fmt.Errorf("hit %s: %s: %w", a.ID, formattedKey, err)
		}
	}
	return ottwatch.Hit{Article: a, Score: score, Snippet: snippet(a, formatted)}, nil
}

// facets converts Meilisearch's facet distribution, ordering each facet by
// count, then value, and keeping the first facetSize values.
func facets(raw json.RawMessage) (map[string][]ottwatch.FacetCount, error) {
	var dist map[string]map[string]int
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &dist); err != nil {
			return nil, fmt.Errorf("facet distribution: %w", err)
		}
	}
	out := make(map[string][]ottwatch.FacetCount, len(facetAttributes))
	for _, name := range slices.Sorted(maps.Keys(facetAttributes)) {
		counts := []ottwatch.FacetCount{}
		for v, n := range dist[facetAttributes[name]] {
			counts = append(counts, ottwatch.FacetCount{Value: v, Count: n})
		}
		slices.SortFunc(counts, func(a, b ottwatch.FacetCount) int {
			return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Value, b.Value))
		})
		out[name] = counts[:min(len(counts), facetSize)]
	}
	return out, nil
}
