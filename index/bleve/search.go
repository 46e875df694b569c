package bleve

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"slices"
	"strconv"

	blevesearch "github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"golang.org/x/sync/errgroup"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index"
	"github.com/ottwatch/ottwatch/nlp/textnorm"
)

// Search runs q. A blank q.Text matches every article, so that filters
// alone browse the index. Quoted parts of q.Text ("rete unica") are phrases
// that must all match; without phrases any word matches, best first. See
// ottwatch.Query for the filters; Limit defaults to DefaultLimit and is cut
// to MaxLimit. With q.Collapse, see searchCollapsed.
func (x *Index) Search(ctx context.Context, q ottwatch.Query) (*ottwatch.Results, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	req, err := newRequest(q)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q.Text, err)
	}
	if q.Collapse {
		out, err := x.searchCollapsed(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("search %q: %w", q.Text, err)
		}
		if !q.Facets {
			out.Facets = nil
		}
		return out, nil
	}
	var out *ottwatch.Results
	err = x.use(func(idx blevesearch.Index) error {
		var res *blevesearch.SearchResult
		var err error
		if req.ranked {
			res, err = searchRanked(ctx, idx, req.SearchRequest)
		} else {
			res, err = idx.SearchInContext(ctx, req.SearchRequest)
		}
		if err != nil {
			return err
		}
		locs, err := locate(ctx, idx, req.text, res.Hits)
		if err != nil {
			return err
		}
		out = &ottwatch.Results{Total: int(res.Total), Hits: make([]ottwatch.Hit, len(res.Hits))}
		err = eachHit(len(res.Hits), func(i int) error {
			h := res.Hits[i]
			raw, ok := h.Fields[index.FieldArticle].(string)
			if !ok {
				return fmt.Errorf("hit %s: no stored article", h.ID)
			}
			a, err := index.DecodeArticle([]byte(raw))
			if err != nil {
				return fmt.Errorf("hit %s: %w", h.ID, err)
			}
			out.Hits[i] = ottwatch.Hit{Article: a, Score: req.score(h), Snippet: snippet(a, locs[h.ID])}
			return nil
		})
		if err != nil {
			return err
		}
		if req.ranked {
			slices.SortStableFunc(out.Hits, compareRanked)
		}
		if q.Facets {
			out.Facets = facets(res.Facets)
		}
		out.PublishedCounts = publishedCounts(res.Facets, req.spans)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q.Text, err)
	}
	return out, nil
}

// parallelHits is how many hits a search needs for their articles to be
// decoded and their snippets made on every core rather than on one.
const parallelHits = 100

// eachHit runs f for each of n hits, on every core at once when there are
// parallelHits or more: decoding and highlighting a thousand articles is
// most of the time of a search that returns them. It returns the first
// error.
func eachHit(n int, f func(i int) error) error {
	if n < parallelHits {
		for i := range n {
			if err := f(i); err != nil {
				return err
			}
		}
		return nil
	}
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i := range n {
		g.Go(func() error { return f(i) })
	}
	return g.Wait()
}

// searchRanked runs req, a text request sorted by relevance, the fast way.
// Bleve sorts on the score alone without reading anything of a match, but
// on the score then the date it reads the date of every match, which costs
// more than the search. Ties on the score are rare (copies of one text) and
// must still be ordered by date then id, so the page is read with one hit
// more on each side: when no tie crosses an edge of the page, it holds the
// same hits as under the full order, and the caller puts ties in order
// (compareRanked); when one does, the full order is run.
func searchRanked(ctx context.Context, idx blevesearch.Index, req *blevesearch.SearchRequest) (*blevesearch.SearchResult, error) {
	fast := *req
	fast.From = max(0, req.From-1)
	before := req.From - fast.From // 0 or 1
	fast.Size = req.Size + before + 1
	fast.Sort = search.SortOrder{&search.SortScore{Desc: true}}
	res, err := idx.SearchInContext(ctx, &fast)
	if err != nil {
		return nil, err
	}
	hits, end := res.Hits, before+req.Size
	tieBefore := before == 1 && len(hits) > 1 && hits[0].Score == hits[1].Score
	tieAfter := len(hits) > end && hits[end-1].Score == hits[end].Score
	if tieBefore || tieAfter {
		return idx.SearchInContext(ctx, req)
	}
	res.Hits = hits[min(before, len(hits)):min(end, len(hits))]
	return res, nil
}

