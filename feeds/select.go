package feeds

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/ottwatch/ottwatch"
)

// Window is the span of time a digest covers: it holds the articles
// published in it and those ottwatch first saw (fetched) in it, so that an
// article crawled days after its printed date is in the digest of the day
// it was crawled, and, its date being past, not in the next one. Since is
// inclusive, Until exclusive, and a zero bound leaves that side open.
type Window struct {
	Since, Until time.Time
}

// Check reports a window that ends before it starts.
func (w Window) Check() error {
	if !w.Since.IsZero() && !w.Until.IsZero() && !w.Until.After(w.Since) {
		return fmt.Errorf("the window ends (%s) before it starts (%s)",
			w.Until.UTC().Format(time.RFC3339), w.Since.UTC().Format(time.RFC3339))
	}
	return nil
}

// DefaultMaxHits is how many articles Select and Collect read at most when
// not told otherwise; pageSize is how many they ask the index for at once.
const (
	DefaultMaxHits = 1000
	pageSize       = 500
)

// Limits bound what Select and CollectWindow read.
type Limits struct {
	// Hits caps the articles read per search (DefaultMaxHits when 0).
	Hits int
	// Stories, when above 0, is how many stories the digest shows
	// (Options.MaxItems). The articles are then read story by story, the
	// stories with the latest articles first, each with all its coverage,
	// and reading stops once no story left unread can be among the Stories
	// a digest puts first (by first publication, newest first). When 0,
	// every article is read, up to Hits per search.
	Stories int
}

// hits returns Hits, or DefaultMaxHits when it is not above 0.
func (l Limits) hits() int {
	if l.Hits <= 0 {
		return DefaultMaxHits
	}
	return l.Hits
}

// Queries returns the searches a watchlist makes over the publication dates
// of win, newest first: one per entity, since a watchlist follows any of its
// entities (unlike 'ottwatch search --entity', which wants all of them), or a
// single one when it names none. Select runs each over the first-seen times
// of win too.
func Queries(w ottwatch.Watchlist, win Window) []ottwatch.Query {
	base := ottwatch.Query{
		Text:    w.Query,
		Langs:   w.Langs,
		Sources: w.Sources,
		Topics:  w.Topics,
		Since:   win.Since,
		Until:   win.Until,
		Sort:    ottwatch.SortDate,
	}
	if len(w.Entities) == 0 {
		return []ottwatch.Query{base}
	}
	qs := make([]ottwatch.Query, len(w.Entities))
	for i, e := range w.Entities {
		qs[i] = base
		qs[i].Entities = []string{e}
	}
	return qs
}

// Select returns the articles a watchlist finds in idx over win, newest
// first: the hits of its Queries, each over the publication dates and the
// first-seen times of win (see windowQueries), each article once, less
// those that name none of the watchlist's entities at least MinMentions
// times (see KeepMentioned), read within lim.
func Select(ctx context.Context, idx ottwatch.Searcher, w ottwatch.Watchlist, win Window, lim Limits) ([]ottwatch.Hit, error) {
	if err := win.Check(); err != nil {
		return nil, fmt.Errorf("watchlist %s: %w", w.Name, err)
	}
	var qs []ottwatch.Query
	for _, q := range Queries(w, win) {
		qs = append(qs, windowQueries(q)...)
	}
	entities := withDescendants(idx, w.Entities)
	keep := func(hits []ottwatch.Hit) []ottwatch.Hit { return KeepMentioned(hits, entities, w.MinMentions) }
	all, err := gather(ctx, idx, qs, keep, lim)
	if err != nil {
		return nil, fmt.Errorf("watchlist %s: %w", w.Name, err)
	}
	return all, nil
}

// CollectWindow returns, newest first, the articles q finds published in
// its window (Since, Until) and those it finds first seen in it, each once,
// read within lim: the hits of a digest of one search.
func CollectWindow(ctx context.Context, idx ottwatch.Searcher, q ottwatch.Query, lim Limits) ([]ottwatch.Hit, error) {
	return gather(ctx, idx, windowQueries(q), nil, lim)
}

