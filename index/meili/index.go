// Package meili is the Meilisearch backend of ottwatch: an ottwatch.Index
// on an index of a Meilisearch server, through
// github.com/meilisearch/meilisearch-go.
//
// Each article is one document made for the people who browse the index
// in Meilisearch's dashboard (see encodeDocument): title, source,
// published (a readable date), lang, entity_names, summary, url and image
// come first, then ids and hashes (id, cluster, fingerprint), the fields
// from which Get and search hits rebuild the article exactly, the fields of
// package index (entities, entity_types, topics, published_at in Unix
// seconds) and last the per-language copies of the text (title_it,
// body_fr, ...), which are what Meilisearch searches. Open creates the
// index and keeps its settings as ottwatch needs them: searchable
// (per-language text, then entity names), filterable (lang, source,
// entities, entity_names, entity_types, country, topics, published_at,
// cluster) and sortable (published_at, published) attributes, facets
// sorted by count, the synonyms of Config, and localizedAttributes so that
// each language's fields are tokenized as that language. Rebuild fills a
// new index beside the live one and swaps it in.
//
// Search maps ottwatch.Query onto a Meilisearch search and answers like the
// Bleve backend: the same filters, facets, paging limits and **marked**
// snippets. Where Meilisearch differs (the cases of indextest.Differences):
//
//   - It does not stem. Typo tolerance stands in for it ("telecomunicazione"
//     finds "telecomunicazioni", the last query word matches as a prefix),
//     but in a corpus of six languages it also joins words of different
//     languages ("operador" and "operators" are one typo apart once
//     "operator" is read as a prefix). The index therefore allows one typo
//     from 9 characters and two from 13 (WithTypoTolerance), not from 5 and
//     9 as Meilisearch does by default.
//   - Words are matched with Meilisearch's "last" strategy: documents with
//     every word first, then documents missing words from the end of the
//     query; the first word is always required. Bleve matches any word.
//   - Stop words ("the", "il") are words like any other; Bleve drops them.
//   - Search normalizes the query text for Meilisearch: curly and angle
//     double quotes become ", an unclosed quote is dropped, elided
//     articles such as l', dell' or qu' are removed, and text without any
//     letter or digit matches nothing (Meilisearch would return every
//     document).
//   - Relevance ties, and browsing without text, are ordered by date,
//     newest first, through the custom ranking rule published_at:desc;
//     "sort" comes first among the ranking rules so that SortDate orders
//     by date even when there is text.
//   - Dates in filters have a precision of one second.
//   - A collapsed search (Query.Collapse) keeps, of each story cluster, the
//     hit Meilisearch ranks first: with equal ranking it breaks ties by its
//     internal document id, where Bleve breaks them by article id. Its
//     facets take a second request.
//
// Every request is retried after connection errors, timeouts, 429 and 5xx
// answers (WithRetry), the client's own retries being disabled; all the
// requests the backend makes are idempotent, so a retry of one that did
// reach the server is harmless. Writes wait for their tasks and fail with a
// *TaskError when a task fails; failed tasks are not retried.
//
// It needs Meilisearch 1.10 or later, for localizedAttributes and the
// locales search parameter, and 1.11 or later for collapsed searches (the
// distinct search parameter). Its tests run against a real server
// (package meilitest).
package meili

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	gojson "github.com/goccy/go-json"
	"github.com/meilisearch/meilisearch-go"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index"
)

// Index is an ottwatch.Index on a Meilisearch index. It is safe for
// concurrent use.
type Index struct {
	uid     string
	display string // the server URL, without credentials
	opts    options
	http    *http.Client
	client  meilisearch.ServiceManager
	idx     meilisearch.IndexManager
	closed  atomic.Bool
	// synonyms are those of Config, for the index Rebuild makes.
	synonyms map[string][]string
}

var (
	_ ottwatch.Index  = (*Index)(nil)
	_ index.Rebuilder = (*Index)(nil)
)

