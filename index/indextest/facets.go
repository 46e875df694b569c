package indextest

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch"
)

// fc is shorthand for a list of facet counts: value, count, value, count...
func fc(pairs ...any) []ottwatch.FacetCount {
	out := []ottwatch.FacetCount{}
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, ottwatch.FacetCount{Value: pairs[i].(string), Count: pairs[i+1].(int)})
	}
	return out
}

func testFacets(t *testing.T, open Opener) {
	x, _ := loaded(t, open)
	tests := []struct {
		name string
		q    ottwatch.Query
		want map[string][]ottwatch.FacetCount
	}{
		{"all", ottwatch.Query{Facets: true, Limit: 1}, map[string][]ottwatch.FacetCount{
			ottwatch.FacetLang: fc("en", 2, "it", 2, "de", 1, "es", 1, "fr", 1),
			ottwatch.FacetEntity: fc("tim", 2, "agcom", 1, "arcep", 1, "bnetza", 1,
				"deutsche-telekom", 1, "netflix", 1, "open-fiber", 1, "orange", 1, "telefonica", 1),
			ottwatch.FacetSource: fc("lightreading.com", 2, "corrierecomunicazioni.it", 1, "expansion.com", 1,
				"heise.de", 1, "key4biz.it", 1, "lesechos.fr", 1, "vodafone.com", 1),
		}},
		{"text", ottwatch.Query{Text: "Agcom", Facets: true}, map[string][]ottwatch.FacetCount{
			ottwatch.FacetLang:   fc("it", 2),
			ottwatch.FacetEntity: fc("tim", 2, "agcom", 1, "open-fiber", 1),
			ottwatch.FacetSource: fc("corrierecomunicazioni.it", 1, "key4biz.it", 1),
		}},
		{"filtered", ottwatch.Query{Langs: []string{"en"}, Facets: true}, map[string][]ottwatch.FacetCount{
			ottwatch.FacetLang:   fc("en", 2),
			ottwatch.FacetEntity: fc("netflix", 1),
			ottwatch.FacetSource: fc("lightreading.com", 2),
		}},
		{"none", ottwatch.Query{Text: "zzyzzyva", Facets: true}, map[string][]ottwatch.FacetCount{
			ottwatch.FacetLang:   fc(),
			ottwatch.FacetEntity: fc(),
			ottwatch.FacetSource: fc(),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := search(t, x, tt.q)
			for name, want := range tt.want {
				got := res.Facets[name]
				if len(got) == 0 && len(want) == 0 {
					continue
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("facet %s of %+v:\n got %v\nwant %v", name, tt.q, got, want)
				}
			}
		})
	}
	if res := search(t, x, ottwatch.Query{}); len(res.Facets) != 0 {
		t.Errorf("facets not asked for: got %v", res.Facets)
	}
}

// testCountOnly checks that a count (Query.CountOnly) has the total and the
// facets of the same search, and no hits.
func testCountOnly(t *testing.T, open Opener) {
	x, _ := loaded(t, open)
	tests := []struct {
		name string
		q    ottwatch.Query
	}{
		{"all", ottwatch.Query{}},
		{"text", ottwatch.Query{Text: "Agcom"}},
		{"filtered", ottwatch.Query{Langs: []string{"en"}, Entities: []string{"netflix"}}},
		{"by date", ottwatch.Query{Text: "fibra", Sort: ottwatch.SortDate}},
		{"past the first page", ottwatch.Query{Offset: 3, Limit: 1}},
		{"none", ottwatch.Query{Text: "zzyzzyva"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := tt.q
			q.Facets = true
			want := search(t, x, q)
			q.CountOnly = true
			got := search(t, x, q)
			if len(got.Hits) != 0 {
				t.Errorf("%d hits, want none", len(got.Hits))
			}
			if got.Total != want.Total {
				t.Errorf("total %d, want %d", got.Total, want.Total)
			}
			for _, name := range []string{ottwatch.FacetLang, ottwatch.FacetEntity, ottwatch.FacetSource} {
				if g, w := got.Facets[name], want.Facets[name]; (len(g) > 0 || len(w) > 0) && !reflect.DeepEqual(g, w) {
					t.Errorf("facet %s: got %v, want %v", name, g, w)
				}
			}
		})
	}
	if res := search(t, x, ottwatch.Query{CountOnly: true}); res.Total == 0 || len(res.Facets) != 0 {
		t.Errorf("count without facets: total %d, facets %v", res.Total, res.Facets)
	}
}

// testPublishedCounts checks the counts of articles published in spans
// (Query.PublishedEdges) against the dates of the same search's hits: every
// match counted once in its span, edges inclusive at the start and
// exclusive at the end, undated articles and those outside every span in
// none; and that they come with counts only, collapsed, or grouped.
func testPublishedCounts(t *testing.T, open Opener) {
	x, _ := loaded(t, open)
	month := func(m time.Month) time.Time { return time.Date(2024, m, 1, 0, 0, 0, 0, time.UTC) }
	// The fixtures' dates: an edge falls exactly on 2024-03-15 and one on
	// 2024-04-01, both dates of articles.
	edges := []time.Time{month(1), month(2), month(3), time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC), month(4), month(5)}
	tests := []struct {
		name string
		q    ottwatch.Query
	}{
		{"all", ottwatch.Query{}},
		{"text", ottwatch.Query{Text: "Agcom"}},
		{"filtered", ottwatch.Query{Langs: []string{"it"}}},
		{"count only", ottwatch.Query{CountOnly: true}},
		{"collapsed", ottwatch.Query{Collapse: true}},
		{"entity named in the text", ottwatch.Query{Text: "TIM"}},
		{"none", ottwatch.Query{Text: "zzyzzyva"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			all := tt.q
			all.Collapse, all.CountOnly, all.Limit = false, false, ottwatch.MaxLimit
			want := make([]int, len(edges)-1)
			for _, h := range search(t, x, all).Hits {
				for i := range want {
					if p := h.Article.Published; !p.IsZero() && !p.Before(edges[i]) && p.Before(edges[i+1]) {
						want[i]++
					}
				}
			}
			q := tt.q
			q.PublishedEdges = edges
			got := search(t, x, q).PublishedCounts
			if !reflect.DeepEqual(got, want) {
				t.Errorf("counts %v, want %v", got, want)
			}
		})
	}
	if res := search(t, x, ottwatch.Query{}); res.PublishedCounts != nil {
		t.Errorf("counts not asked for: got %v", res.PublishedCounts)
	}
	if _, err := x.Search(t.Context(), ottwatch.Query{PublishedEdges: []time.Time{month(2), month(1)}}); !errors.Is(err, ottwatch.ErrBadQuery) {
		t.Errorf("edges out of order: got %v, want a bad query", err)
	}
}