// gather returns the hits of qs, each article once, newest first, less
// those keep (when not nil) drops, read within lim.
func gather(ctx context.Context, idx ottwatch.Searcher, qs []ottwatch.Query, keep func([]ottwatch.Hit) []ottwatch.Hit, lim Limits) ([]ottwatch.Hit, error) {
	if keep == nil {
		keep = func(hits []ottwatch.Hit) []ottwatch.Hit { return hits }
	}
	if lim.Stories <= 0 {
		all, err := collectEach(ctx, idx, qs, lim.hits())
		if err != nil {
			return nil, err
		}
		return keep(all), nil
	}
	return collectStories(ctx, idx, qs, keep, lim)
}

// storyCursor pages through the stories of one query, one hit per story,
// the story of the latest article first.
type storyCursor struct {
	q    ottwatch.Query
	done bool
	last time.Time // the date of the last hit read: no story left has a later one
}

// collectStories reads the stories of qs for a digest of lim.Stories
// stories. Each round reads the next lim.Stories+1 stories (at most a page
// of MaxLimit) of each query (collapsed, newest first), then the coverage
// of the stories it had not seen (Query.Stories, every query). A story left unread has no article
// newer than the last one each query returned, so its first publication is
// no later: once that is before the first publication of the story a
// digest would show last, no story left can enter the digest and reading
// stops. It also stops when every query is read or after lim.hits()
// articles per query.
func collectStories(ctx context.Context, idx ottwatch.Searcher, qs []ottwatch.Query, keep func([]ottwatch.Hit) []ottwatch.Hit, lim Limits) ([]ottwatch.Hit, error) {
	cursors := make([]storyCursor, len(qs))
	for i, q := range qs {
		// One story more than shown: when stories are single articles, the
		// extra one is older than the last shown, and one round is enough.
		// A page holds at most MaxLimit hits; more take more rounds.
		limit := min(lim.Stories+1, ottwatch.MaxLimit)
		q.Collapse, q.Facets, q.Sort, q.Limit, q.Offset = true, false, ottwatch.SortDate, limit, 0
		cursors[i] = storyCursor{q: q}
	}
	byID := make(map[string]ottwatch.Hit)
	seen := make(map[string]bool) // stories whose coverage is read
	for {
		var fresh []string
		for i := range cursors {
			c := &cursors[i]
			if c.done {
				continue
			}
			res, err := idx.Search(ctx, c.q)
			if err != nil {
				return nil, fmt.Errorf("search %q: %w", c.q.Text, err)
			}
			c.q.Offset += len(res.Hits)
			c.done = len(res.Hits) < c.q.Limit || c.q.Offset >= res.Total
			for _, h := range res.Hits {
				if h.Article == nil {
					continue
				}
				c.last = h.Article.Published
				if key := storyKey(h.Article); !seen[key] {
					seen[key] = true
					if h.Article.Cluster == "" {
						byID[h.Article.ID] = h // a story of its own
					} else {
						fresh = append(fresh, h.Article.Cluster)
					}
				}
			}
		}
		for chunk := range slices.Chunk(fresh, ottwatch.MaxFilterValues) {
			for _, q := range qs {
				q.Stories = chunk
				hits, err := Collect(ctx, idx, q, lim.hits())
				if err != nil {
					return nil, err
				}
				for _, h := range hits {
					byID[h.Article.ID] = h
				}
			}
		}
		hits := keep(slices.Collect(maps.Values(byID)))
		if len(byID) >= lim.hits()*len(qs) || storiesComplete(cursors, hits, lim.Stories) {
			sortNewest(hits)
			return hits, nil
		}
	}
}

// storiesComplete reports whether no story the cursors have left to read
// can be among the first n stories of a digest of hits.
func storiesComplete(cursors []storyCursor, hits []ottwatch.Hit, n int) bool {
	firsts := make(map[string]time.Time) // each story's first publication
	for _, h := range hits {
		key := storyKey(h.Article)
		if t, ok := firsts[key]; !ok || earlier(h.Article.Published, t) < 0 {
			firsts[key] = h.Article.Published
		}
	}
	var last time.Time // the first publication of the n-th story
	if len(firsts) >= n {
		dates := slices.SortedFunc(maps.Values(firsts), newer)
		last = dates[n-1]
	}
	for _, c := range cursors {
		if !c.done && (last.IsZero() || !(c.last.IsZero() || c.last.Before(last))) {
			return false
		}
	}
	return true
}

