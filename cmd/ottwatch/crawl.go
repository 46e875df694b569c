package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/crawler"
	"github.com/ottwatch/ottwatch/index"
	"github.com/ottwatch/ottwatch/index/ingest"
)

// crawlOptions are the options of 'ottwatch crawl'.
type crawlOptions struct {
	*globals
	Starts       []string
	SourcesFile  string
	Sources      []string
	Depth        int
	Parallelism  int
	Delay        time.Duration
	Timeout      time.Duration
	MaxBody      int
	UserAgent    string
	IgnoreRobots bool
	Refetch      bool
	Langs        []string
	BatchSize    int
	SyncEvery    time.Duration
	KeepHTML     bool
	Watch        bool
	Every        time.Duration
	Redis        string
	NewArchive   bool
	JSON         bool
}

func newCrawlCmd(g *globals) *cobra.Command {
	o := &crawlOptions{globals: g}
	cmd := &cobra.Command{
		Use:   "crawl [URL|PATH...]",
		Short: "Crawl sites, feeds or local folders of pages; archive, tag and index the articles",
		Long: `Crawl fetches start pages (http(s) URLs, file:// URLs or local paths) or, with
no arguments, the sources of the sources file (--sources, or the default list
of regulators and trade press; --source picks some). It follows links, feed
items and sitemap entries within each source's hosts up to --depth, obeys
robots.txt and its Crawl-delay, retries on 429 and 5xx as the server asks,
skips articles already archived (--refetch to fetch them again), extracts
every article, detects its language, tags its entities and topics, archives
it and brings the index up to date. With --watch it keeps running and crawls
each source on its schedule (its "every", else --every). After each batch it
indexes, the watchlists' webhooks are told of their new stories and new
coverage (see 'ottwatch notify').`,
		Example: `  ottwatch crawl testdata/site
  ottwatch crawl --source agcom --source arcep
  ottwatch crawl --watch --every 1h`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Starts = args
			return runCrawl(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.SourcesFile, "sources", "", "sources file (YAML) instead of the default list (see 'ottwatch sources')")
	f.StringSliceVar(&o.Sources, "source", nil, "crawl only these sources of the sources file")
	f.IntVar(&o.Depth, "depth", 3, "how many links away from the start pages to go")
	f.IntVar(&o.Parallelism, "parallelism", 2, "requests at once per host")
	f.DurationVar(&o.Delay, "delay", 200*time.Millisecond, "pause between requests to the same host (a source's delay or Crawl-delay may be longer)")
	f.DurationVar(&o.Timeout, "timeout", 30*time.Second, "timeout for connecting, headers and each request")
	f.IntVar(&o.MaxBody, "max-body", defaultMaxBody, "largest page to read, in bytes")
	f.StringVar(&o.UserAgent, "user-agent", "", "User-Agent to send (default names ottwatch and its home page)")
	f.BoolVar(&o.IgnoreRobots, "ignore-robots", false, "do not obey robots.txt (only for sites you own)")
	f.BoolVar(&o.Refetch, "refetch", false, "fetch again articles already in the archive")
	f.StringSliceVar(&o.Langs, "langs", ottwatch.Languages, "languages to detect, ISO 639-1 codes")
	f.IntVar(&o.BatchSize, "batch", 50, "articles archived per transaction and sent to the index per request")
	f.DurationVar(&o.SyncEvery, "sync-every", 30*time.Second, "bring the index up to date this often during a long crawl")
	f.BoolVar(&o.KeepHTML, "keep-html", false, "keep each article's page in the archive, so reindex can extract it again")
	f.BoolVar(&o.Watch, "watch", false, "keep running, crawling each source on its schedule")
	f.DurationVar(&o.Every, "every", time.Hour, "with --watch, how often to crawl sources that set no schedule (at least 1m)")
	f.StringVar(&o.Redis, "redis", os.Getenv("OTTWATCH_REDIS"),
		"share the frontier and visited set with other crawl processes through this Redis (redis://host:port/db; env OTTWATCH_REDIS)")
	f.BoolVar(&o.NewArchive, "new-archive", false, "start a new archive where there is none (or an empty file) though the data directory was used before")
	f.BoolVar(&o.JSON, "json", false, "print the summary as JSON")
	return cmd
}

// runCrawl crawls what the options name through the ingest pipeline and
// prints its summary.
func runCrawl(ctx context.Context, o *crawlOptions) error {
	if err := o.validate(); err != nil {
		return err
	}
	all, err := ingest.LoadSources(o.SourcesFile)
	if err != nil {
		return err
	}
	sources, err := ingest.PickSources(all, o.Starts, o.Sources)
	if err != nil {
		return err
	}
	enricher, err := o.enricher(o.Langs)
	if err != nil {
		return err
	}
	s, err := o.settings("")
	if err != nil {
		return err
	}
	ar, err := o.openArchive(archiveCrawl, o.NewArchive, index.MaxPage(o.MaxBody))
	if err != nil {
		return err
	}
	defer ar.Close()
	notices, err := o.startNotices(ar, s)
	if err != nil {
		return err
	}
	state, err := ingest.LoadState(o.dataDir)
	if err != nil {
		return err
	}
	opts := []crawler.Option{
		crawler.WithDepth(o.Depth), crawler.WithParallelism(o.Parallelism),
		crawler.WithDelay(o.Delay), crawler.WithTimeout(o.Timeout),
		crawler.WithMaxBodySize(o.MaxBody), crawler.WithRobots(!o.IgnoreRobots),
	}
	if o.UserAgent != "" {
		opts = append(opts, crawler.WithUserAgent(o.UserAgent))
	}
	bar := o.progressBar()
	p := ingest.Start(ctx, ingest.Config{
		Archive:  ar,
		Ingester: ingest.NewIngester(ar, enricher, ingest.KeepHTML(o.KeepHTML), ingest.BatchSize(o.BatchSize)),
		State:    state, Crawler: opts, Refetch: o.Refetch, Redis: o.Redis, Threads: o.Parallelism,
		Sync: func(sctx context.Context) (index.SyncStats, error) {
			st, _, err := o.syncIndex(sctx, ar, s, o.BatchSize)
			if err == nil {
				notices.deliver(ctx, st.Cursor)
			}
			return st, err
		},
		SyncEvery: o.SyncEvery, Clock: o.clock, Logger: o.logger(), Progress: bar.update,
	})
	var crawlErr error
	if o.Watch {
		crawlErr = p.Watch(ctx, sources, o.Every, func(c ingest.Crawled) {
			fmt.Fprintf(o.io.Out, "%s %s: %d pages, %d articles, %d errors; next at %s\n", c.At.Format(time.DateTime),
				c.Source, c.Stats.Fetched, c.Stats.Articles, c.Stats.Errors, c.Next.Format(time.TimeOnly))
		})
	} else {
		crawlErr = p.CrawlAll(ctx, sources)
	}
	bar.finish()
	sum, err := p.Finish(ctx, crawlErr)
	sum.Index = s.Index.Value
	if crawlErr == nil || errors.Is(crawlErr, context.Canceled) || len(sum.Sources) > 1 {
		printCrawlSummary(o, sum)
		notices.print()
	}
	return err
}

// defaultMaxBody is the default --max-body of crawl and reindex: the
// largest page read, and the largest kept page unpacked again.
const defaultMaxBody = 10 << 20

// minWatchEvery is the shortest --every: a crawl more often would hammer
// the sites it reads.
const minWatchEvery = time.Minute

// validate checks the numeric and duration flags.
func (o *crawlOptions) validate() error {
	checks := []struct {
		ok   bool
		flag string
		want string
	}{
		{o.Depth >= 0, fmt.Sprintf("--depth %d", o.Depth), "0 or more"},
		{o.Parallelism >= 1, fmt.Sprintf("--parallelism %d", o.Parallelism), "at least 1"},
		{o.BatchSize >= 1, fmt.Sprintf("--batch %d", o.BatchSize), "at least 1"},
		{o.MaxBody >= 1, fmt.Sprintf("--max-body %d", o.MaxBody), "at least 1 byte"},
		{o.Timeout > 0, "--timeout " + o.Timeout.String(), "more than 0"},
		{o.Delay >= 0, "--delay " + o.Delay.String(), "0 or more"},
		{o.SyncEvery > 0, "--sync-every " + o.SyncEvery.String(), "more than 0"},
		{!o.Watch || o.Every >= minWatchEvery, "--every " + o.Every.String(), "at least " + minWatchEvery.String()},
	}
	for _, c := range checks {
		if !c.ok {
			return fmt.Errorf("%s: want %s", c.flag, c.want)
		}
	}
	return nil
}

// crawlProgress is the progress bar of a crawl on a terminal; its methods
// do nothing on a nil one.
type crawlProgress struct {
	bar     *progressbar.ProgressBar
	clock   ottwatch.Clock
	current string
	began   time.Time
}

// progressBar returns a progress bar on the terminal, or nil.
func (o *crawlOptions) progressBar() *crawlProgress {
	if !o.io.Terminal || o.JSON {
		return nil
	}
	return &crawlProgress{clock: o.clock, began: o.clock.Now(), bar: progressbar.NewOptions(-1,
		progressbar.OptionSetWriter(o.io.Err), progressbar.OptionSpinnerType(14),
		progressbar.OptionClearOnFinish(), progressbar.OptionSetDescription("crawling"))}
}

func (b *crawlProgress) update(source string, st crawler.Stats) {
	if b == nil {
		return
	}
	if source != b.current {
		b.current, b.began = source, b.clock.Now()
	}
	rate := float64(st.Fetched) / max(b.clock.Now().Sub(b.began).Seconds(), 0.001)
	b.bar.Describe(fmt.Sprintf("%s: %d pages (%.1f/s), %d in flight, %d articles, %d errors",
		source, st.Fetched, rate, max(st.Queued-st.Fetched-st.Errors-st.NotModified, 0), st.Articles, st.Errors))
	_ = b.bar.Add(1)
}

func (b *crawlProgress) finish() {
	if b != nil {
		_ = b.bar.Finish()
	}
}

func printCrawlSummary(o *crawlOptions, s ingest.Summary) {
	if o.JSON {
		_ = writeJSON(o.io.Out, s)
		return
	}
	for _, src := range s.Sources {
		fmt.Fprintf(o.io.Out, "%s: %d pages, %d articles, %d not modified, %d blocked, %d errors", src.Name,
			src.Fetched, src.Articles, src.NotModified, src.Blocked+src.Forbidden+src.Throttled, src.Errors)
		if src.Error != "" {
			fmt.Fprintf(o.io.Out, " (%s)", src.Error)
		}
		fmt.Fprintln(o.io.Out)
	}
	fmt.Fprintf(o.io.Out, "crawl: %d pages fetched, %d articles kept (%d new, %d updated), %d skipped, %d blocked by robots.txt, %d errors; %d articles in the archive",
		s.Fetched, s.Articles, s.New, s.Updated, s.Skipped, s.Blocked, s.Errors, s.Archived)
	if s.Index != "" && s.Waiting == 0 {
		fmt.Fprintf(o.io.Out, ", all in the %s index", s.Index)
	}
	fmt.Fprintln(o.io.Out)
}