// Open connects to the index of cfg, creating it when missing (its primary
// key, "id", is set by the first documents), and updates its settings when they differ from what
// ottwatch needs. The API key never appears in errors or logs.
func Open(ctx context.Context, cfg Config, opts ...Option) (*Index, error) {
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	ep, err := parseURL(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("open meilisearch index: %w", err)
	}
	uid := cfg.IndexUID
	if uid == "" {
		uid = DefaultIndexUID
	}
	if !indexUIDPattern.MatchString(uid) {
		return nil, fmt.Errorf("open meilisearch index %q at %s: an index uid has only a-z, A-Z, 0-9, - and _", uid, ep.display)
	}
	hc := o.client(ep.display)
	client := meilisearch.New(ep.base,
		meilisearch.WithCustomClient(hc),
		meilisearch.WithAPIKey(string(cfg.APIKey)),
		meilisearch.DisableRetries(),
		// go-json decodes answers as encoding/json does, faster: a
		// search answer holds every hit's text twice.
		meilisearch.WithCustomJsonUnmarshaler(gojson.Unmarshal),
	)
	x := &Index{uid: uid, display: ep.display, opts: o, http: hc, client: client, idx: client.Index(uid), synonyms: cfg.Synonyms}
	if err := x.ensureIndex(ctx); err != nil {
		hc.CloseIdleConnections()
		return nil, fmt.Errorf("open meilisearch index %s at %s: %w", uid, ep.display, err)
	}
	if err := x.ensureSettings(ctx, cfg.Synonyms); err != nil {
		hc.CloseIdleConnections()
		return nil, fmt.Errorf("open meilisearch index %s at %s: settings: %w", uid, ep.display, err)
	}
	return x, nil
}

// maxIdleConns is how many idle connections to the server the index keeps.
const maxIdleConns = 32

// client returns the HTTP client of the index: a copy of the one of
// WithHTTPClient, or a new one, with the retrying transport.
func (o options) client(display string) *http.Client {
	var c http.Client
	var base http.RoundTripper
	if o.httpClient != nil {
		c = *o.httpClient
		base = o.httpClient.Transport
	}
	if base == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		// Keep a connection for each search under way (serve runs
		// several) rather than the default two.
		t.MaxIdleConnsPerHost = maxIdleConns
		// Ask for answers uncompressed: Meilisearch takes ~35 ms to gzip
		// the ~70 kB answer of a search (2 MB/s), longer than any network
		// faster than 16 Mbit/s takes to carry it as it is.
		t.DisableCompression = true
		base = t
	}
	c.Transport = &retryTransport{
		base: base, attempts: o.attempts, baseDelay: o.baseDelay, maxDelay: o.maxDelay,
		timeout: o.timeout, logger: o.logger, display: display,
	}
	return &c
}

// UID returns the uid of the Meilisearch index.
func (x *Index) UID() string { return x.uid }

// ensureIndex creates the index when it does not exist, and checks its
// primary key.
func (x *Index) ensureIndex(ctx context.Context) error {
	info, err := x.client.GetIndexWithContext(ctx, x.uid)
	if err == nil {
		if info.PrimaryKey != "" && info.PrimaryKey != primaryKey {
			return fmt.Errorf("index has primary key %q, want %q", info.PrimaryKey, primaryKey)
		}
		return nil
	}
	if err = convert(err); !hasCode(err, "index_not_found") {
		return fmt.Errorf("get index: %w", err)
	}
	// Without a primary key: Meilisearch infers "id" from the first
	// documents, and lists the fields of every document in the order of
	// that first one (with a primary key given, "id" would come first).
	task, err := x.client.CreateIndexWithContext(ctx, &meilisearch.IndexConfig{Uid: x.uid})
	if err != nil {
		return fmt.Errorf("create index: %w", convert(err))
	}
	err = x.await(ctx, task.TaskUID)
	var te *TaskError
	if errors.As(err, &te) && te.Code == "index_already_exists" {
		return nil // created meanwhile by someone else
	}
	if err != nil {
		return fmt.Errorf("create index: %w", err)
	}
	x.opts.logger.LogAttrs(ctx, slog.LevelInfo, "created meilisearch index",
		slog.String("url", x.display), slog.String("index", x.uid))
	return nil
}

