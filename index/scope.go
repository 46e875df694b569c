package index

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/ottwatch/ottwatch"
)

// Scope returns q with the entities under each of its Entities in Scopes,
// as tree gives them, so that a filter on a group (amazon) also finds the
// articles that name only one of its brands (Prime Video). A nil tree, or
// an Exact query, leaves q as it is. It is the one place where a query's
// entity filter is widened: every backend reads the result through
// ottwatch.Query.EntityAlternatives.
func Scope(q ottwatch.Query, tree ottwatch.EntityTree) ottwatch.Query {
	if tree == nil || q.Exact || len(q.Entities) == 0 {
		return q
	}
	scopes := make(map[string][]string, len(q.Entities))
	for _, e := range q.Entities {
		if d := tree.Descendants(e); len(d) > 0 {
			scopes[e] = d
		}
	}
	q.Scopes = scopes
	return q
}

// ScopedSearch runs q on s with its entities widened by Scope and, when q
// asks for facets and is not Exact, the entity facet rolled up: a group
// counts the articles naming it or any entity under it, the way a filter
// on it finds them, and groups whose entities only their brands name are
// counted too. Each group rolled up costs one more search.
func ScopedSearch(ctx context.Context, s ottwatch.Searcher, tree ottwatch.EntityTree, q ottwatch.Query) (*ottwatch.Results, error) {
	res, err := s.Search(ctx, Scope(q, tree))
	if err != nil || tree == nil || q.Exact || !q.Facets || res == nil {
		return res, err
	}
	counts := res.Facets[ottwatch.FacetEntity]
	if len(counts) == 0 {
		return res, nil
	}
	var groups []string
	for _, c := range counts {
		for _, a := range tree.Ancestors(c.Value) {
			if !slices.Contains(groups, a) {
				groups = append(groups, a)
			}
		}
	}
	for _, g := range groups {
		gq := q
		gq.Entities = append(slices.Clone(q.Entities), g)
		gq.Facets, gq.Limit, gq.Offset = false, 1, 0
		gr, err := s.Search(ctx, Scope(gq, tree))
		if err != nil {
			return nil, fmt.Errorf("count %s with the entities under it: %w", g, err)
		}
		i := slices.IndexFunc(counts, func(c ottwatch.FacetCount) bool { return c.Value == g })
		if i < 0 {
			counts = append(counts, ottwatch.FacetCount{Value: g, Count: gr.Total})
		} else {
			counts[i].Count = max(counts[i].Count, gr.Total)
		}
	}
	slices.SortStableFunc(counts, func(a, b ottwatch.FacetCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Value, b.Value))
	})
	res.Facets[ottwatch.FacetEntity] = counts
	return res, nil
}
