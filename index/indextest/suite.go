// Package indextest is the behaviour suite that every ottwatch.Index backend
// runs, so that Bleve, Meilisearch and any later backend answer the same
// queries the same way. It builds its own small synthetic fixtures in
// Italian, French, Spanish, German and English.
package indextest

import (
	"slices"
	"testing"

	"github.com/ottwatch/ottwatch"
)

// Opener returns a fresh, empty index for one test; the caller registers
// its cleanup with t.
type Opener func(t *testing.T) ottwatch.Index

// Run runs the suite against the backend open makes, one subtest per
// behaviour, each on its own fresh index.
func Run(t *testing.T, open func(t *testing.T) ottwatch.Index) {
	tests := []struct {
		name string
		run  func(t *testing.T, open Opener)
	}{
		{"EmptyIndex", testEmptyIndex},
		{"UpsertIdempotent", testUpsertIdempotent},
		{"UpdateReplaces", testUpdateReplaces},
		{"Delete", testDelete},
		{"GetRoundTrip", testGetRoundTrip},
		{"GetNotFound", testGetNotFound},
		{"Filters", testFilters},
		{"EntityScope", testEntityScope},
		{"EntityRanking", testEntityRanking},
		{"DateRange", testDateRange},
		{"FirstSeen", testFirstSeen},
		{"SortDate", testSortDate},
		{"SortRelevance", testSortRelevance},
		{"Pagination", testPagination},
		{"Facets", testFacets},
		{"CountOnly", testCountOnly},
		{"PublishedCounts", testPublishedCounts},
		{"Snippets", testSnippets},
		{"Stemming", testStemming},
		{"UnicodeAndApostrophes", testUnicode},
		{"Phrase", testPhrase},
		{"QueryLanguage", testQueryLanguage},
		{"EntityNames", testEntityNames},
		{"Collapse", testCollapse},
		{"CollapseFacets", testCollapseFacets},
		{"StoryFilter", testStoryFilter},
		{"ClusterRoundTrip", testClusterRoundTrip},
		{"Canceled", testCanceled},
		{"Reset", testReset},
		{"Rebuild", testRebuild},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, open) })
	}
}

// loaded returns a fresh index holding every fixture, and the map from id
// to fixture name.
func loaded(t *testing.T, open Opener) (ottwatch.Index, map[string]string) {
	t.Helper()
	x := open(t)
	list, byID := all()
	if err := x.Upsert(t.Context(), list); err != nil {
		t.Fatalf("Upsert fixtures: %v", err)
	}
	return x, byID
}

// search runs q, failing the test on error.
func search(t *testing.T, x ottwatch.Index, q ottwatch.Query) *ottwatch.Results {
	t.Helper()
	res, err := x.Search(t.Context(), q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	if res == nil {
		t.Fatalf("Search(%+v): nil results", q)
	}
	return res
}

// hitNames returns the fixture names of the hits, in order; an id that is
// no fixture is returned as is.
func hitNames(res *ottwatch.Results, byID map[string]string) []string {
	out := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		if h.Article == nil {
			out = append(out, "<nil article>")
			continue
		}
		n, ok := byID[h.Article.ID]
		if !ok {
			n = h.Article.ID
		}
		out = append(out, n)
	}
	return out
}

// sorted returns a sorted copy of s, never nil.
func sorted(s []string) []string {
	out := append([]string{}, s...)
	slices.Sort(out)
	return out
}

// count returns x.Count, failing the test on error.
func count(t *testing.T, x ottwatch.Index) int {
	t.Helper()
	n, err := x.Count(t.Context())
	if err != nil {
		t.Fatalf("Count: %v", err)
	}
	return n
}