// await waits for task uid to finish, within the task timeout, and
// returns a *TaskError when it did not succeed.
func (x *Index) await(ctx context.Context, uid int64) error {
	ctx, cancel := context.WithTimeout(ctx, x.opts.taskTimeout)
	defer cancel()
	wait := time.Millisecond
	for {
		task, err := x.client.GetTaskWithContext(ctx, uid)
		if err != nil {
			err = convert(err)
			if errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil {
				return fmt.Errorf("task %d not processed within %v: %w", uid, x.opts.taskTimeout, err)
			}
			return fmt.Errorf("get task %d: %w", uid, err)
		}
		switch task.Status {
		case meilisearch.TaskStatusSucceeded:
			return nil
		case meilisearch.TaskStatusFailed, meilisearch.TaskStatusCanceled:
			return &TaskError{
				UID: uid, IndexUID: task.IndexUID, Type: string(task.Type), Status: string(task.Status),
				Code: task.Error.Code, Message: task.Error.Message,
			}
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return fmt.Errorf("task %d still %s after %v: %w", uid, task.Status, x.opts.taskTimeout, ctx.Err())
			}
			return fmt.Errorf("wait for task %d: %w", uid, ctx.Err())
		case <-timer.C:
		}
		wait = min(wait*2, x.opts.pollInterval)
	}
}

// use checks that the index is open and ctx not done.
func (x *Index) use(ctx context.Context) error {
	if x.closed.Load() {
		return errClosed
	}
	return ctx.Err()
}

// Close releases the connections of the index. Closing twice is not an
// error; any other method after Close fails.
func (x *Index) Close() error {
	if x.closed.Swap(true) {
		return nil
	}
	x.http.CloseIdleConnections()
	return nil
}

// rebuildSuffix ends the uid of the index Rebuild fills.
const rebuildSuffix = "_rebuild"

// Rebuild makes an empty index beside x (its uid followed by "_rebuild")
// with the settings of x, lets fill write into it, swaps it with x's index
// (swapIndexes, atomic for searches) and deletes the old one. Searches on
// x keep answering from the old index until the swap. An index left over
// by a failed Rebuild is deleted first.
func (x *Index) Rebuild(ctx context.Context, fill func(ctx context.Context, next ottwatch.Index) error) error {
	if err := x.use(ctx); err != nil {
		return fmt.Errorf("rebuild: %w", err)
	}
	uid := x.uid + rebuildSuffix
	next := &Index{uid: uid, display: x.display, opts: x.opts, http: x.http, client: x.client, idx: x.client.Index(uid), synonyms: x.synonyms}
	if err := next.drop(ctx); err != nil {
		return fmt.Errorf("rebuild %s: remove a previous attempt: %w", x.uid, err)
	}
	if err := next.ensureIndex(ctx); err != nil {
		return fmt.Errorf("rebuild %s: create %s: %w", x.uid, uid, err)
	}
	if err := next.ensureSettings(ctx, x.synonyms); err != nil {
		return fmt.Errorf("rebuild %s: settings of %s: %w", x.uid, uid, err)
	}
	if err := fill(ctx, next); err != nil {
		return fmt.Errorf("rebuild %s: fill %s: %w", x.uid, uid, err)
	}
	task, err := x.client.SwapIndexesWithContext(ctx, []*meilisearch.SwapIndexesParams{{Indexes: []string{x.uid, uid}}})
	if err != nil {
		return fmt.Errorf("rebuild %s: swap with %s: %w", x.uid, uid, convert(err))
	}
	if err := x.await(ctx, task.TaskUID); err != nil {
		return fmt.Errorf("rebuild %s: swap with %s: %w", x.uid, uid, err)
	}
	if err := next.drop(ctx); err != nil {
		return fmt.Errorf("rebuild %s: delete the old index, now %s: %w", x.uid, uid, err)
	}
	return nil
}

// drop deletes the index, if it exists.
func (x *Index) drop(ctx context.Context) error {
	task, err := x.client.DeleteIndexWithContext(ctx, x.uid)
	if err != nil {
		return fmt.Errorf("delete index %s: %w", x.uid, convert(err))
	}
	err = x.await(ctx, task.TaskUID)
	if te := (*TaskError)(nil); errors.As(err, &te) && te.Code == "index_not_found" {
		return nil
	}
	return err
}
