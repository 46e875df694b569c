package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"sync"
	"time"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/crawler"
	"github.com/ottwatch/ottwatch/index"
	"github.com/ottwatch/ottwatch/nlp/textnorm"
)

// CommandLine is the name of the source a crawl of start pages given on
// the command line makes up; its runs are not recorded in the state.
const CommandLine = "command-line"

// Summary is what a crawl reports when it is done.
type Summary struct {
	crawler.Stats
	New      int    `json:"new"`      // articles archived for the first time
	Updated  int    `json:"updated"`  // articles whose content changed
	Archived int    `json:"archived"` // articles in the archive
	Index    string `json:"index"`    // the index brought up to date
	Waiting  int    `json:"waiting"`  // archived articles the index does not hold yet
	// Sources are the results per source, when the crawl followed sources.
	Sources []SourceSummary `json:"sources,omitempty"`
}

// SourceSummary is one source's part of a crawl.
type SourceSummary struct {
	Name string `json:"name"`
	crawler.Stats
	Error string `json:"error,omitempty"`
}

// Config is what a Pipeline needs.
type Config struct {
	Archive *index.Archive
	// Ingester archives what the crawls find; see NewIngester.
	Ingester *Ingester
	// State remembers validators and source health between crawls; nil
	// for none.
	State *State
	// Crawler are the options of every source's crawler.
	Crawler []crawler.Option
	// Refetch fetches again articles already archived.
	Refetch bool
	// Redis, when set, shares the frontier and visited set with other
	// processes; Threads requests run at once in this one.
	Redis   string
	Threads int
	// Sync brings the index up to date with the archive; nil for none.
	// It runs in the Pipeline's Syncer, at most once every SyncEvery,
	// and once more in Finish.
	Sync      func(ctx context.Context) (index.SyncStats, error)
	SyncEvery time.Duration
	// Clock schedules --watch and the syncs; nil for the wall clock.
	Clock  ottwatch.Clock
	Logger *slog.Logger
	// Progress, when set, is called with a source's running totals.
	Progress func(source string, st crawler.Stats)
}

// Pipeline crawls sources into the archive through an Ingester while its
// Syncer keeps the index up to date.
type Pipeline struct {
	cfg    Config
	syncer *Syncer

	sum Summary

	mu       sync.Mutex
	firstErr error // the first page that failed, for a crawl that fetched nothing; guarded by mu
}

