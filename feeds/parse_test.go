package feeds_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	gofeedjson "github.com/mmcdole/gofeed/json"
	"golang.org/x/net/html"

	"github.com/ottwatch/ottwatch/feeds"
)

// parsedItem is what a feed reader reads of an item.
type parsedItem struct {
	Title, Link, GUID, Lang string
	Published               time.Time
	Categories              []string
}

// parseFeed reads an RSS, Atom or JSON feed back with gofeed, as a feed
// reader would, and returns its type and items.
func parseFeed(t *testing.T, body []byte) (string, []parsedItem) {
	t.Helper()
	p := gofeed.NewParser()
	p.KeepOriginalFeed = true
	f, err := p.Parse(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("gofeed cannot read the feed: %v\n%s", err, body)
	}
	var items []parsedItem
	for i, it := range f.Items {
		pi := parsedItem{Title: it.Title, Link: it.Link, GUID: it.GUID, Categories: it.Categories}
		if it.PublishedParsed != nil {
			pi.Published = it.PublishedParsed.UTC()
		}
		switch f.FeedType {
		case "rss":
			if it.DublinCoreExt != nil && len(it.DublinCoreExt.Language) > 0 {
				pi.Lang = it.DublinCoreExt.Language[0]
			}
		case "atom":
			if l := it.Extensions["dc"]["language"]; len(l) > 0 {
				pi.Lang = l[0].Value
			}
		case "json":
			jf, ok := f.OriginalFeed().(*gofeedjson.Feed)
			if !ok {
				t.Fatalf("no original JSON feed: %T", f.OriginalFeed())
			}
			pi.Lang = jf.Items[i].Language
		}
		items = append(items, pi)
	}
	return f.FeedType, items
}

// checkFeedItems checks that what a reader reads of a feed is what the
// digest holds.
func checkFeedItems(t *testing.T, d *feeds.Digest, items []parsedItem) {
	t.Helper()
	if len(items) != len(d.Items) {
		t.Fatalf("%d items read back, want %d", len(items), len(d.Items))
	}
	for i, want := range d.Items {
		got := items[i]
		if got.Title != want.Title {
			t.Errorf("item %d: title %q, want %q", i, got.Title, want.Title)
		}
		if got.Link != want.Link {
			t.Errorf("item %d: link %q, want %q", i, got.Link, want.Link)
		}
		if got.GUID != want.GUID {
			t.Errorf("item %d: guid %q, want %q", i, got.GUID, want.GUID)
		}
		if !got.Published.Equal(want.Published) {
			t.Errorf("item %d: published %v, want %v", i, got.Published, want.Published)
		}
		if got.Lang != want.Lang {
			t.Errorf("item %d: language %q, want %q", i, got.Lang, want.Lang)
		}
		if !slices.Equal(got.Categories, want.Categories()) {
			t.Errorf("item %d: categories %q, want %q", i, got.Categories, want.Categories())
		}
	}
}

func render(t *testing.T, d *feeds.Digest, f feeds.Format) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := feeds.Render(&buf, d, f); err != nil {
		t.Fatalf("render %s: %v", f, err)
	}
	return buf.Bytes()
}

func TestFeedsParseBack(t *testing.T) {
	tests := []struct {
		format   feeds.Format
		feedType string
	}{
		{feeds.FormatRSS, "rss"},
		{feeds.FormatAtom, "atom"},
		{feeds.FormatJSON, "json"},
	}
	for _, tt := range tests {
		t.Run(string(tt.format), func(t *testing.T) {
			d := fixtureDigest(feeds.GroupDay)
			body := render(t, d, tt.format)
			typ, items := parseFeed(t, body)
			if typ != tt.feedType {
				t.Errorf("read as %q, want %q", typ, tt.feedType)
			}
			checkFeedItems(t, d, items)
			if len(items) != 3 {
				t.Errorf("%d items, want 3: the three outlets of one story make one item", len(items))
			}
			// A second render, of hits in another order, gives the same guids.
			hits := fixtureHits()
			slices.Reverse(hits)
			again := feeds.Build(amazonTelecom, fixtureWindow, hits, feeds.Options{Lookup: lookup})
			_, items2 := parseFeed(t, render(t, again, tt.format))
			for i := range items {
				if items[i].GUID != items2[i].GUID {
					t.Errorf("item %d: guid %q, then %q", i, items[i].GUID, items2[i].GUID)
				}
			}
		})
	}
}

func TestRSSGuidIsNotPermaLink(t *testing.T) {
	body := string(render(t, fixtureDigest(feeds.GroupDay), feeds.FormatRSS))
	if n, m := strings.Count(body, `<guid isPermaLink="false">`), strings.Count(body, "<guid"); n != 3 || m != 3 {
		t.Errorf("%d of %d guids say isPermaLink=\"false\", want 3 of 3", n, m)
	}
}

func TestAtomHasPublished(t *testing.T) {
	body := string(render(t, fixtureDigest(feeds.GroupDay), feeds.FormatAtom))
	if !strings.Contains(body, "<published>2026-11-10T08:30:00Z</published>") {
		t.Errorf("no <published> in the Atom feed:\n%s", body)
	}
}

// htmlText parses an HTML document (or Markdown, which may hold HTML) and
// returns its text and the start tags found in it.
func htmlText(t *testing.T, body []byte) (text string, tags []string) {
	t.Helper()
	z := html.NewTokenizer(bytes.NewReader(body))
	var b strings.Builder
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String(), tags
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			tags = append(tags, string(name))
		}
	}
}

func TestHTMLAndMarkdownSanity(t *testing.T) {
	d := fixtureDigest(feeds.GroupDay)
	for _, f := range []feeds.Format{feeds.FormatHTML, feeds.FormatMarkdown} {
		t.Run(string(f), func(t *testing.T) {
			body := render(t, d, f)
			if f == feeds.FormatHTML {
				doc, err := html.Parse(bytes.NewReader(body))
				if err != nil || doc == nil {
					t.Fatalf("not HTML: %v", err)
				}
			}
			text, tags := htmlText(t, body)
			if slices.Contains(tags, "script") {
				t.Error("a <script> element")
			}
			for _, it := range d.Items {
				for _, want := range []string{it.Title, it.Source} {
					if !strings.Contains(text, want) {
						t.Errorf("%q missing", want)
					}
				}
				if !strings.Contains(string(body), it.Link) {
					t.Errorf("link %q missing", it.Link)
				}
				if !strings.Contains(string(body), it.GUID) {
					t.Errorf("guid %q missing", it.GUID)
				}
				for _, o := range it.Others {
					if !strings.Contains(string(body), o.Link) {
						t.Errorf("other outlet %q missing", o.Link)
					}
				}
			}
			if n := strings.Count(string(body), "urn:ottwatch:story:"); n != 3 {
				t.Errorf("%d items, want 3", n)
			}
		})
	}
}
