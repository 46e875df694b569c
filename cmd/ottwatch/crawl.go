package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/crawler"
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
	JSON         bool
}

// crawlSummary is what 'ottwatch crawl' reports when it is done.
type crawlSummary struct {
	crawler.Stats
	Indexed int `json:"indexed"` // articles in the index after the crawl
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
	f.IntVar(&o.BatchSize, "batch", 50, "articles indexed per batch")
	f.BoolVar(&o.JSON, "json", false, "print the summary as JSON")
	return cmd
}

func runCrawl(ctx context.Context, o *crawlOptions) error {
	enricher, err := nlp.New(nlp.WithLanguages(o.Langs...))
	if err != nil {
		return fmt.Errorf("languages: %w", err)
	}
	idx, err := o.openIndex(true)
	if err != nil {
		return err
	}
	defer idx.Close()

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

	var batch []*ottwatch.Article
	var firstErr, indexErr error
	flush := func() {
		if len(batch) == 0 || indexErr != nil {
			return
		}
		// Index what was fetched even when the crawl is being interrupted.
		if err := idx.Upsert(context.WithoutCancel(ctx), batch); err != nil {
			indexErr = fmt.Errorf("index: %w", err)
		}
		batch = batch[:0]
	}
	stats, crawlErr := crawler.New(opts...).Pages(ctx, o.Starts, func(_ string, a *ottwatch.Article, err error) {
		switch {
		case err == nil:
			enricher.Enrich(a)
			batch = append(batch, a)
			if len(batch) >= o.BatchSize {
				flush()
			}
		case !errors.Is(err, crawler.ErrNotArticle) && firstErr == nil:
			firstErr = err
		}
	})
	flush()
	if bar != nil {
		_ = bar.Finish()
	}
	if indexErr != nil {
		return indexErr
	}
	sum := crawlSummary{Stats: stats}
	sum.Indexed, err = idx.Count(context.WithoutCancel(ctx))
	if err != nil {
		return fmt.Errorf("index: %w", err)
	}
	if crawlErr == nil || errors.Is(crawlErr, context.Canceled) {
		printCrawlSummary(o, sum)
	}
	switch {
	case crawlErr != nil:
		return crawlErr
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
	fmt.Fprintf(o.io.Out, "crawl: %d pages fetched, %d articles kept, %d skipped, %d blocked by robots.txt, %d errors; %d articles in the index\n",
		s.Fetched, s.Articles, s.Skipped, s.Blocked, s.Errors, s.Indexed)
}
