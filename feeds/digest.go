package feeds

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/nlp/textnorm"
)

// GUIDPrefix starts the guid of every item: the id of its story follows, so
// that an item keeps its guid however often and whenever a digest is made.
const GUIDPrefix = "urn:ottwatch:story:"

// summaryRunes is the longest summary of an item, in characters.
const summaryRunes = 320

// Options shape a digest.
type Options struct {
	// Group is how Markdown and HTML digests are divided into sections
	// (GroupDay when empty). Feeds list their items newest first whatever
	// it is: feed readers order items themselves.
	Group Group
	// MaxItems keeps only the newest stories; 0 keeps them all.
	MaxItems int
	// Now is the Updated time of a digest with no items, when its window is
	// open-ended; an empty digest is otherwise dated by its window's end.
	Now time.Time
	// Link is the web page about the digest (a feed's home link), FeedURL
	// where the feed itself is served (its self link). Both may be empty.
	Link, FeedURL string
	// Lookup names the watchlist's entities in descriptions; ids are shown
	// without it.
	Lookup LookupFunc
}

// Digest is the result of a watchlist or an ad-hoc query over a time window,
// one item per story.
type Digest struct {
	// Watchlist is what selected the articles; an ad-hoc query is an unnamed
	// watchlist (SearchName).
	Watchlist ottwatch.Watchlist
	Window    Window
	// ID is a stable id of the feed: the same for every render.
	ID          string
	Title       string
	Description string
	Link        string
	FeedURL     string
	// Lang is the language of every item, or empty when they differ.
	Lang string
	// Updated is when the digest last changed: the latest publication or
	// first fetch of its articles (see Item.Updated), so that an article
	// crawled after its printed date moves it forward too.
	Updated time.Time
	// Items are the stories, newest first.
	Items []*Item
	// Sections are the items divided by Group.
	Group    Group
	Sections []Section
	// Articles is how many articles the items stand for.
	Articles int
}

// Item is one story of a digest: its earliest article, and where else it
// was reported.
type Item struct {
	// GUID is GUIDPrefix and Story: stable across renders.
	GUID string
	// Story is the story's cluster id, or the article's id when it has
	// none.
	Story     string
	ArticleID string
	Title     string
	// Link is the article's canonical URL, or its URL; empty when neither
	// is an http(s) URL.
	Link      string
	Source    string
	Lang      string
	Published time.Time
	// Updated is when the story last got coverage among the hits: the
	// latest publication or fetch of its articles. It grows as outlets
	// report the story, while the GUID stays.
	Updated time.Time
	// Summary is a plain-text snippet of the article around what matched.
	Summary string
	// Snippet is the summary with what matched marked by ** on each side.
	Snippet  string
	Entities []ottwatch.Mention // most mentioned first
	Topics   []string
	Why      Why
	// Others are the other outlets that reported the story, earliest
	// first.
	Others []Outlet
}

// Categories returns the item's categories: the names of its entities, then
// its topics.
func (it *Item) Categories() []string {
	out := make([]string, 0, len(it.Entities)+len(it.Topics))
	for _, m := range it.Entities {
		out = append(out, m.Name)
	}
	return append(out, it.Topics...)
}

// Why says why an item matched: the followed entities the article names,
// with the words that named them, and the words of the query it contains.
type Why struct {
	Entities []ottwatch.Mention
	// Words are the words of the article that matched the query, as the
	// index marked them.
	Words []string
	// Query is the query that was searched.
	Query string
}

// Empty reports whether there is no reason to show.
func (w Why) Empty() bool { return len(w.Entities) == 0 && len(w.Words) == 0 && w.Query == "" }

// Outlet is another article on the same story.
type Outlet struct {
	ArticleID string
	Source    string
	Title     string
	Link      string
	Published time.Time
}

// Section is a part of a digest: the stories of one day or one entity.
type Section struct {
	Key   string // the day (2006-01-02) or the entity id; "" for the rest
	Title string
	Items []*Item
}

// Build makes the digest of the hits a watchlist (or an ad-hoc query) found
// over win: it collapses the articles of each story (same Article.Cluster;
// an article without one is a story of its own) into one item, the earliest
// article, listing the other outlets; orders the items newest first; and
// divides them into sections.
func Build(w ottwatch.Watchlist, win Window, hits []ottwatch.Hit, opts Options) *Digest {
	d := &Digest{
		Watchlist:   w,
		Window:      win,
		ID:          "urn:ottwatch:watchlist:" + cmp.Or(w.Name, SearchName),
		Title:       "ottwatch: " + DisplayTitle(w),
		Description: describe(w, opts.Lookup),
		Link:        opts.Link,
		FeedURL:     opts.FeedURL,
		Group:       cmp.Or(opts.Group, GroupDay),
	}
	if w.Name == "" || w.Name == SearchName {
		d.ID = "urn:ottwatch:search:" + queryKey(w)
	}
	stories := make(map[string][]ottwatch.Hit)
	var order []string
	for _, h := range hits {
		if h.Article == nil {
			continue
		}
		key := storyKey(h.Article)
		if _, ok := stories[key]; !ok {
			order = append(order, key)
		}
		stories[key] = append(stories[key], h)
	}
	for _, key := range order {
		d.Items = append(d.Items, newItem(key, stories[key], w))
	}
	slices.SortStableFunc(d.Items, func(a, b *Item) int {
		return cmp.Or(newer(a.Published, b.Published), cmp.Compare(a.Story, b.Story))
	})
	if opts.MaxItems > 0 && len(d.Items) > opts.MaxItems {
		d.Items = d.Items[:opts.MaxItems]
	}
	langs := make(map[string]bool)
	for _, it := range d.Items {
		d.Articles += 1 + len(it.Others)
		langs[it.Lang] = true
		if it.Updated.After(d.Updated) {
			d.Updated = it.Updated
		}
		if len(langs) == 1 {
			d.Lang = it.Lang
		} else {
			d.Lang = ""
		}
	}
	if d.Updated.IsZero() {
		d.Updated = cmp.Or(win.Until, opts.Now)
	}
	d.Updated = d.Updated.UTC()
	d.Sections = sections(d.Items, d.Group, w.Entities)
	return d
}

