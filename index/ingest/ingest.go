// Package ingest is ottwatch's one way into the archive. An Ingester turns
// a page a crawl fetched, or a page the archive kept, into an archived
// article, enriched (language, entities, topics) and assigned to its story,
// in the context of the source it belongs to (its selector, language hint
// and country). Crawls (Pipeline.Crawl), the --watch schedule
// (Pipeline.Watch) and Reindex all go through it, and an article whose
// content did not change is not rewritten.
//
// Index sync runs beside ingestion, never inside it: a Syncer brings the
// index up to date from the archive's cursor in a goroutine of its own, so
// a slow search engine never holds up the crawler.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/crawler"
	"github.com/ottwatch/ottwatch/index"
	"github.com/ottwatch/ottwatch/nlp"
)

// DefaultBatchSize is how many articles an Ingester archives per
// transaction unless told otherwise.
const DefaultBatchSize = 50

// Stats says what an Ingester did to the archive.
type Stats struct {
	New       int `json:"new"`       // articles archived for the first time
	Updated   int `json:"updated"`   // articles whose content changed
	Unchanged int `json:"unchanged"` // articles the archive already held as they are
}

// Ingester enriches articles and archives them batch by batch, each batch
// in one durable transaction: whatever it archived survives an interrupted
// or killed process. It is safe for concurrent use: articles are enriched
// in their callers' goroutines, at once, and batches are written one at a
// time, in the order they filled, while the next one fills.
type Ingester struct {
	archive   *index.Archive
	enricher  *nlp.Enricher
	keepHTML  bool
	batchSize int
	archived  func()

	mu    sync.Mutex // guards batch; taken before writeMu, never after
	batch []index.Page

	writeMu sync.Mutex // held while a batch is written
	statsMu sync.Mutex // guards stats and err
	stats   Stats
	err     error
}

// IngesterOption configures an Ingester.
type IngesterOption func(*Ingester)

// KeepHTML makes the Ingester keep each fetched page in the archive, so
// that Reindex can extract it again.
func KeepHTML(keep bool) IngesterOption { return func(in *Ingester) { in.keepHTML = keep } }

// BatchSize sets how many articles are archived per transaction.
func BatchSize(n int) IngesterOption {
	return func(in *Ingester) {
		if n > 0 {
			in.batchSize = n
		}
	}
}

// OnArchived sets a function called after each batch is archived, such as
// Syncer.Kick. It must not block.
func OnArchived(f func()) IngesterOption { return func(in *Ingester) { in.archived = f } }

// NewIngester returns an Ingester that enriches with enricher and archives
// into ar.
func NewIngester(ar *index.Archive, enricher *nlp.Enricher, opts ...IngesterOption) *Ingester {
	in := &Ingester{archive: ar, enricher: enricher, batchSize: DefaultBatchSize}
	for _, opt := range opts {
		opt(in)
	}
	return in
}

// Fetched ingests what a crawl of src made of one page: its article, which
// the crawler extracted in src's context (see crawler.Source.Article), and
// the page itself when pages are kept. A result without an article is
// ignored. It returns the archive's error, if any.
func (in *Ingester) Fetched(src *crawler.Source, r crawler.Result) error {
	if r.Err != nil || r.Article == nil {
		return nil
	}
	page := index.Page{Article: r.Article, Origin: src.Name}
	if in.keepHTML {
		page.HTML, page.ContentType = r.Body, r.ContentType
	}
	return in.add(page)
}

// Kept ingests an archived article again, in src's context: extracted anew
// from its kept page when there is one within the archive's page limit
// (fromPage), else as archived. It
// keeps when the article was fetched. An extraction that fails now keeps
// the archived article rather than lose it.
func (in *Ingester) Kept(src *crawler.Source, id string) (fromPage bool, err error) {
	archived, err := in.archive.Get(id)
	if err != nil {
		return false, err
	}
	html, contentType, err := in.archive.HTML(id)
	if errors.Is(err, index.ErrPageTooLarge) {
		html = nil // kept under a larger body limit: the archived article stays
	} else if err != nil {
		return false, err
	}
	a := archived
	if html != nil {
		if fresh, err := src.Extract(html, archived.URL, contentType); err == nil {
			fresh.Fetched = archived.Fetched
			a, fromPage = fresh, true
		}
	}
	if !fromPage {
		src.Stamp(a)
	}
	return fromPage, in.add(index.Page{Article: a, Origin: src.Name})
}

