package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/feeds"
)

// digestOptions are the options of 'ottwatch digest'.
type digestOptions struct {
	*globals
	Watchlist string
	Query     string
	Since     string
	Until     string
	Format    string
	Group     string
	Output    string
	BaseURL   string
	SkipEmpty bool
}

func newDigestCmd(g *globals) *cobra.Command {
	o := &digestOptions{globals: g}
	cmd := &cobra.Command{
		Use:   "digest WATCHLIST | --query QUERY",
		Short: "Write a digest of a watchlist or a query: one item per story, as a feed, Markdown or an email page",
		Long: `Digest selects the articles of a watchlist (see 'ottwatch watchlists') or of
an ad-hoc query in a time window, collapses the articles of one story from
several outlets into one item (the earliest, listing the others), and writes
it as RSS 2.0, Atom 1.0, JSON Feed 1.1, Markdown or an HTML page ready to
send by email. Each item says why it matched (the entities and the words
found) and keeps its guid from one run to the next.

The window holds the articles published in it and those ottwatch first saw
(fetched) in it: an article printed five days ago and crawled today is in
today's daily digest, and not in tomorrow's.`,
		Example: `  ottwatch digest amazon-telecom
  ottwatch digest italy-regulators --since 7d --format html -o regulators.html
  ottwatch digest --query "rete unica" --since 2026-11-01 --format md --group entity`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.Watchlist = args[0]
			}
			return runDigest(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.Query, "query", "q", "", "digest the articles matching these words instead of a watchlist")
	f.StringVar(&o.Since, "since", "24h", "articles published or first seen since: a duration back from now (24h, 7d, 2w) or a date (2026-01-01)")
	f.StringVar(&o.Until, "until", "", "articles published or first seen before: a duration back from now or a date (default: now)")
	f.StringVar(&o.Format, "format", "rss", "rss, atom, json (JSON Feed), md (Markdown) or html (an email-ready page)")
	f.StringVar(&o.Group, "group", "day", "sections of md and html digests: day or entity")
	f.StringVarP(&o.Output, "output", "o", "", "write to this file (replaced whole, never left half-written) instead of stdout")
	f.StringVar(&o.BaseURL, "base-url", "", "where 'ottwatch serve' publishes the digest (https://news.example.org): the feed's home and self links start with it")
	f.BoolVar(&o.SkipEmpty, "skip-empty", false, "write nothing, and exit 0, when the digest has no item (for cron)")
	return cmd
}

func runDigest(ctx context.Context, o *digestOptions) error {
	o.Watchlist, o.Query = strings.TrimSpace(o.Watchlist), strings.TrimSpace(o.Query)
	switch {
	case o.Watchlist != "" && o.Query != "":
		return errors.New("give a watchlist or --query, not both")
	case o.Watchlist == "" && o.Query == "":
		return errors.New("give a watchlist (see 'ottwatch watchlists') or --query WORDS")
	}
	format, err := feeds.ParseFormat(o.Format)
	if err != nil {
		return fmt.Errorf("--format: %w", err)
	}
	group, err := feeds.ParseGroup(o.Group)
	if err != nil {
		return fmt.Errorf("--group: %w", err)
	}
	now := o.clock.Now()
	var win feeds.Window
	if win.Since, err = feeds.ParseWhen(o.Since, now); err != nil {
		return fmt.Errorf("--since: %w", err)
	}
	// The window ends now unless told otherwise, so that digests run one
	// after the other (from cron) cover each moment once.
	if win.Until, err = feeds.ParseWhen(cmp.Or(o.Until, "0s"), now); err != nil {
		return fmt.Errorf("--until: %w", err)
	}
	if err := win.Check(); err != nil {
		return fmt.Errorf("--since and --until: %w", err)
	}
	s, err := o.settings("")
	if err != nil {
		return err
	}
	ws, lookup, err := o.watchlists(s)
	if err != nil {
		return err
	}
	w := ottwatch.Watchlist{Name: feeds.SearchName, Title: "Search “" + o.Query + "”", Query: o.Query}
	if o.Watchlist != "" {
		var ok bool
		if w, ok = feeds.FindWatchlist(ws, o.Watchlist); !ok {
			return fmt.Errorf("no watchlist %q in %s (see 'ottwatch watchlists')", o.Watchlist, s.ConfigFile)
		}
	}
	idx, err := o.openBackend(ctx, s, false)
	if err != nil {
		return err
	}
	defer idx.Close()
	hits, err := feeds.Select(ctx, idx, w, win, feeds.Limits{})
	if err != nil {
		return fmt.Errorf("digest: %w", err)
	}
	opts := feeds.Options{Group: group, Now: now, Lookup: lookup}
	if o.BaseURL != "" {
		base, err := url.Parse(strings.TrimRight(o.BaseURL, "/"))
		if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" || base.RawQuery != "" {
			return fmt.Errorf("--base-url %q: want an http(s) URL such as https://news.example.org", o.BaseURL)
		}
		opts.Link = base.String() + "/"
		opts.FeedURL = base.String() + "/feeds/" + url.PathEscape(w.Name) + "." + o.Format
		if o.Watchlist == "" {
			opts.FeedURL += "?q=" + url.QueryEscape(o.Query)
		}
	}
	d := feeds.Build(w, win, hits, opts)
	if o.SkipEmpty && len(d.Items) == 0 {
		fmt.Fprintf(o.io.Err, "digest: no story in the window, nothing written\n")
		return nil
	}
	render := func(out io.Writer) error { return feeds.Render(out, d, format) }
	if o.Output == "" || o.Output == "-" {
		return render(o.io.Out)
	}
	if err := writeFileAtomic(o.Output, render); err != nil {
		return fmt.Errorf("digest: %w", err)
	}
	fmt.Fprintf(o.io.Err, "digest: %d stories from %d articles written to %s\n", len(d.Items), d.Articles, o.Output)
	return nil
}

// writeFileAtomic writes a file through write: into a temporary file in the
// same directory, renamed over path only once written and synced, so that
// a failure never leaves a half-written file at path. An existing file's
// permissions are kept.
func writeFileAtomic(path string, write func(io.Writer) error) (err error) {
	mode := fs.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("%s is not a regular file", path)
		}
		mode = fi.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(mode); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
