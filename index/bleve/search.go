package bleve

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	blevesearch "github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"

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
	var res *blevesearch.SearchResult
	err = x.use(func(idx blevesearch.Index) error {
		var err error
		res, err = idx.SearchInContext(ctx, req)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q.Text, err)
	}
	out := &ottwatch.Results{Total: int(res.Total), Hits: make([]ottwatch.Hit, 0, len(res.Hits))}
	for _, h := range res.Hits {
		hit, err := newHit(h)
		if err != nil {
			return nil, fmt.Errorf("search %q: %w", q.Text, err)
		}
		out.Hits = append(out.Hits, hit)
	}
	if q.Facets {
		out.Facets = facets(res.Facets)
	}
	return out, nil
}

// newHit makes a hit of a Bleve match: the stored article, the score, and a
// snippet of its text.
func newHit(h *search.DocumentMatch) (ottwatch.Hit, error) {
	raw, ok := h.Fields[index.FieldArticle].(string)
	if !ok {
		return ottwatch.Hit{}, fmt.Errorf("hit %s: no stored article", h.ID)
	}
	a, err := index.DecodeArticle([]byte(raw))
	if err != nil {
		return ottwatch.Hit{}, fmt.Errorf("hit %s: %w", h.ID, err)
	}
	return ottwatch.Hit{Article: a, Score: h.Score, Snippet: snippet(a, h.Locations)}, nil
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
		if spans := matchSpans(locs[index.TextField(f.prefix, suffix)], f.text); len(spans) > 0 {
			return highlight(f.text, spans)
		}
	}
	if textnorm.OneLine(a.Description) != "" {
		return index.Lead(a.Description)
	}
	return index.Lead(a.Body)
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
