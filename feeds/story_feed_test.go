package feeds_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/feeds"
)

// TestStoryItemGrows builds a watchlist's feed twice: once when a story has
// one article, once after two more outlets reported it in other languages.
// Each time the feed has one item for the story, with the same guid; the
// second time its updated date is later and its content names the new
// outlets. Every format parses with gofeed, and the RSS channel has the
// link it was given.
func TestStoryItemGrows(t *testing.T) {
	day := time.Date(2025, 9, 9, 8, 0, 0, 0, time.UTC)
	article := func(n, lang, source, title string, at time.Time) ottwatch.Hit {
		u := "https://" + source + "/" + n
		return ottwatch.Hit{Article: &ottwatch.Article{ID: ottwatch.ArticleID(u), URL: u, CanonicalURL: u, Source: source,
			Lang: lang, Title: title, Body: title + ".", Published: at, Fetched: at.Add(10 * time.Minute), Cluster: "story-amazon"}}
	}
	first := []ottwatch.Hit{article("1", "it", "corriere.example", "Amazon ottiene l'autorizzazione dal Mimit", day)}
	later := append(first,
		article("2", "fr", "lesechos.example", "Amazon obtient une autorisation en Italie", day.Add(5*time.Hour)),
		article("3", "de", "heise.example", "Amazon erhält Genehmigung in Italien", day.Add(24*time.Hour)))
	w := ottwatch.Watchlist{Name: "amazon", Entities: []string{"amazon"}}
	opts := feeds.Options{Link: "https://ottwatch.example/", FeedURL: "https://ottwatch.example/feeds/amazon.rss"}
	for _, f := range []feeds.Format{feeds.FormatRSS, feeds.FormatAtom, feeds.FormatJSON} {
		t.Run(string(f), func(t *testing.T) {
			var before, after *gofeed.Feed
			for i, hits := range [][]ottwatch.Hit{first, later} {
				var buf bytes.Buffer
				if err := feeds.Render(&buf, feeds.Build(w, feeds.Window{}, hits, opts), f); err != nil {
					t.Fatal(err)
				}
				parsed, err := gofeed.NewParser().Parse(&buf)
				if err != nil {
					t.Fatalf("render %d does not parse: %v", i, err)
				}
				if len(parsed.Items) != 1 {
					t.Fatalf("render %d: %d items, want one for the story", i, len(parsed.Items))
				}
				if parsed.Link == "" {
					t.Errorf("render %d: feed without a link", i)
				}
				if i == 0 {
					before = parsed
				} else {
					after = parsed
				}
			}
			b, a := before.Items[0], after.Items[0]
			if a.GUID != b.GUID || a.GUID != feeds.GUIDPrefix+"story-amazon" {
				t.Errorf("guid %q then %q, want %s", b.GUID, a.GUID, feeds.GUIDPrefix+"story-amazon")
			}
			content := a.Description + a.Content
			for _, outlet := range []string{"lesechos.example", "heise.example"} {
				if !strings.Contains(content, outlet) {
					t.Errorf("item does not name %s after it reported the story", outlet)
				}
			}
			if f == feeds.FormatRSS {
				return // RSS items have no updated date
			}
			if b.UpdatedParsed == nil || a.UpdatedParsed == nil || !a.UpdatedParsed.After(*b.UpdatedParsed) {
				t.Errorf("updated %v then %v: want it to grow with coverage", b.UpdatedParsed, a.UpdatedParsed)
			}
		})
	}
}
