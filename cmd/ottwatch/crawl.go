package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/ottwatch/ottwatch/crawler"
	"github.com/ottwatch/ottwatch/index"
	"github.com/ottwatch/ottwatch/nlp"
)

// crawlOptions are the options of 'ottwatch crawl'.
type crawlOptions struct {
	*globals
	Starts       []string
	Depth        int
	Parallelism  int
	Delay        time.Duration
	Timeout      time.Duration
	MaxBody      int
	UserAgent    string
	IgnoreRobots bool
	Langs        []string
	BatchSize    int
	SyncEvery    time.Duration
	KeepHTML     bool
	JSON         bool
}

// crawlSummary is what 'ottwatch crawl' reports when it is done.
type crawlSummary struct {
	crawler.Stats
	New      int    `json:"new"`      // articles archived for the first time
	Updated  int    `json:"updated"`  // articles whose content changed
	Archived int    `json:"archived"` // articles in the archive
	Index    string `json:"index"`    // the index brought up to date
	Waiting  int    `json:"waiting"`  // archived articles the index does not hold yet
}

func newCrawlCmd(g *globals) *cobra.Command {
	o := &crawlOptions{globals: g}
	cmd := &cobra.Command{
		Use:   "crawl URL|PATH...",
		Short: "Crawl sites or local folders of pages, tag the articles and index them",
		Long: `Crawl fetches the start pages (http(s) URLs, file:// URLs or local paths),
follows links within their hosts (or below their folder) up to --depth,
obeys robots.txt, extracts every article, detects its language, tags its
entities and topics, and indexes it. Re-crawling updates articles in place.`,
		Example: "  ottwatch crawl testdata/site\n  ottwatch crawl --depth 1 https://www.example.com/telecom/",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Starts = args
			return runCrawl(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.Depth, "depth", 3, "how many links away from the start pages to go")
	f.IntVar(&o.Parallelism, "parallelism", 2, "requests at once per host")
	f.DurationVar(&o.Delay, "delay", 200*time.Millisecond, "pause between requests to the same host")
	f.DurationVar(&o.Timeout, "timeout", 30*time.Second, "timeout for connecting, headers and each request")
	f.IntVar(&o.MaxBody, "max-body", 10<<20, "largest page to read, in bytes")
	f.StringVar(&o.UserAgent, "user-agent", "", "User-Agent to send (default names ottwatch and its home page)")
	f.BoolVar(&o.IgnoreRobots, "ignore-robots", false, "do not obey robots.txt (only for sites you own)")
	f.StringSliceVar(&o.Langs, "langs", nlp.DefaultLanguages, "languages to detect, ISO 639-1 codes")
	f.IntVar(&o.BatchSize, "batch", 50, "articles archived per transaction")
	f.DurationVar(&o.SyncEvery, "sync-every", 30*time.Second, "bring the index up to date this often during a long crawl")
	f.BoolVar(&o.KeepHTML, "keep-html", false, "keep each article's page in the archive, so reindex can extract it again")
	f.BoolVar(&o.JSON, "json", false, "print the summary as JSON")
	return cmd
}

func runCrawl(ctx context.Context, o *crawlOptions) error {
	enricher, err := o.enricher(o.Langs)
	if err != nil {
		return err
	}
	s, err := o.settings("")
	if err != nil {
		return err
	}
	ar, err := o.openArchive()
	if err != nil {
		return err
	}
	defer ar.Close()

	var bar *progressbar.ProgressBar
	if o.io.Terminal && !o.JSON {
		bar = progressbar.NewOptions(-1, progressbar.OptionSetWriter(o.io.Err),
			progressbar.OptionSpinnerType(14), progressbar.OptionClearOnFinish(),
			progressbar.OptionSetDescription("crawling"))
	}
	opts := []crawler.Option{
		crawler.WithDepth(o.Depth), crawler.WithParallelism(o.Parallelism),
		crawler.WithDelay(o.Delay), crawler.WithTimeout(o.Timeout),
		crawler.WithMaxBodySize(o.MaxBody), crawler.WithRobots(!o.IgnoreRobots),
		crawler.WithLogger(o.logger()),
		crawler.WithProgress(func(s crawler.Stats) {
			if bar != nil {
				bar.Describe(fmt.Sprintf("crawling: %d pages, %d articles, %d errors", s.Fetched, s.Articles, s.Errors))
				_ = bar.Add(1)
			}
		}),
	}
	if o.UserAgent != "" {
		opts = append(opts, crawler.WithUserAgent(o.UserAgent))
	}

	// The archive is written first, batch by batch, each in a durable
	// transaction; the index follows from it now and then, and at the end.
	// Whatever is archived survives an interrupted or killed crawl.
	sum := crawlSummary{}
	var batch []index.Page
	var firstErr, archiveErr error
	lastSync := time.Now()
	flush := func() {
		if len(batch) == 0 || archiveErr != nil {
			return
		}
		st, err := ar.Put(batch)
		if err != nil {
			archiveErr = err
			return
		}
		sum.New += st.Added
		sum.Updated += st.Updated
		batch = batch[:0]
		if time.Since(lastSync) >= o.SyncEvery {
			lastSync = time.Now()
			if _, _, err := o.syncIndex(ctx, ar, s); err != nil {
				o.logger().Warn("index not up to date, the crawl goes on", "err", err)
			}
		}
	}
	stats, crawlErr := crawler.New(opts...).Pages(ctx, o.Starts, func(r crawler.Result) {
		switch {
		case r.Err == nil:
			enricher.Enrich(r.Article)
			p := index.Page{Article: r.Article}
			if o.KeepHTML {
				p.HTML, p.ContentType = r.Body, r.ContentType
			}
			batch = append(batch, p)
			if len(batch) >= o.BatchSize {
				flush()
			}
		case !errors.Is(r.Err, crawler.ErrNotArticle) && firstErr == nil:
			firstErr = r.Err
		}
	})
	flush()
	if bar != nil {
		_ = bar.Finish()
	}
	if archiveErr != nil {
		return archiveErr
	}
	// Deliver to the index even when the crawl was interrupted.
	syncStats, be, syncErr := o.syncIndex(context.WithoutCancel(ctx), ar, s)
	sum.Stats = stats
	if sum.Archived, err = ar.Count(); err != nil {
		return err
	}
	if be != nil {
		sum.Index = be.Kind
		sum.Waiting = syncStats.Waiting
	}
	if crawlErr == nil || errors.Is(crawlErr, context.Canceled) {
		printCrawlSummary(o, sum)
	}
	switch {
	case crawlErr != nil:
		return crawlErr
	case syncErr != nil:
		return syncErr
	case stats.Fetched == 0 && firstErr != nil:
		return firstErr
	case stats.Fetched == 0:
		return errors.New("crawl: nothing fetched (every page was disallowed or out of scope)")
	}
	return nil
}

func printCrawlSummary(o *crawlOptions, s crawlSummary) {
	if o.JSON {
		enc := json.NewEncoder(o.io.Out)
		enc.SetIndent("", "  ")
		_ = enc.Encode(s)
		return
	}
	fmt.Fprintf(o.io.Out, "crawl: %d pages fetched, %d articles kept (%d new, %d updated), %d skipped, %d blocked by robots.txt, %d errors; %d articles in the archive",
		s.Fetched, s.Articles, s.New, s.Updated, s.Skipped, s.Blocked, s.Errors, s.Archived)
	if s.Index != "" && s.Waiting == 0 {
		fmt.Fprintf(o.io.Out, ", all in the %s index", s.Index)
	}
	fmt.Fprintln(o.io.Out)
}