// newItem makes the item of one story from the hits of its articles.
func newItem(story string, hits []ottwatch.Hit, w ottwatch.Watchlist) *Item {
	slices.SortStableFunc(hits, func(a, b ottwatch.Hit) int {
		return cmp.Or(earlier(a.Article.Published, b.Article.Published),
			cmp.Compare(b.Score, a.Score), cmp.Compare(a.Article.ID, b.Article.ID))
	})
	first := hits[0]
	a := first.Article
	snippet := textnorm.OneLine(first.Snippet)
	if snippet == "" {
		snippet = textnorm.OneLine(cmp.Or(a.Description, a.Body))
	}
	it := &Item{
		GUID:      GUIDPrefix + story,
		Story:     story,
		ArticleID: a.ID,
		Title:     cmp.Or(textnorm.OneLine(a.Title), a.Source, a.ID),
		Link:      articleLink(a),
		Source:    a.Source,
		Lang:      a.Lang,
		Published: a.Published.UTC(),
		Snippet:   truncateRunes(snippet, summaryRunes),
		Entities:  byCount(a.Entities),
		Topics:    slices.Clone(a.Topics),
		Why:       Why{Query: w.Query, Words: markedWords(first.Snippet)},
	}
	if a.Published.IsZero() {
		it.Published = time.Time{}
	}
	for _, h := range hits {
		for _, t := range []time.Time{h.Article.Published, h.Article.Fetched} {
			if t.After(it.Updated) {
				it.Updated = t.UTC()
			}
		}
	}
	it.Summary = strings.ReplaceAll(it.Snippet, mark, "")
	for _, m := range it.Entities {
		if slices.Contains(w.Entities, m.ID) {
			it.Why.Entities = append(it.Why.Entities, m)
		}
	}
	for _, h := range hits[1:] {
		o := h.Article
		it.Others = append(it.Others, Outlet{ArticleID: o.ID, Source: o.Source, Title: textnorm.OneLine(o.Title),
			Link: articleLink(o), Published: o.Published.UTC()})
	}
	return it
}

// byCount returns the mentions most mentioned first, then by name.
func byCount(ms []ottwatch.Mention) []ottwatch.Mention {
	ms = slices.Clone(ms)
	slices.SortStableFunc(ms, func(a, b ottwatch.Mention) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Name, b.Name))
	})
	return ms
}

// earlier compares two dates for an earliest-first order with zero dates
// last.
func earlier(a, b time.Time) int {
	switch {
	case a.Equal(b):
		return 0
	case a.IsZero():
		return 1
	case b.IsZero():
		return -1
	case a.Before(b):
		return -1
	}
	return 1
}

// describe says in one sentence what a watchlist follows.
func describe(w ottwatch.Watchlist, lookup LookupFunc) string {
	var parts []string
	if w.Query != "" {
		parts = append(parts, "matching “"+w.Query+"”")
	}
	if len(w.Entities) > 0 {
		names := make([]string, len(w.Entities))
		for i, id := range w.Entities {
			names[i] = id
			if lookup != nil {
				if e, ok := lookup(id); ok {
					names[i] = e.Name
				}
			}
		}
		sep := " or "
		if w.Name == "" || w.Name == SearchName {
			sep = " and "
		}
		n := ""
		if w.MinMentions > 1 {
			n = fmt.Sprintf(" at least %d times", w.MinMentions)
		}
		parts = append(parts, "naming "+strings.Join(names, sep)+n)
	}
	if len(w.Langs) > 0 {
		parts = append(parts, "in "+strings.Join(w.Langs, ", "))
	}
	if len(w.Sources) > 0 {
		parts = append(parts, "from "+strings.Join(w.Sources, ", "))
	}
	if len(w.Topics) > 0 {
		parts = append(parts, "on "+strings.Join(w.Topics, ", "))
	}
	if len(parts) == 0 {
		return "News articles, one item per story."
	}
	return "News articles " + strings.Join(parts, ", ") + ", one item per story."
}

// queryKey is a stable key of an ad-hoc query, for its feed id.
func queryKey(w ottwatch.Watchlist) string {
	parts := []string{w.Query, strings.Join(w.Entities, ","), strings.Join(w.Langs, ","),
		strings.Join(w.Sources, ","), strings.Join(w.Topics, ",")}
	return hashHex(strings.Join(parts, "\x00"))[:16]
}
