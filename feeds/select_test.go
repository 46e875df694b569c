package feeds_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/feeds"
	"github.com/ottwatch/ottwatch/index/indextest"
)

func ids(hits []ottwatch.Hit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.Article.ID
	}
	return out
}

func TestSelect(t *testing.T) {
	idx := openIndex(t, fixtureArticles())
	all := feeds.Window{}
	tests := []struct {
		name string
		w    ottwatch.Watchlist
		win  feeds.Window
		want []string // article ids, newest first
	}{
		{"any of the entities", italyRegulators, all,
			[]string{"a3000000000000000000000000000003", "a2000000000000000000000000000002", "a1000000000000000000000000000001"}},
		{"min mentions leaves out passing mentions", ottwatch.Watchlist{Name: "a", Entities: []string{"amazon"}, MinMentions: 4}, all,
			[]string{"b4000000000000000000000000000004", "a2000000000000000000000000000002", "a1000000000000000000000000000001"}},
		{"query and entity", amazonTelecom, all,
			[]string{"a3000000000000000000000000000003", "a2000000000000000000000000000002", "a1000000000000000000000000000001"}},
		{"language", ottwatch.Watchlist{Name: "fr", Langs: []string{"fr"}}, all, []string{"b4000000000000000000000000000004"}},
		{"window", ottwatch.Watchlist{Name: "a", Entities: []string{"amazon"}},
			feeds.Window{Since: day.Add(time.Hour), Until: day.Add(49 * time.Hour)},
			[]string{"b4000000000000000000000000000004", "a3000000000000000000000000000003", "a2000000000000000000000000000002"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits, err := feeds.Select(context.Background(), idx, tt.w, tt.win, feeds.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(hits); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSelectBadWindow(t *testing.T) {
	idx := openIndex(t, fixtureArticles())
	_, err := feeds.Select(context.Background(), idx, amazonTelecom, feeds.Window{Since: day, Until: day.Add(-time.Hour)}, feeds.Limits{})
	if err == nil {
		t.Error("no error for a window that ends before it starts")
	}
}

func TestCollectPages(t *testing.T) {
	var articles []*ottwatch.Article
	for i := range 1203 {
		articles = append(articles, &ottwatch.Article{ID: fmt.Sprintf("%032x", i), URL: fmt.Sprintf("https://x.example/%d", i),
			Source: "x.example", Title: "Agcom", Body: "Agcom", Lang: "it", Published: day.Add(time.Duration(i) * time.Minute)})
	}
	idx := openIndex(t, articles)
	for _, tt := range []struct{ max, want int }{{0, feeds.DefaultMaxHits}, {1100, 1100}, {5000, 1203}, {7, 7}} {
		hits, err := feeds.Collect(context.Background(), idx, ottwatch.Query{Text: "agcom", Sort: ottwatch.SortDate}, tt.max)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) != tt.want {
			t.Errorf("max %d: %d hits, want %d", tt.max, len(hits), tt.want)
		}
		if len(hits) > 0 && hits[0].Article.ID != articles[len(articles)-1].ID {
			t.Errorf("max %d: first hit %s, want the newest", tt.max, hits[0].Article.ID)
		}
		seen := map[string]bool{}
		for _, h := range hits {
			if seen[h.Article.ID] {
				t.Fatalf("max %d: %s twice", tt.max, h.Article.ID)
			}
			seen[h.Article.ID] = true
		}
	}
}

func TestKeepMentioned(t *testing.T) {
	hits := fixtureHits()
	tests := []struct {
		entities []string
		n        int
		want     int
	}{
		{nil, 0, 5}, {nil, 1, 5}, {[]string{"amazon"}, 5, 2}, {[]string{"agcom"}, 2, 1},
		{[]string{"agcom", "amazon"}, 6, 1}, {nil, 6, 1}, {nil, 7, 0},
	}
	for _, tt := range tests {
		if got := feeds.KeepMentioned(hits, tt.entities, tt.n); len(got) != tt.want {
			t.Errorf("KeepMentioned(%v, %d): %d hits, want %d", tt.entities, tt.n, len(got), tt.want)
		}
	}
}

// TestSelectFirstSeen runs a daily digest's selection on consecutive days:
// an article printed days before it was crawled is in the digest of the
// day it was first seen, and in no other; one never fetched counts by its
// date alone. The ad-hoc search feed (CollectWindow) selects alike.
func TestSelectFirstSeen(t *testing.T) {
	at := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }
	article := func(id, title string, published, fetched time.Time) *ottwatch.Article {
		return &ottwatch.Article{ID: id, URL: "https://www.agenzia.example/" + id, Source: "agenzia.example", Lang: "it",
			Title: title, Body: title + ".", Published: published, Fetched: fetched,
			Entities: []ottwatch.Mention{{ID: "iliad", Name: "Iliad", Type: ottwatch.Company, Count: 2}}}
	}
	const late, prompt, next, unfetched, old = "late", "prompt", "next", "unfetched", "old"
	idx := openIndex(t, []*ottwatch.Article{
		article(late, "Iliad ricorre contro la multa", at(15, 9), at(20, 6)),
		article(prompt, "Iliad lancia la fibra", at(20, 5), at(20, 5).Add(30*time.Minute)),
		article(next, "Iliad e la rete unica", at(20, 23), at(21, 3)),
		article(unfetched, "Iliad supera i dodici milioni", at(19, 12), time.Time{}),
		article(old, "Iliad compra frequenze", at(14, 8), at(14, 9)),
	})
	daily := func(d int) feeds.Window { return feeds.Window{Since: at(d-1, 7), Until: at(d, 7)} }
	w := ottwatch.Watchlist{Name: "iliad", Entities: []string{"iliad"}}
	tests := []struct {
		name string
		win  feeds.Window
		want []string // newest published first
	}{
		{"the day before", daily(19), nil},
		{"the day it was crawled", daily(20), []string{prompt, unfetched, late}},
		{"the day after", daily(21), []string{next}},
		{"its printed day", feeds.Window{Since: at(15, 0), Until: at(16, 0)}, []string{late}},
		{"open since", feeds.Window{Since: at(20, 7)}, []string{next}},
		{"open until", feeds.Window{Until: at(15, 0)}, []string{old}},
		{"no window", feeds.Window{}, []string{next, prompt, unfetched, late, old}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits, err := feeds.Select(context.Background(), idx, w, tt.win, feeds.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(hits); !slices.Equal(got, tt.want) {
				t.Errorf("Select: got %v, want %v", got, tt.want)
			}
			q := ottwatch.Query{Entities: []string{"iliad"}, Since: tt.win.Since, Until: tt.win.Until, Sort: ottwatch.SortDate}
			hits, err = feeds.CollectWindow(context.Background(), idx, q, feeds.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(hits); !slices.Equal(got, tt.want) {
				t.Errorf("CollectWindow: got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestLimitsStories checks that reading story by story (Limits.Stories)
// gives the digest that reading every article gives, cut to as many
// stories, over stories whose articles are spread over months (a story's
// first article far older than its latest), articles of no story, and
// watchlists of several queries, windows and a mention threshold.
func TestLimitsStories(t *testing.T) {
	articles := indextest.Corpus(600)
	for i, a := range articles {
		if i%7 != 0 { // one article in seven is a story of its own
			a.Cluster = fmt.Sprintf("story-%03d", i%131) // a round can meet more stories than a filter takes
		}
	}
	idx := openIndex(t, articles)
	mid := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	watchlists := []struct {
		name string
		w    ottwatch.Watchlist
		win  feeds.Window
	}{
		{"everything", ottwatch.Watchlist{Name: "all"}, feeds.Window{}},
		{"words", ottwatch.Watchlist{Name: "fibre", Query: "fibra OR fibre"}, feeds.Window{}},
		{"two entities", ottwatch.Watchlist{Name: "regulators", Entities: []string{"agcom", "arcep"}}, feeds.Window{}},
		{"mentions", ottwatch.Watchlist{Name: "tim", Entities: []string{"tim"}, MinMentions: 3}, feeds.Window{}},
		{"window", ottwatch.Watchlist{Name: "all"}, feeds.Window{Since: mid, Until: mid.AddDate(0, 3, 0)}},
		{"language", ottwatch.Watchlist{Name: "de", Langs: []string{"de"}}, feeds.Window{}},
	}
	for _, tt := range watchlists {
		for _, n := range []int{1, 5, 20, 60, 120} {
			t.Run(fmt.Sprintf("%s/%d", tt.name, n), func(t *testing.T) {
				all, err := feeds.Select(t.Context(), idx, tt.w, tt.win, feeds.Limits{})
				if err != nil {
					t.Fatal(err)
				}
				some, err := feeds.Select(t.Context(), idx, tt.w, tt.win, feeds.Limits{Stories: n})
				if err != nil {
					t.Fatal(err)
				}
				if len(some) == 0 || len(some) > len(all) {
					t.Fatalf("read %d articles story by story, %d in all", len(some), len(all))
				}
				opts := feeds.Options{MaxItems: n}
				want, got := feeds.Build(tt.w, tt.win, all, opts), feeds.Build(tt.w, tt.win, some, opts)
				if len(got.Items) != len(want.Items) {
					t.Fatalf("%d stories, want %d", len(got.Items), len(want.Items))
				}
				for i := range want.Items {
					if g, w := itemKey(got.Items[i]), itemKey(want.Items[i]); g != w {
						t.Errorf("story %d: %s, want %s", i, g, w)
					}
				}
			})
		}
	}
}

// itemKey is a digest item's story, lead article and coverage.
func itemKey(it *feeds.Item) string {
	others := make([]string, len(it.Others))
	for i, o := range it.Others {
		others[i] = o.ArticleID
	}
	return fmt.Sprintf("%s %s %v", it.Story, it.ArticleID, others)
}

// TestLimitsStoriesPastAPage checks story-by-story reading when a feed
// holds more stories than a search returns at once (MaxLimit).
func TestLimitsStoriesPastAPage(t *testing.T) {
	idx := openIndex(t, indextest.Corpus(1500)) // each article a story of its own
	w := ottwatch.Watchlist{Name: "all"}
	const n = ottwatch.MaxLimit + 200
	all, err := feeds.Select(t.Context(), idx, w, feeds.Window{}, feeds.Limits{Hits: 5000})
	if err != nil {
		t.Fatal(err)
	}
	some, err := feeds.Select(t.Context(), idx, w, feeds.Window{}, feeds.Limits{Hits: 5000, Stories: n})
	if err != nil {
		t.Fatal(err)
	}
	opts := feeds.Options{MaxItems: n}
	want, got := feeds.Build(w, feeds.Window{}, all, opts), feeds.Build(w, feeds.Window{}, some, opts)
	if len(got.Items) != n || len(want.Items) != n {
		t.Fatalf("%d stories read story by story, %d in all, want %d", len(got.Items), len(want.Items), n)
	}
	for i := range want.Items {
		if g, w := itemKey(got.Items[i]), itemKey(want.Items[i]); g != w {
			t.Fatalf("story %d: %s, want %s", i, g, w)
		}
	}
}
