package bleve

import (
	"context"
	"fmt"
	"math"
	"slices"

	blevesearch "github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index"
)

// clusterFacet is the name of the facet that counts the clusters of a
// collapsed search.
const clusterFacet = "_clusters"

// Sizes of the windows of hits a collapsed search reads.
const (
	collapseChunk    = 100
	maxCollapseChunk = 10_000
)

// searchCollapsed runs req, a request of newRequest, keeping only the
// first hit of each story cluster (index.FieldCluster) in req's order: the
// best ranked, or the newest by date. An article without a cluster is a
// story of its own. Total is the number of clusters among all matching
// articles, counted exactly by a terms facet on the cluster field; req.From
// and req.Size page through the collapsed hits. Facets count every
// matching article, not clusters.
//
// Bleve cannot collapse, so the hits are read in order, in windows of
// growing size, until the page is full: a page costs as much as reading
// every hit up to its last cluster, and counting the clusters holds one
// entry per matching cluster. That is quick up to tens of thousands of
// matching articles; past that, narrow the query (--since) before paging
// far. A count (Query.CountOnly) only counts the clusters: see
// countClusters.
func (x *Index) searchCollapsed(ctx context.Context, r *request) (*ottwatch.Results, error) {
	req := r.SearchRequest
	req.AddFacet(clusterFacet, blevesearch.NewFacetRequest(index.FieldCluster, math.MaxInt32))
	if r.count {
		return x.countClusters(ctx, r)
	}
	offset, want := req.From, req.From+req.Size
	// The cluster is read as the last sort key, from the doc values that the
	// date already takes the order from, not from the stored document; the
	// ids before it are unique, so it never changes the order.
	req.Fields = nil
	req.Sort = append(slices.Clone(req.Sort), &search.SortField{
		Field: index.FieldCluster, Type: search.SortFieldAsString, Missing: search.SortFieldMissingLast,
	})
	req.From, req.Size = 0, max(want, collapseChunk)

	out := &ottwatch.Results{Hits: []ottwatch.Hit{}}
	err := x.use(func(idx blevesearch.Index) error {
		seen := map[string]bool{}
		var picked []*search.DocumentMatch
		for len(picked) < want {
			res, err := idx.SearchInContext(ctx, req)
			if err != nil {
				return err
			}
			if req.Facets != nil {
				counted(out, res, r.spans)
				req.Facets = nil // counted once
			}
			for _, h := range res.Hits {
				if c := clusterOf(h); !seen[c] {
					seen[c] = true
					picked = append(picked, h)
					if len(picked) == want {
						break
					}
				}
			}
			next := req.From + len(res.Hits)
			if len(res.Hits) == 0 || next >= int(res.Total) {
				break
			}
			req.From, req.Size = next, min(2*req.Size, maxCollapseChunk)
		}
		picked = picked[min(offset, len(picked)):]
		locs, err := locate(ctx, idx, r.text, picked)
		if err != nil {
			return err
		}
		for _, h := range picked {
			a, err := storedArticle(idx, h.ID)
			if err != nil {
				return fmt.Errorf("hit %s: %w", h.ID, err)
			}
			out.Hits = append(out.Hits, ottwatch.Hit{Article: a, Score: r.score(h), Snippet: snippet(a, locs[h.ID])})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// countClusters runs r, a collapsed count (Query.CountOnly): the clusters
// are counted by their facet, and no hit is ordered or read.
func (x *Index) countClusters(ctx context.Context, r *request) (*ottwatch.Results, error) {
	out := &ottwatch.Results{Hits: []ottwatch.Hit{}}
	err := x.use(func(idx blevesearch.Index) error {
		res, err := idx.SearchInContext(ctx, r.SearchRequest)
		if err != nil {
			return err
		}
		counted(out, res, r.spans)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// counted sets the total of a collapsed search, the number of clusters
// among its matches, and its facets and span counts, from res.
func counted(out *ottwatch.Results, res *blevesearch.SearchResult, spans int) {
	if f := res.Facets[clusterFacet]; f != nil && f.Terms != nil {
		out.Total = f.Terms.Len() + f.Missing
	}
	out.Facets = facets(res.Facets)
	out.PublishedCounts = publishedCounts(res.Facets, spans)
}

// clusterOf returns the cluster of a hit of searchCollapsed: its last sort
// value, or, for an article without one, a key of its own that no cluster id
// can be.
func clusterOf(h *search.DocumentMatch) string {
	if n := len(h.Sort); n > 0 && h.Sort[n-1] != "" && h.Sort[n-1] != search.HighTerm {
		return h.Sort[n-1]
	}
	return "\x00" + h.ID
}