// Start returns a Pipeline and starts its Syncer. Call Finish when done.
func Start(ctx context.Context, cfg Config) *Pipeline {
	if cfg.Clock == nil {
		cfg.Clock = ottwatch.SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	p := &Pipeline{cfg: cfg}
	if cfg.Sync != nil {
		sync := func(ctx context.Context) error { _, err := cfg.Sync(ctx); return err }
		p.syncer = StartSyncer(ctx, sync, cfg.SyncEvery, cfg.Clock, cfg.Logger)
		cfg.Ingester.archived = p.syncer.Kick
	}
	return p
}

// Crawl crawls one source and archives what it finds, recording how it
// fared in the state.
func (p *Pipeline) Crawl(ctx context.Context, src *crawler.Source) (crawler.Stats, error) {
	cfg := p.cfg
	opts := append([]crawler.Option{crawler.WithLogger(cfg.Logger)}, cfg.Crawler...)
	if cfg.State != nil {
		opts = append(opts, crawler.WithValidators(cfg.State))
	}
	if cfg.Progress != nil {
		opts = append(opts, crawler.WithProgress(func(st crawler.Stats) { cfg.Progress(src.Name, st) }))
	}
	if !cfg.Refetch {
		opts = append(opts, crawler.WithSkip(func(u *url.URL) bool { return cfg.Archive.HasURL(u.String()) }))
	}
	if cfg.Redis != "" {
		store, err := crawler.NewRedisStore(ctx, cfg.Redis, "ottwatch:crawl:"+src.Name)
		if err != nil {
			return crawler.Stats{}, fmt.Errorf("crawl %s: %w", src.Name, err)
		}
		defer store.Close()
		opts = append(opts, crawler.WithShared(store, cfg.Threads))
	}
	began := cfg.Clock.Now()
	// The crawler's workers hand on pages at once: each enriches its
	// article, and the Ingester writes full batches one at a time.
	stats, err := crawler.New(opts...).Crawl(ctx, src, func(r crawler.Result) {
		switch {
		case r.Err == nil:
			if aerr := cfg.Ingester.Fetched(src, r); aerr != nil {
				cfg.Logger.Error("archive failed", "url", r.URL, "err", aerr)
			}
		case !errors.Is(r.Err, crawler.ErrNotArticle):
			p.mu.Lock()
			if p.firstErr == nil {
				p.firstErr = r.Err
			}
			p.mu.Unlock()
		}
	})
	if ferr := cfg.Ingester.Flush(); ferr != nil && err == nil {
		err = ferr
	}
	if cfg.State != nil {
		run := SourceRun{Started: began.UTC(), Duration: cfg.Clock.Now().Sub(began).Round(time.Millisecond), Stats: stats}
		if err != nil {
			run.Error = textnorm.OneLine(err.Error())
		}
		if src.Name != CommandLine {
			cfg.State.Record(src.Name, run)
		}
		if serr := cfg.State.Save(); serr != nil {
			cfg.Logger.Warn("crawl state not saved", "err", serr)
		}
	}
	return stats, err
}

// CrawlAll crawls the sources one after the other, adding up what they
// did in the summary; it stops early only when ctx is done. It returns
// the last crawl error.
func (p *Pipeline) CrawlAll(ctx context.Context, sources crawler.Sources) error {
	var crawlErr error
	for _, src := range sources {
		stats, err := p.Crawl(ctx, src)
		p.sum.Stats = AddStats(p.sum.Stats, stats)
		if len(sources) > 1 || src.Name != CommandLine {
			ss := SourceSummary{Name: src.Name, Stats: stats}
			if err != nil {
				ss.Error = textnorm.OneLine(err.Error())
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
	return crawlErr
}

// Crawled is one crawl of a source by Watch.
type Crawled struct {
	Source string
	Stats  crawler.Stats
	Err    error
	At     time.Time // when it ended
	Next   time.Time // when the source is due again
}

// Watch crawls each source when it is due (every its Every, else every),
// as the clock tells, until ctx is done; then it returns ctx's error.
// report is called after each crawl.
func (p *Pipeline) Watch(ctx context.Context, sources crawler.Sources, every time.Duration, report func(Crawled)) error {
	clock := p.cfg.Clock
	next := make(map[string]time.Time)
	for {
		wake := clock.Now().Add(every)
		for _, src := range sources {
			if due := next[src.Name]; !due.After(clock.Now()) {
				stats, err := p.Crawl(ctx, src)
				if ctx.Err() != nil {
					return ctx.Err()
				}
				p.sum.Stats = AddStats(p.sum.Stats, stats)
				period := time.Duration(src.Every)
				if period <= 0 {
					period = every
				}
				now := clock.Now()
				next[src.Name] = now.Add(period)
				p.cfg.Logger.Info("crawled", "source", src.Name, "fetched", stats.Fetched, "articles", stats.Articles, "err", err)
				if report != nil {
					report(Crawled{Source: src.Name, Stats: stats, Err: err, At: now, Next: next[src.Name]})
				}
				if p.syncer != nil {
					p.syncer.Kick()
				}
			}
			if next[src.Name].Before(wake) {
				wake = next[src.Name]
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-clock.After(wake.Sub(clock.Now())):
		}
	}
}

// Finish archives what is left, stops the Syncer and brings the index up
// to date one last time, even after an interruption, and returns the
// summary with the error the crawl ends with: crawlErr (the error of
// CrawlAll or Watch) when the crawl failed as a whole, the sync's error,
// or an error saying nothing was fetched.
func (p *Pipeline) Finish(ctx context.Context, crawlErr error) (Summary, error) {
	ctx = context.WithoutCancel(ctx)
	if p.syncer != nil {
		p.syncer.Stop()
	}
	if err := p.cfg.Ingester.Flush(); err != nil {
		return p.sum, err
	}
	st := p.cfg.Ingester.Stats()
	p.sum.New, p.sum.Updated = st.New, st.Updated
	var syncErr error
	if p.cfg.Sync != nil {
		var ss index.SyncStats
		ss, syncErr = p.cfg.Sync(ctx)
		p.sum.Waiting = ss.Waiting
	}
	var err error
	if p.sum.Archived, err = p.cfg.Archive.Count(); err != nil {
		return p.sum, fmt.Errorf("crawl: %w", err)
	}
	stats := p.sum.Stats
	switch {
	case crawlErr != nil && (len(p.sum.Sources) <= 1 || errors.Is(crawlErr, context.Canceled) || errors.Is(crawlErr, context.DeadlineExceeded)):
		return p.sum, crawlErr
	case syncErr != nil:
		return p.sum, syncErr
	case stats.Fetched == 0 && p.firstError() != nil:
		return p.sum, p.firstError()
	case stats.Fetched == 0 && stats.NotModified == 0:
		return p.sum, errors.New("crawl: nothing fetched (every page was disallowed or out of scope)")
	}
	return p.sum, nil
}

// firstError returns the first page that failed.
func (p *Pipeline) firstError() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.firstErr
}

// AddStats adds up two crawls' counts.
func AddStats(a, b crawler.Stats) crawler.Stats {
	return crawler.Stats{
		Fetched: a.Fetched + b.Fetched, Articles: a.Articles + b.Articles, Skipped: a.Skipped + b.Skipped,
		Feeds: a.Feeds + b.Feeds, Sitemaps: a.Sitemaps + b.Sitemaps, NotModified: a.NotModified + b.NotModified,
		Blocked: a.Blocked + b.Blocked, Forbidden: a.Forbidden + b.Forbidden, Throttled: a.Throttled + b.Throttled,
		Retries: a.Retries + b.Retries, ConsentWalls: a.ConsentWalls + b.ConsentWalls,
		MissingDates: a.MissingDates + b.MissingDates, Errors: a.Errors + b.Errors, Queued: a.Queued + b.Queued,
	}
}

// LoadSources returns the sources of a sources file, or the default ones
// when file is "".
func LoadSources(file string) (crawler.Sources, error) {
	if file == "" {
		return crawler.DefaultSources(), nil
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	defer f.Close()
	srcs, err := crawler.LoadSources(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return srcs, nil
}

// PickSources returns what to crawl: the start pages as one source called
// CommandLine, or the named sources of all, or all.
func PickSources(all crawler.Sources, starts, names []string) (crawler.Sources, error) {
	if len(starts) > 0 {
		if len(names) > 0 {
			return nil, errors.New("give URLs or paths, or --source, not both")
		}
		return crawler.Sources{{Name: CommandLine, Start: starts}}, nil
	}
	if len(names) == 0 {
		return all, nil
	}
	var picked crawler.Sources
	for _, name := range names {
		src, ok := all.Find(name)
		if !ok {
			return nil, fmt.Errorf("--source %q: no such source (see 'ottwatch sources')", name)
		}
		picked = append(picked, src)
	}
	return picked, nil
}
