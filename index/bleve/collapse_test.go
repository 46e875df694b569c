package bleve

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch"
)

// TestCollapseManyHits collapses more hits than one window of the walk
// holds: 400 articles, 360 in 72 clusters of 5 copies and 40 without
// a cluster.
func TestCollapseManyHits(t *testing.T) {
	x := openTemp(t)
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var list []*ottwatch.Article
	for i := range 400 {
		u := fmt.Sprintf("https://news.example/%d", i)
		a := &ottwatch.Article{ID: ottwatch.ArticleID(u), URL: u, Lang: "it", Title: fmt.Sprintf("Notizia %d", i),
			Body: "Iliad e la fibra.", Published: day.Add(time.Duration(i*7%400) * time.Hour)}
		if i%10 != 0 {
			a.Cluster = fmt.Sprintf("c%03d", i*37%80)
		}
		list = append(list, a)
	}
	if err := x.Upsert(t.Context(), list); err != nil {
		t.Fatal(err)
	}
	for _, q := range []ottwatch.Query{{Sort: ottwatch.SortDate}, {Text: "fibra"}} {
		q.Limit = MaxLimit
		full, err := x.Search(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		seen := map[string]bool{}
		for _, h := range full.Hits {
			c := h.Article.Cluster
			if c == "" {
				c = h.Article.ID
			}
			if !seen[c] {
				seen[c] = true
				want = append(want, h.Article.ID)
			}
		}
		for _, page := range []struct{ offset, limit int }{{0, 1}, {0, 150}, {100, 10}, {len(want) - 3, 10}, {len(want), 10}} {
			p := q
			p.Collapse, p.Offset, p.Limit = true, page.offset, page.limit
			res, err := x.Search(t.Context(), p)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range res.Hits {
				got = append(got, h.Article.ID)
			}
			end := min(page.offset+page.limit, len(want))
			if res.Total != len(want) || !slices.Equal(got, want[page.offset:end]) {
				t.Errorf("Search(%+v): Total %d, %d hits; want %d, %d hits", p, res.Total, len(got), len(want), end-page.offset)
			}
		}
	}
}