// storyKey is the story an article counts in: its cluster, or, without
// one, the article itself.
func storyKey(a *ottwatch.Article) string {
	return cmp.Or(a.Cluster, a.ID)
}

// windowQueries returns q and, when q bounds the publication date, its twin
// that bounds the first-seen time (Article.Fetched) instead, by the same
// window.
func windowQueries(q ottwatch.Query) []ottwatch.Query {
	if q.Since.IsZero() && q.Until.IsZero() {
		return []ottwatch.Query{q}
	}
	seen := q
	seen.Since, seen.Until = time.Time{}, time.Time{}
	seen.SeenSince, seen.SeenUntil = q.Since, q.Until
	return []ottwatch.Query{q, seen}
}

// collectEach runs each of qs with Collect and returns their hits, each
// article once, newest first.
func collectEach(ctx context.Context, idx ottwatch.Searcher, qs []ottwatch.Query, max int) ([]ottwatch.Hit, error) {
	var all []ottwatch.Hit
	seen := make(map[string]bool)
	for _, q := range qs {
		hits, err := Collect(ctx, idx, q, max)
		if err != nil {
			return nil, err
		}
		for _, h := range hits {
			if !seen[h.Article.ID] {
				seen[h.Article.ID] = true
				all = append(all, h)
			}
		}
	}
	sortNewest(all)
	return all, nil
}

// EntityTreeSearcher is a Searcher whose entity filters take in the
// entities under them (see index.ScopedSearch) and that tells their
// hierarchy.
type EntityTreeSearcher interface {
	ottwatch.Searcher
	EntityTree() ottwatch.EntityTree
}

// withDescendants returns entities and, when idx tells the hierarchy, the
// entities under them: a watchlist on Amazon counts the mentions of Prime
// Video too, as its searches find them.
func withDescendants(idx ottwatch.Searcher, entities []string) []string {
	t, ok := idx.(EntityTreeSearcher)
	if !ok || t.EntityTree() == nil {
		return entities
	}
	out := slices.Clone(entities)
	for _, e := range entities {
		out = append(out, t.EntityTree().Descendants(e)...)
	}
	return out
}

// Collect runs q page by page and returns up to max of its hits (all of
// them up to DefaultMaxHits when max is 0), in the order q sorts them.
// q.Limit and q.Offset are ignored.
func Collect(ctx context.Context, idx ottwatch.Searcher, q ottwatch.Query, max int) ([]ottwatch.Hit, error) {
	if idx == nil {
		return nil, errors.New("no index to search")
	}
	if max <= 0 {
		max = DefaultMaxHits
	}
	q.Facets = false
	var hits []ottwatch.Hit
	for q.Offset = 0; len(hits) < max; q.Offset += q.Limit {
		q.Limit = min(pageSize, max-len(hits))
		res, err := idx.Search(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("search %q: %w", q.Text, err)
		}
		for _, h := range res.Hits {
			if h.Article != nil {
				hits = append(hits, h)
			}
		}
		if len(res.Hits) < q.Limit || q.Offset+len(res.Hits) >= res.Total {
			break
		}
	}
	return hits, nil
}

// KeepMentioned returns the hits whose article names one of entities at
// least n times (Select adds the entities under the watchlist's), or, when
// entities is empty, names any entity that often.
// n of 1 or less keeps every hit.
func KeepMentioned(hits []ottwatch.Hit, entities []string, n int) []ottwatch.Hit {
	if n <= 1 {
		return hits
	}
	var out []ottwatch.Hit
	for _, h := range hits {
		for _, m := range h.Article.Entities {
			if m.Count >= n && (len(entities) == 0 || slices.Contains(entities, m.ID)) {
				out = append(out, h)
				break
			}
		}
	}
	return out
}

// sortNewest orders hits by publication date, newest first, undated last,
// then by article id.
func sortNewest(hits []ottwatch.Hit) {
	slices.SortStableFunc(hits, func(a, b ottwatch.Hit) int {
		return cmp.Or(newer(a.Article.Published, b.Article.Published), cmp.Compare(a.Article.ID, b.Article.ID))
	})
}

// newer compares two dates for a newest-first order with zero dates last.
func newer(a, b time.Time) int {
	if a.IsZero() || b.IsZero() {
		return earlier(a, b)
	}
	return b.Compare(a)
}
