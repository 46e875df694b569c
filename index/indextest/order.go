package indextest

import (
	"slices"
	"testing"

	"github.com/ottwatch/ottwatch"
)

// byDate are the fixtures newest first, the undated one last.
var byDate = []string{Xx1, Es1, It2, It1, En2, Fr1, De1, En1}

func testSortDate(t *testing.T, open Opener) {
	x, byID := loaded(t, open)
	tests := []struct {
		name string
		q    ottwatch.Query
		want []string
	}{
		{"all", ottwatch.Query{Sort: ottwatch.SortDate}, byDate},
		{"filtered", ottwatch.Query{Sort: ottwatch.SortDate, Topics: []string{"regulation"}}, []string{It1, Fr1, De1}},
		{"text", ottwatch.Query{Sort: ottwatch.SortDate, Text: "streaming"}, []string{En2, En1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := search(t, x, tt.q)
			if got := hitNames(res, byID); !slices.Equal(got, tt.want) {
				t.Errorf("Search(%+v) = %v, want %v", tt.q, got, tt.want)
			}
		})
	}
}

func testSortRelevance(t *testing.T, open Opener) {
	x, byID := loaded(t, open)
	for _, s := range []ottwatch.Sort{ottwatch.SortRelevance, ""} {
		// en1 has streaming in its title, en2 only in its body.
		q := ottwatch.Query{Text: "streaming", Sort: s}
		res := search(t, x, q)
		if got, want := hitNames(res, byID), []string{En1, En2}; !slices.Equal(got, want) {
			t.Errorf("Search(%+v) = %v, want %v", q, got, want)
		}
		for i := 1; i < len(res.Hits); i++ {
			if res.Hits[i].Score > res.Hits[i-1].Score {
				t.Errorf("Search(%+v): hit %d scores %v, more than hit %d's %v", q, i, res.Hits[i].Score, i-1, res.Hits[i-1].Score)
			}
		}
		if len(res.Hits) > 0 && res.Hits[0].Score <= 0 {
			t.Errorf("Search(%+v): top score %v, want > 0", q, res.Hits[0].Score)
		}
	}
	// Without text, nothing is more relevant than anything else: every hit
	// scores 1, whatever the filters.
	for _, q := range []ottwatch.Query{
		{Limit: 100},
		{Langs: []string{"it"}, Limit: 100},
		{Entities: []string{"netflix"}, Limit: 100},
		{Sources: []string{"lesechos.fr", "key4biz.it"}, Sort: ottwatch.SortDate, Limit: 100},
	} {
		res := search(t, x, q)
		if len(res.Hits) == 0 {
			t.Fatalf("Search(%+v): no hit", q)
		}
		for _, h := range res.Hits {
			if h.Score != 1 {
				t.Errorf("Search(%+v): %s scores %v, want 1", q, byID[h.Article.ID], h.Score)
			}
		}
	}
}

func testPagination(t *testing.T, open Opener) {
	x, byID := loaded(t, open)
	for _, base := range []ottwatch.Query{
		{Sort: ottwatch.SortDate},
		{Sort: ottwatch.SortRelevance},
		{Text: "Agcom TIM", Sort: ottwatch.SortRelevance},
	} {
		for _, limit := range []int{1, 3, 5} {
			full := base
			full.Limit = 100
			want := hitNames(search(t, x, full), byID)
			if len(want) < 2 || len(sorted(want)) != len(slices.Compact(sorted(want))) {
				t.Fatalf("Search(%+v) = %v: want several distinct hits", full, want)
			}
			var got []string
			for offset := 0; offset < len(want)+limit; offset += limit {
				q := base
				q.Limit, q.Offset = limit, offset
				res := search(t, x, q)
				if res.Total != len(want) {
					t.Errorf("Search(%+v): Total = %d, want %d", q, res.Total, len(want))
				}
				if len(res.Hits) > limit {
					t.Errorf("Search(%+v): %d hits, more than limit", q, len(res.Hits))
				}
				got = append(got, hitNames(res, byID)...)
			}
			if !slices.Equal(got, want) {
				t.Errorf("pages of %d of %+v = %v, want %v", limit, base, got, want)
			}
		}
	}
	// The default limit is 10 and holds every fixture.
	if res := search(t, x, ottwatch.Query{}); len(res.Hits) != len(names) {
		t.Errorf("default limit: %d hits, want %d", len(res.Hits), len(names))
	}
}