// compareRanked orders hits as a relevance sort does: by score, then by
// publication date, newest first and undated last, then by id.
func compareRanked(a, b ottwatch.Hit) int {
	if c := cmp.Compare(b.Score, a.Score); c != 0 {
		return c
	}
	pa, pb := a.Article.Published, b.Article.Published
	if pa.IsZero() != pb.IsZero() {
		if pa.IsZero() {
			return 1
		}
		return -1
	}
	return cmp.Or(pb.Compare(pa), cmp.Compare(a.Article.ID, b.Article.ID))
}

// locate returns where text, the query of a search's text, matches each of
// hits, by id. Bleve records term locations for every matching article
// when asked to in the search; asked again for the hits shown only, the
// snippets cost nothing for the articles that are not shown.
func locate(ctx context.Context, idx blevesearch.Index, text query.Query, hits search.DocumentMatchCollection) (map[string]search.FieldTermLocationMap, error) {
	if text == nil || len(hits) == 0 {
		return nil, nil
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	req := blevesearch.NewSearchRequestOptions(
		blevesearch.NewConjunctionQuery(blevesearch.NewDocIDQuery(ids), text), len(ids), 0, false)
	req.IncludeLocations = true
	res, err := idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	out := make(map[string]search.FieldTermLocationMap, len(res.Hits))
	for _, h := range res.Hits {
		out[h.ID] = h.Locations
	}
	return out, nil
}

// snippet returns the snippet of a hit: the first of its body, description
// and title with a match, around its matches; failing that, the lead of the
// description or body.
func snippet(a *ottwatch.Article, locs search.FieldTermLocationMap) string {
	suffix := index.LangSuffix(a.Lang)
	for _, f := range []struct{ prefix, text string }{
		{index.FieldBody, a.Body},
		{index.FieldDescription, a.Description},
		{index.FieldTitle, a.Title},
	} {
		if spans := mergeSpans(locationSpans(locs[index.TextField(f.prefix, suffix)]), f.text); len(spans) > 0 {
			return highlight(f.text, spans)
		}
	}
	if textnorm.OneLine(a.Description) != "" {
		return index.Lead(a.Description)
	}
	return index.Lead(a.Body)
}

// publishedCounts returns the counts of the publishedFacet of fr, one per
// span of n, or nil when n < 1.
func publishedCounts(fr search.FacetResults, n int) []int {
	if n < 1 {
		return nil
	}
	out := make([]int, n)
	if r := fr[publishedFacet]; r != nil {
		for _, d := range r.DateRanges {
			if i, err := strconv.Atoi(d.Name); err == nil && i >= 0 && i < n {
				out[i] = d.Count
			}
		}
	}
	return out
}

// facets converts Bleve's facets, ordering each by count, then value.
func facets(fr search.FacetResults) map[string][]ottwatch.FacetCount {
	out := make(map[string][]ottwatch.FacetCount, len(facetFields))
	for name := range facetFields {
		counts := []ottwatch.FacetCount{}
		if r := fr[name]; r != nil && r.Terms != nil {
			for _, t := range r.Terms.Terms() {
				counts = append(counts, ottwatch.FacetCount{Value: t.Term, Count: t.Count})
			}
		}
		slices.SortFunc(counts, func(a, b ottwatch.FacetCount) int {
			return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Value, b.Value))
		})
		out[name] = counts
	}
	return out
}