// add enriches the article of page and queues it for the archive, writing
// the batch when it is full.
func (in *Ingester) add(page index.Page) error {
	if err := in.Err(); err != nil {
		return err
	}
	in.enricher.Enrich(page.Article)
	in.mu.Lock()
	in.batch = append(in.batch, page)
	if len(in.batch) < in.batchSize {
		in.mu.Unlock()
		return nil
	}
	return in.write()
}

// Flush archives the articles queued so far.
func (in *Ingester) Flush() error {
	in.mu.Lock()
	return in.write()
}

// write takes the batch, with in.mu held, and archives it. Taking writeMu
// before letting go of in.mu keeps batches in the order they were taken;
// the next batch fills meanwhile.
func (in *Ingester) write() error {
	batch := in.batch
	in.batch = make([]index.Page, 0, in.batchSize)
	in.writeMu.Lock()
	in.mu.Unlock()
	defer in.writeMu.Unlock()
	if err := in.Err(); err != nil || len(batch) == 0 {
		return err
	}
	st, err := in.archive.Put(batch)
	in.statsMu.Lock()
	if err != nil {
		in.err = err
		in.statsMu.Unlock()
		return err
	}
	in.stats.New += st.Added
	in.stats.Updated += st.Updated
	in.stats.Unchanged += st.Unchanged
	in.statsMu.Unlock()
	if in.archived != nil {
		in.archived()
	}
	return nil
}

// Stats returns what the Ingester did so far.
func (in *Ingester) Stats() Stats {
	in.statsMu.Lock()
	defer in.statsMu.Unlock()
	return in.stats
}

// Err returns the first error the archive returned; after it, nothing more
// is archived.
func (in *Ingester) Err() error {
	in.statsMu.Lock()
	defer in.statsMu.Unlock()
	return in.err
}

// ReindexStats says what Reindex did.
type ReindexStats struct {
	Articles    int `json:"articles"`    // articles in the archive
	Reextracted int `json:"reextracted"` // of which extracted again from their kept page
	Changed     int `json:"changed"`     // whose language, tags or text changed
}

// reindexBatch is how many articles Reindex rewrites per transaction.
const reindexBatch = 200

// Reindex runs every archived article through the ingest path again, each
// in the context of the source it was crawled from: that source in
// sources when it is there, else the source as its archived article
// records it (its country and language hint). Articles whose content
// comes out the same are not rewritten.
func Reindex(ctx context.Context, ar *index.Archive, enricher *nlp.Enricher, sources crawler.Sources) (ReindexStats, error) {
	var st ReindexStats
	in := NewIngester(ar, enricher, BatchSize(reindexBatch))
	ids, err := ar.IDs()
	if err != nil {
		return st, fmt.Errorf("reindex: %w", err)
	}
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		src, err := sourceOf(ar, sources, id)
		if err != nil {
			return st, fmt.Errorf("reindex: %w", err)
		}
		fromPage, err := in.Kept(src, id)
		if err != nil {
			return st, fmt.Errorf("reindex: %w", err)
		}
		if fromPage {
			st.Reextracted++
		}
	}
	if err := in.Flush(); err != nil {
		return st, fmt.Errorf("reindex: %w", err)
	}
	st.Articles = len(ids)
	st.Changed = in.Stats().Updated
	return st, nil
}

// sourceOf returns the source an archived article was crawled from.
func sourceOf(ar *index.Archive, sources crawler.Sources, id string) (*crawler.Source, error) {
	name, err := ar.Origin(id)
	if err != nil {
		return nil, err
	}
	if src, ok := sources.Find(name); ok {
		return src, nil
	}
	a, err := ar.Get(id)
	if errors.Is(err, ottwatch.ErrNotFound) {
		return &crawler.Source{Name: name}, nil
	} else if err != nil {
		return nil, err
	}
	return &crawler.Source{Name: name, Country: a.Country, Lang: a.HTMLLang}, nil
}
