package index

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ottwatch/ottwatch"
)

// EntityNamer is an ottwatch.EntityTree that also tells which entities a
// query's words name ("Amazon", "Agcom"), so that ScopedSearch can rank the
// articles tagged with them first. The nlp gazetteer is one.
type EntityNamer interface {
	ottwatch.EntityTree
	// EntitiesNamed returns the ids of the entities text names.
	EntitiesNamed(text string) []string
}

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

// ScopedSearch runs q on s the way a user means it, whichever backend s is:
//
//   - its entity filters take in the entities under them (Scope);
//   - sorted by relevance or mixed, the articles tagged with an entity its
//     words name (or one under it), when tree is an EntityNamer, come
//     before the articles that only share words with it: "Amazon" puts
//     AGCM's fine on Amazon before a piece on the Amazon rainforest. Each
//     group is ordered by the backend's relevance, or newest first for
//     SortMixed; with no entity named, mixed is newest first;
//   - when q asks for facets and is not Exact, the entity facet is rolled
//     up: a group counts the articles naming it or any entity under it.
//
// Grouping costs a second search, and each group rolled up one more.
// Collapsed queries are not grouped: a story could then show twice.
func ScopedSearch(ctx context.Context, s ottwatch.Searcher, tree ottwatch.EntityTree, q ottwatch.Query) (*ottwatch.Results, error) {
	q, err := q.Check()
	if err != nil {
		return nil, err
	}
	q = Scope(q, tree)
	var named []string
	if n, ok := tree.(EntityNamer); ok && (q.Sort == "" || q.Sort == ottwatch.SortRelevance || q.Sort == ottwatch.SortMixed) && !q.Collapse {
		for _, id := range n.EntitiesNamed(positiveText(q.Text)) {
			named = append(named, id)
			named = append(named, tree.Descendants(id)...)
		}
	}
	var res *ottwatch.Results
	switch {
	case len(named) > 0:
		res, err = grouped(ctx, s, q, named)
	case q.Sort == ottwatch.SortMixed:
		q.Sort = ottwatch.SortDate
		res, err = s.Search(ctx, q)
	default:
		res, err = s.Search(ctx, q)
	}
	if err != nil || tree == nil || q.Exact || !q.Facets || res == nil {
		return res, err
	}
	return rollUp(ctx, s, tree, q, res)
}

// positiveText returns the words of query text less those it excludes
// ("-Poste", -"rete unica"): an excluded name ranks nothing first.
func positiveText(text string) string {
	var kept []string
	skip := false
	for _, w := range strings.Fields(text) {
		switch {
		case skip:
			skip = !strings.ContainsAny(w, ottwatch.PhraseQuotes)
			continue
		case strings.HasPrefix(w, "-"):
			rest := strings.TrimPrefix(w, "-")
			if r := strings.TrimLeft(rest, ottwatch.PhraseQuotes); r != rest && !strings.ContainsAny(r, ottwatch.PhraseQuotes) {
				skip = true
			}
			continue
		}
		kept = append(kept, w)
	}
	return strings.Join(kept, " ")
}

// grouped runs q as two searches, the articles tagged with one of ids
// first, then the others, and returns the page of q.Offset and q.Limit
// over both, with their totals and facets added up (the groups are
// disjoint).
func grouped(ctx context.Context, s ottwatch.Searcher, q ottwatch.Query, ids []string) (*ottwatch.Results, error) {
	if q.Sort == ottwatch.SortMixed {
		q.Sort = ottwatch.SortDate
	}
	first, rest := q, q
	first.AnyEntities = append(slices.Clone(q.AnyEntities), ids...)
	rest.NotEntities = append(slices.Clone(q.NotEntities), ids...)
	r1, err := s.Search(ctx, first)
	if err != nil {
		return nil, err
	}
	rest.Offset = max(0, q.Offset-r1.Total)
	rest.Limit = q.Limit - len(r1.Hits)
	if rest.Limit <= 0 {
		rest.Limit, rest.CountOnly = 1, true // only its total and facets are needed
	}
	r2, err := s.Search(ctx, rest)
	if err != nil {
		return nil, err
	}
	res := &ottwatch.Results{Total: r1.Total + r2.Total, Hits: r1.Hits, PublishedCounts: r1.PublishedCounts}
	for i, n := range r2.PublishedCounts {
		if i < len(res.PublishedCounts) {
			res.PublishedCounts[i] += n
		}
	}
	for _, h := range r2.Hits {
		if len(res.Hits) < q.Limit {
			res.Hits = append(res.Hits, h)
		}
	}
	if r1.Facets != nil || r2.Facets != nil {
		res.Facets = make(map[string][]ottwatch.FacetCount)
		for _, name := range []string{ottwatch.FacetLang, ottwatch.FacetEntity, ottwatch.FacetSource} {
			if counts := addCounts(r1.Facets[name], r2.Facets[name]); len(counts) > 0 {
				res.Facets[name] = counts
			}
		}
	}
	return res, nil
}

// addCounts adds up two facets' counts, the largest first.
func addCounts(a, b []ottwatch.FacetCount) []ottwatch.FacetCount {
	sum := slices.Clone(a)
	for _, c := range b {
		if i := slices.IndexFunc(sum, func(s ottwatch.FacetCount) bool { return s.Value == c.Value }); i >= 0 {
			sum[i].Count += c.Count
		} else {
			sum = append(sum, c)
		}
	}
	sortCounts(sum)
	return sum
}

func sortCounts(counts []ottwatch.FacetCount) {
	slices.SortStableFunc(counts, func(a, b ottwatch.FacetCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Value, b.Value))
	})
}

// rollUp makes each group above the entities of res's entity facet count
// the articles of q naming it or an entity under it.
func rollUp(ctx context.Context, s ottwatch.Searcher, tree ottwatch.EntityTree, q ottwatch.Query, res *ottwatch.Results) (*ottwatch.Results, error) {
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
		gq.Facets, gq.Offset, gq.CountOnly, gq.PublishedEdges = false, 0, true, nil
		if gq.Sort == ottwatch.SortMixed {
			gq.Sort = ottwatch.SortDate
		}
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
	sortCounts(counts)
	res.Facets[ottwatch.FacetEntity] = counts
	return res, nil
}
