package meili

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch"
)

func TestSearchErrors(t *testing.T) {
	x := openShared(t)
	day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		q    ottwatch.Query
		want string
	}{
		{ottwatch.Query{Limit: -1}, "negative limit"},
		{ottwatch.Query{Offset: -1}, "offset -1 out of"},
		{ottwatch.Query{Offset: MaxOffset + 1}, "out of"},
		{ottwatch.Query{Since: day, Until: day}, "is not after since"},
		{ottwatch.Query{Sort: "size"}, `unknown sort "size"`},
	}
	for _, tt := range tests {
		if _, err := x.Search(t.Context(), tt.q); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Search(%+v) = %v, want %q", tt.q, err, tt.want)
		}
	}
	x.Close()
	if _, err := x.Search(t.Context(), ottwatch.Query{}); err == nil {
		t.Errorf("Search after Close: no error")
	}
}

func TestSearchPaging(t *testing.T) {
	x := openShared(t)
	list, byID := indextestAll()
	if err := x.Upsert(t.Context(), list); err != nil {
		t.Fatal(err)
	}
	names := func(res *ottwatch.Results) []string {
		var out []string
		for _, h := range res.Hits {
			out = append(out, byID[h.Article.ID])
		}
		return out
	}
	full, err := x.Search(t.Context(), ottwatch.Query{Sort: ottwatch.SortDate, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	all := names(full)
	for _, tt := range []struct{ offset, limit int }{{3, 2}, {1, 5}, {5, 4}, {7, 3}, {9, 2}} {
		res, err := x.Search(t.Context(), ottwatch.Query{Sort: ottwatch.SortDate, Offset: tt.offset, Limit: tt.limit})
		if err != nil {
			t.Fatal(err)
		}
		want := all[min(tt.offset, len(all)):min(tt.offset+tt.limit, len(all))]
		if got := names(res); !slices.Equal(got, want) || res.Total != len(all) {
			t.Errorf("offset %d limit %d: %v (total %d), want %v (total %d)", tt.offset, tt.limit, got, res.Total, want, len(all))
		}
	}
	// Relevance ties and browsing go newest first.
	res, err := x.Search(t.Context(), ottwatch.Query{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(res); !slices.Equal(got, all) {
		t.Errorf("browse by relevance = %v, want by date %v", got, all)
	}
	// Text that cannot match finds nothing, with empty facets.
	res, err = x.Search(t.Context(), ottwatch.Query{Text: "?!", Facets: true})
	if err != nil || res.Total != 0 || len(res.Facets) != 3 {
		t.Errorf("punctuation: %+v, %v", res, err)
	}
}

func TestFacets(t *testing.T) {
	raw := []byte(`{"lang":{"it":2,"en":2,"de":5},"source":{}}`)
	got, err := facets(raw)
	if err != nil {
		t.Fatal(err)
	}
	want := []ottwatch.FacetCount{{Value: "de", Count: 5}, {Value: "en", Count: 2}, {Value: "it", Count: 2}}
	if !slices.Equal(got[ottwatch.FacetLang], want) || len(got[ottwatch.FacetEntity]) != 0 || got[ottwatch.FacetEntity] == nil {
		t.Errorf("facets = %v", got)
	}
	many := map[string]map[string]int{"entities": {}}
	for i := range 30 {
		many["entities"][string(rune('a'+i%26))+string(rune('a'+i/26))] = i
	}
	raw, _ = json.Marshal(many)
	got, _ = facets(raw)
	if n := len(got[ottwatch.FacetEntity]); n != facetSize || got[ottwatch.FacetEntity][0].Count != 29 {
		t.Errorf("%d entity values, first %v; want the %d most frequent", n, got[ottwatch.FacetEntity][0], facetSize)
	}
	if _, err := facets([]byte(`{"lang":[]}`)); err == nil {
		t.Errorf("bad distribution: no error")
	}
}
