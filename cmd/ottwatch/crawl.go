package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
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
	// Sources are the results per source, when the crawl followed sources.
	Sources []sourceSummary `json:"sources,omitempty"`
}

// sourceSummary is one source's part of a crawl.
type sourceSummary struct {
	Name string `json:"name"`
	crawler.Stats
	Error string `json:"error,omitempty"`
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
each source on its schedule (its "every", else --every).`,
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
	f.IntVar(&o.MaxBody, "max-body", 10<<20, "largest page to read, in bytes")
	f.StringVar(&o.UserAgent, "user-agent", "", "User-Agent to send (default names ottwatch and its home page)")
	f.BoolVar(&o.IgnoreRobots, "ignore-robots", false, "do not obey robots.txt (only for sites you own)")
	f.BoolVar(&o.Refetch, "refetch", false, "fetch again articles already in the archive")
	f.StringSliceVar(&o.Langs, "langs", nlp.DefaultLanguages, "languages to detect, ISO 639-1 codes")
	f.IntVar(&o.BatchSize, "batch", 50, "articles archived per transaction")
	f.DurationVar(&o.SyncEvery, "sync-every", 30*time.Second, "bring the index up to date this often during a long crawl")
	f.BoolVar(&o.KeepHTML, "keep-html", false, "keep each article's page in the archive, so reindex can extract it again")
	f.BoolVar(&o.Watch, "watch", false, "keep running, crawling each source on its schedule")
	f.DurationVar(&o.Every, "every", time.Hour, "with --watch, how often to crawl sources that set no schedule")
	f.StringVar(&o.Redis, "redis", os.Getenv("OTTWATCH_REDIS"),
		"share the frontier and visited set with other crawl processes through this Redis (redis://host:port/db; env OTTWATCH_REDIS)")
	f.BoolVar(&o.JSON, "json", false, "print the summary as JSON")
	return cmd
}

// loadSources returns the sources file's sources, or the default ones.
func loadSources(file string) (crawler.Sources, error) {
	if file == "" {
		return crawler.DefaultSources(), nil
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	srcs, err := crawler.LoadSources(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return srcs, nil
}

// sourcesToCrawl returns what the command line asks to crawl: the
// arguments as one source, or sources of the sources file.
func (o *crawlOptions) sourcesToCrawl() (crawler.Sources, error) {
	if len(o.Starts) > 0 {
		if len(o.Sources) > 0 {
			return nil, errors.New("give URLs or paths, or --source, not both")
		}
		return crawler.Sources{{Name: "command-line", Start: o.Starts}}, nil
	}
	all, err := loadSources(o.SourcesFile)
	if err != nil {
		return nil, err
	}
	if len(o.Sources) == 0 {
		return all, nil
	}
	var picked crawler.Sources
	for _, name := range o.Sources {
		src, ok := all.Find(name)
		if !ok {
			return nil, fmt.Errorf("--source %q: no such source (see 'ottwatch sources')", name)
		}
		picked = append(picked, src)
	}
	return picked, nil
}

// pipeline takes what crawls find through enrichment into the archive,
// batch by batch, each in a durable transaction, and brings the index up
// to date now and then. Whatever is archived survives an interrupted or
// killed crawl.
type pipeline struct {
	o        *crawlOptions
	settings *settings
	enricher *nlp.Enricher
	archive  *index.Archive
	state    *crawlState
	progress func(crawler.Stats)

	batch      []index.Page
	sum        crawlSummary
	firstErr   error
	archiveErr error
	lastSync   time.Time
}

func (p *pipeline) handle(r crawler.Result) {
	switch {
	case r.Err == nil:
		p.enricher.Enrich(r.Article)
		page := index.Page{Article: r.Article}
		if p.o.KeepHTML {
			page.HTML, page.ContentType = r.Body, r.ContentType
		}
		p.batch = append(p.batch, page)
		if len(p.batch) >= p.o.BatchSize {
			p.flush(context.Background())
		}
	case !errors.Is(r.Err, crawler.ErrNotArticle) && p.firstErr == nil:
		p.firstErr = r.Err
	}
}

// flush archives the batch and, when it is time, syncs the index.
func (p *pipeline) flush(ctx context.Context) {
	if len(p.batch) == 0 || p.archiveErr != nil {
		return
	}
	st, err := p.archive.Put(p.batch)
	if err != nil {
		p.archiveErr = err
		return
	}
	p.sum.New += st.Added
	p.sum.Updated += st.Updated
	p.batch = p.batch[:0]
	if time.Since(p.lastSync) >= p.o.SyncEvery {
		p.lastSync = time.Now()
		if _, _, err := p.o.syncIndex(ctx, p.archive, p.settings); err != nil {
			p.o.logger().Warn("index not up to date, the crawl goes on", "err", err)
		}
	}
}

// skip tells the crawler not to fetch again an article already archived.
func (p *pipeline) skip(u *url.URL) bool {
	return p.archive.HasURL(u.String())
}

// crawl crawls one source, archives what it finds and records how it fared.
func (p *pipeline) crawl(ctx context.Context, src *crawler.Source) (crawler.Stats, error) {
	o := p.o
	opts := []crawler.Option{
		crawler.WithDepth(o.Depth), crawler.WithParallelism(o.Parallelism),
		crawler.WithDelay(o.Delay), crawler.WithTimeout(o.Timeout),
		crawler.WithMaxBodySize(o.MaxBody), crawler.WithRobots(!o.IgnoreRobots),
		crawler.WithValidators(p.state), crawler.WithLogger(o.logger()),
		crawler.WithProgress(p.progress),
	}
	if !o.Refetch {
		opts = append(opts, crawler.WithSkip(p.skip))
	}
	if o.UserAgent != "" {
		opts = append(opts, crawler.WithUserAgent(o.UserAgent))
	}
	if o.Redis != "" {
		store, err := crawler.NewRedisStore(ctx, o.Redis, "ottwatch:crawl:"+src.Name)
		if err != nil {
			return crawler.Stats{}, err
		}
		defer store.Close()
		opts = append(opts, crawler.WithShared(store, o.Parallelism))
	}
	began := time.Now()
	stats, err := crawler.New(opts...).Crawl(ctx, src, p.handle)
	p.flush(ctx)
	run := sourceRun{Started: began.UTC(), Duration: time.Since(began).Round(time.Millisecond), Stats: stats}
	if err != nil {
		run.Error = oneLine(err)
	}
	if src.Name != "command-line" {
		p.state.record(src.Name, run)
	}
	if serr := p.state.save(); serr != nil {
		o.logger().Warn("crawl state not saved", "err", serr)
	}
	return stats, err
}

func runCrawl(ctx context.Context, o *crawlOptions) error {
	sources, err := o.sourcesToCrawl()
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
	ar, err := o.openArchive()
	if err != nil {
		return err
	}
	defer ar.Close()
	state, err := loadState(o.dataDir)
	if err != nil {
		return err
	}
	p := &pipeline{o: o, settings: s, enricher: enricher, archive: ar, state: state, lastSync: time.Now()}
	var bar *progressbar.ProgressBar
	if o.io.Terminal && !o.JSON {
		bar = progressbar.NewOptions(-1, progressbar.OptionSetWriter(o.io.Err),
			progressbar.OptionSpinnerType(14), progressbar.OptionClearOnFinish(),
			progressbar.OptionSetDescription("crawling"))
	}
	var current string
	began := time.Now()
	p.progress = func(st crawler.Stats) {
		if bar != nil {
			rate := float64(st.Fetched) / max(time.Since(began).Seconds(), 0.001)
			bar.Describe(fmt.Sprintf("%s: %d pages (%.1f/s), %d in flight, %d articles, %d errors",
				current, st.Fetched, rate, max(st.Queued-st.Fetched-st.Errors-st.NotModified, 0), st.Articles, st.Errors))
			_ = bar.Add(1)
		}
	}
	if o.Watch {
		return p.watch(ctx, sources, func(name string) { current = name })
	}
	var crawlErr error
	for _, src := range sources {
		current, began = src.Name, time.Now()
		stats, err := p.crawl(ctx, src)
		p.sum.Stats = addStats(p.sum.Stats, stats)
		if len(sources) > 1 || src.Name != "command-line" {
			ss := sourceSummary{Name: src.Name, Stats: stats}
			if err != nil {
				ss.Error = oneLine(err)
			}
			p.sum.Sources = append(p.sum.Sources, ss)
		}
		if err != nil {
			crawlErr = err
			if ctx.Err() != nil {
				break
			}
		}
	}
	if bar != nil {
		_ = bar.Finish()
	}
	return p.finish(ctx, crawlErr)
}

// finish archives what is left, brings the index up to date, even after an
// interruption, and reports.
func (p *pipeline) finish(ctx context.Context, crawlErr error) error {
	o := p.o
	p.flush(context.WithoutCancel(ctx))
	if p.archiveErr != nil {
		return p.archiveErr
	}
	syncStats, be, syncErr := o.syncIndex(context.WithoutCancel(ctx), p.archive, p.settings)
	var err error
	if p.sum.Archived, err = p.archive.Count(); err != nil {
		return err
	}
	if be != nil {
		p.sum.Index = be.Kind
		p.sum.Waiting = syncStats.Waiting
	}
	stats := p.sum.Stats
	if crawlErr == nil || errors.Is(crawlErr, context.Canceled) || len(p.sum.Sources) > 1 {
		printCrawlSummary(o, p.sum)
	}
	switch {
	case crawlErr != nil && (len(p.sum.Sources) <= 1 || ctx.Err() != nil):
		return crawlErr
	case syncErr != nil:
		return syncErr
	case stats.Fetched == 0 && p.firstErr != nil:
		return p.firstErr
	case stats.Fetched == 0 && stats.NotModified == 0:
		return errors.New("crawl: nothing fetched (every page was disallowed or out of scope)")
	}
	return nil
}

// watch crawls each source when it is due, until ctx is cancelled.
func (p *pipeline) watch(ctx context.Context, sources crawler.Sources, current func(string)) error {
	o := p.o
	next := make(map[string]time.Time)
	for {
		now := time.Now()
		wake := now.Add(o.Every)
		for _, src := range sources {
			if due := next[src.Name]; !due.After(now) {
				current(src.Name)
				stats, err := p.crawl(ctx, src)
				if ctx.Err() != nil {
					return p.finish(ctx, ctx.Err())
				}
				every := time.Duration(src.Every)
				if every <= 0 {
					every = o.Every
				}
				next[src.Name] = time.Now().Add(every)
				o.logger().Info("crawled", "source", src.Name, "fetched", stats.Fetched, "articles", stats.Articles, "err", err)
				fmt.Fprintf(o.io.Out, "%s %s: %d pages, %d articles, %d errors; next at %s\n", time.Now().Format(time.DateTime),
					src.Name, stats.Fetched, stats.Articles, stats.Errors, next[src.Name].Format(time.TimeOnly))
				if _, _, err := o.syncIndex(ctx, p.archive, p.settings); err != nil {
					o.logger().Warn("index not up to date", "err", err)
				}
			}
			if next[src.Name].Before(wake) {
				wake = next[src.Name]
			}
		}
		select {
		case <-ctx.Done():
			return p.finish(ctx, ctx.Err())
		case <-time.After(time.Until(wake)):
		}
	}
}

// addStats adds up two crawls' counts.
func addStats(a, b crawler.Stats) crawler.Stats {
	return crawler.Stats{
		Fetched: a.Fetched + b.Fetched, Articles: a.Articles + b.Articles, Skipped: a.Skipped + b.Skipped,
		Feeds: a.Feeds + b.Feeds, Sitemaps: a.Sitemaps + b.Sitemaps, NotModified: a.NotModified + b.NotModified,
		Blocked: a.Blocked + b.Blocked, Forbidden: a.Forbidden + b.Forbidden, Throttled: a.Throttled + b.Throttled,
		Retries: a.Retries + b.Retries, ConsentWalls: a.ConsentWalls + b.ConsentWalls,
		MissingDates: a.MissingDates + b.MissingDates, Errors: a.Errors + b.Errors, Queued: a.Queued + b.Queued,
	}
}

func printCrawlSummary(o *crawlOptions, s crawlSummary) {
	if o.JSON {
		enc := json.NewEncoder(o.io.Out)
		enc.SetIndent("", "  ")
		_ = enc.Encode(s)
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
