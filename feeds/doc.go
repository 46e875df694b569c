// Package feeds publishes what ottwatch finds: digests of a watchlist or an
// ad-hoc query over a time window, with near-duplicate articles collapsed
// into one item per story, rendered as RSS 2.0, Atom 1.0, JSON Feed 1.1,
// Markdown or an email-ready HTML page, and the read-only HTTP server of
// 'ottwatch serve' that serves them with a search page and entity pages.
//
// A digest is made in three steps, each taking the previous step's value:
//
//	win := feeds.Window{Since: since}
//	hits, err := feeds.Select(ctx, idx, watchlist, win, feeds.Limits{})
//	d := feeds.Build(watchlist, win, hits, feeds.Options{Group: feeds.GroupDay})
//	err = feeds.Render(w, d, feeds.FormatRSS)
//
// The package depends on the domain (package ottwatch) and on nothing of the
// other stages: it reads through an ottwatch.Searcher, whichever backend it is.
package feeds
